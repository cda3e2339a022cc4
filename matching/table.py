"""The matching engine over arrays: every candidate in a state at once.

``scoring.rank`` defines matching: its hard requirements, components and reasons. In a large
state it would run that definition for thousands of candidates in Python (about a second at
100,000 practitioners). This module computes the same two things the ranking needs for every
candidate at once: the first hard requirement each one fails, and the raw 0-1 score. Only the
best few then go through ``scoring.rank`` for their explained components and caveats.

It stays pure (no Flask, no SQLAlchemy): the ``FeatureStore`` is filled from ``Profile`` data.
The tests check that both engines agree, requirement by requirement and score by score.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

import numpy as np

from directory.core import vocabulary as v
from directory.core.authority import authorities_by_state
from directory.core.checklist import Checklist
from directory.core.compacts import Compacts
from directory.core.geography import miles_from
from directory.core.profile import Profile
from matching.preferences import COMPONENTS, Preferences
from matching.scoring import (
    HARD_RULES,
    STYLE_TARGETS,
    TRAINING_CREDIT,
    _gender_of,
    weights_for,
)

APPROACH_KEYS = tuple(sorted(v.APPROACHES))
GENDERS = ("woman", "man", "non_binary")
PASSED = -1
RULES = tuple(HARD_RULES)
_WORD = re.compile(r"[^\W\d_]{3,}")


_BIT_ORDERS: dict[int, dict[str, int]] = {}


def _bits(keys, vocabulary) -> int:
    order = _BIT_ORDERS.get(id(vocabulary))
    if order is None:
        order = _BIT_ORDERS[id(vocabulary)] = {k: 1 << i for i, k in enumerate(sorted(vocabulary))}
    return sum(order[k] for k in set(keys) if k in order)


def _words(text: str) -> frozenset[str]:
    return frozenset(_WORD.findall(text.casefold()))


STATE_INDEX = {code: i for i, code in enumerate(sorted(v.STATES))}
LEVELS = (None, *sorted(TRAINING_CREDIT))
CREDITS = np.array([0.0] + [TRAINING_CREDIT[level] for level in LEVELS[1:]])
NO_WORDS: frozenset[str] = frozenset()

# Column name -> numpy type. Small types keep 100,000 practitioners to a few megabytes.
COLUMNS = {
    "id": np.int64, "version": np.int64, "on": np.int32,
    "in_person": np.uint8, "telehealth": np.uint8, "office_state": np.int16,
    "lat": np.float64, "lon": np.float64, "accepting": np.uint8, "languages": np.int64,
    "fee": np.int32, "lowest_fee": np.int32, "sliding_min": np.int32, "insurance": np.int64,
    "approaches": np.int64, "style": np.int8, "concerns": np.int64, "neglect": np.uint8,
    "met": np.int16, "total": np.int16, "communities": np.int64, "gender": np.uint8,
    "lgbtq": np.uint8, "evenings": np.uint8, "weekends": np.uint8,
    "free_consultation": np.uint8, "progress": np.int64, "collaborative": np.uint8,
    # Per state (bit i is STATE_INDEX's state i): any authority; any unsupervised one; any
    # that allows in-person sessions; any unsupervised one that does.
    "any_auth": np.uint64, "unsupervised": np.uint64, "in_person_auth": np.uint64,
    "in_person_unsupervised": np.uint64,
}  # fmt: skip
TEXTS = ("name_key", "slug", "background", "faith")


class FeatureStore:
    """What the array engine needs of every practitioner it has seen, one row each.

    Columns are numpy arrays that grow as rows are added; a row is replaced in place when a
    newer version (or a new day) is loaded. A state's table is a selection of rows.
    """

    def __init__(self, capacity: int = 1024):
        self.rows: dict[int, int] = {}
        self.size = 0
        self.columns = {name: np.zeros(capacity, dtype=kind) for name, kind in COLUMNS.items()}
        self.credits = np.zeros((capacity, len(APPROACH_KEYS)), dtype=np.uint8)
        self.texts: dict[str, list] = {name: [] for name in TEXTS}

    def _grow(self) -> None:
        capacity = len(self.columns["id"]) * 2
        for name, column in self.columns.items():
            self.columns[name] = np.resize(column, capacity)
        self.credits = np.resize(self.credits, (capacity, len(APPROACH_KEYS)))

    def add(
        self,
        pid: int,
        version: int,
        slug: str,
        profile: Profile,
        location: tuple[float, float] | None,
        checklist: Checklist,
        on: date,
        compacts: Compacts,
    ) -> None:
        """Add or replace a practitioner's row, as of ``on``."""
        row = self.rows.get(pid)
        if row is None:
            if self.size == len(self.columns["id"]):
                self._grow()
            row = self.rows[pid] = self.size
            self.size += 1
            for name in TEXTS:
                self.texts[name].append(None)
        offered = dict(profile.approaches)
        gender = _gender_of(profile.gender_identity)
        flags = [0, 0, 0, 0]
        for state, auths in authorities_by_state(profile, on, compacts).items():
            bit = 1 << STATE_INDEX[state] if state in STATE_INDEX else 0
            for a in auths:
                flags[0] |= bit
                flags[1] |= bit * (not a.supervised)
                flags[2] |= bit * (not a.telehealth_only)
                flags[3] |= bit * (not a.telehealth_only and not a.supervised)
        values = {
            "id": pid,
            "version": version,
            "on": on.toordinal(),
            "in_person": profile.in_person,
            "telehealth": profile.telehealth,
            "office_state": STATE_INDEX.get(profile.state, -1),
            "lat": location[0] if location else np.nan,
            "lon": location[1] if location else np.nan,
            "accepting": profile.accepting_new_clients,
            "languages": _bits(profile.languages, v.LANGUAGES),
            "fee": profile.fee,
            "lowest_fee": profile.lowest_fee,
            "sliding_min": -1 if profile.sliding_scale_min is None else profile.sliding_scale_min,
            "insurance": _bits(profile.insurance, v.INSURANCE_PLANS),
            "approaches": _bits(offered, v.APPROACHES),
            "style": profile.style,
            "concerns": _bits(profile.concerns, v.CONCERNS),
            "neglect": profile.neglect_experience,
            "met": checklist.met,
            "total": checklist.total,
            "communities": _bits(profile.communities, v.COMMUNITIES),
            "gender": GENDERS.index(gender) + 1 if gender else 0,
            "lgbtq": bool(profile.lgbtq),
            "evenings": profile.evening_hours,
            "weekends": profile.weekend_hours,
            "free_consultation": profile.free_consultation,
            "progress": _bits(profile.progress_tracking, v.PROGRESS_METHODS),
            "collaborative": profile.collaborative_goals,
            "any_auth": flags[0],
            "unsupervised": flags[1],
            "in_person_auth": flags[2],
            "in_person_unsupervised": flags[3],
        }
        for name, value in values.items():
            self.columns[name][row] = value
        self.credits[row] = [LEVELS.index(offered.get(k)) for k in APPROACH_KEYS]
        self.texts["name_key"][row] = profile.name.casefold()
        self.texts["slug"][row] = slug
        self.texts["background"][row] = _words(profile.cultural_background) or NO_WORDS
        self.texts["faith"][row] = _words(profile.faith) or NO_WORDS

    def stale(self, ids: np.ndarray, versions: np.ndarray, on: date) -> list[int]:
        """Return the ids that are missing, older than ``versions`` or not as of ``on``."""
        rows = np.array([self.rows.get(pid, -1) for pid in ids.tolist()], dtype=np.int64)
        known = rows >= 0
        picked = np.where(known, rows, 0)
        fresh = (
            known
            & (self.columns["version"][picked] >= versions)
            & (self.columns["on"][picked] == on.toordinal())
        )
        return ids[~fresh].tolist()

    def table(self, state: str, ids: np.ndarray) -> StateTable:
        """Return the table of these practitioners (those not in the store are left out)."""
        rows = np.array([self.rows.get(pid, -1) for pid in ids.tolist()], dtype=np.int64)
        return StateTable(self, state, rows[rows >= 0])


