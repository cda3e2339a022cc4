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


def make_document(
    pid: int,
    version: int,
    profile: Profile,
    location: tuple[float, float] | None,
    today: date,
    compacts: Compacts,
) -> dict:
    """Return the search document of one practitioner (only public fields are indexed)."""
    # Only where they may lawfully see a client today: an office alone is no authority.
    states = set(practice_authorities(profile, today, compacts))
    flags = []
    if profile.accepting_known(today):
        flags.append("accepting")
    if profile.free_consultation:
        flags.append("free_consultation")
    if profile.has_verified_license(today):
        flags.append("verified")
    ap_text = approaches_text(profile.approach_keys)
    co_text = concerns_text(profile.concerns)
    lapses = lapses_on(profile, today, compacts)
    if profile.accepting_known(today) and profile.accepting_confirmed_on is not None:
        # The last day "accepting" is known: the next day the document is refreshed.
        unknown_on = profile.accepting_confirmed_on + timedelta(days=ACCEPTING_UNKNOWN_DAYS)
        lapses = min(lapses, unknown_on) if lapses else unknown_on
    doc = {
        "valid_until": (lapses or date.max).toordinal(),
        "id": str(pid),
        "pid": pid,
        "version": version,
        "name": profile.name,
        "headline": profile.headline,
        "bio": profile.bio,
        "approaches_text": ap_text,
        "concerns_text": co_text,
        "spell": " ".join((profile.name, profile.headline, profile.bio, ap_text, co_text)),
        "states": " ".join(sorted(states)),
        "license": " ".join(sorted({lic.kind for lic in profile.licenses})),
        "approach": " ".join(profile.approach_keys),
        "concern": " ".join(profile.concerns),
        "language": " ".join(profile.languages),
        "format": " ".join(profile.formats),
        "insurance": " ".join(profile.insurance),
        "flags": " ".join(flags),
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
