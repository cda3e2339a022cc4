"""The soft components: each scores every candidate of a table from 0 to 1, at once.

Each component returns a ``Part``: the scores, whether there was anything to compare (a
component with nothing to compare carries no weight), and the facts its explanation needs
(``reasons.py`` words them for the few candidates shown). Every number is in
``coefficients.py``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from directory.core import vocabulary as v
from directory.core.identities import load_identities, wanted
from matching import coefficients as c
from matching.features import APPROACH_KEYS, GENDERS, PACES_ORDER, StateTable, bits
from matching.preferences import Preferences
from matching.rules import Fit, access_met, has_any, insured

Array = NDArray[Any]

# How the cost component judged a fee (``Part.facts["case"]``).
INSURED, WITHIN, SLIDING, OVER, NO_BUDGET = 1, 2, 3, 4, 5


@dataclass(frozen=True)
class Part:
    """One component's scores for every candidate, and what its explanation needs."""

    score: Array
    # Whether there was anything to compare, per candidate (or for everyone at once).
    counted: Array | bool
    facts: dict[str, Array] = field(default_factory=dict)


def _count_bits(mask: Array, wanted: int) -> Array:
    return np.bitwise_count((mask & wanted).astype(np.uint64)).astype(np.float64)


def _weighted_mean(parts: list[tuple[Array, float]]) -> Array:
    total: Array = sum(s * w for s, w in parts)  # type: ignore[assignment]
    return total / sum(w for _, w in parts)


def approach(prefs: Preferences, t: StateTable, f: Fit) -> Part:
    """The approaches the person likes (by training level), their way of working, and any
    approach they'd avoid."""
    parts: list[tuple[Array, float]] = []
    facts: dict[str, Array] = {}
    if prefs.approaches_liked:
        liked = t.credits[:, [APPROACH_KEYS.index(k) for k in prefs.approaches_liked]]
        coverage = (liked > 0).sum(axis=1) / len(prefs.approaches_liked)
        best = liked.max(axis=1)
        parts.append(
            (c.LIKED_BEST_SHARE * best + c.LIKED_COVERAGE_SHARE * coverage, c.LIKED_PART_WEIGHT)
        )
    family = {
        "structured": v.STRUCTURED_APPROACHES,
        "exploratory": v.EXPLORATORY_APPROACHES,
    }.get(prefs.approach_preference)
    target = c.STYLE_TARGETS[prefs.approach_preference]
    style_fit = 1 - np.abs(t["style"] - target) / c.STYLE_SPAN
    if family is not None:
        family_fit = t.credits[:, [APPROACH_KEYS.index(k) for k in sorted(family)]].max(axis=1)
    else:
        both = has_any(t["approaches"], bits(v.STRUCTURED_APPROACHES, v.APPROACHES)) & has_any(
            t["approaches"], bits(v.EXPLORATORY_APPROACHES, v.APPROACHES)
        )
        family_fit = np.where(both, 1.0, c.ONE_FAMILY_ONLY)
        facts["both"] = both
    way = c.FAMILY_SHARE * family_fit + c.STYLE_SHARE * style_fit
    parts.append((way, c.STYLE_PART_WEIGHT if prefs.approaches_liked else 1.0))
    if prefs.pace in PACES_ORDER:
        steps = np.abs(t["pace"].astype(np.int64) - (PACES_ORDER.index(prefs.pace) + 1))
        by_steps = np.array([c.PACE_FIT_BY_STEPS[n] for n in range(len(PACES_ORDER))])
        pace_fit = np.where(t["pace"] == 0, c.PACE_UNSTATED, by_steps[np.minimum(steps, 2)])
        parts.append((pace_fit, c.PACE_PART_WEIGHT))
    score = _weighted_mean(parts)
    if prefs.approaches_avoided:
        avoided = _count_bits(t["approaches"], bits(prefs.approaches_avoided, v.APPROACHES))
        score = np.where(avoided > 0, np.maximum(0.0, score - c.AVOIDED_PENALTY * avoided), score)
    facts.update(family_fit=family_fit, style_fit=style_fit)
    return Part(score, True, facts)