class StateTable:
    """The candidates for one state, as columns selected from a ``FeatureStore``."""

    def __init__(self, store: FeatureStore, state: str, rows: np.ndarray):
        self.store = store
        self.state = state
        self.rows = rows
        self.count = len(rows)
        for name in COLUMNS:
            setattr(self, name, store.columns[name][rows])
        self.credits = CREDITS[store.credits[rows]]
        self.office_here_state = self.office_state == STATE_INDEX.get(state, -2)
        bit = np.uint64(STATE_INDEX.get(state, 63))
        for name in ("any_auth", "unsupervised", "in_person_auth", "in_person_unsupervised"):
            setattr(self, name, ((getattr(self, name) >> bit) & np.uint64(1)).astype(bool))

    def text(self, name: str, index: np.ndarray) -> list:
        column = self.store.texts[name]
        return [column[self.rows[i]] for i in index]

    def name_keys(self, index: np.ndarray) -> list[tuple[str, str]]:
        return list(zip(self.text("name_key", index), self.text("slug", index), strict=True))


def _has(mask: np.ndarray, wanted: int) -> np.ndarray:
    return (mask & wanted) != 0


def _count_bits(mask: np.ndarray, wanted: int) -> np.ndarray:
    return np.bitwise_count((mask & wanted).astype(np.uint64)).astype(np.float64)


