"""SQLite under several processes: WAL, a busy time-out, and IMMEDIATE write transactions.

pysqlite begins transactions lazily and DEFERRED: a transaction that reads, then writes, holds
a read snapshot when it asks for the write lock, and if another process wrote meanwhile SQLite
refuses at once ("database is locked") instead of waiting. Write transactions therefore begin
IMMEDIATE, taking the write lock first (waiting up to the busy time-out for it); reads stay
DEFERRED so they never queue behind writers.
"""

from __future__ import annotations

import fcntl
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import Any, TypeVar

from flask import Flask, current_app, has_request_context, request
from sqlalchemy import event, text
from sqlalchemy.exc import OperationalError

from directory.extensions import db

# "write" or "read" inside writing() or reading() (the innermost wins); None: by the request.
_mode: ContextVar[str | None] = ContextVar("directory_transactions", default=None)
F = TypeVar("F", bound=Callable[..., Any])


def read_only(view: F) -> F:
    """Mark a view that never writes, though it answers a POST (the match API): its
    transactions never wait for SQLite's write lock."""
    view.read_only = True  # type: ignore[attr-defined]
    return view


def on_busy(fallback: Callable[[], Any]) -> Callable[[F], F]:
    """Give a form view the answer it makes when the write lock stayed taken.

    The error handler calls ``fallback`` inside :func:`reading` (so its own queries never
    wait for the lock), typically to show the form again, with what was typed, and a 503.
    """

    def mark(view: F) -> F:
        view.on_busy = fallback  # type: ignore[attr-defined]
        return view

    return mark


def busy_fallback() -> Callable[[], Any] | None:
    """Return the current view's answer for "the database is busy", if it has one."""
    if not has_request_context():
        return None
    view = current_app.view_functions.get(request.endpoint or "")
    return getattr(view, "on_busy", None)


@contextmanager
def reading() -> Iterator[None]:
    """Mark the transactions begun inside as reads, even during a POST or a command."""
    token = _mode.set("read")
    try:
        yield
    finally:
        _mode.reset(token)


@contextmanager
def writing() -> Iterator[None]:
    """Mark the transactions begun inside as writes (for work outside a POST request)."""
    token = _mode.set("write")
    try:
        yield
    finally:
        _mode.reset(token)


@contextmanager
def one_at_a_time(name: str) -> Iterator[None]:
    """Run the block in one process at a time, across every server using this database.

    PostgreSQL: a session advisory lock on a connection of its own, held for the block.
    SQLite: an exclusive lock on a file beside the database (the same machine, by nature).
    Others wait their turn (``directory setup`` run by three servers at once migrates once).
    """
    engine = db.engine
    if engine.dialect.name == "postgresql":
        key = zlib.crc32(name.encode())
        with engine.connect() as connection:
            connection.execute(text("SELECT pg_advisory_lock(:k)"), {"k": key})
            connection.commit()
            try:
                yield
            finally:
                connection.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": key})
                connection.commit()
        return
    database = engine.url.database
    if engine.dialect.name != "sqlite" or not database or database == ":memory:":
        yield
        return
    with open(Path(database).with_name(Path(database).name + f".{name}.lock"), "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def is_busy(error: OperationalError) -> bool:
    """Return whether a database error means another writer held the lock too long."""
    text = str(error.orig).lower()
    return "locked" in text or "busy" in text


def wants_write() -> bool:
    """Return whether a transaction begun now is meant to write."""
    mode = _mode.get()
    if mode is not None:
        return mode == "write"
    if not has_request_context() or request.method in ("GET", "HEAD", "OPTIONS"):
        return False
    view = current_app.view_functions.get(request.endpoint or "")
    return not getattr(view, "read_only", False)


def _connector(busy_timeout_ms: int) -> Callable[[Any, Any], None]:
    def on_connect(dbapi_connection: Any, connection_record: Any) -> None:
        _on_connect(dbapi_connection, busy_timeout_ms)

    return on_connect


def _on_connect(dbapi_connection, busy_timeout_ms: int) -> None:
    # Let SQLAlchemy's "begin" event emit BEGIN itself, instead of pysqlite's implicit one.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    # How long a writer waits for the lock before the request answers "busy, try again".
    cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _on_begin(connection) -> None:
    connection.exec_driver_sql("BEGIN IMMEDIATE" if wants_write() else "BEGIN")


def init_app(app: Flask) -> None:
    """Configure SQLite connections of the app's engine (other databases are left alone)."""
    with app.app_context():
        engine = db.engine
        if engine.dialect.name == "sqlite":
            event.listen(engine, "connect", _connector(app.config["SQLITE_BUSY_TIMEOUT_MS"]))
            event.listen(engine, "begin", _on_begin)
