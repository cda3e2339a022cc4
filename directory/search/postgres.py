"""Search on PostgreSQL (``SEARCH_BACKEND = "postgres"``): nothing to follow, nothing to lose.

Each published practitioner has a row in ``search_document``, written in the same transaction
as the change (the outbox's before-commit hook), so every server sees a save the moment it
commits. The row holds a weighted ``tsvector`` (name A, headline B, approaches and concerns C,
bio D) of the very tokens Whoosh's analysers make (so both backends match the same documents,
synonyms included), the filter columns as arrays (GIN indexes), fees, office location and the
last day its states and flags hold (``valid_until``); what they say after it is in
``search_epoch``, one row per stretch of days, and every search reads the documents as they
stand on its day (``DOCUMENTS``), so a lapse needs no rewrite. Searches are ``doc @@ tsquery`` with
``ts_rank_cd``, facet counts over the matched set, and "did you mean" over ``search_word``
(``pg_trgm``). What a search found is kept by each server while ``search_stamp``, moved on
in every transaction that writes documents, reads the same (``kept.Kept``). Highlights are
made by the same function as Whoosh's (``text.highlight_text``) on the page's bios:
``ts_headline`` would stem with PostgreSQL's dictionary, not Whoosh's, and mark other words
than those matched.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import date
from typing import Any

import numpy as np
from sqlalchemy import text
from whoosh.spelling import ListCorrector

from directory.core.features import FeatureRow
from directory.search.kept import Kept
from directory.search.params import (
    FACET_VALUES,
    Hit,
    Relaxation,
    SearchParams,
    SearchResult,
)
from directory.search.pgdocs import FACET_KEYS, _lexeme, _schema, unpack_features
from directory.search.pgquery import (
    DISTANCE,
    DOCUMENTS,
    FACET_ARGS,
    FACET_ARRAYS_SQL,
    FACET_SQL,
    RANK_WEIGHTS,
    ROW_TESTED,
    tsquery,
)
from directory.search.suggest import CANDIDATES, correct
from directory.search.text import _positive_terms, highlight_text, parse_text
from directory.web import today


class PostgresLexicon:
    """The words of the search documents, as ``suggest.correct`` asks about them."""

    def __init__(self, session):
        self.session = session

    def tokens(self, word: str) -> list[str]:
        return [t.text for t in _schema()["spell"].analyzer(word)]

    def _any(self, query: str) -> bool:
        sql = "SELECT EXISTS (SELECT 1 FROM search_document WHERE {} @@ CAST(:q AS tsquery))"
        column = "spell" if ":" not in query else "doc"
        return bool(self.session.execute(text(sql.format(column)), {"q": query}).scalar())

    def has(self, token: str) -> bool:
        return self._any(_lexeme(token))

    def nearby(self, token: str, maxdist: int) -> list[str]:
        similar = self.session.execute(
            text("SELECT word FROM search_word WHERE word % :t ORDER BY similarity(word, :t) "
                 "DESC LIMIT 200"), {"t": token},
        ).scalars().all()  # fmt: skip
        # Words no published profile holds any more are left out, as Whoosh's lexicon would.
        near = ListCorrector(sorted(similar)).suggest(token, limit=CANDIDATES * 4, maxdist=maxdist)
        return [w for w in near if self.has(w)][:CANDIDATES]

    def is_name_word(self, word: str) -> bool:
        stems = [t.text for t in _schema()["name"].analyzer(word)]
        return len(stems) == 1 and self._any(f"{_lexeme(stems[0])}:A")


def _no_facets() -> dict[str, dict[str, int]]:
    return {facet: dict.fromkeys(values, 0) for facet, values in FACET_VALUES.items()}


class PostgresSearcher:
    """Answers searches from ``search_document`` with one database session."""

    # No match features beside it: the documents say what held the day they were written.
    features = None

    def __init__(self, session, kept: Kept | None = None):
        self.session = session
        self.day: date | None = None
        self.kept = kept

    def _keep(self, key: Any, compute: Callable[[], Any]) -> Any:
        """Return ``compute()``, or what it gave for the same key and day while no document
        changed (read in this session, before the search: a save after it moves the stamp)."""
        if self.kept is None:
            return compute()
        stamp = self.session.execute(text("SELECT n FROM search_stamp")).scalar()
        return self.kept.get(stamp, (key, self._today()), compute)

    def _today(self) -> date:
        return self.day if self.day is not None else today()

    def _where(self, params: SearchParams, q: str | None) -> tuple[str, dict[str, Any]]:
        clauses: list[str] = ["TRUE"]
        args: dict[str, Any] = {"today": self._today()}
        by_column: dict[str, list[str]] = defaultdict(list)
        for column, value in params.keyword_terms():
            by_column[column].append(value)
        for i, (column, values) in enumerate(sorted(by_column.items())):
            if column in ROW_TESTED:  # ``value = ANY(column)`` is not answered by the index
                clauses.extend(f"CAST(:a{i}_{k} AS text) = ANY({column})"
                               for k in range(len(values)))  # fmt: skip
                args.update({f"a{i}_{k}": value for k, value in enumerate(values)})
            else:
                clauses.append(f"{column} @> CAST(:a{i} AS text[])")
                args[f"a{i}"] = values
        if params.max_fee is not None:
            clauses.append("lowest_fee <= :max_fee")
            args["max_fee"] = params.max_fee
        if params.origin and params.radius:
            clauses.append(f"lat IS NOT NULL AND {DISTANCE} <= :radius")
            args.update(lat=params.origin[0], lon=params.origin[1], radius=params.radius)
        if q is not None:
            clauses.append("doc @@ CAST(:q AS tsquery)")
            args["q"] = q
        return " AND ".join(clauses), args

    def _run(self, sql: str, args: dict[str, Any], q: str | None) -> list[Any]:
        """Execute a statement, planned for its own values; one with words reads the text
        index, never the table (settings local to the transaction: a rollback undoes them).

        psycopg prepares a statement run five times, and PostgreSQL then plans it once for
        any values: one plan for every word and state, which for most was the wrong one (text
        + 2 filters took 118 ms on average at 100,000 against 50 planned each time). And it
        costs ``doc @@ q`` as cheap, so for a common word it scanned the table and read every
        document to test it, where the GIN index answers an unweighted word alone
        (``pgquery``): 350 against 26 ms for a count."""
        was = self.session.execute(text(
            "SELECT current_setting('enable_seqscan'), set_config('plan_cache_mode', "
            "'force_custom_plan', true), set_config('enable_seqscan', CASE WHEN :words "
            "THEN 'off' ELSE current_setting('enable_seqscan') END, true)"
        ), {"words": q is not None}).scalar()  # fmt: skip
        rows = self.session.execute(text(sql), args).all()
        if q is not None:
            self.session.execute(text("SELECT set_config('enable_seqscan', :was, true)"),
                                 {"was": was})  # fmt: skip
        return rows

    def _count(self, params: SearchParams, q: str | None) -> int:
        where, args = self._where(params, q)
        sql = f"SELECT count(*) FROM {DOCUMENTS} WHERE {where}"  # noqa: S608 (fixed parts)
        return int(self._run(sql, args, q)[0][0])

    def _totals(self, params: SearchParams, q: str | None) -> tuple[int, dict[str, dict[str, int]]]:
        """Return how many documents match and the facet counts over them, in one pass."""
        where, args = self._where(params, q)
        sql = f"SELECT count(*), {FACET_SQL} FROM {DOCUMENTS} WHERE {where}"  # noqa: S608
        return self._counted(self._run(sql, args, q)[0], where, args, q)

    def _counted(
        self, row: Any, where: str, args: dict[str, Any], q: str | None
    ) -> tuple[int, dict[str, dict[str, int]]]:
        """Return the total and facet counts of a row of counts (``FACET_SQL``)."""
        if row[-1]:  # some matched rows have no bits yet (until a reindex): their arrays
            sql = f"SELECT count(*), {FACET_ARRAYS_SQL} FROM {DOCUMENTS} WHERE {where}"  # noqa: S608
            row = self._run(sql, {**args, **FACET_ARGS}, q)[0]
        counts = _no_facets()
        for (facet, key), count in zip(FACET_KEYS, row[1 : 1 + len(FACET_KEYS)], strict=True):
            counts[facet][key] = int(count)
        return int(row[0]), counts

    def matching_ids(self, params: SearchParams) -> set[int]:
        """Return the ids of every practitioner the search matches (all pages)."""
        text_q, _ = parse_text(params.q)
        q = tsquery(text_q) if text_q is not None else None
        if text_q is not None and q is None:
            return set()
        where, args = self._where(params, q)
        sql = f"SELECT pid FROM {DOCUMENTS} WHERE {where}"  # noqa: S608 (fixed parts)
        return {row[0] for row in self._run(sql, args, q)}

    def search(
        self,
        params: SearchParams,
        load_bios: Callable[[list[int]], dict[int, str]] | None = None,
    ) -> SearchResult:
        """Run a search and return one page of hits with facets and suggestions (the same
        answer again, from memory, while no document changed)."""
        found: SearchResult = self._keep(
            ("search", params, load_bios is not None), lambda: self._search(params, load_bios)
        )
        return found

    def _search(
        self, params: SearchParams, load_bios: Callable[[list[int]], dict[int, str]] | None
    ) -> SearchResult:
        text_q, fell_back = parse_text(params.q)
        q = tsquery(text_q) if text_q is not None else None
        nothing = text_q is not None and q is None
        sort = params.sort
        if sort == "relevance" and text_q is None:
            sort = "name"
        if sort == "distance" and params.origin is None:
            sort = "name"
        where, args = self._where(params, q)
        if nothing:
            where += " AND FALSE"
        score = f"ts_rank_cd('{RANK_WEIGHTS}', doc, CAST(:q AS tsquery))" if q else "NULL"
        order = {"relevance": "score DESC, pid", "fee": "fee, pid", "name": "name_sort, pid",
                 "distance": f"{DISTANCE} NULLS LAST, pid"}[sort]  # fmt: skip
        if sort == "distance":
            args.update(lat=params.origin[0], lon=params.origin[1])  # type: ignore[index]
        args.update(limit=params.per_page, offset=(params.page - 1) * params.per_page)
        if sort == "relevance" and not nothing:
            rows, total, facets = self._ranked(where, args, score, q)
        else:
            # The page alone (an index scan for name order), then the count: a window count
            # over the page query would make PostgreSQL read and sort every match first.
            sql = (f"SELECT pid, {score} AS score FROM {DOCUMENTS} "  # noqa: S608
                   f"WHERE {where} ORDER BY {order} LIMIT :limit OFFSET :offset")  # fmt: skip
            rows = self._run(sql, args, q)
            total, facets = self._totals(params, q) if not nothing else (0, _no_facets())
        fragments: dict[int, Any] = {}
        if rows and text_q is not None and load_bios is not None:
            words = _positive_terms(text_q, "bio")
            if words:
                bios = load_bios([r.pid for r in rows])
                analyzer = _schema()["bio"].analyzer
                fragments = {pid: highlight_text(bio, words, analyzer) or ()
                             for pid, bio in bios.items() if bio}  # fmt: skip
        hits = tuple(
            Hit(int(r.pid), float(r.score) if sort == "relevance" else None,
                fragments.get(int(r.pid), ())) for r in rows
        )  # fmt: skip
        suggestion, unknown = self.suggest(params.q) if params.q.strip() else (None, ())
        if suggestion is not None and not self.matching_ids(replace(params, q=suggestion)):
            suggestion = None
        unmentioned = tuple(word for word in unknown if not self._matches_any(word))
        relaxations: tuple[Relaxation, ...] = ()
        if total == 0:
            relaxations = self._relaxations(params, q, nothing)
        return SearchResult(
            params=params, total=total, hits=hits,
            facets=facets,
            suggestion=suggestion, unmentioned=unmentioned, relaxations=relaxations,
            text_fallback=fell_back,
        )  # fmt: skip

    def _ranked(
        self, where: str, args: dict[str, Any], score: str, q: str | None
    ) -> tuple[list[Any], int, dict[str, dict[str, int]]]:
        """Return a page by relevance, the total and the facet counts from one pass over the
        matches: ranking reads every match anyway, and a second statement for the counts
        read them all again (at 100,000, 220 ms for a common word against 132 in one pass;
        36 against 52 with a state and a format)."""
        blanks = ", ".join(["NULL"] * (len(FACET_KEYS) + 2))
        sql = (f"WITH m AS MATERIALIZED (SELECT pid, {score} AS score, facet_bits "  # noqa: S608
               f"FROM {DOCUMENTS} WHERE {where}) "
               f"SELECT * FROM ((SELECT 1 AS part, pid, score, {blanks} FROM m "
               "ORDER BY score DESC, pid LIMIT :limit OFFSET :offset) UNION ALL "
               f"SELECT 0, NULL, NULL, count(*), {FACET_SQL} FROM m) AS found "
               "ORDER BY part, score DESC, pid")  # fmt: skip
        found = self._run(sql, args, q)
        total, facets = self._counted(found[0][3:], where, args, q)
        return list(found[1:]), total, facets

    def _matches_any(self, word: str) -> bool:
        parsed = parse_text(word)[0]
        q = tsquery(parsed) if parsed is not None else None
        return q is not None and self._count(SearchParams(), q) > 0

    def _relaxations(self, params: SearchParams, q: str | None, nothing: bool):
        if nothing:
            return ()
        found = []
        for name, label, without in params.active_filters():
            count = self._count(without, q)
            if count:
                found.append(Relaxation(name, label, count, replace(without, page=1)))
        found.sort(key=lambda r: -r.count)
        return tuple(found)

    def suggest(self, query: str) -> tuple[str | None, tuple[str, ...]]:
        """Return a corrected text (or None) and the words no profile holds."""
        self.session.execute(text("SET LOCAL pg_trgm.similarity_threshold = 0.2"))
        return correct(PostgresLexicon(self.session), query)

    def practitioners_in_state(self, state: str) -> tuple[np.ndarray, np.ndarray]:
        """Return the ids and versions of everyone who may see clients in ``state``."""
        found: tuple[np.ndarray, np.ndarray] = self._keep(
            ("state", state), lambda: self._in_state(state)
        )
        return found

    def _in_state(self, state: str) -> tuple[np.ndarray, np.ndarray]:
        rows = self.session.execute(
            text(f"SELECT pid, version FROM {DOCUMENTS} "  # noqa: S608 (fixed parts)
                 "WHERE states @> CAST(:s AS text[]) ORDER BY pid"),
            {"s": [state], "today": self._today()},
        ).all()  # fmt: skip
        ids = np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))
        versions = np.fromiter((r[1] for r in rows), dtype=np.int64, count=len(rows))
        ids.flags.writeable = versions.flags.writeable = False  # kept, shared by every match
        return ids, versions

    def feature_rows(self, ids: list[int]) -> dict[int, FeatureRow]:
        """Return the match features written with these practitioners' documents, by id (one
        plain query; an id whose document holds none, or none this code reads, is missing)."""
        sql = text("SELECT features FROM search_document WHERE pid = ANY(:ids) "
                   "AND features IS NOT NULL")  # fmt: skip
        found = {}
        for data in self.session.execute(sql, {"ids": ids}).scalars():
            row = unpack_features(data)
            if row is not None:
                found[row.pid] = row
        return found

    def lapsed(self, on: date) -> list[int]:
        """Return the ids of documents whose epochs no longer say what holds on ``on``."""
        sql = ("SELECT pid FROM search_document d WHERE valid_until < :d AND NOT EXISTS "
               "(SELECT 1 FROM search_epoch e WHERE e.pid = d.pid AND e.starts <= :d "
               "AND :d <= e.ends) ORDER BY pid")  # fmt: skip
        return list(self.session.execute(text(sql), {"d": on}).scalars())

    def document_count(self) -> int:
        """Return how many practitioners are searchable."""
        sql = text("SELECT count(*) FROM search_document")
        return int(self._keep("count", lambda: self.session.execute(sql).scalar()))


class PostgresIndex:
    """What the app keeps as its search index when the documents live in PostgreSQL."""

    backend = "postgres"

    def features(self) -> None:
        """Return None: the documents live in the database, with no match features beside."""
        return None

    def __init__(self, session: Callable[[], Any]):
        self._session = session
        self.followed_at = float("-inf")
        self.kept = Kept()

    @contextmanager
    def searching(self) -> Iterator[PostgresSearcher]:
        yield PostgresSearcher(self._session(), self.kept)

    def problem(self) -> str | None:
        try:
            self._session().execute(text("SELECT 1 FROM search_document LIMIT 1"))
        except Exception as exc:  # noqa: BLE001 (reported, never raised)
            self._session().rollback()
            return f"the search documents cannot be read ({type(exc).__name__})"
        return None

    def health(self) -> str | None:
        return self.problem()

    def exists(self) -> bool:
        return self.problem() is None

    def is_current(self) -> bool:
        """Return whether every published practitioner has its search document (false after
        switching an existing database to this backend, until ``directory reindex``)."""
        if not self.exists():
            return False
        sql = ("SELECT (SELECT count(*) FROM search_document) = "
               "(SELECT count(*) FROM practitioner WHERE published)")  # fmt: skip
        return bool(self._session().execute(text(sql)).scalar())

    def current_dir(self) -> None:
        return None

    def position(self) -> int:
        return 0

    def remove_orphans(self) -> list[str]:
        return []

    def close(self) -> None:
        pass

    def versions(self) -> dict[int, int]:
        rows = self._session().execute(text("SELECT pid, version FROM search_document"))
        return {int(pid): int(version) for pid, version in rows}
