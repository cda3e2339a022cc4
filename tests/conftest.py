"""Fixtures: a fresh app, database and search index for every test."""

from __future__ import annotations

import re

import pytest

from directory.core.records import parse_record
from directory.extensions import db
from directory.practitioners.importer import import_profiles
from tests import apps
from tests.apps import make_app
from tests.directory.account_helpers import ADMIN, ADMIN_PASSWORD


def pytest_addoption(parser):
    parser.addoption(
        "--database-url",
        default="",
        help="run every test on this PostgreSQL server (postgresql+psycopg://user:pw@host:port"
        "/db); each test gets a database of its own. Empty: SQLite files.",
    )


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "sqlite_only(reason): tests SQLite's own behaviour; skipped on PostgreSQL"
    )
    config.addinivalue_line(
        "markers", "postgres_only(reason): needs a real PostgreSQL server (--database-url)"
    )
    config.addinivalue_line(
        "markers", "both_backends: on PostgreSQL, run with each search backend (Whoosh, postgres)"
    )
    apps.configure(config.getoption("--database-url"))


def pytest_unconfigure(config):
    if apps.on_postgres():
        apps.drop_template()


def pytest_report_header(config):
    return f"database: {apps.SERVER_URL.render_as_string() if apps.on_postgres() else 'SQLite'}"


def pytest_generate_tests(metafunc):
    # On PostgreSQL, tests marked both_backends run once per search backend.
    if "search_backend" in metafunc.fixturenames and apps.on_postgres():
        if metafunc.definition.get_closest_marker("both_backends"):
            metafunc.parametrize("search_backend", ["whoosh", "postgres"], indirect=True,
                                 scope="module")  # fmt: skip


@pytest.fixture(scope="module")
def search_backend(request):
    """The search backend of the test's app: Whoosh, unless parametrised (both_backends)."""
    return getattr(request, "param", "whoosh")


def pytest_collection_modifyitems(config, items):
    for item in items:
        for name, skip in (
            ("sqlite_only", apps.on_postgres()),
            ("postgres_only", not apps.on_postgres()),
        ):
            marker = item.get_closest_marker(name)
            if marker is not None and skip:
                reason = marker.kwargs.get("reason") or (marker.args[0] if marker.args else name)
                item.add_marker(pytest.mark.skip(reason=f"{name}: {reason}"))


@pytest.fixture
def app(tmp_path, search_backend):
    with make_app(tmp_path, SEARCH_BACKEND=search_backend) as app:
        yield app


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def add(app):
    """Import records (dicts) through the application, so the outbox updates the index."""

    def add(*records):
        with app.app_context():
            import_profiles(db.session, [parse_record(r) for r in records])
            db.session.commit()

    return add


@pytest.fixture
def admin_key(app, runner):
    """Create the administrator; return their authenticator key and recovery codes."""
    result = runner.invoke(args=["directory", "create-admin", ADMIN, "--password", ADMIN_PASSWORD])
    assert result.exit_code == 0, result.output
    secret = re.search(r"^  ([A-Z2-7]{32})$", result.output, re.M).group(1)
    codes = re.findall(r"^  ([0-9a-f]{6}-[0-9a-f]{6})$", result.output, re.M)
    return secret, codes
