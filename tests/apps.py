"""Building and disposing of test applications, each with its own database and index.

The suite runs on SQLite (a file in the test's folder) unless ``pytest --database-url URL`` names
a PostgreSQL server (``make test`` passes ``$TEST_DATABASE_URL`` in a second run). There, every
app gets a database of its own, cloned from a template migrated once per test run, and dropped
afterwards.
"""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from flask import Flask
from flask_migrate import upgrade
from sqlalchemy import create_engine, event, make_url, text
from sqlalchemy.engine import URL
from sqlalchemy.exc import ProgrammingError

from app import create_app
from directory.cli import import_file
from directory.extensions import db
from directory.search import sync

# Set by conftest from --database-url: the PostgreSQL server the suite runs on (None: SQLite).
SERVER_URL: URL | None = None
_template: str | None = None


def on_postgres() -> bool:
    """Return whether this test run uses PostgreSQL."""
    return SERVER_URL is not None


def _admin(sql: str) -> None:
    assert SERVER_URL is not None
    engine = create_engine(SERVER_URL, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            connection.execute(text(sql))
    finally:
        engine.dispose()


def _template_database() -> str:
    """Return a database migrated to head, to clone (made once per test process)."""
    global _template
    if _template is None:
        name = f"directory_template_{os.getpid()}_{uuid.uuid4().hex[:6]}"
        _admin(f'CREATE DATABASE "{name}"')
        url = SERVER_URL.set(database=name).render_as_string(hide_password=False)
        app = create_app(
            {
                "TESTING": True,
                "SECRET_KEY": "test",
                "SQLALCHEMY_DATABASE_URI": url,
                "DRAIN_OUTBOX_ON_START": False,
            }
        )
        with app.app_context():
            upgrade()
            db.engine.dispose()
        _template = name
    return _template


def drop_template() -> None:
    """Drop this process's template database (at the end of the run)."""
    global _template
    if _template is not None:
        _drop(_template)
        _template = None


@contextmanager
def database(folder: Path, *, migrated: bool = True) -> Iterator[str]:
    """Yield the URL of a fresh database (migrated to head unless told otherwise) for one app,
    dropped afterwards."""
    if SERVER_URL is None:
        yield f"sqlite:///{folder / 'test.sqlite3'}"
        return
    template = _template_database() if migrated else "template0"
    name = f"directory_test_{uuid.uuid4().hex[:12]}"
    _admin(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    try:
        yield SERVER_URL.set(database=name).render_as_string(hide_password=False)
    finally:
        _drop(name)


def _drop(name: str) -> None:
    # FORCE ends our own leftover connections; an autovacuum worker (the superuser's) may
    # still be on a fresh database for a moment, and cannot be ended by us: wait for it.
    for attempt in range(20):
        try:
            _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            return
        except ProgrammingError:
            if attempt == 19:
                raise
            time.sleep(0.25)


def configure(url: str | None) -> None:
    """Point the suite at a PostgreSQL server (or at SQLite when ``url`` is empty)."""
    global SERVER_URL
    SERVER_URL = make_url(url) if url else None
    if SERVER_URL is not None and SERVER_URL.get_backend_name() != "postgresql":
        raise SystemExit(f"--database-url must name a PostgreSQL server, not {url!r}")


@contextmanager
def make_app(folder: Path, *, samples: bool = False, **config) -> Iterator[Flask]:
    """Yield an app on a fresh database and index in ``folder`` (with the samples if asked)."""
    folder.mkdir(parents=True, exist_ok=True)
    with database(folder) as url:
        app = create_app(
            {
                "TESTING": True,
                "SECRET_KEY": "test",
                "SQLALCHEMY_DATABASE_URI": url,
                "SEARCH_INDEX_DIR": str(folder / "index"),
                "DIRECTORY_TODAY": "2026-11-01",
                "DRAIN_OUTBOX_ON_START": False,
                "MAIL_FOLDER": str(folder / "mail"),
                # OWASP's minimum argon2id parameters: the same algorithm, faster tests.
                "PASSWORD_HASH_PROFILE": "minimum",
                **config,
            }
        )
        with app.app_context():
            upgrade()
            if samples:
                import_file(app.config["SAMPLE_DATA"])
        sync.rebuild(app)
        try:
            yield app
        finally:
            app.extensions["search_index"].close()
            with app.app_context():
                db.session.remove()
                db.engine.dispose()


def sql_statements(app: Flask, fetch):
    """Return what ``fetch()`` returns and the SQL statements it sent to the app's database."""
    statements: list[str] = []

    def seen(conn, cursor, statement, *args):
        statements.append(statement)

    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", seen)
        try:
            result = fetch()
        finally:
            event.remove(db.engine, "before_cursor_execute", seen)
    return result, statements
