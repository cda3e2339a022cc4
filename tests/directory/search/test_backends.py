"""The two search backends side by side (issue 14, item 1): Whoosh and PostgreSQL full text.

On the same 1,000 samples, a few hundred generated searches (words from the profiles and the
guide's vocabulary, phrases, AND/OR/NOT, typos, every filter) must match the same practitioners
with the same totals and facet counts on both; only the ranking may differ. PostgreSQL only.
"""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date

import pytest
from sqlalchemy import text

from directory.core import vocabulary as v
from directory.core.places import find_place
from directory.extensions import db
from directory.practitioners.models import Practitioner
from directory.search import SearchParams, sync
from tests.apps import make_app
from tests.factories import make_record

pytestmark = pytest.mark.postgres_only(reason="the PostgreSQL search backend")

WORDS = ["anxiety", "critic", "inner", "attachment", "dialectical", "schema", "couples",
         "trauma", "grief", "boundaries", "perfectionism", "emotions", "feelings", "trust",
         "relationships", "burnout", "mindfulness", "parts", "somatic", "compassion", "emdr",
         "atachment", "dialectcal", "the", "and", "Spanish", "Ohio", "Lisa", "Murphy", "sex",
         "depression", "self-criticism", "people-pleasing", "numb", "ACT", "CBT",
         "IFS"]  # fmt: skip
PHRASES = ['"inner critic"', '"close relationships"', '"self compassion"', '"not being good"']
ORIGINS = ["43210", "94110", "10001", "60614", "73301", "82001"]


def generated_searches(count: int, seed: int = 14) -> list[SearchParams]:
    rng = random.Random(seed)
    out = []
    for _ in range(count):
        words = rng.sample(WORDS, rng.choice([0, 1, 1, 2, 2, 3]))
        if rng.random() < 0.2:
            words.append(rng.choice(PHRASES))
        if len(words) >= 2 and rng.random() < 0.4:
            words.insert(rng.randrange(1, len(words)), rng.choice(["AND", "OR", "NOT"]))
        params = SearchParams(q=" ".join(words))
        if rng.random() < 0.5:
            params = replace(params, state=rng.choice(["CA", "TX", "OH", "NY", "WY", "FL"]))
        if rng.random() < 0.25:
            params = replace(params, approach=(rng.choice(sorted(v.APPROACHES)),))
        if rng.random() < 0.2:
            params = replace(params, concern=(rng.choice(sorted(v.CONCERNS)),))
        if rng.random() < 0.2:
            params = replace(params, language=(rng.choice(sorted(v.LANGUAGES)),))
        if rng.random() < 0.15:
            params = replace(params, license=rng.choice(sorted(v.LICENSE_KINDS)))
        if rng.random() < 0.15:
            params = replace(params, format=rng.choice(sorted(v.FORMATS)))
        if rng.random() < 0.15:
            params = replace(params, insurance=rng.choice(sorted(v.INSURANCE_PLANS)))
        if rng.random() < 0.1:
            params = replace(params, access=(rng.choice(sorted(v.ACCOMMODATIONS)),))
        for flag in ("accepting", "free_consultation", "verified"):
            if rng.random() < 0.15:
                params = replace(params, **{flag: True})
        if rng.random() < 0.2:
            params = replace(params, max_fee=rng.choice([60, 100, 140, 200]))
        if rng.random() < 0.15:
            place = find_place(rng.choice(ORIGINS)).place
            params = replace(params, zip=place.zip, origin=place.origin,
                             radius=rng.choice([10, 25, 50, 100]))  # fmt: skip
        out.append(params)
    return out


@pytest.fixture(scope="module")
def both(tmp_path_factory):
    folder = tmp_path_factory.mktemp("backends")
    with make_app(folder / "whoosh", samples=True) as whoosh:
        with make_app(folder / "postgres", samples=True, SEARCH_BACKEND="postgres") as pg:
            yield whoosh, pg


def answer(app, params: SearchParams, day: date | None = None):
    with app.app_context(), sync.search_index(app).searching() as searcher:
        searcher.day = day
        result = searcher.search(params)
        return result, searcher.matching_ids(params)


def test_generated_searches_match_the_same_practitioners_on_both(both):
    whoosh, pg = both
    searches = generated_searches(300)
    nonempty = 0
    for params in searches:
        (w_result, w_ids), (p_result, p_ids) = answer(whoosh, params), answer(pg, params)
        assert p_ids == w_ids, params
        assert p_result.total == w_result.total == len(w_ids), params
        assert p_result.facets == w_result.facets, params
        assert {h.id for h in p_result.hits} <= p_ids
        nonempty += bool(w_ids)
    assert nonempty > 100  # the mix finds people, not only empty pages


