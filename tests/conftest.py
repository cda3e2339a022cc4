"""Fixtures: a fresh app, database and search index for every test."""

from __future__ import annotations

import re

import pytest

from directory.core.records import parse_record
from directory.extensions import db
from directory.practitioners.importer import import_profiles
from tests.apps import make_app
from tests.directory.account_helpers import ADMIN, ADMIN_PASSWORD


@pytest.fixture
def app(tmp_path):
    with make_app(tmp_path) as app:
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
