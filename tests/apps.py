"""Building and disposing of test applications, each with its own database and index."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from flask import Flask
from flask_migrate import upgrade

from app import create_app
from directory.cli import import_file
from directory.extensions import db
from directory.search import sync


@contextmanager
def make_app(folder: Path, *, samples: bool = False, **config) -> Iterator[Flask]:
    """Yield an app on a fresh database and index in ``folder`` (with the samples if asked)."""
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'test.sqlite3'}",
            "SEARCH_INDEX_DIR": str(folder / "index"),
            "DIRECTORY_TODAY": "2026-11-01",
            "DRAIN_OUTBOX_ON_START": False,
            "MAIL_FOLDER": str(folder / "mail"),
            # OWASP's minimum argon2id parameters: the same algorithm, faster tests.
            "PASSWORD_HASH_PROFILE": "minimum",
            **config,
        }
    )
    with app.app_context():
        upgrade()
        if samples:
            import_file(app.config["SAMPLE_DATA"])
    sync.rebuild(app)
    try:
        yield app
    finally:
        app.extensions["search_index"].close()
        with app.app_context():
            db.engine.dispose()