@pytest.mark.parametrize("day", ["2027-01-20", "2027-09-01", "2028-06-30", "2031-01-01"])
def test_on_later_days_both_backends_read_the_day_without_rewriting_a_document(both, day):
    # Whoosh reads the day from its match features, PostgreSQL from the documents' epochs
    # (search_epoch); neither rewrites anything, and both agree with each other on the day.
    whoosh, pg = both
    on = date.fromisoformat(day)
    rows = text("SELECT pid, version, valid_until, xmin::text FROM search_document ORDER BY pid")
    with pg.app_context():
        before = db.session.execute(rows).all()
        past = db.session.execute(
            text("SELECT count(*) FROM search_document WHERE valid_until < :d"), {"d": on}
        ).scalar()
    assert past > 20  # licenses, authorities and confirmations have lapsed by then
    for app in both:
        app.config["DIRECTORY_TODAY"] = day
    try:
        on_the_day = [SearchParams(state=s) for s in ("CA", "TX", "OH", "NY", "WY")]
        on_the_day += [SearchParams(verified=True), SearchParams(accepting=True)]
        for params in on_the_day + generated_searches(60, seed=on.toordinal()):
            (w_result, w_ids), (p_result, p_ids) = answer(whoosh, params, on), answer(pg, params)
            assert p_ids == w_ids, params
            assert p_result.total == w_result.total and p_result.facets == w_result.facets
        with pg.app_context(), sync.search_index(pg).searching() as searcher:
            by_state = {s: searcher.practitioners_in_state(s)[0].tolist() for s in ("CA", "OH")}
        for state, ids in by_state.items():
            assert set(ids) == answer(whoosh, SearchParams(state=state), on)[1]
        # Against the first day: the lapses changed who is found.
        first = answer(pg, SearchParams(verified=True), date(2026, 11, 1))[1]
        assert answer(pg, SearchParams(verified=True))[1] != first
    finally:
        for app in both:
            app.config["DIRECTORY_TODAY"] = "2026-11-01"
    with pg.app_context():
        assert db.session.execute(rows).all() == before


def test_the_daily_refresh_rewrites_only_documents_past_their_first_stretch(tmp_path):
    with make_app(tmp_path, SEARCH_BACKEND="postgres") as app:
        client, runner = app.test_client(), app.test_cli_runner()
        from directory.core.records import parse_record
        from directory.practitioners.importer import import_profiles

        with app.app_context():
            import_profiles(db.session, [
                parse_record(make_record(name="Lapsing Soon", in_person=False,
                                         license={"expires_on": "2026-11-15"})),
                parse_record(make_record(name="Good For Years", in_person=False,
                                         license={"expires_on": "2029-11-15"})),
            ])  # fmt: skip
            db.session.commit()
        assert client.get("/api/v1/practitioners?state=OH").json["total"] == 2
        app.config["DIRECTORY_TODAY"] = "2026-12-01"
        found = client.get("/api/v1/practitioners?state=OH").json["results"]
        assert [r["name"] for r in found] == ["Good For Years"]
        assert runner.invoke(args=["directory", "verify"]).exit_code == 0  # nothing is stale
        rows = text("SELECT p.name, d.valid_until, d.xmin::text FROM search_document d "
                    "JOIN practitioner p ON p.id = d.pid ORDER BY p.name")  # fmt: skip
        with app.app_context():
            (good, *_), (lapsed, lapsed_until, _) = before = db.session.execute(rows).all()
        assert lapsed == "Lapsing Soon" and lapsed_until < date(2026, 12, 1)
        result = runner.invoke(args=["directory", "refresh"])
        assert result.exit_code == 0 and "Re-indexed 1 " in result.output
        with app.app_context():
            after = db.session.execute(rows).all()
        # Rewritten as of the day, and valid from it; the other row untouched.
        assert after[0] == before[0] and after[1][1] >= date(2026, 12, 1)
        assert after[1][2] != before[1][2]
        assert client.get("/api/v1/practitioners?state=OH").json["total"] == 1


def test_the_same_pages_in_name_fee_and_distance_order(both):
    whoosh, pg = both
    place = find_place("43210").place
    for sort in ("name", "fee", "distance"):
        params = SearchParams(state="OH", sort=sort, per_page=100, zip=place.zip,
                              origin=place.origin, radius=100)  # fmt: skip
        w, p = answer(whoosh, params)[0], answer(pg, params)[0]
        assert w.total == p.total > 10
        if sort == "name":  # names are unique enough among the samples in one state
            assert [h.id for h in w.hits] == [h.id for h in p.hits]


