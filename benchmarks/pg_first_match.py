"""PostgreSQL backend: a server's first match in a state, features read against made.

Against a database a ``search_bench.py --backend postgres --keep`` run left, times what a
fresh process's first match in each state spends on its candidates' features: made from
every candidate's profile through the ORM (as before ``search_document.features``), then read
from the documents, in the same run. Prints the ratio.

    .venv/bin/python benchmarks/pg_first_match.py --database-url postgresql+psycopg://.../fit_bench_N
"""

from __future__ import annotations

import argparse
import os
import time

from app import create_app
from directory.search import sync
from directory.web import today
from matching import services


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True, help="a kept benchmark database")
    parser.add_argument("--states", default="WY,CA,NY,OH")
    args = parser.parse_args()
    app = create_app({
        "SECRET_KEY": os.urandom(16).hex(), "SQLALCHEMY_DATABASE_URI": args.database_url,
        "SEARCH_BACKEND": "postgres", "DIRECTORY_TODAY": "2026-11-01",
        "DRAIN_OUTBOX_ON_START": False,
    })  # fmt: skip
    with app.app_context():
        for state in args.states.split(","):
            times = []
            for stored in (False, True):
                with sync.search_index(app).searching() as searcher:
                    ids, versions = searcher.practitioners_in_state(state)
                    written = searcher.feature_rows if stored else (lambda ids: {})
                    t = time.perf_counter()
                    services.Candidates().table(state, ids, versions, today(), written)
                    times.append((time.perf_counter() - t) * 1000)
            made, read = times
            print(f"{state}: {len(ids):,} candidates; made from profiles {made:,.0f} ms, "
                  f"read from the documents {read:,.0f} ms ({made / read:.1f}x)")  # fmt: skip


if __name__ == "__main__":
    main()
