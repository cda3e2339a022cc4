"""Several servers on one database (issue 14, item 4): setup runs once under a lock, and what
one server saves is what the others find."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from redis import Redis
from sqlalchemy import create_engine, func, select, text, update

from app import create_app
from directory.core.clock import utcnow
from directory.core.records import parse_record
from directory.extensions import db
from directory.practitioners import outbox
from directory.practitioners.importer import import_profiles
from directory.practitioners.models import Practitioner
from directory.practitioners.outbox import OutboxEntry
from directory.search import sync
from tests.apps import database, make_app
from tests.directory.account_helpers import login, registered
from tests.factories import make_record

ROOT = Path(__file__).resolve().parents[2]


def server_env(url: str, folder: Path, **extra: str) -> dict[str, str]:
    """The environment of one app server of its own (its own index folder and mail folder)."""
    folder.mkdir(parents=True, exist_ok=True)
    return {**os.environ, "DATABASE_URL": url, "SEARCH_INDEX_DIR": str(folder / "index"),
            "SECRET_KEY": "a-test-secret", "FLASK_MAIL_FOLDER": str(folder / "mail"),
            "FLASK_DIRECTORY_TODAY": "2026-11-01", "FLASK_PASSWORD_HASH_PROFILE": "minimum",
            **extra}  # fmt: skip


def test_three_setups_at_once_on_an_empty_database_migrate_and_load_once(tmp_path):
    with database(tmp_path, migrated=False) as url:
        setups = [
            subprocess.Popen(  # noqa: S603 (our own interpreter and command)
                [sys.executable, "-m", "flask", "--app", "app", "directory", "setup"],
                cwd=ROOT,
                env=server_env(url, tmp_path / f"server{n}"),
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for n in range(3)
        ]
        outputs = [p.communicate(timeout=300) for p in setups]
        for p, (_, err) in zip(setups, outputs, strict=True):
            assert p.returncode == 0, err[-3000:]
        said = "".join(out for out, _ in outputs)
        assert said.count("Loaded 1000 fictional sample practitioners.") == 1, said
        assert said.count("The database holds 1000 practitioners.") == 2, said
        engine = create_engine(url)
        try:
            with engine.connect() as connection:
                heads = connection.execute(text("SELECT version_num FROM alembic_version")).all()
                people = connection.scalar(select(func.count()).select_from(text("practitioner")))
        finally:
            engine.dispose()
        assert len(heads) == 1 and people == 1000


def another_server(app, folder: Path, **config):
    """Return a second app on ``app``'s database, with an index of its own in ``folder``."""
    keys = ("SQLALCHEMY_DATABASE_URI", "DIRECTORY_TODAY", "MAIL_FOLDER", "PASSWORD_HASH_PROFILE",
            "RATELIMIT_STORAGE_URI", "RATELIMIT_KEY_PREFIX")  # fmt: skip
    shared = {k: app.config[k] for k in keys if k in app.config}
    other = create_app({"TESTING": True, "SECRET_KEY": "test", "DRAIN_OUTBOX_ON_START": False,
                        "SEARCH_INDEX_DIR": str(folder / "index"), **shared, **config})  # fmt: skip
    sync.rebuild(other)
    return other


@pytest.fixture
def redis_url():
    url = os.environ.get("TEST_REDIS_URL")
    if not url:
        if os.environ.get("CI"):
            pytest.fail("CI must run the Redis tests: .ci/run sets TEST_REDIS_URL")
        pytest.skip("TEST_REDIS_URL is not set (a redis-server to try shared rate limits on)")
    return url


