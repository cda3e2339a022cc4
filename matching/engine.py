"""The matching engine: hard requirements, weighted components, the ranking, and explanations.

One engine over tables of candidates (``features.StateTable``): every hard rule
(``rules.py``) and every component (``components.py``) is written once over arrays, so a whole
state and a single candidate (a table of one row) go through the same code. Only the candidates
shown are explained (``reasons.py``). Pure: no Flask, no SQLAlchemy; the web views, the JSON
API, the benchmarks and the tests all call it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np
from numpy.typing import NDArray

from directory.core.authority import Authority, authorities_by_state, best_authority
from directory.core.checklist import Checklist, evaluate
from directory.core.compacts import Compacts
from directory.core.features import FeatureSet, feature_row
from directory.core.featureview import Features
from directory.core.profile import Profile
from matching import coefficients as c
from matching.caveats import caveats
from matching.components import COMPONENT_FUNCTIONS, Part
from matching.features import StateTable
from matching.preferences import COMPONENTS, Preferences
from matching.reasons import REASONS
from matching.rules import PASSED, RULES, Fit, first_failed, fit
from matching.wording import Row

Array = NDArray[Any]

COMPONENT_LABELS = {
    "approach": "Way of working",
    "concerns": "What brings you",
    "qualifications": "The guide's checklist",
    "cost": "Cost",
    "culture": "Culture and identity",
    "logistics": "Scheduling and travel",
    "progress": "Tracking progress",
}


@dataclass(frozen=True)
class Candidate:
    """A practitioner as the engine sees them."""

    id: int
    slug: str
    profile: Profile
    location: tuple[float, float] | None = None
    # The guide's checklist as of the ranking date, when a caller has it already (it depends
    # only on the profile and the date, so a cache can keep it).
    checklist: Checklist | None = None


@dataclass(frozen=True)
class Component:
    """One soft component of a match: a 0-1 score, its weight and a plain-words reason."""

    key: str
    label: str
    score: float
    weight: float
    reason: str


@dataclass(frozen=True)
class Match:
    """A practitioner who meets every hard requirement, with the explained score."""

    candidate: Candidate
    score: int
    raw: float
    components: tuple[Component, ...]
    caveats: tuple[str, ...]
    checklist: Checklist
    distance_miles: float | None

    @property
    def weighted(self) -> bool:
        """Return whether any area counted: with every area marked unimportant (or nothing to
        compare), the guide's checklist alone orders the list, and there is no score to show."""
        return any(c.weight > 0 for c in self.components)


@dataclass(frozen=True)
class MatchResult:
    """Ranked matches, and how many practitioners each hard requirement excluded."""

    matches: tuple[Match, ...]
    excluded: dict[str, int]
    # How many meet every requirement, when ``matches`` holds only the best of them.
    total: int | None = None
    # When few are shown: how many more each answer, relaxed alone, would bring back.
    relaxed: Mapping[str, int] = field(default_factory=dict)

    @property
    def count(self) -> int:
        """Return how many practitioners meet every requirement."""
        return len(self.matches) if self.total is None else self.total

    @property
    def considered(self) -> int:
        """Return how many practitioners were considered in all."""
        return self.count + sum(self.excluded.values())


def weights_for(prefs: Preferences) -> dict[str, float]:
    """Return each component's weight: the research default times the person's importance."""
    return {
        key: c.BASE_WEIGHTS[key] * c.IMPORTANCE_MULTIPLIERS[prefs.importance_of(key)]
        for key in COMPONENTS
    }


def round3(values: Array) -> Array:
    """Round to 3 places exactly as Python's round() does (numpy rounds x * 1000 instead,
    which differs for values whose thousandths end in 5)."""
    rounded = np.round(values, 3)
    ties = np.flatnonzero(np.abs((values * 1000) % 1 - 0.5) < 1e-6)
    if len(ties):
        # Scores are a few fractions over and over: round each distinct one once.
        distinct, where = np.unique(values[ties], return_inverse=True)
        rounded[ties] = np.array([round(float(x), 3) for x in distinct])[where]
    return rounded


@dataclass(frozen=True)
class Evaluation:
    """Every candidate of a table judged: the first requirement failed, the components, the
    raw 0-1 score."""

    table: StateTable
    failed: Array
    fit: Fit
    # Component key -> (its rounded 0-1 scores, its weight per candidate, its part).
    scores: dict[str, Array]
    weights: dict[str, Array]
    parts: dict[str, Part]
    raw: Array

    def excluded(self) -> dict[str, int]:
        """Return how many candidates each requirement excluded (first failed only)."""
        counts = np.bincount(self.failed[self.failed != PASSED], minlength=len(RULES))
        return {RULES[i]: int(n) for i, n in enumerate(counts) if n}

    @property
    def passed(self) -> int:
        """Return how many candidates meet every requirement."""
        return int((self.failed == PASSED).sum())


