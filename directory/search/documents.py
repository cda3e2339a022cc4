"""The search documents of practitioners, read from the database, for either backend."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from flask import Flask, current_app
from sqlalchemy import select
from sqlalchemy.orm import Session

from directory.core.compacts import load_compacts
from directory.core.features import feature_row
from directory.practitioners.models import Practitioner
from directory.practitioners.queries import location_of, published_profiles
from directory.search.schema import later_epochs, make_document


def on_postgres(app: Flask | None = None) -> bool:
    """Return whether the search documents live in the database (SEARCH_BACKEND=postgres):
    then there is no index to drain, follow or swap, and a rebuild rewrites rows."""
    index = (app or current_app).extensions["search_index"]
    return bool(index.backend == "postgres")


def documents(
    session: Session, ids: list[int], on: date, features: bool = False, epochs: bool = False
) -> tuple[list[dict], list[str]]:
    """Return the search documents of the published practitioners among ``ids``, and the ids
    (as index keys) of the others, which the index must not hold.

    With ``features``, each document also carries its practitioner's match features under
    ``_features`` (the Whoosh index writes them beside the generation, not into it). With
    ``epochs``, it carries under ``_epochs`` what its dated fields say after ``valid_until``
    (``schema.later_epochs``: PostgreSQL's documents read the day's from them).
    """
    found = published_profiles(session, ids)
    compacts = load_compacts()
    docs = []
    for pid, (row, profile) in sorted(found.items()):
        location = location_of(row)
        doc = make_document(pid, row.version, profile, location, on, compacts)
        if features:
            doc["_features"] = feature_row(pid, row.version, row.slug, profile, location, on,
                                           compacts)  # fmt: skip
        if epochs:
            doc["_epochs"] = later_epochs(profile, date.fromordinal(doc["valid_until"]), compacts)
        docs.append(doc)
    return docs, [str(pid) for pid in ids if pid not in found]


def all_documents(
    session: Session, on: date, chunk: int = 1000, features: bool = False, epochs: bool = False
) -> Iterator[dict]:
    """Yield the documents of every published practitioner, a chunk of ids at a time."""
    last = 0
    while True:
        ids = session.scalars(
            select(Practitioner.id)
            .where(Practitioner.published.is_(True), Practitioner.id > last)
            .order_by(Practitioner.id)
            .limit(chunk)
        ).all()
        if not ids:
            return
        yield from documents(session, list(ids), on, features, epochs)[0]
        last = ids[-1]
