"""Running a match against the directory: candidates from the index, judged as arrays.

The index lists everyone with any authority or office in the person's state. Their features
are kept per process in compact columns (reloaded when the index shows a newer version), so
a match judges thousands of candidates with array arithmetic; only the best few are loaded
in full and explained by ``scoring.rank``.
"""

from __future__ import annotations

import threading
from datetime import date

import numpy as np
from flask import current_app

from directory.core.checklist import evaluate
from directory.core.compacts import Compacts, load_compacts
from directory.extensions import db
from directory.practitioners.queries import location_of, published_profiles
from directory.search.sync import refresh_if_due, search_index
from directory.web import today
from matching.preferences import Preferences
from matching.scoring import Candidate, MatchResult, rank
from matching.table import FeatureStore, StateTable, best, evaluate_table

# A few extra candidates go through the exact engine, so that a difference in the last
# decimal place between the two engines cannot drop someone from the top of the list.
MARGIN = 5


class Candidates:
    """The per-process feature store, refreshed from the database when the index shows a
    newer version of a practitioner (or the day changes)."""

    def __init__(self) -> None:
        self.store = FeatureStore()
        self._lock = threading.Lock()

    def table(
        self, state: str, ids: np.ndarray, versions: np.ndarray, on: date, compacts: Compacts
    ) -> StateTable:
        """Return the table of these candidates, loading any the store lacks or has stale."""
        with self._lock:
            stale = self.store.stale(ids, versions, on)
            for start in range(0, len(stale), 500):
                found = published_profiles(db.session, stale[start : start + 500])
                for row, profile in found.values():
                    self.store.add(
                        row.id, row.version, row.slug, profile, location_of(row),
                        evaluate(profile, on), on, compacts,
                    )  # fmt: skip
            return self.store.table(state, ids)


_candidates = Candidates()


def find_matches(prefs: Preferences, limit: int = 20) -> MatchResult:
    """Rank every published practitioner for these answers; explain the best ``limit``.

    Everyone is judged and counted; ``matches`` holds the best ``limit`` with their reasons.
    """
    refresh_if_due(current_app._get_current_object())
    with search_index().searching() as searcher:
        ids, versions = searcher.practitioners_in_state(prefs.state)
        total = searcher.document_count()
    on = today()
    compacts = load_compacts()
    table = _candidates.table(prefs.state, ids, versions, on, compacts)
    judged = evaluate_table(prefs, table)
    chosen = best(table, judged, limit + MARGIN)
    found = published_profiles(db.session, chosen)
    candidates = [
        Candidate(pid, found[pid][0].slug, found[pid][1], location_of(found[pid][0]))
        for pid in chosen
        if pid in found
    ]
    explained = rank(prefs, candidates, on, compacts)
    excluded = judged.excluded()
    outside = total - len(ids)
    if outside:
        excluded["license"] = excluded.get("license", 0) + outside
    return MatchResult(explained.matches[:limit], excluded, total=judged.passed)
