"""What the views and the API share: searching, looking up and describing practitioners."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any

from flask import abort
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from directory.core import vocabulary as v
from directory.core.authority import Reach, practice_authorities
from directory.core.checklist import Checklist, evaluate
from directory.core.compacts import load_compacts
from directory.core.concepts import nearest
from directory.core.featureview import Features
from directory.core.geography import miles_from
from directory.core.profile import Profile
from directory.extensions import db
from directory.practitioners.models import Practitioner
from directory.practitioners.queries import find_published
from directory.search import SearchParams, SearchResult
from directory.search.searcher import Searcher
from directory.search.sync import follow_if_due, search_index
from directory.web import app_object, today

# Unfiltered browse pages kept whole per pooled searcher (see run_search).
KEPT_BROWSE_PAGES = 16


def load_practitioners(ids: list[int]) -> dict[int, Practitioner]:
    """Return the published practitioners with these ids, licenses, authorities and
    approaches loaded (each a query for the page: the search API reads all three for each
    practitioner's profile, one query per practitioner when left to load lazily)."""
    if not ids:
        return {}
    rows = db.session.scalars(
        Practitioner.public()
        .where(Practitioner.id.in_(ids))
        .options(
            selectinload(Practitioner.licenses),
            selectinload(Practitioner.authorities),
            selectinload(Practitioner.approaches),
        )
    )
    return {p.id: p for p in rows}


@dataclass(frozen=True)
class Shown:
    """An approach as a card lists it."""

    approach: str
    level: str


@dataclass(frozen=True)
class Card:
    """A practitioner as a result card and the result JSON show them, read from the index's
    features (no ORM objects): the profile's fields, with its id, slug and office location."""

    id: int
    slug: str
    profile: Profile
    latitude: float | None
    longitude: float | None
    # What is made of this card alone (its JSON for a day, its markup), kept with it.
    memo: dict[Any, Any] = field(default_factory=dict, compare=False, repr=False)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.profile, name)

    def to_profile(self) -> Profile:
        return self.profile

    @property
    def approaches(self) -> list[Shown]:
        return [Shown(key, level) for key, level in self.profile.approaches]


def run_search(params: SearchParams) -> tuple[SearchResult, list[Practitioner | Card]]:
    """Search the directory and return the result with its page of practitioners, in order.

    With the index's features (the Whoosh backend), the page's cards and bios come from them
    in one read, with no query to the database; otherwise the practitioners are loaded.
    """
    follow_if_due(app_object())
    with search_index().searching() as searcher:
        day = searcher.day = today()
        features = searcher.features
        if features is not None and _browsing(params):
            # Unfiltered browsing only changes with the index, its features or the day: the
            # last few pages are kept whole by the pooled searcher (reopened when the index
            # changes). The features are kept with them, so their id cannot be reused.
            _, result, cards = searcher.recent(
                ("browse", day, id(features), params),
                lambda: (features, *_from_features(searcher, features, params)),
                "browse",
                KEPT_BROWSE_PAGES,
            )
            return result, list(cards)
        if features is not None:
            return _from_features(searcher, features, params)
        loaded: dict[int, Practitioner] = {}

        def load_bios(ids: list[int]) -> dict[int, str]:
            loaded.update(load_practitioners(ids))
            return {pid: p.bio for pid, p in loaded.items()}

        result = searcher.search(params, load_bios)
    loaded.update(load_practitioners([h.id for h in result.hits if h.id not in loaded]))
    # A hit whose row was unpublished a moment ago is skipped rather than shown stale.
    return result, [loaded[h.id] for h in result.hits if h.id in loaded]


def _from_features(
    searcher: Searcher, features: Features, params: SearchParams
) -> tuple[SearchResult, list[Practitioner | Card]]:
    """Search, with the page's cards and bios read from the features in one read."""
    loaded: dict[int, Card] = {}

    def load_bios(ids: list[int]) -> dict[int, str]:
        loaded.update(_cards(features, ids))
        return {pid: card.bio for pid, card in loaded.items()}

    result = searcher.search(params, load_bios)
    loaded.update(_cards(features, [h.id for h in result.hits if h.id not in loaded]))
    return result, [loaded[h.id] for h in result.hits if h.id in loaded]


@lru_cache(maxsize=256)
def _browsing(params: SearchParams) -> bool:
    """Return whether ``params`` browse the whole directory: no text and no filter."""
    return params == SearchParams(sort=params.sort, page=params.page, per_page=params.per_page)


