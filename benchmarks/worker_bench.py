"""Measure a fresh worker: its first match in a state against its warm one, and its memory.

    python benchmarks/worker_bench.py --data /tmp/fit-bench-XXXX

``--data`` is a folder ``search_bench.py`` left (its database and index). Each measurement
runs in a new Python process, as a freshly started gunicorn worker would: it creates the app
(which, as at any worker's start, catches up with the outbox and maps the features), makes its
first match in a state (timed), then 30 more matches there (the warm figure); ``--repeat``
fresh processes per state give the medians of both, their ratio, and each process's own
ratio. Then two processes at once (as gunicorn's two workers) each make one match in every
state and 500 searches, and report their resident memory (RSS) and their proportional share
(PSS: pages both map, the index and the features, are shared between them) from
``/proc/self/smaps_rollup``.
Results go to ``benchmarks/results/worker-<count>.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STATES = ("CA", "TX", "WY")


def memory() -> dict[str, float]:
    """Return this process's RSS and PSS in MB (PSS counts shared pages once in all)."""
    found = {}
    for line in Path("/proc/self/smaps_rollup").read_text().splitlines():
        parts = line.split()
        if parts and parts[0] in ("Rss:", "Pss:", "Private_Clean:", "Private_Dirty:", "Anonymous:"):
            found[parts[0].rstrip(":").lower()] = round(int(parts[1]) / 1024, 1)
    return found


def child(data: Path, task: str) -> dict:
    """Run one measurement in this (fresh) process; return its figures."""
    sys.path.insert(0, str(ROOT))
    from app import create_app
    from directory.browse.services import run_search
    from directory.core import vocabulary as v
    from directory.search import SearchParams
    from matching.answers import parse_answers
    from matching.services import find_matches

    app = create_app({
        "SECRET_KEY": os.urandom(16).hex(),
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{data / 'bench.sqlite3'}",
        "SEARCH_INDEX_DIR": str(data / "index"),
        "DIRECTORY_TODAY": "2026-11-01",
        # As a gunicorn worker starts: catch up with the outbox, then warm (startup.warm).
        "DRAIN_OUTBOX_ON_START": True,
    })  # fmt: skip
    figures: dict = {"rss_at_start_mb": memory()["rss"]}
    with app.app_context():
        if task in STATES:
            answers = {"state": task, "format": "either", "max_fee": 150,
                       "concerns": ["self_criticism", "relationships"],
                       "approaches_liked": ["cbt_schema"]}  # fmt: skip
            t = time.perf_counter()
            find_matches(parse_answers(answers))
            figures["first_ms"] = round((time.perf_counter() - t) * 1000, 2)
            warm = []
            for i in range(30):
                varied = dict(answers, max_fee=100 + i * 5, evenings=bool(i % 2))
                t = time.perf_counter()
                find_matches(parse_answers(varied))
                warm.append((time.perf_counter() - t) * 1000)
            figures["warm_p50_ms"] = round(statistics.median(warm), 2)
            figures["first_over_warm"] = round(figures["first_ms"] / figures["warm_p50_ms"], 2)
        else:
            for state in sorted(v.STATES):
                find_matches(parse_answers({"state": state, "format": "either"}))
            figures["after_every_state"] = memory()
            words = ["anxiety", "attachment", "trauma", "grief", "couples", "schema", "parts"]
            states = sorted(v.STATES)
            for i in range(500):
                run_search(
                    SearchParams(
                        q=words[i % len(words)] if i % 3 else "",
                        state=states[i % len(states)] if i % 2 else None,
                    )
                )
            figures["after_500_searches_alone"] = memory()
            if ":" in task:  # one of two workers: measure once both are done
                folder, me = task.split(":")[1:]
                (Path(folder) / f"done-{me}").touch()
                while len(list(Path(folder).glob("done-*"))) < 2:
                    time.sleep(0.05)
                time.sleep(0.2)
                figures["after_500_searches_beside_another"] = memory()
                # Stay until the other has measured too: a worker that exits leaves the
                # pages both mapped to the other alone, and its PSS counts them whole.
                (Path(folder) / f"measured-{me}").touch()
                while len(list(Path(folder).glob("measured-*"))) < 2:
                    time.sleep(0.05)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", required=True, help="a folder search_bench.py left")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--out", default=str(ROOT / "benchmarks" / "results"))
    parser.add_argument("--repeat", type=int, default=7,
                        help="fresh processes per state (their medians are reported)")  # fmt: skip
    args = parser.parse_args()
    data = Path(args.data)
    if args.child:
        print(json.dumps(child(data, args.child)))
        return
    import sqlite3

    with sqlite3.connect(data / "bench.sqlite3") as conn:
        count = conn.execute("SELECT count(*) FROM practitioner").fetchone()[0]
    figures: dict = {"count": count, "first_match": {}, "repeat": args.repeat}
    for task in STATES:
        runs = []
        for _ in range(args.repeat):  # one fresh process each: a single first match varies
            out = subprocess.run([sys.executable, __file__, "--data", str(data), "--child", task],
                                 capture_output=True, text=True, check=True, cwd=ROOT)  # fmt: skip
            runs.append(json.loads(out.stdout.strip().splitlines()[-1]))
        first = statistics.median(r["first_ms"] for r in runs)
        warm = statistics.median(r["warm_p50_ms"] for r in runs)
        ratios = sorted(r["first_over_warm"] for r in runs)
        found = {"rss_at_start_mb": runs[0]["rss_at_start_mb"], "first_ms": round(first, 2),
                 "warm_p50_ms": round(warm, 2), "first_over_warm": round(first / warm, 2),
                 "each_run_first_over_warm": ratios}  # fmt: skip
        figures["first_match"][task] = found
        print(task, found, flush=True)
    # Two workers at once, as gunicorn runs them: the mapped index and features are one copy
    # in memory, and PSS gives each worker half of what they share.
    with tempfile.TemporaryDirectory() as folder:
        workers = [
            subprocess.Popen(
                [sys.executable, __file__, "--data", str(data), "--child", f"memory:{folder}:{k}"],
                stdout=subprocess.PIPE,
                text=True,
                cwd=ROOT,
            )
            for k in (1, 2)
        ]
        figures["memory"] = [json.loads(w.communicate()[0].strip().splitlines()[-1])
                             for w in workers]  # fmt: skip
    for k, found in enumerate(figures["memory"], 1):
        print(f"worker {k} memory (MB)", found, flush=True)
    figures["date"] = datetime.now(UTC).isoformat(timespec="seconds")
    path = Path(args.out) / f"worker-{count}.json"
    path.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
