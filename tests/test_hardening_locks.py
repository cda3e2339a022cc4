"""Hardening under contention: SQLite's write lock taken elsewhere, and a damaged index."""

from __future__ import annotations

import fcntl
import json
import sqlite3
import threading
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import func, select

from directory.extensions import db
from directory.practitioners.models import Practitioner
from directory.practitioners.outbox import OutboxEntry
from directory.search import startup, sync
from directory.search.fast import arrays
from tests.apps import make_app
from tests.directory.account_helpers import csrf, login, registered
from tests.directory.practitioners.test_profile_edit import FORM, save
from tests.factories import make_record


@pytest.fixture
def impatient(tmp_path):
    """An app whose writers wait only a fifth of a second for SQLite's write lock."""
    with make_app(tmp_path, SQLITE_BUSY_TIMEOUT_MS=200) as app:
        yield app


def _db_path(app) -> Path:
    return Path(app.config["SQLALCHEMY_DATABASE_URI"].removeprefix("sqlite:///"))


@contextmanager
def write_lock_held(app):
    """Hold SQLite's write lock from another connection, as a long import or rebuild would."""
    other = sqlite3.connect(_db_path(app), isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        yield
    finally:
        other.rollback()
        other.close()


@pytest.mark.sqlite_only(reason="holds SQLite's write lock from a second connection")
def test_the_match_api_never_waits_for_the_write_lock(impatient):
    client = impatient.test_client()
    with write_lock_held(impatient):
        r = client.post("/api/v1/match", json={"state": "OH"})
    assert r.status_code == 200, r.text


@pytest.mark.sqlite_only(reason="holds SQLite's write lock from a second connection")
def test_a_save_that_meets_a_held_lock_answers_503_and_keeps_the_form(impatient):
    client = impatient.test_client()
    registered(impatient, client)
    login(client)
    assert save(client).status_code == 303
    with impatient.app_context():
        version = str(db.session.scalar(select(Practitioner.version)))
    with write_lock_held(impatient):
        r = save(client, version, headline="Written while the database was busy")
    assert r.status_code == 503
    assert "nothing was saved" in r.text
    assert 'value="Written while the database was busy"' in r.text  # what was typed is kept
    assert f'value="{FORM["licenses-0-number"]}"' in r.text
    with impatient.app_context():
        assert db.session.scalar(select(Practitioner.headline)) == FORM["headline"]
    # Pressing Save again once the lock is free saves it.
    assert save(client, version, headline="Written while the database was busy").status_code == 303


@pytest.mark.sqlite_only(reason="holds SQLite's write lock from a second connection")
def test_other_writes_meet_a_busy_page_not_a_500(impatient):
    client = impatient.test_client()
    registered(impatient, client)
    login(client)
    token = csrf(client, "/account/")
    with write_lock_held(impatient):
        r = client.post("/account/logout", data={"csrf_token": token})
    assert r.status_code == 503 and "busy" in r.text


@pytest.mark.sqlite_only(reason="holds SQLite's write lock from a second connection")
def test_a_rebuild_reads_a_snapshot_and_lets_saves_go_on(app, add, monkeypatch):
    add(make_record(external_id="before", name="Before Rebuild"))
    index = sync.search_index(app)
    real_build = index.build

    def build_while_someone_saves(documents, **kwargs):
        def reading_then_saving():
            yield next(documents)  # the build has begun reading its snapshot
            other = sqlite3.connect(_db_path(app), isolation_level=None, timeout=0)
            other.execute("BEGIN IMMEDIATE")  # fails at once if the rebuild held the lock
            other.rollback()
            other.close()
            add(make_record(external_id="during", name="During Rebuild"))
            yield from documents

        return real_build(reading_then_saving(), **kwargs)

    monkeypatch.setattr(index, "build", build_while_someone_saves)
    sync.rebuild(app)
    monkeypatch.undo()
    # The save made during the build is not lost: its outbox row outlived the rebuild and
    # was applied after the swap.
    with app.app_context():
        ids = dict(db.session.execute(select(Practitioner.external_id, Practitioner.id)).all())
    assert set(index.versions()) == {ids["before"], ids["during"]}
    with app.app_context():
        assert index.position() == db.session.scalar(select(func.max(OutboxEntry.id)))


def _fresh_process(index) -> None:
    """Forget what this process has open or cached of the index, as a new worker would."""
    index.close()
    arrays._SEGMENT_ARRAYS.clear()
    arrays.ARRAYS.clear()


def _damage(index, pattern: str, keep: int) -> list[Path]:
    hit = sorted(index.current_dir().glob(pattern))
    assert hit, pattern
    for path in hit:
        path.write_bytes(path.read_bytes()[:keep])
    return hit


@pytest.mark.parametrize("pattern", ["_MAIN_*.toc", "*.trm"])
def test_a_damaged_generation_is_a_503_with_the_reason_and_reindex_recovers(
    app, client, add, runner, pattern
):
    add(make_record(name="Damage Survivor"))
    index = sync.search_index(app)
    # The newest table of contents, or every segment's term file, cut short.
    _damage(index, pattern, keep=20) if pattern.endswith("toc") else _damage(index, pattern, 10)
    _fresh_process(index)
    page = client.get("/therapists?q=survivor")
    assert page.status_code == 503 and "damaged" in page.text
    api = client.get("/api/v1/practitioners?q=survivor")
    assert api.status_code == 503 and "damaged" in api.json["message"]
    # Matching reads the features beside the generation, which are intact: it still answers.
    match = client.post("/api/v1/match", json={"state": "OH"})
    assert match.status_code == 200 and match.json["results"][0]["name"] == "Damage Survivor"
    result = runner.invoke(args=["directory", "verify"])
    assert result.exit_code == 1 and "Could not read" in result.output, result.output
    result = runner.invoke(args=["directory", "reindex"])
    assert result.exit_code == 0, result.output
    assert client.get("/api/v1/practitioners?q=survivor").json["total"] == 1
    assert runner.invoke(args=["directory", "verify"]).exit_code == 0


def test_damaged_arrays_are_reported_and_searches_read_the_index_instead(app, client, add,
                                                                         runner):  # fmt: skip
    add(make_record(name="Array Keeper", bio="Grief and loss, gently."),
        make_record(name="Other Keeper", bio="Anxiety at work."))  # fmt: skip
    sync.rebuild(app)  # a built generation has posting arrays beside its segment
    index = sync.search_index(app)
    before = client.get("/api/v1/practitioners?q=grief").json["results"]
    for path in index.current_dir().glob("arrays-*/ids.i32"):
        garbled = bytearray(path.read_bytes())
        for i in range(0, len(garbled), 3):
            garbled[i] ^= 0x5A
        path.write_bytes(bytes(garbled))
    _fresh_process(index)
    after = client.get("/api/v1/practitioners?q=grief")
    assert after.status_code == 200 and after.json["results"] == before
    result = runner.invoke(args=["directory", "verify"])
    assert result.exit_code == 1 and "posting arrays" in result.output
    assert "does not match its checksum" in result.output
    runner.invoke(args=["directory", "reindex"])
    assert runner.invoke(args=["directory", "verify"]).exit_code == 0


def test_what_a_killed_rebuild_left_is_removed_at_start_up_but_not_during_a_rebuild(app, add):
    add(make_record())
    index = sync.search_index(app)
    sync.rebuild(app)
    live, previous = index.current_dir().name, index.root.joinpath("PREVIOUS").read_text()
    (index.root / "gen-killed000000").mkdir()
    (index.root / "CURRENT.gen-killed000000").write_text("gen-killed000000")
    with open(index.root / "REBUILD.lock", "a+") as guard:
        fcntl.flock(guard, fcntl.LOCK_EX)  # a rebuild is under way: its folder is not orphaned
        assert index.remove_orphans() == []
        fcntl.flock(guard, fcntl.LOCK_UN)
    startup.catch_up(app)
    names = {p.name for p in index.root.iterdir()}
    assert "gen-killed000000" not in names and "CURRENT.gen-killed000000" not in names
    assert {live, previous} <= names


@pytest.mark.sqlite_only(reason="holds SQLite's write lock from a second connection")
def test_an_import_waits_for_the_write_lock_and_tries_again(impatient, tmp_path):
    path = tmp_path / "import.json"
    path.write_text(json.dumps([make_record(name="Patient Import")]), encoding="utf-8")
    runner = impatient.test_cli_runner()
    with write_lock_held(impatient):
        # Held throughout: the import gives up, after its tries, with a message.
        result = runner.invoke(args=["directory", "import", str(path)])
    assert result.exit_code == 1 and "stayed busy after 3 tries" in result.output
    assert "trying again (2 of 3)" in result.output

    lock = sqlite3.connect(_db_path(impatient), isolation_level=None, check_same_thread=False)
    lock.execute("BEGIN IMMEDIATE")
    threading.Timer(0.6, lock.rollback).start()  # a save that finishes in a moment
    result = runner.invoke(args=["directory", "import", str(path)])
    lock.close()
    assert result.exit_code == 0, result.output
    assert "1 created" in result.output
