"""Running a match against the directory: candidates from the index, judged as one table.

The features built with the search index (mapped from files beside its generation, shared by
every worker) give everyone with an authority in the person's state on the day as columns, so a
match judges thousands of candidates with array arithmetic and reads nothing from the database
until the best few are loaded in full and explained.
"""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from collections.abc import Callable
from datetime import date
from typing import Any

import numpy as np
from flask import Flask
from numpy.typing import NDArray

from directory.core import vocabulary as v
from directory.core.compacts import load_compacts
from directory.core.features import FeatureRow, FeatureSet, empty, feature_row
from directory.core.featureview import Features
from directory.extensions import db
from directory.practitioners.queries import location_of, published_profiles
from directory.search.sync import follow_if_due, search_index
from directory.web import app_object, today
from matching.answers import parse_answers
from matching.engine import Candidate, MatchResult, best, evaluate_table, explain
from matching.features import StateTable
from matching.preferences import Preferences
from matching.rules import relaxed_counts

log = logging.getLogger(__name__)
# Past this many rows loaded since, the loaded features are folded into new arrays.
MERGE_ROWS = 1000
# Below this many matches, the results say which answer relaxed alone would bring back the most.
RELAX_BELOW = 5
# How many states' tables a server without index features keeps made (see Candidates).
KEPT_TABLES = 8


class Candidates:
    """Features loaded from the database, for an index that keeps none beside it (the
    PostgreSQL backend, or a generation built before features were): a row is loaded again
    when the index shows a newer version of it (its epochs cover the days after)."""

    def __init__(self) -> None:
        self.versions: dict[int, int] = {}
        # Rows loaded since ``base`` was made overlay it; past MERGE_ROWS they are folded in,
        # so a save costs a small overlay rather than every row's arrays made again.
        self.base = empty()
        self.changed: dict[int, FeatureRow] = {}
        self.features = Features(self.base)
        # The last few states' tables, each with the candidate arrays it was made for (the
        # index keeps those arrays until a document changes): a match in a state seen since
        # reads its table again instead of gathering its candidates' columns.
        self.tables: OrderedDict[
            str, tuple[NDArray[Any], NDArray[Any], date, Features, StateTable]
        ] = OrderedDict()
        self._lock = threading.Lock()

    def table(
        self,
        state: str,
        ids: NDArray[Any],
        versions: NDArray[Any],
        on: date,
        written: Callable[[list[int]], dict[int, FeatureRow]],
    ) -> StateTable:
        """Return the table of these candidates, loading any it lacks or has stale: the
        features ``written`` with their documents, else made from their profiles."""
        with self._lock:
            made = self.tables.get(state)
            if made is not None:
                made_ids, made_versions, made_on, made_features, table = made
                same = made_ids is ids and made_versions is versions
                if same and made_on == on and made_features is self.features:
                    self.tables.move_to_end(state)
                    return table
            wanted = dict(zip(ids.tolist(), versions.tolist(), strict=True))
            stale = [pid for pid, version in wanted.items() if self.versions.get(pid, -1) < version]
            day = on.toordinal()
            for start in range(0, len(stale), 5000):
                for pid, packed in written(stale[start : start + 5000]).items():
                    # Used when as new as the index says and its epochs reach the day.
                    if int(packed.values[1]) >= wanted[pid] and packed.epochs[-1][1] >= day:
                        self.changed[pid] = packed
                        self.versions[pid] = int(packed.values[1])
            unwritten = [pid for pid in stale if self.versions.get(pid, -1) < wanted[pid]]
            compacts = load_compacts()
            for start in range(0, len(unwritten), 500):
                found = published_profiles(db.session, unwritten[start : start + 500])
                for row, profile in found.values():
                    self.changed[row.id] = feature_row(row.id, row.version, row.slug, profile,
                                                       location_of(row), on, compacts)  # fmt: skip
                    self.versions[row.id] = row.version
            if stale:
                if len(self.changed) > MERGE_ROWS:
                    kept = np.flatnonzero(~np.isin(self.base.ids, list(self.changed)))
                    added = FeatureSet.from_rows(list(self.changed.values()))
                    self.base = FeatureSet.concat([self.base.take(kept), added])
                    self.base = self.base.take(np.argsort(self.base.ids, kind="stable"))
                    self.changed = {}
                self.features = Features(self.base, self.changed.values())
            table = _read_only(StateTable(self.features.of(ids.tolist(), state, on), state))
            self.tables[state] = (ids, versions, on, self.features, table)
            self.tables.move_to_end(state)
            while len(self.tables) > KEPT_TABLES:
                self.tables.popitem(last=False)
        return table


