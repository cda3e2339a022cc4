"""What the engine knows of each candidate, as columns: a store of rows, and tables of them.

The engine judges a ``StateTable``: the candidates for one state, one row each, as numpy
columns. A whole state is a table of thousands of rows; one candidate is a table of one row; the
same rules and components run over both. The ``FeatureStore`` keeps the rows (a process keeps
one, refreshed when the index shows a newer version); it is filled from ``Profile`` data and
stays pure (no Flask, no SQLAlchemy).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

import numpy as np
from numpy.typing import NDArray

from directory.core import vocabulary as v
from directory.core.authority import authorities_by_state
from directory.core.checklist import Checklist
from directory.core.compacts import Compacts
from directory.core.identities import load_identities, tokens
from directory.core.profile import Profile
from matching import coefficients as c

Array = NDArray[Any]
GENDERS = ("woman", "man", "non_binary")
APPROACH_KEYS = tuple(sorted(v.APPROACHES))
# A training level's position: 0 for "not offered", then the vocabulary's order.
LEVELS: tuple[str | None, ...] = (None, *v.TRAINING_LEVELS)
STATE_INDEX = {code: i for i, code in enumerate(sorted(v.STATES))}
# Paces from gentle to brisk: their distance apart is how far one is from the other.
PACES_ORDER = tuple(v.PACES)
NO_MEANINGS: tuple[frozenset[str], tuple[str, ...]] = (frozenset(), ())
_BIT_ORDERS: dict[int, dict[str, int]] = {}

# Column name -> numpy type. Small types keep 100,000 practitioners to a few megabytes.
COLUMNS: dict[str, type[np.generic]] = {
    "id": np.int64, "version": np.int64, "on": np.int32,
    "in_person": np.uint8, "telehealth": np.uint8, "office_state": np.int16,
    "lat": np.float64, "lon": np.float64, "accepting": np.uint8, "languages": np.int64,
    # Says accepting, but not confirmed in 90 days: unknown, listed below those who confirmed.
    "accepting_unknown": np.uint8,
    "fee": np.int32, "lowest_fee": np.int32, "sliding_min": np.int32, "insurance": np.int64,
    "approaches": np.int64, "style": np.int8, "concerns": np.int64, "neglect": np.uint8,
    "met": np.int16, "total": np.int16, "communities": np.int64, "gender": np.uint8,
    "lgbtq": np.uint8, "evenings": np.uint8, "weekends": np.uint8,
    "free_consultation": np.uint8, "progress": np.int64, "collaborative": np.uint8,
    # 0 where the profile doesn't say; else the position in PACES_ORDER + 1, and weeks.
    "pace": np.int8, "course_weeks": np.int16, "frequencies": np.int64,
    "accommodations": np.int64,
    # Per state (bit i is STATE_INDEX's state i): any authority; any unsupervised one; any
    # that allows in-person sessions; any unsupervised one that does.
    "any_auth": np.uint64, "unsupervised": np.uint64, "in_person_auth": np.uint64,
    "in_person_unsupervised": np.uint64,
}  # fmt: skip
AUTHORITY_COLUMNS = ("any_auth", "unsupervised", "in_person_auth", "in_person_unsupervised")
TEXTS = ("name_key", "slug", "background", "faith")


def bits(keys: Iterable[str], vocabulary: Mapping[str, object]) -> int:
    """Return the bitmask of these vocabulary keys (bit i is the i-th key in sorted order)."""
    order = _BIT_ORDERS.get(id(vocabulary))
    if order is None:
        order = _BIT_ORDERS[id(vocabulary)] = {k: 1 << i for i, k in enumerate(sorted(vocabulary))}
    return sum(order[k] for k in set(keys) if k in order)


def genders_of(gender_identity: str, pronouns: str) -> int:
    """Return the bitmask of the questionnaire's genders a practitioner's own words name:
    by phrase ("transgender woman", "genderqueer") or by the pronouns they list ("they/them")."""
    vocabulary = load_identities()["genders"]
    named = vocabulary.meanings(gender_identity) | vocabulary.by_pronouns(pronouns)
    return sum(1 << i for i, key in enumerate(GENDERS) if key in named)


def identity(kind: str, text: str) -> tuple[frozenset[str], tuple[str, ...]]:
    """Return what a background or faith text means, and its words (for whole phrases)."""
    if not text:
        return NO_MEANINGS
    return load_identities()[kind].meanings(text), tokens(text)


class FeatureStore:
    """What the engine needs of every practitioner it has seen, one row each.

    Columns are numpy arrays that grow as rows are added; a row is replaced in place when a
    newer version (or a new day) is loaded. A state's table is a selection of rows.
    """

    def __init__(self, capacity: int = 1024):
        self.rows: dict[int, int] = {}
        self.size = 0
        self.columns: dict[str, Array] = {
            name: np.zeros(capacity, dtype=kind) for name, kind in COLUMNS.items()
        }
        self.levels: Array = np.zeros((capacity, len(APPROACH_KEYS)), dtype=np.uint8)
        self.texts: dict[str, list[Any]] = {name: [] for name in TEXTS}

    def _grow(self) -> None:
        capacity = len(self.columns["id"]) * 2
        for name, column in self.columns.items():
            self.columns[name] = np.resize(column, capacity)
        self.levels = np.resize(self.levels, (capacity, len(APPROACH_KEYS)))

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
            "accepting_unknown": profile.accepting_new_clients and not profile.accepting_known(on),
            "languages": bits(profile.languages, v.LANGUAGES),
            "fee": profile.fee,
            "lowest_fee": profile.lowest_fee,
            "sliding_min": -1 if profile.sliding_scale_min is None else profile.sliding_scale_min,
            "insurance": bits(profile.insurance, v.INSURANCE_PLANS),
            "approaches": bits(offered, v.APPROACHES),
            "style": profile.style,
            "concerns": bits(profile.concerns, v.CONCERNS),
            "neglect": profile.neglect_experience,
            "met": checklist.met,
            "total": checklist.total,
            "communities": bits(profile.communities, v.COMMUNITIES),
            "gender": genders_of(profile.gender_identity, profile.pronouns),
            "lgbtq": bool(profile.lgbtq),
            "evenings": profile.evening_hours,
            "weekends": profile.weekend_hours,
            "free_consultation": profile.free_consultation,
            "progress": bits(profile.progress_tracking, v.PROGRESS_METHODS),
            "collaborative": profile.collaborative_goals,
            "pace": PACES_ORDER.index(profile.pace) + 1 if profile.pace in v.PACES else 0,
            "course_weeks": profile.typical_course_weeks or 0,
            "frequencies": bits(profile.session_frequencies, v.SESSION_FREQUENCIES),
            "accommodations": bits(profile.accommodations, v.ACCOMMODATIONS),
            **dict(zip(AUTHORITY_COLUMNS, flags, strict=True)),
        }
        for name, value in values.items():
            self.columns[name][row] = value
        self.levels[row] = [LEVELS.index(offered.get(k)) for k in APPROACH_KEYS]
        self.texts["name_key"][row] = profile.name.casefold()
        self.texts["slug"][row] = slug
        self.texts["background"][row] = identity("backgrounds", profile.cultural_background)
        self.texts["faith"][row] = identity("faiths", profile.faith)

    def stale(self, ids: Array, versions: Array, on: date) -> list[int]:
        """Return the ids that are missing, older than ``versions`` or not as of ``on``."""
        rows = np.array([self.rows.get(pid, -1) for pid in ids.tolist()], dtype=np.int64)
        known = rows >= 0
        picked = np.where(known, rows, 0)
        fresh = (
            known
            & (self.columns["version"][picked] >= versions)
            & (self.columns["on"][picked] == on.toordinal())
        )
        found: list[int] = ids[~fresh].tolist()
        return found

    def table(self, state: str, ids: Array) -> StateTable:
        """Return the table of these practitioners (those not in the store are left out)."""
        rows = np.array([self.rows.get(pid, -1) for pid in ids.tolist()], dtype=np.int64)
        return StateTable(self, state, rows[rows >= 0])


class StateTable:
    """The candidates for one state, as columns selected from a ``FeatureStore``."""

    def __init__(self, store: FeatureStore, state: str, rows: Array):
        self.store = store
        self.state = state
        self.rows = rows
        self.count = len(rows)
        self.columns: dict[str, Array] = {name: store.columns[name][rows] for name in COLUMNS}
        bit = np.uint64(STATE_INDEX.get(state, 63))
        for name in AUTHORITY_COLUMNS:
            self.columns[name] = ((self.columns[name] >> bit) & np.uint64(1)).astype(bool)
        self.office_here = self.columns["office_state"] == STATE_INDEX.get(state, -2)
        credits = np.array([0.0] + [c.TRAINING_CREDIT[level] for level in v.TRAINING_LEVELS])
        # Each candidate's training credit in each approach (0 where not offered).
        self.credits: Array = credits[store.levels[rows]]

    def __getitem__(self, name: str) -> Array:
        return self.columns[name]

    def index_of(self, pid: int) -> int:
        """Return the position of a practitioner in this table."""
        return int(np.flatnonzero(self.columns["id"] == pid)[0])

    def text(self, name: str, index: Array | range) -> list[Any]:
        """Return a text column's values at these positions."""
        column = self.store.texts[name]
        return [column[self.rows[i]] for i in index]

    def name_keys(self, index: Array) -> list[tuple[str, str]]:
        """Return (case-folded name, slug) at these positions: the ranking's tie-break."""
        return list(zip(self.text("name_key", index), self.text("slug", index), strict=True))