def concerns(prefs: Preferences, t: StateTable, f: Fit) -> Part:
    """The share of the person's concerns the practitioner works with, and neglect experience."""
    if prefs.concerns:
        shared = _count_bits(t["concerns"], bits(prefs.concerns, v.CONCERNS))
        score = c.CONCERNS_SHARE * shared / len(prefs.concerns) + c.NEGLECT_SHARE * t["neglect"]
    else:
        score = c.NO_CONCERNS_BASE + c.NO_CONCERNS_NEGLECT * t["neglect"]
    return Part(score, True)


def qualifications(prefs: Preferences, t: StateTable, f: Fit) -> Part:
    """The share of the guide's checklist the profile meets."""
    return Part(t["met"] / t["total"], True)


def cost(prefs: Preferences, t: StateTable, f: Fit) -> Part:
    """How comfortably the fee fits the budget, insurance, and a sliding scale if needed."""
    if not (prefs.max_fee is not None or prefs.insurance or prefs.needs_sliding_scale):
        return Part(np.ones(t.count), False)
    covered = insured(prefs, t)
    sliding = t["sliding_min"] >= 0
    if prefs.max_fee is not None:
        budget = max(prefs.max_fee, 1)
        within = t["fee"] <= prefs.max_fee
        sliding_within = ~within & sliding & (t["sliding_min"] <= prefs.max_fee)
        over = np.maximum(0.0, c.OVER_BUDGET_START - (t["lowest_fee"] - prefs.max_fee) / budget)
        score = np.where(
            within,
            c.WITHIN_BUDGET + c.WITHIN_BUDGET_ROOM * (1 - t["fee"] / budget),
            np.where(sliding_within, c.SLIDING_WITHIN_BUDGET, over),
        )
        case = np.where(within, WITHIN, np.where(sliding_within, SLIDING, OVER))
    else:
        score = np.full(t.count, c.NO_BUDGET)
        case = np.full(t.count, NO_BUDGET)
    score = np.where(covered, 1.0, score)
    case = np.where(covered, INSURED, case)
    if prefs.needs_sliding_scale:
        # Needed only where the list fee doesn't fit: within the budget at the list fee beats
        # fitting it on a sliding scale, which beats being over it.
        needed = (case != WITHIN) & (case != INSURED)
        score = np.where(needed & ~sliding, score * c.NO_SLIDING_SCALE, score)
    return Part(score, True, {"case": case})


def culture(prefs: Preferences, t: StateTable, f: Fit) -> Part:
    """Language, communities, and the identity the person asked for, where they asked."""
    parts: list[tuple[Array, float]] = []
    facts: dict[str, Array] = {}
    if prefs.languages:
        # Counted even when required: whoever is shown then has it, and the card says so.
        shared = has_any(t["languages"], bits(prefs.languages, v.LANGUAGES))
        parts.append((shared.astype(np.float64), c.CULTURE_PART_WEIGHT))
    if prefs.communities:
        shared_count = _count_bits(t["communities"], bits(prefs.communities, v.COMMUNITIES))
        parts.append((shared_count / len(prefs.communities), c.COMMUNITY_PART_WEIGHT))
    if prefs.therapist_gender:
        same = (t["gender"] & (1 << GENDERS.index(prefs.therapist_gender))) != 0
        facts["gender"] = same
        parts.append((same.astype(np.float64), c.CULTURE_PART_WEIGHT))
    identities = load_identities()
    for asked, name, kind in ((prefs.therapist_background, "background", "backgrounds"),
                              (prefs.therapist_faith, "faith", "faiths")):  # fmt: skip
        if asked:
            want = wanted(identities[kind], asked)
            found = [want.matches(*said) for said in t.text(name, range(t.count))]
            facts[name] = np.array(found, dtype=bool).reshape(t.count)
            parts.append((facts[name].astype(np.float64), c.CULTURE_PART_WEIGHT))
    if prefs.therapist_lgbtq:
        parts.append((t["lgbtq"].astype(np.float64), c.CULTURE_PART_WEIGHT))
    if not parts:
        return Part(np.ones(t.count), False, facts)
    return Part(_weighted_mean(parts), True, facts)


