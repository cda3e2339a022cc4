"""The hard requirements: who may be shown at all, judged for every candidate of a table at once.

A candidate who fails one is not shown, and is counted under the first requirement they fail
(in the order of ``HARD_RULES``), so the results page can say why people are missing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
from numpy.typing import NDArray

from directory.core import vocabulary as v
from directory.core.geography import miles_from
from matching.features import StateTable, bits
from matching.preferences import Preferences

Array = NDArray[Any]
PASSED = -1

# Each requirement, in the order they are checked, as the how-it-works page states it.
HARD_RULES: dict[str, str] = {
    "license": "may legally see clients in the state you'll be in today: a valid license there, "
    "or a compact authority an administrator has verified (a PSYPACT APIT for telehealth, a "
    "Counseling Compact privilege for that state), held from a home state that issues under "
    "the compact into a state that does too; an expired or rejected license never counts, and "
    "marriage and family therapists have no compact",
    "associate": "is not a pre-licensed associate, if you said associates aren't for you",
    "format": "offers the format you asked for (an office in your state for in-person sessions)",
    "distance": "has an office within the distance you'd travel, for in-person sessions",
    "accepting": "is accepting new clients",
    "language": "offers sessions in a language you need, if you marked it as required",
    "access": "offers every access need you marked as required (a wheelchair-accessible "
    "office, captioned video sessions, interpreters arranged, a sensory-friendly space)",
    "cost": "fits your budget, if you marked cost as a firm limit: a fee within it, a "
    "sliding-scale minimum within it, or your insurance plan accepted",
    "avoided_approach": "doesn't use an approach you asked to exclude",
}
RULES = tuple(HARD_RULES)


@dataclass(frozen=True)
class Fit:
    """How each candidate could meet the person: in person, by telehealth, and how far."""

    in_person_ok: Array
    telehealth_ok: Array
    # An office in the person's state where the candidate may see them (however far).
    office_here: Array
    # Miles from the person's ZIP code to the office (NaN without an office or a ZIP code).
    distance: Array


def has_any(mask: Array, wanted: int) -> Array:
    """Return, per candidate, whether a bitmask column holds any of the ``wanted`` bits."""
    found: Array = (mask & wanted) != 0
    return found


def insured(prefs: Preferences, t: StateTable) -> Array:
    """Return, per candidate, whether they accept the person's insurance plan."""
    if prefs.insurance is None:
        return np.zeros(t.count, dtype=bool)
    takes = has_any(t["insurance"], bits([prefs.insurance], v.INSURANCE_PLANS))
    if prefs.insurance in v.STATE_RUN_PLANS:
        takes = takes & t.office_here  # their own state's plan, not the person's
    return takes


def access_met(prefs: Preferences, t: StateTable, f: Fit) -> Array:
    """Return, per candidate, the bitmask of the person's access needs that are met: listed,
    or moot for the way they would meet (an office's access by telehealth only, captions in
    person only)."""
    office = bits(set(prefs.access_needs) & v.OFFICE_ACCOMMODATIONS, v.ACCOMMODATIONS)
    video = bits(set(prefs.access_needs) & v.VIDEO_ACCOMMODATIONS, v.ACCOMMODATIONS)
    moot = np.where(f.in_person_ok, 0, office) | np.where(f.telehealth_ok, 0, video)
    met: Array = (t["accommodations"] | moot) & bits(prefs.access_needs, v.ACCOMMODATIONS)
    return met


def fit(prefs: Preferences, t: StateTable) -> Fit:
    """Return how each candidate could meet the person (before any other requirement)."""
    n = t.count
    distance = np.full(n, np.nan)
    if prefs.origin is not None:
        distance = np.where(
            t["in_person"] == 1, miles_from(prefs.origin, t["lat"], t["lon"]), np.nan
        )
    in_person_usable = (
        t["in_person_auth"] if prefs.allow_associates else t["in_person_unsupervised"]
    )
    office_here = (t["in_person"] == 1) & t.office_here & in_person_usable
    if prefs.origin is None:
        near = np.ones(n, dtype=bool)
    else:
        with np.errstate(invalid="ignore"):
            near = distance <= prefs.distance_limit
    in_person_ok = office_here & near & (prefs.format != "telehealth")
    telehealth_ok = (t["telehealth"] == 1) & (prefs.format != "in_person")
    return Fit(in_person_ok, telehealth_ok, office_here, distance)


