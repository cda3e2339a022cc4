"""Running a match against the directory: candidates from the index, judged as arrays.

The index lists everyone with any authority or office in the person's state. Their features
are kept per process (reloaded when the index shows a newer version) and stacked into one
table per state, so a match judges thousands of candidates with array arithmetic; only the
best few are loaded in full and explained by ``scoring.rank``.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from datetime import date

from flask import current_app

from directory.checklist import evaluate
from directory.domain import Compacts, load_compacts
from directory.indexing import refresh_if_due, search_index, today
from directory.services import load_practitioners

from .preferences import Preferences
from .scoring import Candidate, MatchResult, rank
from .table import Features, StateTable, best, evaluate_table, features_of

# A few extra candidates go through the exact engine, so that a difference in the last
# decimal place between the two engines cannot drop someone from the top of the list.
MARGIN = 5


class CandidateTables:
    """Per-process features of practitioners and, for recently asked states, their tables."""

    def __init__(self, states: int = 8):
        self.states = states
        self._features: dict[int, Features] = {}
        self._tables: OrderedDict[str, StateTable] = OrderedDict()
        self._lock = threading.Lock()

    def table(
        self, state: str, wanted: list[tuple[int, int]], on: date, compacts: Compacts
    ) -> StateTable:
        """Return the table of these (id, version) candidates, rebuilt only if they changed."""
        with self._lock:
            kept = self._tables.get(state)
        if kept is not None and kept.on == on and len(kept.versions) == len(wanted):
            versions = kept.versions
            if all(versions.get(pid) == version for pid, version in wanted):
                with self._lock:
                    self._tables.move_to_end(state)
                return kept
        self._load([pid for pid, version in wanted if self._stale(pid, version, on)], on)
        features = self._features
        rows = [features[pid] for pid, _ in wanted if pid in features]
        table = StateTable(state, on, rows, compacts)
        with self._lock:
            self._tables[state] = table
            self._tables.move_to_end(state)
            while len(self._tables) > self.states:
                self._tables.popitem(last=False)
        return table

    def _stale(self, pid: int, version: int, on: date) -> bool:
        found = self._features.get(pid)
        return found is None or found.version < version or found.on != on

    def _load(self, ids: list[int], on: date, chunk: int = 500) -> None:
        for start in range(0, len(ids), chunk):
            for p in load_practitioners(ids[start : start + chunk]).values():
                profile = p.to_profile()
                location = (p.latitude, p.longitude) if p.latitude is not None else None
                self._features[p.id] = features_of(
                    p.id, p.version, p.slug, profile, location, evaluate(profile, on), on
                )


_tables = CandidateTables()


def find_matches(prefs: Preferences, limit: int = 20) -> MatchResult:
    """Rank every published practitioner for these answers; explain the best ``limit``.

    Everyone is judged and counted; ``matches`` holds the best ``limit`` with their reasons.
    """
    refresh_if_due(current_app._get_current_object())
    with search_index().searching() as searcher:
        wanted = searcher.practitioners_in_state(prefs.state)
        total = searcher.document_count()
    on = today()
    compacts = load_compacts()
    table = _tables.table(prefs.state, wanted, on, compacts)
    judged = evaluate_table(prefs, table)
    chosen = best(table, judged, limit + MARGIN)
    rows = load_practitioners(chosen)
    candidates = []
    for pid in chosen:
        if pid in rows:
            p = rows[pid]
            location = (p.latitude, p.longitude) if p.latitude is not None else None
            candidates.append(Candidate(p.id, p.slug, p.to_profile(), location))
    explained = rank(prefs, candidates, on, compacts)
    excluded = judged.excluded()
    outside = total - len(wanted)
    if outside:
        excluded["license"] = excluded.get("license", 0) + outside
    return MatchResult(explained.matches[:limit], excluded, total=judged.passed)
