"""SQLite under concurrent writers: write transactions begin IMMEDIATE and wait their turn."""

from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy import text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from directory.extensions import db
from directory.sqlite import writing
from tests.factories import make_record

# PostgreSQL's equivalents (row locks, conditional updates, version checks) are raced in
# tests/directory/test_races.py.
pytestmark = pytest.mark.sqlite_only(reason="IMMEDIATE transactions are SQLite's own")


def read_then_write(app, pause: float, immediate: bool, errors: list) -> None:
    with app.app_context():
        try:
            if immediate:
                with writing(), Session(db.engine) as session, session.begin():
                    fee = session.execute(text("SELECT fee FROM practitioner")).scalar()
                    time.sleep(pause)
                    session.execute(text("UPDATE practitioner SET fee = :f"), {"f": fee + 1})
            else:
                with Session(db.engine) as session, session.begin():
                    fee = session.execute(text("SELECT fee FROM practitioner")).scalar()
                    time.sleep(pause)
                    session.execute(text("UPDATE practitioner SET fee = :f"), {"f": fee + 1})
        except OperationalError as exc:
            errors.append(exc)


def race(app, immediate: bool) -> list:
    errors: list = []
    threads = [
        threading.Thread(target=read_then_write, args=(app, pause, immediate, errors))
        for pause in (0.4, 0.05)
    ]
    for t in threads:
        t.start()
        time.sleep(0.05)
    for t in threads:
        t.join()
    return errors


def fee(app) -> int:
    with app.app_context():
        return db.session.execute(text("SELECT fee FROM practitioner")).scalar()


def test_concurrent_read_then_write_saves_both_succeed(app, add):
    add(make_record(fee=100))
    assert race(app, immediate=True) == []
    assert fee(app) == 102  # neither save was lost


def test_deferred_transactions_would_fail_at_once(app, add):
    # The failure IMMEDIATE prevents: the slower transaction's snapshot is stale when it
    # asks to write, and SQLite refuses without waiting.
    add(make_record(fee=100))
    errors = race(app, immediate=False)
    assert errors and "locked" in str(errors[0])
