"""SQLite under several processes: WAL, a busy time-out, and IMMEDIATE write transactions.

pysqlite begins transactions lazily and DEFERRED: a transaction that reads, then writes, holds
a read snapshot when it asks for the write lock, and if another process wrote meanwhile SQLite
refuses at once ("database is locked") instead of waiting. Write transactions therefore begin
IMMEDIATE, taking the write lock first (waiting up to the busy time-out for it); reads stay
DEFERRED so they never queue behind writers.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from flask import Flask, has_request_context, request
from sqlalchemy import event

from directory.extensions import db

BUSY_TIMEOUT_MS = 10_000
_writing: ContextVar[bool] = ContextVar("directory_writing", default=False)


@contextmanager
def writing() -> Iterator[None]:
    """Mark the transactions begun inside as writes (for work outside a POST request)."""
    token = _writing.set(True)
    try:
        yield
    finally:
        _writing.reset(token)


def wants_write() -> bool:
    """Return whether a transaction begun now is meant to write."""
    if _writing.get():
        return True
    return has_request_context() and request.method not in ("GET", "HEAD", "OPTIONS")


def _on_connect(dbapi_connection, connection_record) -> None:
    # Let SQLAlchemy's "begin" event emit BEGIN itself, instead of pysqlite's implicit one.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
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
            event.listen(engine, "connect", _on_connect)
            event.listen(engine, "begin", _on_begin)
