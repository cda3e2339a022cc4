"""Measure the amplification attacks of the hardening issue, as ratios to normal requests.

    python benchmarks/attack_bench.py --count 20000
    python benchmarks/attack_bench.py --count 40000 --requests 60

It imports ``count`` fictional practitioners into a temporary database, builds the index, and
sends requests through the application (Flask's test client: the whole request, no network):

* a hostile search, fifty 3-letter nonsense words (each request new ones, so nothing is
  cached), and the same hostile search repeated; each as a ratio to a normal one-word search;
* a 2,000-character query of random words, and ``attachment AND NOT somatic``;
* memory: how this process's resident size grows over 300 ``POST /api/v1/match`` with a 1 MB
  ``zip``, and over 300 searches with a 100 KB ``q``, then over 300 more, against the same
  numbers of normal requests. (Behind gunicorn a request line is at most 4,094 bytes, so the
  100 KB ``q`` exists only here; Python's own URL-parsing cache keeps the last 128 URLs.)

Results are appended to benchmarks/results/attack-COUNT.json.
"""

from __future__ import annotations

import argparse
import gc
import os
import random
import string
import tempfile
import time
from itertools import islice
from pathlib import Path

from flask_migrate import upgrade
from search_bench import TODAY, WORDS, finish, machine, percentiles, rss_mb

from app import create_app
from directory.core.records import parse_record
from directory.extensions import db
from directory.practitioners.importer import import_profiles
from directory.samples import generate_records
from directory.search import sync

ROOT = Path(__file__).resolve().parent.parent


def nonsense(rng: random.Random, words: int, length: int = 3) -> str:
    return " ".join(
        "".join(rng.choice(string.ascii_lowercase) for _ in range(length)) for _ in range(words)
    )


def timed(client, paths: list[str]) -> list[float]:
    samples = []
    for path in paths:
        t = time.perf_counter()
        r = client.get(path)
        samples.append(time.perf_counter() - t)
        if r.status_code >= 500:
            raise SystemExit(f"{path[:80]} answered {r.status_code}")
    return samples


def grown(client, send, count: int) -> list[float]:
    """Return how much this process's resident memory grew over ``count`` requests, and over
    ``count`` more (MB): a bounded cache grows once, a leak grows again."""
    rounds = []
    for start in (0, count):
        gc.collect()
        before = rss_mb()
        for i in range(start, start + count):
            send(client, i)
        gc.collect()
        rounds.append(round(rss_mb() - before, 1))
    return rounds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=20_000)
    parser.add_argument("--requests", type=int, default=100, help="timed requests per kind")
    parser.add_argument("--out", default=str(ROOT / "benchmarks" / "results"))
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="fit-attack-"))
    app = create_app({
        "SECRET_KEY": os.urandom(16).hex(),
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp / 'bench.sqlite3'}",
        "SEARCH_INDEX_DIR": str(tmp / "index"),
        "DIRECTORY_TODAY": TODAY.isoformat(),
        "DRAIN_OUTBOX_ON_START": False,
        "RATELIMIT_ENABLED": False,  # one client sends everything; limits are not measured
    })  # fmt: skip
    print(f"machine: {machine()}")
    print(f"directory size: {args.count:,} generated practitioners")
    with app.app_context():
        upgrade()
        records = generate_records(args.count)
        while chunk := [parse_record(r) for r in islice(records, 10_000)]:
            import_profiles(db.session, chunk)
            db.session.commit()
    sync.rebuild(app)

    rng = random.Random(11)
    client = app.test_client()
    # Warm up: posting lists and columns are read into memory by the first searches.
    timed(client, [f"/therapists?q={w}" for w in WORDS])
    n = args.requests
    normal = timed(client, [f"/therapists?q={rng.choice(WORDS)}" for _ in range(n)])
    hostile = timed(client, [f"/therapists?q={nonsense(rng, 50)}" for _ in range(n)])
    same = nonsense(rng, 50)
    repeated = timed(client, [f"/therapists?q={same}"] * n)
    long_q = timed(client, [f"/therapists?q={nonsense(rng, 400, 4)}" for _ in range(n)])
    not_q = timed(client, ["/therapists?q=attachment AND NOT somatic"] * n)

    figures: dict[str, object] = {"count": args.count, "machine": machine()}
    base = percentiles(normal)[0]
    print(f"\nnormal one-word search        p50 {base:7.1f} ms")
    for label, key, samples in (
        ("50 nonsense words, new each", "hostile_suggest", hostile),
        ("50 nonsense words, repeated", "hostile_suggest_repeated", repeated),
        ("2,000-character query", "long_query", long_q),
        ("attachment AND NOT somatic", "and_not", not_q),
    ):
        p50, p95 = percentiles(samples)
        figures[key] = {"p50_ms": round(p50, 1), "p95_ms": round(p95, 1),
                        "ratio_to_normal": round(p50 / base, 1)}  # fmt: skip
        print(f"{label:30} p50 {p50:7.1f} ms  p95 {p95:7.1f} ms  {p50 / base:5.1f}x normal")
    figures["normal_p50_ms"] = round(base, 1)

    big_zip = "9" * (1024 * 1024 - 200)
    big_q = "x" * 100_000

    def match(zip_code):
        def send(c, i):
            c.post("/api/v1/match", json={"state": "OH", "zip": zip_code(i)})

        return send

    def search(q):
        def send(c, i):
            c.get("/therapists", query_string={"q": q(i)})

        return send

    memory = {
        "match_normal_zip_mb": grown(client, match(lambda i: f"{43000 + i % 900:05d}"), 300),
        "match_1mb_zip_mb": grown(client, match(lambda i: big_zip + str(i)), 300),
        "search_normal_q_mb": grown(client, search(lambda i: rng.choice(WORDS)), 300),
        "search_100kb_q_mb": grown(client, search(lambda i: big_q + str(i)), 300),
    }
    figures["memory_growth"] = memory
    figures["rss_mb_after"] = rss_mb()
    print("\nresident memory growth over 300 requests, then 300 more (MB):")
    for key, (first, second) in memory.items():
        print(f"  {key:22} {first:+6.1f} {second:+6.1f}")
    finish(figures, args, app, kind="attack")


if __name__ == "__main__":
    main()
