"""A process's start: catching the index up with the database, then warming it up."""

from __future__ import annotations

import logging

from flask import Flask

from directory.core.identities import load_identities
from directory.extensions import db
from directory.practitioners import outbox
from directory.practitioners.queries import published_profiles
from directory.search.sync import drain, prune_outbox, refresh_lapsed, search_index
from directory.sqlite import reading
from directory.web import today

log = logging.getLogger(__name__)


def warm(app: Flask) -> None:
    """Ready a new process for its first requests: map the match features and find today's
    epochs, open a searcher over the index and sort its names (the first browse's order),
    and have SQLAlchemy compile the queries a match makes (a worker's first match is then
    within a few times its warm one)."""
    index = search_index(app)
    with app.app_context():
        on = today()
        features = index.features()
        if features is not None:
            features.in_state("", on)
            features.touch()
        load_identities()
        with index.searching() as searcher:
            searcher.document_count()
            if index.backend == "whoosh":
                searcher.space.column("pid")
                searcher.space.name_order()  # each segment's names sorted: 70 ms at 100,000
        with reading():
            published_profiles(db.session, [0])
            outbox.newest(db.session)
            db.session.rollback()


def _schema_is_current(app: Flask) -> bool:
    """Return whether the database has every migration applied."""
    from alembic.migration import MigrationContext
    from alembic.script import ScriptDirectory

    script = ScriptDirectory(app.extensions["migrate"].directory)
    with db.engine.connect() as connection:
        current = set(MigrationContext.configure(connection).get_current_heads())
    return current == set(script.get_heads())


def catch_up(app: Flask) -> None:
    """Apply outbox rows a crash left behind, and re-index lapsed licenses, at start-up."""
    index = search_index(app)
    removed = index.remove_orphans()
    if removed:
        log.info("removed what an interrupted rebuild left in the index folder: %s", removed)
    with app.app_context():
        if not _schema_is_current(app):
            return  # not migrated yet: `flask db upgrade` (or `directory setup`) comes first
        if index.exists() and not index.is_current():
            log.warning("the search index predates this version: run `flask directory reindex`")
            return
        try:
            prune_outbox(app)
            applied = drain(app)
            if applied:
                log.info("applied %d waiting outbox rows to the search index", applied)
            refresh_lapsed(app)
            if index.exists():
                warm(app)
        except Exception:
            # Starting must not fail because of the index; the rows wait for the next drain.
            log.exception("could not catch the search index up at start-up")