def test_pages_by_relevance_are_the_ranking_of_every_match_page_by_page(both):
    """A ranked page, its total and its facets come from one pass over the matches: each
    page is the slice of the whole ranking (score, then id) that a plain statement gives."""
    from directory.search.pgquery import RANK_WEIGHTS, tsquery
    from directory.search.text import parse_text

    _, pg = both
    for words, state in (("anxiety", None), ("trust", "OH"), ('"inner critic"', None)):
        q = tsquery(parse_text(words)[0])
        with pg.app_context():
            ranked = db.session.execute(text(
                f"SELECT pid FROM search_document WHERE doc @@ CAST(:q AS tsquery) "  # noqa: S608
                "AND (CAST(:s AS text) IS NULL OR states @> ARRAY[CAST(:s AS text)]) ORDER BY "
                f"ts_rank_cd('{RANK_WEIGHTS}', doc, CAST(:q AS tsquery)) DESC, pid"
            ), {"q": q, "s": state}).scalars().all()  # fmt: skip
        assert len(ranked) > 12
        pages = [answer(pg, SearchParams(q=words, state=state, per_page=5, page=n))[0]
                 for n in (1, 2, 3)]  # fmt: skip
        assert [[h.id for h in page.hits] for page in pages] == [ranked[:5], ranked[5:10],
                                                                 ranked[10:15]]  # fmt: skip
        assert {page.total for page in pages} == {len(ranked)}
        assert pages[0].facets == pages[2].facets
        assert sum(pages[0].facets["license"].values()) >= len(ranked)


def test_a_page_of_results_reads_each_collection_in_one_query(both):
    """The PostgreSQL backend's results come from the database: a page loads every
    practitioner's licenses, authorities and approaches in one query each, not one query
    per practitioner (the search API read authorities lazily, 20 queries a page)."""
    import re

    from tests.apps import sql_statements

    _, pg = both
    client = pg.test_client()
    found, statements = sql_statements(pg, lambda: client.get("/api/v1/practitioners").json)
    assert len(found["results"]) == 20
    for table in ("license", "compact_authority", "approach_training"):
        assert len([s for s in statements if re.search(rf"\bFROM {table}\b", s)]) == 1, table


def test_postgres_says_did_you_mean_and_names_unmentioned_words(both):
    _, pg = both
    result = answer(pg, SearchParams(q="atachment"))[0]
    assert result.suggestion == "attachment" and result.total == 0
    result = answer(pg, SearchParams(q="EMDR"))[0]
    assert result.suggestion is None and result.unmentioned == ("EMDR",)


def test_postgres_ranks_a_name_above_a_bio_mention(tmp_path):
    with make_app(tmp_path, SEARCH_BACKEND="postgres") as app:
        with app.app_context():
            from directory.core.records import parse_record
            from directory.practitioners.importer import import_profiles

            import_profiles(db.session, [
                parse_record(make_record(name="Robin Meadow", bio="Works with couples.")),
                parse_record(make_record(name="Sam Ortiz", bio="Trained by Dr. Meadow years ago.")),
            ])  # fmt: skip
            db.session.commit()
        result = answer(app, SearchParams(q="meadow"))[0]
        assert result.total == 2
        with app.app_context():
            first = db.session.get(Practitioner, result.hits[0].id)
        assert first.name == "Robin Meadow"
        assert result.hits[0].score > result.hits[1].score


def test_postgres_documents_are_written_in_the_saving_transaction(tmp_path):
    with make_app(tmp_path, SEARCH_BACKEND="postgres") as app:
        from directory.core.records import parse_record
        from directory.practitioners.importer import import_profiles

        with app.app_context():
            import_profiles(db.session, [parse_record(make_record(name="Kept Row"))])
            db.session.flush()
            db.session.rollback()  # a save that fails writes no search document either
            assert db.session.execute(text("SELECT count(*) FROM search_document")).scalar() == 0
            import_profiles(db.session, [parse_record(make_record(name="Kept Row"))])
            db.session.commit()
            row = db.session.execute(text("SELECT version, doc::text FROM search_document")).one()
            p = db.session.query(Practitioner).one()
            assert row.version == p.version and "'kept':1A" in row.doc
            p.published = False
            db.session.commit()
            assert db.session.execute(text("SELECT count(*) FROM search_document")).scalar() == 0
        assert sync.verify(app).ok
        assert sync.drain(app) == 0  # nothing to drain: every commit wrote its own rows