def _requirements(prefs: Preferences, t: StateTable) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return (first failed rule index or PASSED, in-person fit, distance) per candidate."""
    n = t.count
    distance = np.full(n, np.nan)
    if prefs.origin is not None:
        distance = np.where(t.in_person == 1, miles_from(prefs.origin, t.lat, t.lon), np.nan)
    usable = t.any_auth if prefs.allow_associates else t.unsupervised
    in_person_usable = t.in_person_auth if prefs.allow_associates else t.in_person_unsupervised
    office_here = (t.in_person == 1) & t.office_here_state & in_person_usable
    if prefs.origin is None:
        near = np.ones(n, dtype=bool)
    else:
        with np.errstate(invalid="ignore"):
            near = distance <= prefs.distance_limit
    in_person_ok = office_here & near & (prefs.format != "telehealth")
    telehealth_ok = (t.telehealth == 1) & (prefs.format != "in_person")
    no_authority = ~in_person_ok & ~telehealth_ok
    checks = {
        "license": ~t.any_auth,
        "associate": ~usable,
        "format": no_authority & ~(office_here & (prefs.format != "telehealth")),
        "distance": no_authority & office_here & (prefs.format != "telehealth"),
        "accepting": t.accepting == 0,
    }
    if prefs.language_required and prefs.languages:
        checks["language"] = ~_has(t.languages, _bits(prefs.languages, v.LANGUAGES))
    if prefs.cost_is_firm_limit and prefs.max_fee is not None:
        insured = _insured(prefs, t)
        checks["cost"] = ~((t.lowest_fee <= prefs.max_fee) | insured)
    if prefs.exclude_avoided and prefs.approaches_avoided:
        checks["avoided_approach"] = _has(
            t.approaches, _bits(prefs.approaches_avoided, v.APPROACHES)
        )
    failed = np.full(n, PASSED, dtype=np.int64)
    # "format" and "distance" are two outcomes of one check, so their order between them is moot.
    for rule in reversed(RULES):
        if rule in checks:
            failed[checks[rule]] = RULES.index(rule)
    return failed, in_person_ok, distance


def _insured(prefs: Preferences, t: StateTable) -> np.ndarray:
    if prefs.insurance is None:
        return np.zeros(t.count, dtype=bool)
    return _has(t.insurance, _bits([prefs.insurance], v.INSURANCE_PLANS))


def _approach(prefs: Preferences, t: StateTable) -> np.ndarray:
    parts: list[tuple[np.ndarray, float]] = []
    if prefs.approaches_liked:
        columns = [APPROACH_KEYS.index(k) for k in prefs.approaches_liked]
        liked_credits = t.credits[:, columns]
        coverage = (liked_credits > 0).sum(axis=1) / len(prefs.approaches_liked)
        parts.append((0.6 * liked_credits.max(axis=1) + 0.4 * coverage, 0.6))
    family = {
        "structured": v.STRUCTURED_APPROACHES,
        "exploratory": v.EXPLORATORY_APPROACHES,
    }.get(prefs.approach_preference)
    style_fit = 1 - np.abs(t.style - STYLE_TARGETS[prefs.approach_preference]) / 4
    if family is not None:
        columns = [APPROACH_KEYS.index(k) for k in sorted(family)]
        family_fit = t.credits[:, columns].max(axis=1)
    else:
        both = _has(t.approaches, _bits(v.STRUCTURED_APPROACHES, v.APPROACHES)) & _has(
            t.approaches, _bits(v.EXPLORATORY_APPROACHES, v.APPROACHES)
        )
        family_fit = np.where(both, 1.0, 0.6)
    parts.append((0.75 * family_fit + 0.25 * style_fit, 0.4 if prefs.approaches_liked else 1.0))
    score = sum(s * w for s, w in parts) / sum(w for _, w in parts)
    if prefs.approaches_avoided:
        avoided = _count_bits(t.approaches, _bits(prefs.approaches_avoided, v.APPROACHES))
        score = np.where(avoided > 0, np.maximum(0.0, score - 0.25 * avoided), score)
    return score


def _cost(prefs: Preferences, t: StateTable) -> tuple[np.ndarray, bool]:
    if not (prefs.max_fee is not None or prefs.insurance or prefs.needs_sliding_scale):
        return np.ones(t.count), False
    insured = _insured(prefs, t)
    sliding = t.sliding_min >= 0
    if prefs.max_fee is not None:
        budget = max(prefs.max_fee, 1)
        score = np.where(
            t.fee <= prefs.max_fee,
            0.7 + 0.3 * (1 - t.fee / budget),
            np.where(
                sliding & (t.sliding_min <= prefs.max_fee),
                0.6,
                np.maximum(0.0, 0.5 - (t.lowest_fee - prefs.max_fee) / budget),
            ),
        )
    else:
        score = np.full(t.count, 0.5)
    score = np.where(insured, 1.0, score)
    if prefs.needs_sliding_scale:
        score = np.where(sliding, score, score * 0.6)
    return score, True


def _culture(prefs: Preferences, t: StateTable) -> tuple[np.ndarray, bool]:
    parts: list[tuple[np.ndarray, float]] = []
    if prefs.languages and not (prefs.language_required and len(prefs.languages) == 1):
        shared = _has(t.languages, _bits(prefs.languages, v.LANGUAGES))
        parts.append((shared.astype(np.float64), 1.0))
    if prefs.communities:
        shared = _count_bits(t.communities, _bits(prefs.communities, v.COMMUNITIES))
        parts.append((shared / len(prefs.communities), 0.5))
    if prefs.therapist_gender:
        wanted = GENDERS.index(prefs.therapist_gender) + 1
        parts.append(((t.gender == wanted).astype(np.float64), 1.0))
    for wanted, attribute in (
        (prefs.therapist_background, "background"),
        (prefs.therapist_faith, "faith"),
    ):
        if wanted:
            words = _words(wanted)
            texts = t.text(attribute, range(t.count))
            same = [not words.isdisjoint(described) for described in texts]
            parts.append((np.array(same, dtype=np.float64).reshape(t.count), 1.0))
    if prefs.therapist_lgbtq:
        parts.append((t.lgbtq.astype(np.float64), 1.0))
    if not parts:
        return np.ones(t.count), False
    return sum(s * w for s, w in parts) / sum(w for _, w in parts), True


def _logistics(
    prefs: Preferences, t: StateTable, in_person_ok: np.ndarray, distance: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Return the scores and, per candidate, whether anything was compared."""
    total = np.zeros(t.count)
    counted = np.zeros(t.count)
    for asked, has in (
        (prefs.evenings, t.evenings),
        (prefs.weekends, t.weekends),
        (prefs.free_consultation, t.free_consultation),
    ):
        if asked:
            total = total + has
            counted = counted + 1
    if prefs.format != "telehealth":
        travels = in_person_ok & ~np.isnan(distance)
        closeness = np.maximum(0.0, 1 - 0.5 * np.nan_to_num(distance) / prefs.distance_limit)
        total = np.where(travels, total + closeness, total)
        counted = np.where(travels, counted + 1, counted)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(counted > 0, total / counted, 1.0), counted > 0


