"""Full-text search over practitioners: the seam the pages use, and the index behind it.

This package is the only importer of ``whoosh``, so another engine can replace it without
touching the views: the pages build ``SearchParams``, a ``Searcher`` from ``SearchIndex``
answers with a ``SearchResult``, and matching asks it who may see clients in a state. The
database is the source of truth; the index is derived from it, written by one process at a
time, rebuilt beside the live copy and swapped in.

- ``params``: what a search asks and answers (plain data, no engine);
- ``schema``: the index's fields and a practitioner's document (public fields only);
- ``text``: parsing visitors' text into safe queries, and highlighting;
- ``store``: the index on disk, its generations, the searcher pool, rebuilds and writes;
- ``searcher``: answering a search, with filters and facets as bitmaps;
- ``fast/``: Whoosh's private internals behind one seam (posting arrays, BM25F, segment
  building);
- ``sync``: applying the outbox of changed practitioners (``practitioners.outbox``) to the
  index, rebuilding it, verifying it against the database.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from sqlalchemy.exc import SQLAlchemyError

from directory.search.params import (
    FACETS,
    MAX_PER_PAGE,
    SORTS,
    Hit,
    Relaxation,
    SearchParams,
    SearchResult,
)
from directory.search.searcher import Searcher
from directory.search.store import IndexUnavailable, SearchIndex

if TYPE_CHECKING:
    from flask import Flask

__all__ = [
    "FACETS", "MAX_PER_PAGE", "SORTS", "Hit", "IndexUnavailable", "Relaxation", "SearchIndex",
    "SearchParams", "SearchResult", "Searcher", "init_app",
]  # fmt: skip


def init_app(app: Flask) -> None:
    """Give the app its index and the outbox, and catch the index up at start if asked."""
    from flask_sqlalchemy.session import Session as FlaskSession

    from directory.practitioners import outbox
    from directory.search import pgdocs, startup, sync

    backend = app.config["SEARCH_BACKEND"]
    if backend == "postgres":
        from directory.extensions import db
        from directory.search.postgres import PostgresIndex

        with app.app_context():
            dialect = db.engine.dialect.name
        if dialect != "postgresql":
            raise RuntimeError(
                f"SEARCH_BACKEND=postgres needs a PostgreSQL database, not {dialect}: set "
                "DATABASE_URL to postgresql+psycopg://... or SEARCH_BACKEND=whoosh"
            )
        app.extensions["search_index"] = PostgresIndex(lambda: db.session)
    elif backend == "whoosh":
        app.extensions["search_index"] = SearchIndex(app.config["SEARCH_INDEX_DIR"])
    else:
        raise RuntimeError(f"SEARCH_BACKEND must be 'whoosh' or 'postgres', not {backend!r}")
    outbox.install_outbox(FlaskSession, on_commit=sync.drain_after_commit,
                          in_transaction=pgdocs.write_in_transaction)  # fmt: skip
    if app.config["DRAIN_OUTBOX_ON_START"]:
        try:
            startup.catch_up(app)
        except (SQLAlchemyError, ImportError) as exc:
            # The database can't be reached (or its driver isn't installed): say so and start
            # anyway, so the CLI's help works and /healthz can report it; the index catches up
            # on the next save or `directory drain`.
            logging.getLogger(__name__).warning(
                "the search index could not catch up at start: the database is unreachable (%s)",
                type(exc).__name__,
            )