def test_two_servers_share_one_login_budget_in_redis(tmp_path, redis_url):
    prefix = f"test-{uuid.uuid4().hex}"
    with make_app(tmp_path / "a", RATELIMIT_STORAGE_URI=redis_url,
                  RATELIMIT_KEY_PREFIX=prefix) as first:  # fmt: skip
        registered(first, first.test_client())
        second = another_server(first, tmp_path / "b")
        try:
            servers = [first.test_client(), second.test_client()]
            codes = [login(servers[i % 2], password=f"guess {i:03d}").status_code for i in range(7)]
            # Five wrong guesses in all, not five per server: the sixth is refused by either.
            assert codes == [400] * 5 + [429, 429]
        finally:
            second.extensions["search_index"].close()
            with second.app_context():
                db.engine.dispose()
    # The counters live in that Redis (every process using it shares them), not in memory.
    store = Redis.from_url(redis_url)
    key = f"LIMITS:LIMITER/{prefix}/account:ash@example.org/account.login/5/15/minute"
    assert int(store.get(key)) >= 5, store.keys(f"*{prefix}*")
    store.delete(*store.keys(f"*{prefix}*"))


def names(client, query: str = "") -> list[str]:
    return [r["name"] for r in client.get(f"/api/v1/practitioners?{query}").json["results"]]


def test_each_server_follows_the_outbox_from_its_own_position(tmp_path):
    with make_app(tmp_path / "a", SEARCH_FOLLOW_SECONDS=0) as first:
        second = another_server(first, tmp_path / "b", SEARCH_FOLLOW_SECONDS=0)
        try:
            with first.app_context():
                import_profiles(db.session, [parse_record(make_record(name="Saved On First"))])
                db.session.commit()  # drained into the first server's index at once
            assert first.extensions["search_index"].position() > 0
            assert second.extensions["search_index"].position() == 0
            # The first server's drain consumed nothing: the second finds the row and
            # applies it before its next search.
            assert names(second.test_client()) == ["Saved On First"]
            assert names(first.test_client()) == ["Saved On First"]
            with first.app_context():
                p = db.session.scalar(select(Practitioner))
                p.published = False
                db.session.commit()
            assert names(second.test_client()) == []  # an unpublish, too
            assert sync.verify(first).ok and sync.verify(second).ok
        finally:
            second.extensions["search_index"].close()
            with second.app_context():
                db.engine.dispose()


def test_a_server_follows_at_most_every_so_often(app, client, add, tmp_path):
    second = another_server(app, tmp_path / "b", SEARCH_FOLLOW_SECONDS=3600)
    try:
        names(second.test_client())  # the first search looks (and finds nothing)
        add(make_record(name="Later Save"))
        assert names(second.test_client()) == []  # not looked again within the hour
        second.extensions["search_index"].followed_at -= 3600
        assert names(second.test_client()) == ["Later Save"]
    finally:
        second.extensions["search_index"].close()
        with second.app_context():
            db.engine.dispose()


def test_a_server_away_past_the_pruning_horizon_rebuilds(app, add, tmp_path):
    second = another_server(app, tmp_path / "b")
    try:
        add(make_record(name="Old Save"), make_record(name="Other Old Save"))
        with app.app_context():
            db.session.execute(update(OutboxEntry).values(created_at=utcnow() - timedelta(days=8)))
            db.session.commit()
        add(make_record(name="New Save"))
        assert sync.prune_outbox(app) == 2  # older than OUTBOX_RETENTION_DAYS (7)
        with app.app_context():
            left = db.session.scalars(select(OutboxEntry.id)).all()
            assert len(left) == 1 and outbox.horizon(db.session) == left[0] - 1
        index = second.extensions["search_index"]
        assert index.position() < left[0] - 1  # it needed rows that are gone
        generation = index.current_dir()
        sync.drain(second)
        assert index.current_dir() != generation  # rebuilt, not patched
        assert index.position() == left[0]
        assert sync.verify(second).ok and len(index.versions()) == 3
        assert sync.drain(app) == 0  # the first server was up to date: nothing to redo
    finally:
        index.close()
        with second.app_context():
            db.engine.dispose()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def flask(env: dict[str, str], *args: str) -> str:
    command = [sys.executable, "-m", "flask", "--app", "app", *args]
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=300, check=False)  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def api_names(base: str) -> list[str]:
    with urllib.request.urlopen(base + "/api/v1/practitioners?sort=name", timeout=10) as r:  # noqa: S310
        return [item["name"] for item in json.load(r)["results"]]


