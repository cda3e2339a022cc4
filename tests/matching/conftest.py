"""A directory holding the 1,000 fictional samples, shared by the read-only matching tests."""

import pytest
from flask_migrate import upgrade

from app import create_app
from directory import indexing
from directory.cli import import_file
from directory.extensions import db


@pytest.fixture(scope="module")
def sample_app(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("samples")
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp / 'samples.sqlite3'}",
            "SEARCH_INDEX_DIR": str(tmp / "index"),
            "DIRECTORY_TODAY": "2026-11-01",
            "DRAIN_OUTBOX_ON_START": False,
        }
    )
    with app.app_context():
        upgrade()
        import_file(app.config["SAMPLE_DATA"])
    indexing.rebuild(app)
    yield app
    app.extensions["search_index"].close()
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def api(sample_app):
    client = sample_app.test_client()

    def match(**answers):
        r = client.post("/api/v1/match", json=answers)
        assert r.status_code == 200, r.json
        return r.json

    return match
