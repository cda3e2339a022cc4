"""Fixtures: a fresh app, database and search index for every test."""

from __future__ import annotations

import pytest
from flask_migrate import upgrade

from app import create_app
from directory import indexing
from directory.extensions import db
from directory.importer import import_profiles
from directory.records import parse_record


@pytest.fixture
def app(tmp_path):
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'test.sqlite3'}",
            "SEARCH_INDEX_DIR": str(tmp_path / "index"),
            "DIRECTORY_TODAY": "2026-11-01",
            "DRAIN_OUTBOX_ON_START": False,
            "MAIL_FOLDER": str(tmp_path / "mail"),
            # OWASP's minimum argon2id parameters: the same algorithm, faster tests.
            "PASSWORD_HASH_PROFILE": "minimum",
        }
    )
    with app.app_context():
        upgrade()
    indexing.rebuild(app)
    yield app
    app.extensions["search_index"].close()
    with app.app_context():
        db.engine.dispose()


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
