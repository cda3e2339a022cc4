"""A process starting to serve makes one match and drops it, so a first visitor's is warm."""

from __future__ import annotations

import logging

import pytest

from app import create_app
from directory.extensions import db
from directory.search import sync
from matching import services
from tests.factories import make_record


def started(app):
    """Create another app on the same database and index, as a starting worker does."""
    keys = ("SECRET_KEY", "SQLALCHEMY_DATABASE_URI", "SEARCH_INDEX_DIR", "SEARCH_BACKEND",
            "DIRECTORY_TODAY", "MAIL_FOLDER", "PASSWORD_HASH_PROFILE")  # fmt: skip
    config = {key: app.config[key] for key in keys}
    other = create_app({**config, "TESTING": True, "DRAIN_OUTBOX_ON_START": True})
    # Closed at once: its searchers, and its connections (the test's database is dropped).
    other.extensions["search_index"].close()
    with other.app_context():
        db.session.remove()
        db.engine.dispose()
    return other


@pytest.fixture
def made(monkeypatch):
    calls = []
    monkeypatch.setattr(services, "find_matches", lambda prefs, limit=20: calls.append(prefs))
    return calls


def test_a_starting_process_makes_one_match_where_the_index_keeps_features(app, add, made):
    add(make_record(state="CA", city="Oakland", zip="94612"))
    has_features = sync.search_index(app).features() is not None
    started(app)
    assert [p.state for p in made] == (["CA"] if has_features else [])


def test_a_test_app_or_an_empty_index_makes_none(app, made):
    assert made == []  # the test's own app: DRAIN_OUTBOX_ON_START is off
    started(app)  # an index without practitioners
    assert made == []


def test_a_failed_warm_up_is_logged_and_the_process_starts(app, add, monkeypatch, caplog):
    add(make_record(state="CA", city="Oakland", zip="94612"))
    if sync.search_index(app).features() is None:
        pytest.skip("the index keeps no features: no warm-up match is made")

    def fails(prefs, limit=20):
        raise RuntimeError("boom")

    monkeypatch.setattr(services, "find_matches", fails)
    with caplog.at_level(logging.ERROR, logger="matching.services"):
        other = started(app)
    assert other is not None and "could not make the warm-up match" in caplog.text


def test_a_starting_process_freezes_what_it_made_for_the_collector(app):
    import gc

    gc.unfreeze()
    try:
        assert gc.get_freeze_count() == 0
        started(app)
        assert gc.get_freeze_count() > 0  # left out of the collector's full passes
    finally:
        gc.unfreeze()
