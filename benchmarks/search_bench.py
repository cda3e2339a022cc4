"""Measure directory search at a given size, against an SQLite FTS5 baseline of the same documents.

    python benchmarks/search_bench.py --count 1000
    python benchmarks/search_bench.py --count 100000 --queries 300
    python benchmarks/search_bench.py --count 100000 --backend postgres \
        --database-url postgresql+psycopg://user:password@127.0.0.1:5432/postgres

With ``--backend postgres`` the practitioners go into a new database on that server (created,
and dropped at the end unless ``--keep``), searched by the PostgreSQL backend, and the same
database is also indexed by Whoosh and searched by it in the same run, side by side.

It imports ``count`` fictional practitioners into a temporary database, builds the Whoosh index,
then runs the searches the /therapists page makes (text and filters, facet counts, highlighted
top 20, total) through the application's own search function. The same queries run against an
FTS5 baseline written as a careful user would (bm25 with column weights, the match materialised
once, facet counts from bitmask columns, ``snippet()``, cached counts for unfiltered browsing),
and each figure is printed with its ratio to that baseline. Results are written to
benchmarks/results/.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import sqlite3
import statistics
import tempfile
import time
from datetime import UTC, datetime
from itertools import islice
from pathlib import Path

from app import create_app
from directory.browse.services import run_search
from directory.core import vocabulary as v
from directory.core.authority import practice_authorities
from directory.core.compacts import load_compacts
from directory.core.records import parse_record
from directory.extensions import db
from directory.practitioners.importer import import_profiles
from directory.practitioners.models import Practitioner
from directory.samples import generate_records
from directory.search import SearchParams, sync
from directory.search.schema import approaches_text, concerns_text
from matching.answers import parse_answers
from matching.services import find_matches

ROOT = Path(__file__).resolve().parent.parent

WORDS = [
    "attachment", "critic", "boundaries", "dialectical", "emotions", "schema", "grounding",
    "perfectionism", "trust", "couples", "anxiety", "parts", "mindfulness", "relationships",
]  # fmt: skip
BIG_STATES = ["CA", "TX", "FL", "NY", "PA", "IL", "OH", "GA", "NC", "MI"]
TODAY = datetime(2026, 11, 1).date()


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    import whoosh

    return (
        f"{platform.system()} {platform.release()}, {os.cpu_count()} cores ({cpu}), "
        f"Python {platform.python_version()}, whoosh {whoosh.versionstring()}, "
        f"SQLite {sqlite3.sqlite_version}"
    )


def make_queries(n: int, seed: int = 7) -> list[tuple[str, SearchParams]]:
    rng = random.Random(seed)
    out: list[tuple[str, SearchParams]] = []
    kinds = ["text", "text+2 filters", "filters only", "browse"]
    for i in range(n):
        kind = kinds[i % len(kinds)]
        if kind == "text":
            params = SearchParams(q=rng.choice(WORDS))
        elif kind == "text+2 filters":
            params = SearchParams(
                q=rng.choice(WORDS),
                state=rng.choice(BIG_STATES),
                format=rng.choice(["telehealth", "in_person"]),
            )
        elif kind == "filters only":
            params = SearchParams(
                state=rng.choice(BIG_STATES),
                accepting=True,
                language=(rng.choice(["es", "en"]),),
            )
        else:
            params = SearchParams(page=rng.randint(1, 5))
        out.append((kind, params))
    return out


def percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    p50 = statistics.median(ordered)
    p95 = ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]
    return p50 * 1000, p95 * 1000


class Fts5Baseline:
    """The same documents in SQLite FTS5, queried as a careful user would write it.

    bm25 with the index's column weights; the text match materialised once into a temporary
    table, filtered there; facet counts as one pass of sums over bitmask columns of the matched
    set; ``snippet()`` for the page's highlights; and for unfiltered browsing, counts computed
    once and kept, with the page read through an index on the sort key.
    """

    FACETS = {"approach": v.APPROACHES, "license": v.LICENSE_KINDS, "language": v.LANGUAGES,
              "format": v.FORMATS}  # fmt: skip
    # bm25 weights in the FTS5 table's column order, as the Whoosh schema boosts its fields.
    WEIGHTS = "3.0, 1.5, 1.0, 2.0, 1.5"

    def __init__(self, path: Path, create: bool = True):
        self.conn = sqlite3.connect(path)
        self.cached: dict[str, object] = {}
        self.bits = {facet: {k: 1 << i for i, k in enumerate(sorted(values))}
                     for facet, values in self.FACETS.items()}  # fmt: skip
        sums = [f"sum(({facet} & {bit}) != 0)" for facet, values in self.bits.items()
                for bit in values.values()]  # fmt: skip
        self.facet_sums = ", ".join(sums)
        if not create:
            return
        self.conn.executescript(
            """
            CREATE VIRTUAL TABLE docs USING fts5(
                name, headline, bio, approaches_text, concerns_text, tokenize='porter unicode61');
            CREATE TABLE meta (id INTEGER PRIMARY KEY, name_sort TEXT, fee INTEGER,
                lowest_fee INTEGER, accepting INTEGER, approach INTEGER, license INTEGER,
                language INTEGER, format INTEGER);
            CREATE INDEX meta_name ON meta (name_sort, id);
            CREATE TABLE state (value TEXT, id INTEGER, PRIMARY KEY (value, id)) WITHOUT ROWID;
            """
        )

    def build(self, rows) -> None:
        compacts = load_compacts()
        docs, meta, states = [], [], []
        for pid, profile in rows:
            docs.append((pid, profile.name, profile.headline, profile.bio,
                         approaches_text(profile.approach_keys),
                         concerns_text(profile.concerns)))  # fmt: skip
            masks = [
                sum(self.bits[facet].get(k, 0) for k in set(keys))
                for facet, keys in (
                    ("approach", profile.approach_keys),
                    ("license", {lic.kind for lic in profile.licenses}),
                    ("language", profile.languages), ("format", profile.formats),
                )
            ]  # fmt: skip
            meta.append((pid, profile.name.casefold(), profile.fee, profile.lowest_fee,
                         int(profile.accepting_known(TODAY)), *masks))  # fmt: skip
            reach = set(practice_authorities(profile, TODAY, compacts))
            states.extend((state, pid) for state in reach)
        with self.conn:
            self.conn.executemany(
                "INSERT INTO docs (rowid, name, headline, bio, approaches_text, concerns_text)"
                " VALUES (?, ?, ?, ?, ?, ?)", docs)  # fmt: skip
            self.conn.executemany("INSERT INTO meta VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", meta)
            self.conn.executemany("INSERT OR IGNORE INTO state VALUES (?, ?)", states)

    def search(self, params: SearchParams) -> int:
        where, args = [], []
        if params.state:
            where.append("m.id IN (SELECT id FROM state WHERE value = ?)")
            args.append(params.state)
        if params.format:
            where.append("(m.format & ?) != 0")
            args.append(self.bits["format"][params.format])
        for lang in params.language:
            where.append("(m.language & ?) != 0")
            args.append(self.bits["language"][lang])
        if params.accepting:
            where.append("m.accepting = 1")
        clause = " AND ".join(where) or "1"
        offset = (params.page - 1) * params.per_page
        if not params.q and not where:
            # Unfiltered browsing: the counts never change between saves; keep them.
            if "browse" not in self.cached:
                total = self.conn.execute("SELECT count(*) FROM meta").fetchone()[0]
                facets = self.conn.execute(f"SELECT {self.facet_sums} FROM meta").fetchone()
                self.cached["browse"] = (total, facets)
            total = self.cached["browse"][0]  # type: ignore[index]
            self.conn.execute(
                "SELECT id FROM meta ORDER BY name_sort, id LIMIT ? OFFSET ?",
                [params.per_page, offset],
            ).fetchall()
            return int(total)
        self.conn.execute("DROP TABLE IF EXISTS temp.hits")
        if params.q:
            self.conn.execute(
                f"CREATE TEMP TABLE hits AS SELECT m.*, bm25(docs, {self.WEIGHTS}) AS score "
                f"FROM docs JOIN meta m ON m.id = docs.rowid WHERE docs MATCH ? AND {clause}",
                [params.q, *args],
            )
            order = "score, id"
        else:
            self.conn.execute(f"CREATE TEMP TABLE hits AS SELECT m.*, 0 AS score FROM meta m "
                              f"WHERE {clause}", args)  # fmt: skip
            order = "name_sort, id"
        total, *_ = self.conn.execute(f"SELECT count(*), {self.facet_sums} FROM hits").fetchone()
        ids = [
            r[0]
            for r in self.conn.execute(
                f"SELECT id FROM hits ORDER BY {order} LIMIT ? OFFSET ?", [params.per_page, offset]
            )
        ]
        if params.q and ids:
            marks = ",".join("?" * len(ids))
            self.conn.execute(
                f"SELECT rowid, snippet(docs, 2, '<mark>', '</mark>', '…', 24) FROM docs "
                f"WHERE docs MATCH ? AND rowid IN ({marks})",
                [params.q, *ids],
            ).fetchall()
        return int(total)


def forget_searches(app) -> None:
    """Empty what searches keep for the next ones: parsed texts, and each pooled searcher's
    text scores, highlighted bios, kept pages and recent bitmaps (those of each filter
    value stay); on PostgreSQL, the answers kept until a document changes."""
    from directory.search import text

    text._parse.cache_clear()
    index = sync.search_index(app)
    for _, _, cache in getattr(index, "_pool", []):
        for key in ("texts", "highlights", "recent"):
            cache.pop(key, None)
    if kept := getattr(index, "kept", None):
        kept.clear()


def build_fts5_from(app, path: Path) -> Fts5Baseline:
    """Build the baseline from the practitioners already in the app's database."""
    from directory.practitioners.queries import published_profiles

    path.unlink(missing_ok=True)
    baseline = Fts5Baseline(path)
    with app.app_context():
        ids = db.session.scalars(db.select(Practitioner.id).order_by(Practitioner.id)).all()
        for start in range(0, len(ids), 5000):
            found = published_profiles(db.session, list(ids[start : start + 5000]))
            baseline.build((pid, profile) for pid, (_, profile) in sorted(found.items()))
    return baseline


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--out", default=str(ROOT / "benchmarks" / "results"))
    parser.add_argument(
        "--reuse",
        metavar="DIR",
        help="time the queries against a folder a previous run left (no import or build)",
    )
    parser.add_argument(
        "--skip-match", action="store_true", help="time searches only (for the largest sizes)"
    )
    parser.add_argument("--skip-fts5", action="store_true", help="no FTS5 baseline")
    parser.add_argument(
        "--cold", action="store_true",
        help="forget what searches keep (parsed texts, text scores, highlights) before each",
    )  # fmt: skip
    parser.add_argument("--backend", choices=["whoosh", "postgres"], default="whoosh")
    parser.add_argument("--database-url", help="a PostgreSQL server (for --backend postgres)")
    parser.add_argument("--keep", action="store_true", help="keep the PostgreSQL database")
    parser.add_argument(
        "--reuse-database", metavar="NAME",
        help="with --reuse and --backend postgres: the database a --keep run left",
    )  # fmt: skip
    parser.add_argument(
        "--chunk", type=int, default=100_000, help="profiles generated and imported at a time"
    )
    args = parser.parse_args()

    tmp = Path(args.reuse) if args.reuse else Path(tempfile.mkdtemp(prefix="fit-bench-"))
    config = {
        "SECRET_KEY": os.urandom(16).hex(),
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp / 'bench.sqlite3'}",
        "SEARCH_INDEX_DIR": str(tmp / "index"),
        "DIRECTORY_TODAY": TODAY.isoformat(),
        "DRAIN_OUTBOX_ON_START": False,
    }  # fmt: skip
    side = None  # with --backend postgres: the Whoosh backend on the same database
    if args.backend == "postgres":
        if not args.database_url or bool(args.reuse) != bool(args.reuse_database):
            parser.error("--backend postgres needs --database-url (--reuse with --reuse-database)")
        config["SQLALCHEMY_DATABASE_URI"] = postgres_database(
            args.database_url, args.keep, args.reuse_database
        )
        side = create_app(config)
        config["SEARCH_BACKEND"] = "postgres"
    app = create_app(config)
    print(f"machine: {machine()}; backend: {args.backend}")
    if not args.reuse:
        print(f"directory size: {args.count:,} generated practitioners")

    from flask_migrate import upgrade

    figures: dict[str, object] = {"count": args.count, "machine": machine(), "folder": str(tmp)}
    if args.backend == "postgres":
        with app.app_context():
            version, buffers = db.session.execute(db.text(
                "SELECT current_setting('server_version'), current_setting('shared_buffers')"
            )).one()  # fmt: skip
        # The documents are read from shared buffers when they fit (docs/DEPLOY.md, 2.).
        print(f"PostgreSQL {version}, shared_buffers {buffers}")
        figures["postgres"] = {"version": version, "shared_buffers": buffers}
    if args.reuse:
        with app.app_context():
            upgrade()
            count = db.session.scalar(db.text("SELECT count(*) FROM practitioner"))
        figures["count"] = count
        print(f"reusing {tmp} ({count:,} practitioners): no import or index build timed")
        fts5_file = tmp / "fts5.sqlite3"
        baseline = None
        if not args.skip_fts5:
            with sqlite3.connect(fts5_file) as conn:
                current = conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'state'")
                strong = current.fetchone() is not None
            if strong:
                baseline = Fts5Baseline(fts5_file, create=False)
            else:  # left by an earlier version of this script: built again, strong
                t = time.perf_counter()
                baseline = build_fts5_from(app, fts5_file)
                print(f"built the FTS5 baseline in {time.perf_counter() - t:.0f} s")
    else:
        with app.app_context():
            upgrade()
        baseline = None if args.skip_fts5 else Fts5Baseline(tmp / "fts5.sqlite3")
        generating = importing = fts5 = 0.0
        records = generate_records(args.count)
        # In chunks, so that a million profiles need not be in memory at once.
        while True:
            t = time.perf_counter()
            chunk = [parse_record(r) for r in islice(records, args.chunk)]
            generating += time.perf_counter() - t
            if not chunk:
                break
            with app.app_context():
                t = time.perf_counter()
                import_profiles(db.session, chunk)
                db.session.commit()
                importing += time.perf_counter() - t
                if baseline is not None:
                    t = time.perf_counter()
                    ids = {}
                    for start in range(0, len(chunk), 10_000):  # PostgreSQL's parameter limit
                        some = [p.external_id for p in chunk[start : start + 10_000]]
                        rows = db.session.execute(
                            db.select(Practitioner.external_id, Practitioner.id).where(
                                Practitioner.external_id.in_(some)
                            )
                        )
                        ids.update(rows.all())
                    baseline.build((ids[p.external_id], p) for p in chunk)
                    fts5 += time.perf_counter() - t
            print(f"  {importing:.0f} s importing so far", flush=True)
        figures["generate_validate_s"] = round(generating, 1)
        figures["import_s"] = round(importing, 1)
        if baseline is not None:
            figures["fts5_build_s"] = round(fts5, 1)
        t = time.perf_counter()
        sync.rebuild(side or app)  # PostgreSQL's documents were written by the import
        figures["index_build_s"] = round(time.perf_counter() - t, 1)
        print(f"import {figures['import_s']} s, Whoosh index build {figures['index_build_s']} s")

    queries = make_queries(args.queries)
    ours: dict[str, list[float]] = {}
    theirs: dict[str, list[float]] = {}
    whoosh: dict[str, list[float]] = {}
    with app.app_context():
        # A fresh process: the first search reads posting lists and columns into memory.
        t = time.perf_counter()
        run_search(queries[0][1])
        figures["first_search_ms"] = round((time.perf_counter() - t) * 1000, 1)
        print(f"first search in a fresh process: {figures['first_search_ms']} ms")
        for _, params in queries[:20]:  # warm both engines' caches
            run_search(params)
            if baseline is not None:
                baseline.search(params)
        if side is not None:
            with side.app_context():
                for _, params in queries[:20]:
                    run_search(params)

        # Each engine answers the whole list in turn, not query by query: an FTS5 text query
        # reads and writes a temporary table of up to 100,000 rows, and whatever runs next in
        # this process finds the processor's caches emptied (an os.stat right after one takes
        # 26 us, the next 3 us; no page faults): the short queries of whichever engine ran
        # second were timed three to four times slower.
        for kind, params in queries:
            if args.cold:
                forget_searches(app)
            t = time.perf_counter()
            result, _ = run_search(params)
            ours.setdefault(kind, []).append(time.perf_counter() - t)
            if side is not None:
                with side.app_context():
                    t = time.perf_counter()
                    run_search(params)
                    whoosh.setdefault(kind, []).append(time.perf_counter() - t)
        for kind, params in queries if baseline is not None else ():
            t = time.perf_counter()
            baseline.search(params)
            theirs.setdefault(kind, []).append(time.perf_counter() - t)
    if whoosh:
        print(f"\n{'query':<30} {'postgres p50/p95 ms':>20} {'whoosh p50/p95 ms':>18} "
              f"{'ratio p50':>10}")  # fmt: skip
        figures["whoosh_side_by_side"] = []
        for kind in ours:
            o50, o95 = percentiles(ours[kind])
            w50, w95 = percentiles(whoosh[kind])
            figures["whoosh_side_by_side"].append({"query": kind, "postgres_p50_ms": round(o50, 2),
                "postgres_p95_ms": round(o95, 2), "whoosh_p50_ms": round(w50, 2),
                "whoosh_p95_ms": round(w95, 2), "ratio_p50": round(o50 / w50, 3)})  # fmt: skip
            print(f"{kind:<30} {o50:>10.1f} / {o95:>6.1f} {w50:>9.1f} / {w95:>6.1f} "
                  f"{o50 / w50:>9.2f}x")  # fmt: skip

    print(f"\n{'query (as the page makes it)':<30} {'ours p50/p95 ms':>18} "
          f"{'FTS5 p50/p95 ms':>18} {'ratio p50/p95':>15}")  # fmt: skip
    rows = []
    for kind in ours:
        o50, o95 = percentiles(ours[kind])
        row = {"query": kind, "n": len(ours[kind]), "ours_p50_ms": round(o50, 2),
               "ours_p95_ms": round(o95, 2)}  # fmt: skip
        if kind in theirs:
            b50, b95 = percentiles(theirs[kind])
            row.update(fts5_p50_ms=round(b50, 2), fts5_p95_ms=round(b95, 2),
                       ratio_p50=round(o50 / b50, 3), ratio_p95=round(o95 / b95, 3))  # fmt: skip
            print(f"{kind:<30} {o50:>8.1f} / {o95:>6.1f} {b50:>9.1f} / {b95:>6.1f} "
                  f"{o50 / b50:>8.2f}x / {o95 / b95:.2f}x")  # fmt: skip
        else:
            print(f"{kind:<30} {o50:>8.1f} / {o95:>6.1f} {'(no baseline)':>18}")
        rows.append(row)
    figures["queries"] = rows
    if baseline is not None:
        figures["browse_in_a_row"] = browse_in_a_row(app, baseline)

    figures["rss_after_searches_mb"] = rss_mb()
    if args.skip_match:
        finish(figures, args, app)
        return

    # Matching: people in a large state (California) and a small one, answers varied.
    rng = random.Random(11)
    people = []
    for i in range(max(20, args.queries // 4)):
        state = "CA" if i % 4 else rng.choice(["OH", "WY", "NY"])
        answers = {
            "state": state,
            "format": rng.choice(["either", "telehealth", "in_person"]),
            "concerns": rng.sample(sorted(v.CONCERNS), 2),
            "approaches_liked": rng.sample(sorted(v.APPROACHES), 1),
            "max_fee": rng.choice([80, 120, 200]),
            "evenings": rng.random() < 0.5,
        }
        if state == "CA" and answers["format"] == "in_person":
            answers["zip"] = rng.choice(["94103", "90012", "95814"])
        people.append((state, parse_answers(answers)))
    timings: dict[str, list[float]] = {}
    if side is not None:
        with side.app_context():
            for _, prefs in people:
                find_matches(prefs)  # warm
            side_times: dict[str, list[float]] = {}
            for state, prefs in people:
                t = time.perf_counter()
                find_matches(prefs)
                label = "California" if state == "CA" else "other states"
                side_times.setdefault(label, []).append(time.perf_counter() - t)
        figures["whoosh_match"] = {label: dict(zip(("p50_ms", "p95_ms"), map(
            lambda x: round(x, 1), percentiles(samples)), strict=True))
            for label, samples in side_times.items()}  # fmt: skip
        print(f"\nmatch with the Whoosh backend (warm): {figures['whoosh_match']}")
    with app.app_context():
        # A running worker has seen these states before: the first match in a state fills
        # the process's feature store from the database, and is reported on its own.
        figures["first_match_ms"] = {}
        for state, prefs in people:
            if state not in figures["first_match_ms"]:
                t = time.perf_counter()
                find_matches(prefs)
                figures["first_match_ms"][state] = round((time.perf_counter() - t) * 1000, 1)
        print(f"\nfirst match per state in this process (ms): {figures['first_match_ms']}")
        for state, prefs in people:
            t = time.perf_counter()
            find_matches(prefs)
            timings.setdefault("California" if state == "CA" else "other states", []).append(
                time.perf_counter() - t
            )
    figures["match"] = []
    print(f"\n{'match (whole engine, warm cache)':<34} {'p50 ms':>8} {'p95 ms':>8}")
    for label, samples in timings.items():
        p50, p95 = percentiles(samples)
        figures["match"].append({"people": label, "n": len(samples), "p50_ms": round(p50, 1),
                                 "p95_ms": round(p95, 1)})  # fmt: skip
        print(f"{label:<34} {p50:>8.1f} {p95:>8.1f}")
    figures["rss_after_matches_mb"] = rss_mb()
    finish(figures, args, app)


def browse_in_a_row(app, baseline: Fts5Baseline, rounds: int = 2000) -> dict[str, float]:
    """Time unfiltered browsing (pages 1 to 5) many times in a row on each engine.

    Interleaved with the other kinds, a browse of either engine takes about 30 us, most of
    it the processor's caches refilled after the query before; in a row, each engine's own
    cost is what remains. The engines take turns in five blocks, and each one's best block
    is reported.
    """
    pages = [SearchParams(page=p) for p in range(1, 6)]
    best = {"ours": float("inf"), "fts5": float("inf")}
    with app.app_context():
        for _ in range(5):
            for name, search in (("ours", run_search), ("fts5", baseline.search)):
                t = time.perf_counter()
                for _ in range(rounds // 5):
                    for params in pages:
                        search(params)
                per_call = (time.perf_counter() - t) / (rounds // 5 * len(pages))
                best[name] = min(best[name], per_call * 1e6)
    figures = {"ours_us": round(best["ours"], 1), "fts5_us": round(best["fts5"], 1),
               "ratio": round(best["ours"] / best["fts5"], 3)}  # fmt: skip
    print(f"\nbrowse, {rounds * len(pages):,} in a row each: ours {figures['ours_us']} us, "
          f"FTS5 {figures['fts5_us']} us ({figures['ratio']:.2f}x)")  # fmt: skip
    return figures


def postgres_database(server: str, keep: bool, reuse: str | None = None) -> str:
    """Create a database for this run on ``server``; return its URL (dropped at exit unless
    kept). With ``reuse``, return the URL of that database, left by an earlier run."""
    import atexit

    from sqlalchemy import create_engine, make_url, text

    url = make_url(server)
    if reuse:
        return url.set(database=reuse).render_as_string(hide_password=False)
    name = f"fit_bench_{os.getpid()}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    if not keep:

        def drop() -> None:
            with admin.connect() as connection:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))

        atexit.register(drop)
    return url.set(database=name).render_as_string(hide_password=False)


def rss_mb() -> float:
    """Return this process's resident memory in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return round(int(line.split()[1]) / 1024, 1)
    return 0.0


def finish(figures: dict, args, app, kind: str = "search") -> None:
    """Print the memory figure, write benchmarks/results/KIND-COUNT.json, close the index."""
    print(f"resident memory of this process: {rss_mb()} MB")
    figures["date"] = datetime.now(UTC).isoformat(timespec="seconds")
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    backend = "" if args.backend == "whoosh" else f"-{args.backend}"
    path = out / f"{kind}-{figures['count']}{backend}.json"
    path.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    print(f"\nwrote {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")
    app.extensions["search_index"].close()


if __name__ == "__main__":
    main()
