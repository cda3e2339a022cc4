"""The directory: practitioners, their profiles, the search index, and browsing them."""

from __future__ import annotations

import logging
from pathlib import Path

from flask import Flask
from flask_sqlalchemy.session import Session as FlaskSession

from .extensions import csrf, db, migrate
from .search import SearchIndex

log = logging.getLogger(__name__)


def init_app(app: Flask) -> None:
    """Bind the extensions, the search index, the blueprint and the commands to ``app``."""
    # profile_views adds its routes to the account blueprint, so it is imported before that
    # blueprint is registered.
    from . import (  # noqa: F401
        account_views,
        admin_views,
        auth,
        cli,
        indexing,
        mail,
        profile_views,
        security,
        sqlite,
        users,
        views,
    )  # fmt: skip

    db.init_app(app)
    # An absolute path, so commands and servers started from any folder find the migrations.
    migrations = app.config.get("MIGRATIONS_DIR") or str(Path(app.root_path) / "migrations")
    migrate.init_app(app, db, directory=migrations)
    csrf.init_app(app)
    app.extensions["search_index"] = SearchIndex(app.config["SEARCH_INDEX_DIR"])
    indexing.install_outbox(FlaskSession)
    sqlite.init_app(app)
    app.register_blueprint(views.bp)
    app.register_blueprint(account_views.bp)
    app.register_blueprint(admin_views.bp)
    auth.init_app(app)
    mail.init_app(app)
    security.init_app(app)
    cli.init_app(app)

    if app.config["DRAIN_OUTBOX_ON_START"]:
        _catch_up(app)


def _schema_is_current(app: Flask) -> bool:
    """Return whether the database has every migration applied."""
    from alembic.migration import MigrationContext
    from alembic.script import ScriptDirectory

    script = ScriptDirectory(app.extensions["migrate"].directory)
    with db.engine.connect() as connection:
        current = set(MigrationContext.configure(connection).get_current_heads())
    return current == set(script.get_heads())


def _catch_up(app: Flask) -> None:
    """Apply outbox rows a crash left behind, and re-index lapsed licenses, at start-up."""
    from . import indexing

    index = app.extensions["search_index"]
    with app.app_context():
        if not _schema_is_current(app):
            return  # not migrated yet: `flask db upgrade` (or `directory setup`) comes first
        if index.exists() and not index.is_current():
            log.warning("the search index predates this version: run `flask directory reindex`")
            return
        try:
            applied = indexing.drain(app)
            if applied:
                log.info("applied %d waiting outbox rows to the search index", applied)
            indexing.refresh_lapsed(app)
        except Exception:
            # Starting must not fail because of the index; the rows wait for the next drain.
            log.exception("could not catch the search index up at start-up")