def first_failed(prefs: Preferences, t: StateTable, f: Fit) -> Array:
    """Return, per candidate, the index in ``RULES`` of the first requirement failed, or
    ``PASSED``."""
    usable = t["any_auth"] if prefs.allow_associates else t["unsupervised"]
    wants_office = f.office_here & (prefs.format != "telehealth")
    no_way = ~f.in_person_ok & ~f.telehealth_ok
    checks = {
        "license": ~t["any_auth"],
        "associate": ~usable,
        # An office the person could use but too far away is "distance"; anything else that
        # leaves no way to meet is "format".
        "format": no_way & ~wants_office,
        "distance": no_way & wants_office,
        "accepting": t["accepting"] == 0,
    }
    if prefs.language_required and prefs.languages:
        checks["language"] = ~has_any(t["languages"], bits(prefs.languages, v.LANGUAGES))
    if prefs.access_required and prefs.access_needs:
        needed = bits(prefs.access_needs, v.ACCOMMODATIONS)
        checks["access"] = (access_met(prefs, t, f) & needed) != needed
    if prefs.cost_is_firm_limit and prefs.max_fee is not None:
        checks["cost"] = ~((t["lowest_fee"] <= prefs.max_fee) | insured(prefs, t))
    if prefs.exclude_avoided and prefs.approaches_avoided:
        checks["avoided_approach"] = has_any(
            t["approaches"], bits(prefs.approaches_avoided, v.APPROACHES)
        )
    failed = np.full(t.count, PASSED, dtype=np.int64)
    # Later rules first, so an earlier rule that also fails overwrites them.
    for index in reversed(range(len(RULES))):
        rule = RULES[index]
        if rule in checks:
            failed[checks[rule]] = index
    return failed


# What the person could change, alone, to widen their list: each is one of their own answers
# relaxed (never one they have already chosen). The license rule is not among them: where the
# person will be is not an answer to relax.
RELAXATIONS: dict[str, Callable[[Preferences], Preferences | None]] = {
    "either_format": lambda p: replace(p, format="either") if p.format != "either" else None,
    "farther": lambda p: (
        replace(p, max_distance_miles=FARTHER_MILES)
        if p.origin is not None and p.format != "telehealth" and p.distance_limit < FARTHER_MILES
        else None
    ),
    "associates": lambda p: replace(p, allow_associates=True) if not p.allow_associates else None,
    "language_preferred": lambda p: (
        replace(p, language_required=False) if p.language_required and p.languages else None
    ),
    "access_preferred": lambda p: (
        replace(p, access_required=False) if p.access_required and p.access_needs else None
    ),
    "cost_flexible": lambda p: (
        replace(p, cost_is_firm_limit=False) if p.cost_is_firm_limit else None
    ),
    "avoided_allowed": lambda p: (
        replace(p, exclude_avoided=False) if p.exclude_avoided and p.approaches_avoided else None
    ),
}
FARTHER_MILES = 100


def relaxed_counts(prefs: Preferences, t: StateTable) -> dict[str, int]:
    """Return, for each answer the person could relax alone, how many more would be shown."""
    now = int((first_failed(prefs, t, fit(prefs, t)) == PASSED).sum())
    more = {}
    for key, relax in RELAXATIONS.items():
        relaxed = relax(prefs)
        if relaxed is not None:
            passed = int((first_failed(relaxed, t, fit(relaxed, t)) == PASSED).sum())
            more[key] = passed - now
    return more
