"""Turning raw answers (from the questionnaire form or the JSON API) into Preferences.

One set of rules for both, so the page and the API can never disagree about what is valid.
Every problem names its field.
"""

from __future__ import annotations

from typing import Any

from directory.core import vocabulary as v
from directory.core.geography import zip_location
from matching.preferences import (
    APPROACH_PREFERENCES,
    COMPONENTS,
    FORMAT_CHOICES,
    GENDER_CHOICES,
    Preferences,
)

MAX_FEE = 10_000
MAX_DISTANCE = 500
TEXT_LIMIT = 80
VALUES_LIMIT = 300

# field -> (kind, allowed values or None)
FIELDS: dict[str, tuple[str, Any]] = {
    "concerns": ("keys", v.CONCERNS),
    "approach_preference": ("choice", APPROACH_PREFERENCES),
    "approaches_liked": ("keys", v.APPROACHES),
    "approaches_avoided": ("keys", v.APPROACHES),
    "exclude_avoided": ("bool", None),
    "pace": ("choice", v.PACES),
    "format": ("choice", FORMAT_CHOICES),
    "state": ("choice", v.STATES),
    "zip": ("zip", None),
    "max_distance_miles": ("int", (1, MAX_DISTANCE)),
    "max_fee": ("int", (0, MAX_FEE)),
    "needs_sliding_scale": ("bool", None),
    "insurance": ("choice", v.INSURANCE_PLANS),
    "cost_is_firm_limit": ("bool", None),
    "languages": ("keys", v.LANGUAGES),
    "language_required": ("bool", None),
    "communities": ("keys", v.COMMUNITIES),
    "therapist_gender": ("choice", GENDER_CHOICES),
    "therapist_background": ("text", TEXT_LIMIT),
    "therapist_faith": ("text", TEXT_LIMIT),
    "therapist_lgbtq": ("bool", None),
    "evenings": ("bool", None),
    "weekends": ("bool", None),
    "free_consultation": ("bool", None),
    "progress_tracking": ("keys", v.PROGRESS_METHODS),
    "course_length": ("choice", v.COURSE_LENGTHS),
    "frequency": ("choice", v.SESSION_FREQUENCIES),
    "values": ("text", VALUES_LIMIT),
    "access_needs": ("keys", v.ACCOMMODATIONS),
    "access_required": ("bool", None),
    "allow_associates": ("bool", None),
    "importance": ("importance", None),
}


class AnswerError(ValueError):
    """Answers that cannot be used; ``problems`` maps each field to its message."""

    def __init__(self, problems: dict[str, str]):
        super().__init__("; ".join(f"{k}: {m}" for k, m in problems.items()))
        self.problems = problems


def _read(name: str, kind: str, allowed: Any, value: Any) -> tuple[Any, str | None]:
    if kind == "bool":
        if not isinstance(value, bool):
            return None, "must be true or false"
        return value, None
    if kind == "int":
        if isinstance(value, bool) or not isinstance(value, int):
            return None, "must be a whole number"
        low, high = allowed
        if not low <= value <= high:
            return None, f"must be from {low:,} to {high:,}"
        return value, None
    if kind == "choice":
        if not isinstance(value, str) or value not in allowed:
            options = ", ".join(list(allowed)[:8]) + (", ..." if len(allowed) > 8 else "")
            return None, f"unknown value {value!r}; use one of {options}"
        return value, None
    if kind == "keys":
        if not isinstance(value, list) or not all(isinstance(x, str) for x in value):
            return None, "must be a list of keys"
        unknown = [x for x in value if x not in allowed]
        if unknown:
            return None, f"unknown {', '.join(map(repr, unknown))}"
        return tuple(dict.fromkeys(value)), None
    if kind == "text":
        if not isinstance(value, str):
            return None, "must be text"
        if len(value) > allowed:
            return None, f"must be at most {allowed} characters"
        return value.strip() or None, None
    if kind == "zip":
        if not isinstance(value, str):
            return None, "must be a five-digit ZIP code written as text"
        located = zip_location(value.strip())
        if located is None:
            return None, "is not a US ZIP code"
        return value.strip(), None
    if kind == "importance":
        if not isinstance(value, dict):
            return None, "must map components to 0, 1 or 2"
        unknown = [k for k in value if k not in COMPONENTS]
        if unknown:
            return None, f"unknown component {unknown[0]!r}; use {', '.join(COMPONENTS)}"
        bad = [k for k, n in value.items() if isinstance(n, bool) or n not in (0, 1, 2)]
        if bad:
            return None, f"{bad[0]} must be 0 (not important), 1 (somewhat) or 2 (very)"
        return tuple(sorted(value.items())), None
    raise AssertionError(kind)


def parse_answers(data: Any) -> Preferences:
    """Validate raw answers and return them as Preferences, or raise AnswerError."""
    if not isinstance(data, dict):
        raise AnswerError({"body": "must be a JSON object"})
    problems: dict[str, str] = {}
    values: dict[str, Any] = {}
    for name in data:
        if name not in FIELDS:
            problems[name] = "is not a question the questionnaire asks"
    for name, (kind, allowed) in FIELDS.items():
        if data.get(name) is None:
            continue
        value, problem = _read(name, kind, allowed, data[name])
        if problem:
            problems[name] = problem
        else:
            values[name] = value
    if "state" not in values and "state" not in problems:
        problems["state"] = "is required: the state you'll be in during sessions"
    if values.get("language_required") and not values.get("languages"):
        problems.setdefault("languages", "name the language you need")
    if values.get("access_required") and not values.get("access_needs"):
        problems.setdefault("access_needs", "choose the access needs that are required")
    if values.get("cost_is_firm_limit") and values.get("max_fee") is None:
        problems.setdefault("max_fee", "enter the most you can pay, to make it a firm limit")
    both = set(values.get("approaches_liked", ())) & set(values.get("approaches_avoided", ()))
    if both:
        problems.setdefault(
            "approaches_avoided",
            f"{', '.join(sorted(both))} can't be both liked and avoided",
        )
    located = zip_location(values["zip"]) if values.get("zip") else None
    if located is not None and values.get("state"):
        zip_state = located[0]
        if zip_state != values["state"]:
            problems.setdefault(
                "zip",
                f"{values['zip']} is in {v.state_name(zip_state)}, but you said you'll be in "
                f"{v.state_name(values['state'])}",
            )
    if problems:
        raise AnswerError(problems)
    if located is not None:
        values["origin"] = (located[1], located[2])
    return Preferences(**values)