def _course_fit(prefs: Preferences, t: StateTable) -> Array:
    low, high = c.COURSE_WEEKS[prefs.course_length or ""]
    weeks = t["course_weeks"]
    inside = (weeks >= low) & (weeks <= high)
    return np.where(weeks == 0, c.UNSTATED, np.where(inside, 1.0, c.COURSE_OUTSIDE))


def logistics(prefs: Preferences, t: StateTable, f: Fit) -> Part:
    """Hours, a free consultation, the course and how often, access needs, and how near the
    office is: each item the person asked about counts alike."""
    total = np.zeros(t.count)
    counted = np.zeros(t.count)
    asked_items: list[tuple[bool, Array]] = [
        (prefs.evenings, t["evenings"]),
        (prefs.weekends, t["weekends"]),
        (prefs.free_consultation, t["free_consultation"]),
    ]
    if prefs.course_length in c.COURSE_WEEKS:
        asked_items.append((True, _course_fit(prefs, t)))
    if prefs.frequency in v.SESSION_FREQUENCIES:
        offered = has_any(t["frequencies"], bits([prefs.frequency], v.SESSION_FREQUENCIES))
        asked_items.append((True, np.where(t["frequencies"] == 0, c.UNSTATED, offered * 1.0)))
    if prefs.access_needs:
        met = np.bitwise_count(access_met(prefs, t, f).astype(np.uint64)).astype(np.float64)
        asked_items.append((True, met / len(prefs.access_needs)))
    for asked, has in asked_items:
        if asked:
            total = total + has
            counted = counted + 1
    travels = f.in_person_ok & ~np.isnan(f.distance)
    if prefs.format != "telehealth":
        share = np.nan_to_num(f.distance) / prefs.distance_limit
        closeness = np.maximum(0.0, 1 - c.DISTANCE_PENALTY * share)
        if prefs.format == "either" and prefs.origin is not None:
            # Distance counts for everyone who gave a ZIP: met by telehealth instead of at an
            # office within reach is fine, but an office nearby ranks above it.
            closeness = np.where(travels, closeness, c.TELEHEALTH_INSTEAD)
            travels_or_not = np.ones(t.count, dtype=bool)
        else:
            travels_or_not = travels
        total = np.where(travels_or_not, total + closeness, total)
        counted = np.where(travels_or_not, counted + 1, counted)
    with np.errstate(invalid="ignore", divide="ignore"):
        score = np.where(counted > 0, total / counted, 1.0)
    return Part(score, counted > 0, {"travels": travels})


def progress(prefs: Preferences, t: StateTable, f: Fit) -> Part:
    """Progress tracked the way the person wants, and goals set together."""
    collaborative = t["collaborative"]
    if prefs.progress_tracking:
        shared = _count_bits(t["progress"], bits(prefs.progress_tracking, v.PROGRESS_METHODS))
        share = shared / len(prefs.progress_tracking)
        score = c.METHODS_SHARE * share + c.COLLABORATION_SHARE * collaborative
    else:
        score = c.ANY_TRACKING * (t["progress"] != 0) + c.SHARED_GOALS * collaborative
    return Part(score, True)


# The components in the order they are shown.
COMPONENT_FUNCTIONS: dict[str, Callable[[Preferences, StateTable, Fit], Part]] = {
    "approach": approach,
    "concerns": concerns,
    "qualifications": qualifications,
    "cost": cost,
    "culture": culture,
    "logistics": logistics,
    "progress": progress,
}