def _round3(values: np.ndarray) -> np.ndarray:
    """Round to 3 places exactly as Python's round() does (numpy rounds x * 1000 instead,
    which differs for values whose thousandths end in 5)."""
    rounded = np.round(values, 3)
    halfway = np.flatnonzero(np.abs((values * 1000) % 1 - 0.5) < 1e-6)
    for i in halfway:
        rounded[i] = round(float(values[i]), 3)
    return rounded


def raw_scores(
    prefs: Preferences, t: StateTable, in_person_ok: np.ndarray, distance: np.ndarray
) -> np.ndarray:
    """Return every candidate's raw 0-1 score, as ``scoring.score_candidate`` computes it."""
    weights = weights_for(prefs)
    n = t.count
    if prefs.concerns:
        shared = _count_bits(t.concerns, _bits(prefs.concerns, v.CONCERNS))
        concerns = 0.8 * shared / len(prefs.concerns) + 0.2 * t.neglect
    else:
        concerns = 0.5 + 0.5 * t.neglect
    if prefs.progress_tracking:
        shared = _count_bits(t.progress, _bits(prefs.progress_tracking, v.PROGRESS_METHODS))
        progress = 0.7 * shared / len(prefs.progress_tracking) + 0.3 * t.collaborative
    else:
        progress = 0.5 * (t.progress != 0) + 0.5 * t.collaborative
    cost, cost_counted = _cost(prefs, t)
    culture, culture_counted = _culture(prefs, t)
    logistics, logistics_counted = _logistics(prefs, t, in_person_ok, distance)
    found = {
        "approach": (_approach(prefs, t), True),
        "concerns": (concerns, True),
        "qualifications": (t.met / t.total, True),
        "cost": (cost, cost_counted),
        "culture": (culture, culture_counted),
        "logistics": (logistics, logistics_counted),
        "progress": (progress, True),
    }
    total_weight = np.zeros(n)
    weighted = np.zeros(n)
    for key in COMPONENTS:
        score, counted = found[key]
        score = _round3(np.clip(score, 0.0, 1.0))
        weight = np.where(counted, weights[key], 0.0)
        weighted = weighted + score * weight
        total_weight = total_weight + weight
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(total_weight > 0, weighted / total_weight, t.met / t.total)