def test_postgres_backend_health_and_a_database_that_is_not_postgres(tmp_path):
    with make_app(tmp_path, SEARCH_BACKEND="postgres") as app:
        assert app.test_client().get("/healthz").json == {
            "status": "ok", "database": "ok", "search": "ok"}  # fmt: skip
        with app.app_context():
            db.session.execute(text("DROP TABLE search_word, search_epoch, search_document"))
            db.session.commit()
        r = app.test_client().get("/healthz")
        assert r.status_code == 503
        assert (
            r.json["search"]
            == "unavailable: the search documents cannot be read (ProgrammingError)"
        )
    from app import create_app

    with pytest.raises(RuntimeError, match="SEARCH_BACKEND=postgres needs a PostgreSQL"):
        create_app({"TESTING": True, "SECRET_KEY": "t", "SEARCH_BACKEND": "postgres",
                    "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'x.sqlite3'}"})  # fmt: skip


def test_postgres_keeps_an_answer_until_any_server_changes_a_document(tmp_path):
    """A server answers a search again from memory while ``search_stamp`` reads the same; a
    save on another server (another app on the database) moves it in the saving transaction."""
    from app import create_app
    from directory.core.records import parse_record
    from directory.practitioners.importer import import_profiles
    from tests.apps import sql_statements

    def add(app, name: str) -> None:
        with app.app_context():
            import_profiles(db.session, [parse_record(make_record(name=name))])
            db.session.commit()

    def search(app, q: str = "meadow"):
        def run():
            with sync.search_index(app).searching() as searcher:
                found = searcher.search(SearchParams(q=q))
                return (
                    found.total,
                    sorted(found.facets["license"].items()),
                    (len(searcher.practitioners_in_state("OH")[0])),
                )

        return sql_statements(app, run)

    with make_app(tmp_path, SEARCH_BACKEND="postgres") as app:
        add(app, "Robin Meadow")
        first, sent = search(app)
        assert first[0] == 1 and first[2] == 1 and len(sent) > 2
        again, sent = search(app)
        assert again == first
        assert sent == ["SELECT n FROM search_stamp"] * 2  # the search and the state's list
        other = create_app({**app.config, "SEARCH_INDEX_DIR": str(tmp_path / "other")})
        add(other, "Sam Meadow")
        later, sent = search(app)
        assert later[0] == 2 and later[2] == 2 and len(sent) > 2
        with app.app_context():  # a write that is rolled back moves nothing
            import_profiles(db.session, [parse_record(make_record(name="Lee Meadow"))])
            db.session.flush()
            db.session.rollback()
        assert search(app) == (later, ["SELECT n FROM search_stamp"] * 2)
        with other.app_context():
            db.engine.dispose()


def test_facets_counted_from_bits_and_from_arrays_agree(both, monkeypatch):
    """Facet counts read each row's facet_bits, which the database makes from its arrays with
    the vocabulary of its migration: the code's vocabulary (a test that fails when it changes
    without a migration), and, for a database of another, the same counts from the arrays."""
    from directory.search import postgres
    from directory.search.pgdocs import FACET_FORMAT, FACET_KEYS, FACET_SHIFT, facet_bits

    _, pg = both
    assert len(FACET_KEYS) <= FACET_SHIFT
    with pg.app_context():
        rows = db.session.execute(text("SELECT approach, license, language, format, facet_bits "
                                       "FROM search_document")).all()  # fmt: skip
        assert len(rows) > 500
        for *arrays, bits in rows:
            named = dict(zip(("approach", "license", "language", "format"), arrays, strict=True))
            assert bits == facet_bits(named)
    searches = generated_searches(60, seed=5)
    before = [answer(pg, params)[0].facets for params in searches]
    assert any(any(counts.values()) for facets in before for counts in facets.values())
    other = postgres.FACET_SQL.replace(f"FROM {FACET_FORMAT})", f"FROM {FACET_FORMAT ^ 1})")
    assert other != postgres.FACET_SQL
    monkeypatch.setattr(postgres, "FACET_SQL", other)  # as code with another vocabulary
    with pg.app_context():
        db.session.execute(text("UPDATE search_stamp SET n = n + 1"))  # forget kept answers
        db.session.commit()
    assert [answer(pg, params)[0].facets for params in searches] == before


def test_a_search_is_planned_for_its_own_values_and_leaves_seqscan_as_it_was(both):
    """Each search statement is planned for its values (psycopg prepares a statement run five
    times, and a generic plan served most words and states badly); the table scans turned off
    for a statement with words are back on after it."""
    _, pg = both
    sync.search_index(pg).kept.clear()  # so that the search runs its statements
    with pg.app_context(), sync.search_index(pg).searching() as searcher:
        searcher.search(SearchParams(q="trust", state="OH"))
        setting = "SELECT current_setting('plan_cache_mode'), current_setting('enable_seqscan')"
        assert db.session.execute(text(setting)).one() == ("force_custom_plan", "on")
        db.session.rollback()
        assert db.session.execute(text(setting)).one() == ("auto", "on")  # for its transaction
