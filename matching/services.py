"""Running a match against the directory: candidates from the index, profiles from the cache."""

from __future__ import annotations

from flask import current_app

from directory.domain import load_compacts
from directory.indexing import refresh_if_due, search_index, today
from directory.services import ListingCache

from .preferences import Preferences
from .scoring import Candidate, MatchResult, rank

_listings = ListingCache()


def find_matches(prefs: Preferences) -> MatchResult:
    """Rank every published practitioner for these answers.

    The index narrows the field to those with any authority or office in the person's state;
    everyone else is counted as excluded for the license requirement without being loaded.
    """
    refresh_if_due(current_app._get_current_object())
    with search_index().searching() as searcher:
        wanted = searcher.practitioners_in_state(prefs.state)
        total = searcher.document_count()
    listings = _listings.get_many(wanted)
    on = today()
    candidates = [
        Candidate(x.id, x.slug, x.profile, x.location, _listings.checklist(x, on)) for x in listings
    ]
    return rank(
        prefs,
        candidates,
        on,
        load_compacts(),
        pre_excluded={"license": total - len(wanted)},
    )
