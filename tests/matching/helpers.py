"""Building candidates and preferences for engine tests."""

from __future__ import annotations

import itertools
from datetime import date

from directory.core.compacts import load_compacts
from directory.core.geography import zip_location
from directory.core.records import parse_record
from matching.engine import Candidate, rank
from matching.preferences import Preferences
from tests.factories import make_record

TODAY = date(2026, 11, 1)
COMPACTS = load_compacts()
_ids = itertools.count(1)


def candidate(**overrides) -> Candidate:
    """Return a candidate from a factory record with overrides (see tests/factories.py)."""
    profile = parse_record(make_record(**overrides))
    located = zip_location(profile.zip)
    pid = next(_ids)
    return Candidate(pid, f"p-{pid}", profile, (located[1], located[2]) if located else None)


def prefs(**values) -> Preferences:
    """Return Preferences for Ohio with the given answers."""
    values.setdefault("state", "OH")
    if values.get("zip") and "origin" not in values:
        located = zip_location(values["zip"])
        values["origin"] = (located[1], located[2])
    if isinstance(values.get("importance"), dict):
        values["importance"] = tuple(sorted(values["importance"].items()))
    for key, value in list(values.items()):
        if isinstance(value, list):
            values[key] = tuple(value)
    return Preferences(**values)


def run(p: Preferences, *candidates: Candidate):
    """Rank candidates as of the test date."""
    return rank(p, candidates, TODAY, COMPACTS)


def psychologist(state: str = "OH", **license) -> dict:
    return {
        "kind": "psychologist",
        "state": state,
        "number": "PSY 1",
        "expires_on": "2028-01-01",
        "status": "verified",
        "verified_on": "2026-01-01",
        **license,
    }


def counselor(state: str = "OH", **license) -> dict:
    return {
        "kind": "professional_counselor",
        "state": state,
        "number": "LPCC 5",
        "expires_on": "2028-01-01",
        "status": "verified",
        "verified_on": "2026-01-01",
        **license,
    }
