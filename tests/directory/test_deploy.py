"""What a deployer needs (issue 14, item 5, in part): /healthz, the CLI without a database,
and Werkzeug's ProxyFix when FLASK_PROXY_FIX says how many proxies to trust."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from sqlalchemy import select

from app import create_app
from directory.core.records import parse_record
from directory.extensions import db
from directory.practitioners.importer import import_profiles
from directory.practitioners.models import Practitioner
from tests.apps import make_app
from tests.directory.account_helpers import csrf
from tests.factories import make_record

ROOT = Path(__file__).resolve().parents[2]
UNREACHABLE = "sqlite:////nonexistent-folder/for-this-test/x.sqlite3"


def test_healthz_says_ok_when_database_and_index_answer(client):
    r = client.get("/healthz")
    assert r.status_code == 200
    assert r.json == {"status": "ok", "database": "ok", "search": "ok"}


def test_healthz_names_what_is_down_without_secrets(tmp_path):
    app = create_app({"TESTING": True, "SECRET_KEY": "t", "SQLALCHEMY_DATABASE_URI": UNREACHABLE,
                      "SEARCH_INDEX_DIR": str(tmp_path / "index")})  # fmt: skip
    r = app.test_client().get("/healthz")
    assert r.status_code == 503
    assert r.json["database"] == "unreachable (OperationalError)"
    assert r.json["search"].startswith("unavailable: ")
    assert "nonexistent" not in r.text and str(tmp_path) not in r.text


def test_healthz_reports_a_missing_index(app, client):
    app.extensions["search_index"].close()
    shutil.rmtree(app.config["SEARCH_INDEX_DIR"])
    r = client.get("/healthz")
    assert r.status_code == 503 and r.json["database"] == "ok"
    assert r.json["search"] == "unavailable: it has not been built yet"


def test_the_cli_help_works_without_a_database(tmp_path):
    env = {**os.environ, "FLASK_SQLALCHEMY_DATABASE_URI": UNREACHABLE,
           "FLASK_SEARCH_INDEX_DIR": str(tmp_path / "index"), "FLASK_TESTING": "true",
           "SECRET_KEY": "a-test-secret"}  # fmt: skip
    flask = [sys.executable, "-m", "flask", "--app", "app"]
    for args in (["--help"], ["directory", "--help"]):
        done = subprocess.run([*flask, *args], cwd=ROOT, env=env, capture_output=True, text=True,
                              timeout=120, check=False)  # fmt: skip
        assert done.returncode == 0, done.stderr
        assert "Traceback" not in done.stderr and "directory" in done.stdout


def test_proxy_fix_counts_each_forwarded_visitor(tmp_path):
    def requests_allowed(folder: Path, **config) -> list[int]:
        folder.mkdir()
        with make_app(folder, **config) as app:
            with app.app_context():
                record = parse_record(make_record(name="Sample Person", sample=True))
                import_profiles(db.session, [record])
                db.session.commit()
                slug = db.session.scalar(select(Practitioner.slug))
            client = app.test_client()
            path = f"/therapists/{slug}/contact"
            codes = []
            for i in range(6):
                data = {"name": "A", "email": f"v{i}@example.net", "message": "hello",
                        "csrf_token": csrf(client, path)}  # fmt: skip
                codes.append(
                    client.post(
                        path, data=data, headers={"X-Forwarded-For": f"203.0.113.{i}"}
                    ).status_code
                )
            return codes

    # Behind one trusted proxy each visitor has their own budget; without it, all share one.
    assert requests_allowed(tmp_path / "a", PROXY_FIX=1) == [303] * 6
    assert requests_allowed(tmp_path / "b") == [303] * 5 + [429]