def evaluate_table(prefs: Preferences, t: StateTable) -> Evaluation:
    """Judge every candidate of the table against the person's answers."""
    f = fit(prefs, t)
    base = weights_for(prefs)
    parts = {key: COMPONENT_FUNCTIONS[key](prefs, t, f) for key in COMPONENTS}
    scores: dict[str, Array] = {}
    weights: dict[str, Array] = {}
    weighted = np.zeros(t.count)
    total_weight = np.zeros(t.count)
    for key, part in parts.items():
        scores[key] = round3(np.clip(np.asarray(part.score, dtype=np.float64), 0.0, 1.0))
        # Nothing to compare means it must not move the ranking either way.
        weights[key] = np.where(part.counted, base[key], 0.0) * np.ones(t.count)
        weighted = weighted + scores[key] * weights[key]
        total_weight = total_weight + weights[key]
    checklist_share = t["met"] / t["total"]
    with np.errstate(invalid="ignore", divide="ignore"):
        # Everything marked unimportant: the guide's checklist alone decides.
        raw = np.where(total_weight > 0, weighted / total_weight, checklist_share)
    return Evaluation(t, first_failed(prefs, t, f), f, scores, weights, parts, raw)


def best(evaluation: Evaluation, count: int) -> list[int]:
    """Return the table positions of the best ``count`` candidates who pass, best first.

    Ties break on the exact score, then the guide's checklist, then name and slug, so the
    same answers always give the same order.
    """
    t = evaluation.table
    passing = np.flatnonzero(evaluation.failed == PASSED)
    if count <= 0 or len(passing) == 0:
        return []
    # "Accepting" unconfirmed in 90 days is unknown: below everyone who confirmed.
    raw = evaluation.raw[passing] - 2.0 * t["accepting_unknown"][passing]
    if len(passing) > count:
        threshold = np.partition(raw, len(raw) - count)[len(raw) - count]
        keep = raw >= threshold
        passing, raw = passing[keep], raw[keep]
    met = t["met"][passing]
    names = t.name_keys(passing)
    order = sorted(range(len(passing)), key=lambda i: (-raw[i], -met[i], names[i]))
    return [int(passing[i]) for i in order[:count]]


def fitting_authority(
    prefs: Preferences, cand: Candidate, in_person_ok: bool, today: date, compacts: Compacts
) -> Authority:
    """Return the authority a match rests on: the strongest that fits the way they'd meet.

    A pending in-state license allows sessions at the office even where a verified PSYPACT
    authority covers telehealth only, so the authority is chosen among those that fit.
    """
    found = authorities_by_state(cand.profile, today, compacts, only=prefs.state)
    usable = [a for a in found.get(prefs.state, []) if prefs.allow_associates or not a.supervised]
    in_person = [a for a in usable if not a.telehealth_only]
    return best_authority(in_person if in_person_ok else usable)


def explain(
    prefs: Preferences,
    evaluation: Evaluation,
    position: int,
    cand: Candidate,
    today: date,
    compacts: Compacts,
) -> Match:
    """Return the explained match of the candidate at ``position`` (who passed every rule)."""
    f = evaluation.fit
    distance = float(f.distance[position])
    in_person_ok = bool(f.in_person_ok[position])
    checklist = cand.checklist or evaluate(cand.profile, today)
    row = Row(
        profile=cand.profile,
        checklist=checklist,
        facts={
            key: {name: values[position] for name, values in part.facts.items()}
            for key, part in evaluation.parts.items()
        },
        in_person_ok=in_person_ok,
        telehealth_ok=bool(f.telehealth_ok[position]),
        distance=None if np.isnan(distance) else distance,
    )
    components = tuple(
        Component(
            key=key,
            label=COMPONENT_LABELS[key],
            score=float(evaluation.scores[key][position]),
            weight=float(evaluation.weights[key][position]),
            reason=REASONS[key](prefs, row),
        )
        for key in COMPONENTS
    )
    raw = float(evaluation.raw[position])
    auth = fitting_authority(prefs, cand, in_person_ok, today, compacts)
    return Match(
        candidate=cand,
        score=round(raw * 100),
        raw=raw,
        components=components,
        caveats=caveats(cand.profile, auth, today),
        checklist=checklist,
        distance_miles=row.distance,
    )


def table_of(
    candidates: Iterable[Candidate], state: str, today: date, compacts: Compacts
) -> tuple[StateTable, list[Candidate]]:
    """Return a table of these candidates, in the order given, as of ``today``."""
    listed = list(candidates)
    rows = [
        feature_row(cand.id, 1, cand.slug, cand.profile, cand.location, today, compacts)
        for cand in listed
    ]
    features = Features(FeatureSet.from_rows(rows))
    table = StateTable(features.of([cand.id for cand in listed], state, today), state)
    return table, listed


def rank(
    prefs: Preferences,
    candidates: Iterable[Candidate],
    today: date,
    compacts: Compacts,
    pre_excluded: Mapping[str, int] | None = None,
) -> MatchResult:
    """Apply the hard requirements to these candidates, and explain and rank all who pass.

    ``pre_excluded`` counts practitioners a caller already ruled out (for instance those the
    search index shows have no authority at all in the person's state).
    """
    table, listed = table_of(candidates, prefs.state, today, compacts)
    judged = evaluate_table(prefs, table)
    positions = best(judged, judged.passed)
    matches = tuple(explain(prefs, judged, i, listed[i], today, compacts) for i in positions)
    excluded = Counter(pre_excluded or {})
    excluded.update(judged.excluded())
    return MatchResult(matches, {k: n for k, n in excluded.items() if n})
