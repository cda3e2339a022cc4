"""On PostgreSQL a document carries its practitioner's match features (issue 14): a server's
first match in a state reads them with the documents instead of loading every profile, and a
row without them (written before they were, or by other code) is made from the profile.
PostgreSQL only."""

from __future__ import annotations

import json
import zlib
from dataclasses import replace
from datetime import date

import numpy as np
import pytest
from sqlalchemy import text

from directory.core.compacts import load_compacts
from directory.core.features import feature_row
from directory.extensions import db
from directory.practitioners.queries import location_of, published_profiles
from directory.search import sync
from directory.search.pgdocs import pack_features, unpack_features
from directory.web import today
from matching import services
from tests.apps import make_app

pytestmark = pytest.mark.postgres_only(reason="features stored with PostgreSQL documents")


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    folder = tmp_path_factory.mktemp("stored")
    with make_app(folder, samples=True, SEARCH_BACKEND="postgres") as made:
        yield made


def same(a, b) -> bool:
    """Whether two feature rows hold the same (NaN, for no location, equal to itself)."""
    pairs = zip(a.values, b.values, strict=True)
    return (
        all(x == y or (x != x and y != y) for x, y in pairs)
        and a.levels == b.levels
        and a.texts[:-1] == b.texts[:-1]
        and a.epochs == b.epochs
    )


def in_state(app, state: str):
    with sync.search_index(app).searching() as searcher:
        ids, versions = searcher.practitioners_in_state(state)
        return ids, versions, searcher.feature_rows(ids.tolist())


def test_each_document_holds_the_features_its_profile_makes(app):
    with app.app_context():
        ids, _, stored = in_state(app, "OH")
        assert len(ids) > 20 and set(stored) == set(ids.tolist())
        compacts, on = load_compacts(), today()
        for row, profile in published_profiles(db.session, ids.tolist()).values():
            made = feature_row(row.id, row.version, row.slug, profile, location_of(row), on,
                               compacts)  # fmt: skip
            assert same(stored[row.id], made), row.id
            assert unpack_features(pack_features(made)) is not None
    # Bytes no version of this code packed are not features: made from the profile instead.
    for data in (b"", b"not zlib", zlib.compress(b"[1, 2]"), zlib.compress(b"{}")):
        assert unpack_features(data) is None


def test_a_first_match_reads_no_profile_and_judges_as_one_made_from_profiles(app, monkeypatch):
    loads = []
    real = services.published_profiles

    def counted(session, ids):
        loads.append(len(ids))
        return real(session, ids)

    monkeypatch.setattr(services, "published_profiles", counted)
    with app.app_context():
        ids, versions, _ = in_state(app, "CA")
        on = today()
        with sync.search_index(app).searching() as searcher:
            stored = services.Candidates().table("CA", ids, versions, on, searcher.feature_rows)
        assert loads == []  # every candidate's features came with its document
        made = services.Candidates().table("CA", ids, versions, on, lambda ids: {})
        assert sum(loads) == len(ids)
        assert stored.count == made.count == len(ids)
        for name, column in made.columns.items():
            assert np.array_equal(stored[name], column, equal_nan=column.dtype.kind == "f"), name
        assert np.array_equal(stored.credits, made.credits)
        assert stored.text("background", range(stored.count)) == made.text(
            "background", range(made.count)
        )


def test_rows_without_readable_features_or_behind_the_day_are_made_from_profiles(app, monkeypatch):
    loaded: list[int] = []
    real = services.published_profiles

    def counted(session, ids):
        loaded.extend(ids)
        return real(session, ids)

    monkeypatch.setattr(services, "published_profiles", counted)
    with app.app_context():
        ids, versions, stored = in_state(app, "NY")
        first, second, third = ids.tolist()[:3]
        # The third's features say what holds only until ten days from now (as when a long
        # run of changes was cut at MAX_EPOCHS).
        cut = today().toordinal() + 10
        short = stored[third]
        short = replace(short, epochs=(*short.epochs[:-1], (*short.epochs[-1][:1], cut,
                                                            *short.epochs[-1][2:])))  # fmt: skip
        db.session.execute(text("UPDATE search_document SET features = NULL WHERE pid = :p"),
                           {"p": first})  # fmt: skip
        db.session.execute(
            text("UPDATE search_document SET features = :f WHERE pid = :p"),
            {"f": _other_format(pack_features(stored[second])), "p": second},
        )
        db.session.execute(text("UPDATE search_document SET features = :f WHERE pid = :p"),
                           {"f": pack_features(short), "p": third})  # fmt: skip
        db.session.commit()
        try:
            with sync.search_index(app).searching() as searcher:
                services.Candidates().table("NY", ids, versions, today(), searcher.feature_rows)
            assert sorted(loaded) == sorted([first, second])
            # A day past a row's last epoch: that row's stored features no longer say the day.
            assert third not in loaded  # ten days from now is not today
            later = date.fromordinal(cut + 1)
            loaded.clear()
            with sync.search_index(app).searching() as searcher:
                services.Candidates().table("NY", ids, versions, later, searcher.feature_rows)
            assert third in loaded and first in loaded
        finally:
            with app.test_request_context():
                from directory.search.pgdocs import rewrite

                rewrite(app, [first, second, third])


def _other_format(packed: bytes) -> bytes:
    """Return the same features as another version of the code would have packed them."""
    data = json.loads(zlib.decompress(packed))
    data[0] += 1
    return zlib.compress(json.dumps(data).encode())


def test_a_state_seen_since_reads_its_table_again_until_the_index_changes(app):
    """A server without index features keeps the last states' tables, each for the candidate
    arrays the index kept (new arrays after any document changed): read-only, since every
    match there shares them."""
    with app.app_context(), sync.search_index(app).searching() as searcher:
        ids, versions = searcher.practitioners_in_state("OH")
        candidates, on = services.Candidates(), today()
        first = candidates.table("OH", ids, versions, on, searcher.feature_rows)
        assert candidates.table("OH", ids, versions, on, searcher.feature_rows) is first
        assert not first["id"].flags.writeable and not first.credits.flags.writeable
        new_ids, new_versions = ids.copy(), versions.copy()
        again = candidates.table("OH", new_ids, new_versions, on, searcher.feature_rows)
        assert again is not first and np.array_equal(again["id"], first["id"])
        tomorrow = date.fromordinal(on.toordinal() + 1)
        later = candidates.table("OH", new_ids, new_versions, tomorrow, searcher.feature_rows)
        assert later is not again  # made for its own day
        for state in ("CA", "TX", "NY", "FL", "PA", "IL", "GA", "NC", "MI"):
            candidates.table(
                state, *searcher.practitioners_in_state(state), on, searcher.feature_rows
            )
        assert len(candidates.tables) == services.KEPT_TABLES and "OH" not in candidates.tables