def _candidates() -> Candidates:
    """Return this application's feature store (one per app: ids mean nothing across apps)."""
    found: Candidates = app_object().extensions.setdefault("match_candidates", Candidates())
    return found


def _table(state: str, on: date) -> tuple[StateTable, int, Features | None]:
    """Return the table of everyone who may see clients in ``state`` on ``on``, how many
    practitioners there are in all, and the index's features (None where it keeps none)."""
    index = search_index()
    features = index.features()
    if features is not None:
        # Kept with the features (until a drain changes them) for the day: a state's
        # candidates are the same for every match there.
        table = features.derived(
            ("state table", state, on), lambda: _frozen(features, state, on), size=_bytes
        )
        return table, features.count(), features
    with index.searching() as searcher:
        ids, versions = searcher.practitioners_in_state(state)
        total = searcher.document_count()
        table = _candidates().table(state, ids, versions, on, searcher.feature_rows)
    return table, total, None


def _frozen(features: Features, state: str, on: date) -> StateTable:
    """Return the state's table with its columns read-only (it is shared by every match)."""
    return _read_only(StateTable(features.in_state(state, on), state))


def _read_only(table: StateTable) -> StateTable:
    for array in (*table.columns.values(), table.credits, table.office_here):
        array.flags.writeable = False
    return table


def _bytes(table: StateTable) -> int:
    return sum(a.nbytes for a in table.columns.values()) + table.credits.nbytes


def _explained(features: Features | None, pids: list[int]) -> dict[int, Candidate]:
    """Return the practitioners to explain, whole: from the features' packed profiles in one
    read where the index keeps them, else from the database."""
    if features is not None:
        return {
            pid: Candidate(pid, slug, profile, None if lat != lat else (lat, lon))
            for pid, (slug, profile, lat, lon, _) in features.profiles(pids).items()
        }
    found = published_profiles(db.session, pids)
    return {
        pid: Candidate(pid, row.slug, profile, location_of(row))
        for pid, (row, profile) in found.items()
    }


def find_matches(prefs: Preferences, limit: int = 20) -> MatchResult:
    """Rank every published practitioner for these answers; explain the best ``limit``.

    Everyone is judged and counted; ``matches`` holds the best ``limit`` with their reasons.
    """
    follow_if_due(app_object())
    on = today()
    compacts = load_compacts()
    table, total, features = _table(prefs.state, on)
    judged = evaluate_table(prefs, table)
    chosen = best(judged, limit)
    pids = [int(table["id"][i]) for i in chosen]
    found = _explained(features, pids)
    matches = tuple(
        explain(prefs, judged, i, found[pid], on, compacts)
        for i, pid in zip(chosen, pids, strict=True)
        if pid in found
    )
    excluded = judged.excluded()
    outside = total - table.count
    if outside:
        excluded["license"] = excluded.get("license", 0) + outside
    # With few shown, say which answer relaxed alone would bring back the most.
    relaxed = relaxed_counts(prefs, table) if judged.passed < RELAX_BELOW else {}
    return MatchResult(matches, excluded, total=judged.passed, relaxed=relaxed)


def warm(app: Flask) -> None:
    """At a process's start (as the search index is warmed), make the states' tables of
    candidates for the day, the largest last, so that those kept (within the features'
    budget) are the ones that cost most to make; then make one match and drop it, so the
    first person's match does not pay what only a first one costs (compiling the
    questionnaire's patterns, SQLAlchemy's statements, NumPy's first calls)."""
    try:
        with app.app_context():
            features = search_index().features()
            if features is not None and features.count():
                on = today()
                sizes = features.state_counts(on)
                for state in sorted(v.STATES, key=lambda s: sizes.get(s, 0)):
                    _table(state, on)
                find_matches(parse_answers({"state": "CA", "format": "either"}))
    except Exception:
        # Starting must not fail because of a warm-up.
        log.exception("could not make the warm-up match at start-up")
