"""What a person told the questionnaire, as frozen data.

These answers are health information: every field is kept out of ``repr`` so that a log line or
a traceback can never show them, and nothing here is ever written to the database or a URL.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any

APPROACH_PREFERENCES = ("structured", "exploratory", "mix", "unsure")
FORMAT_CHOICES = ("in_person", "telehealth", "either")
GENDER_CHOICES = {"woman": "A woman", "man": "A man", "non_binary": "Non-binary"}
# The soft components of a match, in the order they are shown.
COMPONENTS = ("approach", "concerns", "qualifications", "cost", "culture", "logistics", "progress")
IMPORTANCE_LABELS = {0: "Not important", 1: "Somewhat important", 2: "Very important"}
DEFAULT_DISTANCE_MILES = 25


def _hidden(default: Any = None, factory: Any = None) -> Any:
    if factory is not None:
        return field(default_factory=factory, repr=False)
    return field(default=default, repr=False)


@dataclass(frozen=True)
class Preferences:
    """A person's answers to the fit questionnaire."""

    state: str = _hidden("")
    concerns: tuple[str, ...] = _hidden(())
    approach_preference: str = _hidden("unsure")
    approaches_liked: tuple[str, ...] = _hidden(())
    approaches_avoided: tuple[str, ...] = _hidden(())
    exclude_avoided: bool = _hidden(False)
    # The pace the person would like (a ``vocabulary.PACES`` key).
    pace: str | None = _hidden(None)
    format: str = _hidden("either")
    zip: str | None = _hidden(None)
    origin: tuple[float, float] | None = _hidden(None)
    max_distance_miles: int | None = _hidden(None)
    max_fee: int | None = _hidden(None)
    needs_sliding_scale: bool = _hidden(False)
    insurance: str | None = _hidden(None)
    cost_is_firm_limit: bool = _hidden(False)
    languages: tuple[str, ...] = _hidden(())
    language_required: bool = _hidden(False)
    communities: tuple[str, ...] = _hidden(())
    therapist_gender: str | None = _hidden(None)
    therapist_background: str | None = _hidden(None)
    therapist_faith: str | None = _hidden(None)
    therapist_lgbtq: bool = _hidden(False)
    evenings: bool = _hidden(False)
    weekends: bool = _hidden(False)
    free_consultation: bool = _hidden(False)
    progress_tracking: tuple[str, ...] = _hidden(())
    # How long they expect to come (``COURSE_LENGTHS``) and how often (``SESSION_FREQUENCIES``).
    course_length: str | None = _hidden(None)
    frequency: str | None = _hidden(None)
    # Values and views on emotions the therapist should respect, in the person's own words:
    # not scored (a profile's words are weak evidence of respect), quoted where a profile
    # mentions them and carried into the consultation kit.
    values: str | None = _hidden(None)
    # Wheelchair access, captioning, an interpreter, a sensory-friendly space.
    access_needs: tuple[str, ...] = _hidden(())
    access_required: bool = _hidden(False)
    allow_associates: bool = _hidden(True)
    # Component key -> 0 (not important), 1 (somewhat) or 2 (very).
    importance: tuple[tuple[str, int], ...] = _hidden(())

    def __repr__(self) -> str:
        return "Preferences(<answers hidden>)"

    @property
    def distance_limit(self) -> int:
        """Return how far, in miles, the person would travel to an office."""
        return self.max_distance_miles or DEFAULT_DISTANCE_MILES

    def importance_of(self, component: str) -> int:
        """Return how much a component matters to the person (0, 1 or 2; 1 if unanswered)."""
        return dict(self.importance).get(component, 1)

    def to_dict(self) -> dict[str, Any]:
        """Return the answers as plain JSON-ready data (for the signed session only)."""
        out: dict[str, Any] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if f.name == "importance":
                value = dict(value)
            elif isinstance(value, tuple):
                value = list(value)
            out[f.name] = value
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Preferences:
        """Rebuild answers saved by ``to_dict``."""
        values: dict[str, Any] = {}
        for f in fields(cls):
            if f.name not in data:
                continue
            value = data[f.name]
            if f.name == "importance":
                value = tuple(sorted((str(k), int(v)) for k, v in dict(value).items()))
            elif f.name == "origin":
                value = tuple(value) if value else None
            elif isinstance(value, list):
                value = tuple(value)
            values[f.name] = value
        return cls(**values)
