"""The array fast path under search agrees with Whoosh itself: same matches, order and values."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from directory.extensions import db
from directory.practitioners.models import Practitioner
from directory.search import SearchParams
from directory.search.fast import ARRAYS, ranking
from directory.search.sync import search_index
from directory.search.text import parse_text
from tests.apps import make_app

QUERIES = [
    "anxiety",
    "attachment trauma",
    "dialectical",
    "anxiety OR grief",
    "couples NOT anxiety",
    "couples AND (grief OR trauma)",
    '"inner critic"',
    "Spanish",
]


@pytest.fixture(scope="module")
def sample_app(tmp_path_factory):
    with make_app(tmp_path_factory.mktemp("ranking"), samples=True) as app:
        yield app


def whoosh_top(s, q, limit):
    return [(hit.docnum, hit.score) for hit in s.search(q, limit=limit)]


def assert_same_as_whoosh(searcher):
    s = searcher.s
    for text in QUERIES:
        q, _ = parse_text(text)
        mask, scores = searcher.space.evaluate(q)
        expected = set(s.docs_for_query(q))
        assert set(np.flatnonzero(mask & searcher.space.live).tolist()) == expected, text
        ours = ranking.top(scores, mask & searcher.space.live, 20)
        theirs = whoosh_top(s, q, 20)
        # Same scores in the same order; equal scores may come in either order.
        assert [round(float(scores[d]), 3) for d in ours] == [round(x, 3) for _, x in theirs], text
        assert {d: round(x, 3) for d, x in theirs} == {
            int(d): round(float(scores[d]), 3) for d in ours
        }


def test_matches_and_ranking_agree_with_whoosh(sample_app):
    with sample_app.app_context(), search_index().searching() as searcher:
        assert_same_as_whoosh(searcher)


def test_columns_agree_with_whoosh(sample_app):
    with sample_app.app_context(), search_index().searching() as searcher:
        reader = searcher.s.reader()
        for name in ("pid", "version", "fee", "lowest_fee", "lat", "lon"):
            ours = searcher.space.column(name).tolist()
            theirs = list(reader.column_reader(name))
            assert len(ours) == len(theirs)
            for a, b in zip(ours, theirs, strict=True):
                assert (math.isnan(a) and math.isnan(b)) or a == b, name
        names = [reader.column_reader("name_sort")[d] for d in searcher.space.name_order()]
        assert names == sorted(names)


def test_still_agrees_after_updates_add_segments_and_deletions(sample_app):
    with sample_app.app_context():
        for p in db.session.scalars(db.select(Practitioner).limit(5)):
            p.headline = p.headline + " attachment couples"
        db.session.commit()
        doomed = db.session.scalars(db.select(Practitioner).offset(10).limit(3)).all()
        for p in doomed:
            p.published = False
        db.session.commit()
        with search_index().searching() as searcher:
            assert len(searcher.space.leaves) > 1
            assert not searcher.space.live.all()
            assert_same_as_whoosh(searcher)
            # A filter search sees the unpublished ones gone and the edited ones changed.
            ids = {h.id for h in searcher.search(SearchParams(q="attachment", per_page=100)).hits}
            assert not ids & {p.id for p in doomed}


def test_the_array_cache_keeps_to_its_budget():
    before = ARRAYS.budget
    try:
        ARRAYS.clear()
        ARRAYS.budget = 3000
        for i in range(10):
            ARRAYS.get(("test", i), lambda: (np.zeros(100, dtype=np.int64), None))
        assert ARRAYS._size <= 3000
        assert ("test", 9) in ARRAYS._items and ("test", 0) not in ARRAYS._items
    finally:
        ARRAYS.budget = before
        ARRAYS.clear()


def test_bitmaps_round_trip():
    rng = np.random.default_rng(3)
    for count in (0, 1, 7, 8, 9, 1000, 1003):
        mask = rng.random(count) < 0.3
        assert ranking.from_bits(ranking.to_bits(mask), count).tolist() == mask.tolist()
        assert ranking.to_bits(mask).bit_count() == int(mask.sum())


def test_top_breaks_ties_by_document_number():
    scores = np.array([1.0, 3.0, 2.0, 3.0, 3.0, 0.5], dtype=np.float32)
    mask = np.array([True, True, True, True, False, True])
    assert ranking.top(scores, mask, 3).tolist() == [1, 3, 2]
    assert ranking.top(scores, mask, 10).tolist() == [1, 3, 2, 0, 5]
    assert ranking.top(scores, np.zeros(6, dtype=bool), 3).tolist() == []


def test_highlights_are_whooshs_own(sample_app):
    from whoosh import highlight

    from directory.search.text import _positive_terms, _SegmentFormatter, highlight_text

    with sample_app.app_context(), search_index().searching() as searcher:
        analyzer = searcher.s.schema["bio"].analyzer
        bios = db.session.scalars(db.select(Practitioner.bio).limit(300)).all()
        for text in [*QUERIES, "relationships", "anxious parts", "attaching boundaries"]:
            q, _ = parse_text(text)
            words = _positive_terms(q, "bio")
            marked = 0
            for bio in bios:
                fragmenter = highlight.PinpointFragmenter(maxchars=200, surround=60)
                expected = highlight.highlight(
                    bio, words, analyzer, fragmenter, _SegmentFormatter(), top=2
                )
                assert highlight_text(bio, words, analyzer) == expected, (text, bio)
                marked += bool(expected)
            assert marked or text in ("Spanish",), text


def test_a_rebuild_lets_go_of_the_old_generations_arrays(sample_app):
    from directory.search import sync
    from directory.search.fast.arrays import _SEGMENT_ARRAYS

    with sample_app.app_context(), search_index().searching() as searcher:
        searcher.search(SearchParams(q="anxiety"))
        before = {folder for folder, _ in _SEGMENT_ARRAYS}
    sync.rebuild(sample_app)
    with sample_app.app_context(), search_index().searching() as searcher:
        assert searcher.search(SearchParams(q="anxiety")).total
        after = {folder for folder, _ in _SEGMENT_ARRAYS}
    assert len(after) == 1 and after != before


def test_small_drained_segments_with_deletions_at_their_start_score_as_whoosh(sample_app):
    # Saving the same practitioners twice: the second drain deletes the first drain's
    # documents, which start its small segment (one read through Whoosh, not through arrays).
    with sample_app.app_context():
        ids = db.session.scalars(db.select(Practitioner.id).offset(40).limit(6)).all()
        for round_ in range(2):
            for p in db.session.scalars(db.select(Practitioner).where(Practitioner.id.in_(ids))):
                p.headline = f"grief anxiety couples {round_}"
            db.session.commit()
        with search_index().searching() as searcher:
            assert len(searcher.space.leaves) > 2
            for text in ("grief", "anxiety OR grief", "couples grief"):
                q, _ = parse_text(text)
                _, scores = searcher.space.evaluate(q)
                for hit in searcher.s.search(q, limit=None):
                    assert abs(scores[hit.docnum] - hit.score) < 1e-3, (text, hit.docnum)
            for fieldname in ("headline", "concerns_text"):
                frequency = searcher.space.postings(fieldname, "grief", weights=False)[2]
                assert frequency == searcher.s.doc_frequency(fieldname, "grief")


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="abcdefgrstuİIıΣσςKK .*-'\n\t", max_size=120),
       st.sampled_from(["griefs", "trust", "İst", "σας", "k.k", "grief trust"]))  # fmt: skip
@example("İİİİİİ grief", "griefs")  # lowering moves the offsets
@example("a İİİ b grieving grief", "grief")
@example("ΟΔΟΣ ΣΑΣ σας", "σας")  # a final sigma
def test_highlights_of_any_text_are_whooshs_own(text, query):
    from whoosh import highlight

    from directory.search.schema import make_schema
    from directory.search.text import _positive_terms, _SegmentFormatter, highlight_text

    analyzer = make_schema()["bio"].analyzer
    q, _ = parse_text(query)
    words = _positive_terms(q, "bio")
    fragmenter = highlight.PinpointFragmenter(maxchars=200, surround=60)
    expected = highlight.highlight(text, words, analyzer, fragmenter, _SegmentFormatter(), top=2)
    assert highlight_text(text, words, analyzer) == expected


def test_name_order_across_segments_of_short_long_and_accented_names(tmp_path):
    """Each segment's names are kept as bytes for their order (UTF-8 sorts as the text does),
    or as text where one is too long; runs of both kinds merge in the names' order."""
    from directory.core.records import parse_record
    from directory.practitioners.importer import import_profiles
    from directory.search.fast.columns import NAME_KEY_BYTES, sorted_names
    from tests.factories import make_record

    batches = [["Zoë Park", "Ægir Lund", "Élodie Marchand", "Eli Stone"],
               ["Émile Roy", "Aaron Webb", "Zoe Parker"],
               ["Ana " + "Bé" * (NAME_KEY_BYTES // 2), "Ana Bell", "Øyvind Hale"]]  # fmt: skip
    with make_app(tmp_path) as app, app.app_context():
        for names in batches:  # one commit, so one segment, each
            import_profiles(db.session, [parse_record(make_record(name=n)) for n in names])
            db.session.commit()
        with search_index().searching() as searcher:
            assert len(searcher.space.leaves) == len(batches)
            kinds = [sorted_names(leaf)[0].dtype.kind for leaf, _ in searcher.space.leaves]
            reader = searcher.s.reader()
            names = [reader.column_reader("name_sort")[d] for d in range(reader.doc_count_all())]
            order = searcher.space.name_order().tolist()
    assert kinds == ["S", "S", "O"]
    assert order == sorted(range(len(names)), key=lambda d: (names[d], d))
    long_name = "ana " + "bé" * (NAME_KEY_BYTES // 2)
    assert [names[d] for d in order][:3] == ["aaron webb", "ana bell", long_name]
