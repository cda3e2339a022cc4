"""The index's schema and the search document of a practitioner (public fields only)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from whoosh.analysis import (
    StandardAnalyzer,
    StemmingAnalyzer,
)
from whoosh.fields import ID, KEYWORD, NUMERIC, TEXT, Schema

from directory.core import vocabulary as v
from directory.core.authority import lapses_on, practice_authorities
from directory.core.compacts import Compacts
from directory.core.features import MAX_EPOCHS
from directory.core.profile import ACCEPTING_UNKNOWN_DAYS, Profile

# The text fields a visitor's words are matched against; nothing else is reachable from a query.
TEXT_FIELDS = ("name", "headline", "bio", "approaches_text", "concerns_text")
_stem = StemmingAnalyzer()


def make_schema() -> Schema:
    """Return the index schema: public text fields, filter keywords and sortable numbers."""
    return Schema(
        id=ID(stored=True, unique=True),
        # Columns: the matcher reads every id and version in a state without stored fields.
        pid=NUMERIC(bits=64, sortable=True),
        version=NUMERIC(stored=True, bits=64, sortable=True),
        name=TEXT(analyzer=_stem, field_boost=3.0),
        headline=TEXT(analyzer=_stem, field_boost=1.5),
        bio=TEXT(analyzer=_stem),
        approaches_text=TEXT(analyzer=_stem, field_boost=2.0),
        concerns_text=TEXT(analyzer=_stem, field_boost=1.5),
        # Unstemmed words of all the text fields, for "did you mean" suggestions.
        spell=TEXT(analyzer=StandardAnalyzer(), phrase=False),
        states=KEYWORD(),
        license=KEYWORD(),
        approach=KEYWORD(),
        concern=KEYWORD(),
        language=KEYWORD(),
        format=KEYWORD(),
        insurance=KEYWORD(),
        flags=KEYWORD(),
        # Accommodations offered (wheelchair access, captioning...): the accessibility filter.
        access=KEYWORD(),
        fee=NUMERIC(sortable=True),
        lowest_fee=NUMERIC(sortable=True),
        lat=NUMERIC(numtype=float, sortable=True),
        lon=NUMERIC(numtype=float, sortable=True),
        name_sort=ID(sortable=True),
        # The day (ordinal) after which a license lapses and the states, flags and badges
        # above go out of date; documents past it are re-indexed (see sync.py).
        valid_until=NUMERIC(bits=64),
    )


def approaches_text(keys: Iterable[str]) -> str:
    """Return the words a visitor may use for these approaches (names and synonyms)."""
    return " ".join(" ".join((v.APPROACHES[k].name, *v.APPROACHES[k].synonyms)) for k in keys)


def concerns_text(keys: Iterable[str]) -> str:
    """Return the words a visitor may use for these concerns."""
    return " ".join(
        " ".join((v.CONCERNS[k].name, v.CONCERNS[k].description, *v.CONCERNS[k].synonyms))
        for k in keys
    )


def dated_fields(profile: Profile, today: date, compacts: Compacts) -> tuple[str, str, date]:
    """Return what a document says that depends on the day: the states where the profile may
    see clients, its flags (accepting, free consultation, verified), and the last day both
    hold (``date.max``: for good)."""
    # Only where they may lawfully see a client today: an office alone is no authority.
    states = " ".join(sorted(set(practice_authorities(profile, today, compacts))))
    flags = []
    if profile.accepting_known(today):
        flags.append("accepting")
    if profile.free_consultation:
        flags.append("free_consultation")
    if profile.has_verified_license(today):
        flags.append("verified")
    lapses = lapses_on(profile, today, compacts)
    if profile.accepting_known(today) and profile.accepting_confirmed_on is not None:
        # The last day "accepting" is known: the next day the flags change.
        unknown_on = profile.accepting_confirmed_on + timedelta(days=ACCEPTING_UNKNOWN_DAYS)
        lapses = min(lapses, unknown_on) if lapses else unknown_on
    return states, " ".join(flags), lapses or date.max


def later_epochs(
    profile: Profile, valid_until: date, compacts: Compacts, limit: int = MAX_EPOCHS
) -> list[tuple[date, date, str, str]]:
    """Return the stretches of days after ``valid_until`` over which the dated fields stay
    the same: (first day, last day, states, flags), at most ``limit`` of them (the last one
    may then end before what holds for good: ``directory refresh`` recomputes those)."""
    found: list[tuple[date, date, str, str]] = []
    last = valid_until
    while last < date.max and len(found) < limit:
        start = last + timedelta(days=1)
        states, flags, last = dated_fields(profile, start, compacts)
        found.append((start, last, states, flags))
    return found


def make_document(
    pid: int,
    version: int,
    profile: Profile,
    location: tuple[float, float] | None,
    today: date,
    compacts: Compacts,
) -> dict:
    """Return the search document of one practitioner (only public fields are indexed)."""
    states, flags, valid_until = dated_fields(profile, today, compacts)
    ap_text = approaches_text(profile.approach_keys)
    co_text = concerns_text(profile.concerns)
    doc = {
        "valid_until": valid_until.toordinal(),
        "id": str(pid),
        "pid": pid,
        "version": version,
        "name": profile.name,
        "headline": profile.headline,
        "bio": profile.bio,
        "approaches_text": ap_text,
        "concerns_text": co_text,
        "spell": " ".join((profile.name, profile.headline, profile.bio, ap_text, co_text)),
        "states": states,
        "license": " ".join(sorted({lic.kind for lic in profile.licenses})),
        "approach": " ".join(profile.approach_keys),
        "concern": " ".join(profile.concerns),
        "language": " ".join(profile.languages),
        "format": " ".join(profile.formats),
        "insurance": " ".join(profile.insurance),
        "flags": flags,
        "access": " ".join(profile.accommodations),
        "fee": profile.fee,
        "lowest_fee": profile.lowest_fee,
        "name_sort": profile.name.casefold(),
    }
    if location and profile.in_person:
        doc["lat"], doc["lon"] = location
    return doc


def _shape(schema: Schema) -> set[tuple[str, str, str, bool]]:
    """Return each field's name, kind, format and whether it has a column (what searches rely
    on)."""
    return {
        (name, type(f).__name__, type(f.format).__name__, bool(f.column_type))
        for name, f in schema.items()
    }