def _cards(
    features: Features, ids: list[int], owners: dict[int, int | None] | None = None
) -> dict[int, Card]:
    """Return the cards of these practitioners from the features; with ``owners``, whole
    profiles (``ProfileCard``) with their owners."""
    found: dict[int, Card] = {}
    for pid, (slug, profile, lat, lon, memo) in features.profiles(ids).items():
        lat_, lon_ = (None, None) if lat != lat else (lat, lon)
        if owners is None:
            found[pid] = Card(pid, slug, profile, lat_, lon_, memo)
        else:
            found[pid] = ProfileCard(pid, slug, profile, lat_, lon_, memo, owners[pid])
    return found


def office_distances(
    params: SearchParams, practitioners: list[Practitioner | Card]
) -> dict[int, float]:
    """Return each in-person practitioner's office distance in miles from the searched place."""
    if params.origin is None:
        return {}
    return {
        p.id: miles_from(params.origin, p.latitude, p.longitude)
        for p in practitioners
        if p.in_person and p.latitude is not None and p.longitude is not None
    }


@dataclass(frozen=True)
class Unmentioned:
    """A searched word no profile mentions, with the nearest of the guide's terms."""

    word: str
    concerns: tuple[str, ...]
    approaches: tuple[str, ...]
    note: str


def unmentioned_help(result: SearchResult) -> list[Unmentioned]:
    """Return, for each word no profile mentions, the guide's nearest concerns and approaches
    (every concern, when the data names none for that word)."""
    out = []
    for word in result.unmentioned:
        concept = nearest(word)
        if concept is None:
            out.append(Unmentioned(word, tuple(v.CONCERNS), (), ""))
        else:
            out.append(Unmentioned(word, concept.concerns, concept.approaches, concept.note))
    return out


@dataclass(frozen=True)
class ProfileCard(Card):
    """A whole profile as its page and its JSON show it, from the index's features: the
    card, with who owns it (read from the database, as the owner changes with no new
    version)."""

    owner_id: int | None = None

    @property
    def takes_requests(self) -> bool:
        return self.profile.consultation_requests and (
            self.profile.sample or self.owner_id is not None
        )


def find_profiles(slugs: list[str]) -> list[Practitioner | ProfileCard]:
    """Return the published practitioners with these slugs (unknown ones left out).

    One plain query reads each row's id, version and owner; where the index's features hold
    that very version, the profile comes from them (one read, no ORM objects), else from the
    database with its collections (a save another server has not followed yet, the
    PostgreSQL backend).
    """
    features = search_index().features() if slugs else None
    if features is None:
        return [*find_published(slugs)]
    rows = db.session.execute(
        select(Practitioner.id, Practitioner.version, Practitioner.owner_id, Practitioner.slug)
        .where(Practitioner.published.is_(True), Practitioner.slug.in_(slugs))
    ).all()  # fmt: skip
    owners = {r.id: r.owner_id for r in rows if features.version(r.id) == r.version}
    cards = _cards(features, list(owners), owners)
    found: list[Practitioner | ProfileCard] = [
        c for c in cards.values() if isinstance(c, ProfileCard)
    ]
    behind = [r.slug for r in rows if r.id not in cards]
    return [*found, *find_published(behind)] if behind else found


def find_profile(slug: str) -> Practitioner | ProfileCard:
    """Return the published practitioner with this slug (see ``find_profiles``), or 404."""
    found = find_profiles([slug])
    if not found:
        abort(404)
    return found[0]


@dataclass(frozen=True)
class ProfileView:
    """A profile with everything its page and its JSON show, computed once."""

    practitioner: Practitioner | ProfileCard
    profile: Profile
    checklist: Checklist
    authorities: dict[str, Reach]
    today: date

    @property
    def accepting_confirmed(self) -> bool:
        return self.profile.accepting_confirmed(self.today)

    @property
    def accepting_known(self) -> bool:
        return self.profile.accepting_known(self.today)


def describe(practitioner: Practitioner | ProfileCard) -> ProfileView:
    """Return the checklist and practice authorities of a practitioner as of today."""
    on = today()
    profile = practitioner.to_profile()
    return ProfileView(
        practitioner=practitioner,
        profile=profile,
        checklist=evaluate(profile, on),
        authorities=practice_authorities(profile, on, load_compacts()),
        today=on,
    )


def license_status(lic, on: date) -> str:
    """Return what a license receipt may truthfully say of its status."""
    if lic.is_expired(on):
        return "expired"
    return lic.status
