"""Running a match against the directory: candidates from the index, judged as one table.

The index lists everyone with any authority or office in the person's state. Their features
are kept per process in compact columns (reloaded when the index shows a newer version), so a
match judges thousands of candidates with array arithmetic; only the best few are loaded in
full and explained.
"""

from __future__ import annotations

import threading
from datetime import date
from typing import Any

from numpy.typing import NDArray

from directory.core.checklist import evaluate
from directory.core.compacts import Compacts, load_compacts
from directory.extensions import db
from directory.practitioners.queries import location_of, published_profiles
from directory.search.sync import follow_if_due, refresh_if_due, search_index
from directory.web import app_object, today
from matching.engine import Candidate, MatchResult, best, evaluate_table, explain
from matching.features import FeatureStore, StateTable
from matching.preferences import Preferences
from matching.rules import relaxed_counts

# Below this many matches, the results say which answer relaxed alone would bring back the most.
RELAX_BELOW = 5


class Candidates:
    """The per-process feature store, refreshed from the database when the index shows a
    newer version of a practitioner (or the day changes)."""

    def __init__(self) -> None:
        self.store = FeatureStore()
        self._lock = threading.Lock()

    def table(
        self,
        state: str,
        ids: NDArray[Any],
        versions: NDArray[Any],
        on: date,
        compacts: Compacts,
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


def _candidates() -> Candidates:
    """Return this application's feature store (one per app: ids mean nothing across apps)."""
    found: Candidates = app_object().extensions.setdefault("match_candidates", Candidates())
    return found


def find_matches(prefs: Preferences, limit: int = 20) -> MatchResult:
    """Rank every published practitioner for these answers; explain the best ``limit``.

    Everyone is judged and counted; ``matches`` holds the best ``limit`` with their reasons.
    """
    follow_if_due(app_object())
    refresh_if_due(app_object())
    with search_index().searching() as searcher:
        ids, versions = searcher.practitioners_in_state(prefs.state)
        total = searcher.document_count()
    on = today()
    compacts = load_compacts()
    table = _candidates().table(prefs.state, ids, versions, on, compacts)
    judged = evaluate_table(prefs, table)
    chosen = best(judged, limit)
    pids = [int(table["id"][i]) for i in chosen]
    found = published_profiles(db.session, pids)
    matches = tuple(
        explain(
            prefs,
            judged,
            i,
            Candidate(pid, found[pid][0].slug, found[pid][1], location_of(found[pid][0])),
            on,
            compacts,
        )
        for i, pid in zip(chosen, pids, strict=True)
        if pid in found
    )
    excluded = judged.excluded()
    outside = total - len(ids)
    if outside:
        excluded["license"] = excluded.get("license", 0) + outside
    # With few shown, say which answer relaxed alone would bring back the most.
    relaxed = relaxed_counts(prefs, table) if judged.passed < RELAX_BELOW else {}
    return MatchResult(matches, excluded, total=judged.passed, relaxed=relaxed)
