"""Factories for valid practitioner records, overridden per test."""

from __future__ import annotations

import copy
import itertools
from typing import Any

_counter = itertools.count(1)

BASE_RECORD: dict[str, Any] = {
    "name": "Avery Quill",
    "credentials": "LCSW",
    "headline": "Attachment-focused therapy for people who learned to go without",
    "bio": (
        "I help adults who grew up with their feelings overlooked learn to notice and name "
        "emotions, quiet a harsh inner critic, and build relationships that feel secure."
    ),
    "pronouns": "they/them",
    "licenses": [
        {
            "kind": "clinical_social_worker",
            "state": "OH",
            "number": "LISW 10001",
            "expires_on": "2027-06-30",
            "status": "verified",
            "verified_on": "2026-03-01",
            "supervised": False,
            "supervisor_name": None,
            "supervisor_license": None,
        }
    ],
    "approaches": {"attachment": "certified", "eft": "intensive"},
    "attachment_training": True,
    "emotion_regulation_training": True,
    "concerns": ["self_criticism", "naming_emotions"],
    "neglect_experience": True,
    "years_in_practice": 9,
    "style": 4,
    "collaborative_goals": True,
    "progress_tracking": ["goals", "mood_scales"],
    "supervision": True,
    "ce_hours_2y": 40,
    "confidentiality_discussed": True,
    "typical_course_weeks": 24,
    "booster_sessions": True,
    "in_person": True,
    "telehealth": True,
    "city": "Columbus",
    "state": "OH",
    "zip": "43215",
    "accommodations": ["wheelchair"],
    "fee": 140,
    "sliding_scale_min": 80,
    "insurance": ["aetna"],
    "free_consultation": True,
    "languages": ["en"],
    "communities": ["lgbtq"],
    "evening_hours": True,
    "weekend_hours": False,
    "accepting_new_clients": True,
    "accepting_confirmed_on": "2026-10-20",
    "sample": True,
    "published": True,
}


def make_record(**overrides: Any) -> dict[str, Any]:
    """Return a valid practitioner record with a fresh external id and the given overrides."""
    record = copy.deepcopy(BASE_RECORD)
    record["external_id"] = f"test-{next(_counter):05d}"
    license_overrides = overrides.pop("license", None)
    if license_overrides:
        record["licenses"][0].update(license_overrides)
    record.update(overrides)
    return record


def authority(kind: str, state: str | None = None, **values: Any) -> dict[str, Any]:
    """Return a verified, unexpired compact authority record (see data/compacts.json)."""
    found: dict[str, Any] = {
        "kind": kind, "number": "SAMPLE-1", "expires_on": "2027-06-30", "status": "verified",
        "verified_on": "2026-06-01", **values,
    }  # fmt: skip
    if state:
        found["state"] = state
    return found