def until(check, seconds: float) -> float:
    """Return how long it took ``check()`` to be true (failing after ``seconds``)."""
    start = time.monotonic()
    while not check():
        assert time.monotonic() - start < seconds, "not seen in time"
        time.sleep(0.05)
    return time.monotonic() - start


ON_POSTGRES = pytest.mark.postgres_only(reason="the PostgreSQL search backend")


@pytest.mark.parametrize("backend", ["whoosh", pytest.param("postgres", marks=ON_POSTGRES)])
def test_two_app_processes_on_one_database_answer_the_same(tmp_path, backend):
    """Two gunicorn servers on one database: a save made through the first is in the second's
    search results within SEARCH_FOLLOW_SECONDS (Whoosh: each server has its own index) or at
    once (PostgreSQL: the documents are in the database)."""
    with database(tmp_path) as url:
        envs = [server_env(url, tmp_path / name, FLASK_SEARCH_FOLLOW_SECONDS="1",
                           FLASK_SEARCH_BACKEND=backend) for name in ("a", "b")]  # fmt: skip
        for env in envs:
            flask(env, "directory", "setup", "--no-samples")
        ports = [free_port(), free_port()]
        gunicorn = str(Path(sys.executable).with_name("gunicorn"))
        servers = []
        for env, port in zip(envs, ports, strict=True):
            with open(tmp_path / f"server-{port}.log", "w") as log:
                command = [gunicorn, "-w", "1", "-b", f"127.0.0.1:{port}", "app:create_app()"]
                servers.append(
                    subprocess.Popen(  # noqa: S603 (our own virtualenv's gunicorn)
                        command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
                    )
                )
        bases = [f"http://127.0.0.1:{port}" for port in ports]
        try:
            for base in bases:
                until(lambda base=base: _answers(base), 60)
            assert api_names(bases[0]) == api_names(bases[1]) == []
            records = tmp_path / "one.json"
            record = make_record(name="Followed Across")
            records.write_text(json.dumps([record]), encoding="utf-8")
            flask(envs[0], "directory", "import", str(records))  # the first server's index
            assert api_names(bases[0]) == ["Followed Across"]  # at once where it was saved
            if backend == "postgres":
                assert api_names(bases[1]) == ["Followed Across"]  # at once everywhere
            waited = until(lambda: api_names(bases[1]) == ["Followed Across"], 5)
            record["name"] = "Renamed Across"
            records.write_text(json.dumps([record]), encoding="utf-8")
            flask(envs[0], "directory", "import", str(records))
            if backend == "postgres":
                assert api_names(bases[1]) == ["Renamed Across"]
            waited = max(waited, until(lambda: api_names(bases[1]) == ["Renamed Across"], 5))
            assert waited < 5
        finally:
            for server in servers:
                server.terminate()
            for server in servers:
                server.wait(timeout=30)
            for log in tmp_path.glob("server-*.log"):
                assert "Traceback" not in log.read_text(), log.read_text()[-3000:]


def _answers(base: str) -> bool:
    try:
        with urllib.request.urlopen(base + "/healthz", timeout=2) as r:  # noqa: S310
            return r.status == 200
    except OSError:
        return False


def test_a_server_migrates_at_start_only_when_told_to(tmp_path):
    from sqlalchemy import inspect

    with database(tmp_path, migrated=False) as url:
        config = {"TESTING": True, "SECRET_KEY": "t", "SQLALCHEMY_DATABASE_URI": url,
                  "SEARCH_INDEX_DIR": str(tmp_path / "index")}  # fmt: skip
        app = create_app(config)
        with app.app_context():
            assert "practitioner" not in inspect(db.engine).get_table_names()
            db.engine.dispose()
        app = create_app({**config, "MIGRATE_ON_START": True})
        with app.app_context():
            assert "practitioner" in inspect(db.engine).get_table_names()
            db.engine.dispose()