@dataclass(frozen=True)
class Evaluation:
    """Every candidate's first failed requirement (or PASSED) and raw score."""

    failed: np.ndarray
    raw: np.ndarray

    def excluded(self) -> dict[str, int]:
        counts = np.bincount(self.failed[self.failed != PASSED], minlength=len(RULES))
        return {RULES[i]: int(c) for i, c in enumerate(counts) if c}

    @property
    def passed(self) -> int:
        return int((self.failed == PASSED).sum())


def evaluate_table(prefs: Preferences, t: StateTable) -> Evaluation:
    """Judge every candidate of the table against the person's answers."""
    failed, in_person_ok, distance = _requirements(prefs, t)
    return Evaluation(failed, raw_scores(prefs, t, in_person_ok, distance))


def best(t: StateTable, evaluation: Evaluation, count: int) -> list[int]:
    """Return the ids of the best ``count`` candidates who pass, in ranking order.

    The order is ``scoring.rank``'s: score, then the guide's checklist, then name and slug.
    """
    passing = np.flatnonzero(evaluation.failed == PASSED)
    if count <= 0 or len(passing) == 0:
        return []
    raw = evaluation.raw[passing]
    if len(passing) > count:
        threshold = np.partition(raw, len(raw) - count)[len(raw) - count]
        keep = raw >= threshold
        passing, raw = passing[keep], raw[keep]
    met = t.met[passing]
    names = t.name_keys(passing)
    order = sorted(range(len(passing)), key=lambda i: (-raw[i], -met[i], names[i]))
    return [int(t.id[passing[i]]) for i in order[:count]]
