"""Load test with wrk from a second process: a mix of search, profile and match requests.

    python benchmarks/load_test.py --data DIR [--connections 16] [--seconds 60]

DIR holds a database and an index made by ``search_bench.py`` (``bench.sqlite3`` and ``index/``;
the benchmark leaves them in a temporary folder it names). The site is served by gunicorn with
two workers on 127.0.0.1; wrk (Debian's package) sends the mix, then a static template page
(``/match/how-it-works``) as the baseline in the same run. It prints p50/p95, throughput and
errors for both, and writes ``benchmarks/results/load-<count>.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
WORDS = ["attachment", "critic", "boundaries", "dialectical", "schema", "grounding", "trust"]
STATES = ["CA", "TX", "FL", "NY", "OH", "PA", "IL", "WY"]

LUA = """
local requests = {}
local i = 0
%s
request = function()
  i = i %% #requests + 1
  return requests[i]
end
done = function(summary, latency, req)
  local e = summary.errors
  io.write(string.format('RESULT {"requests": %%d, "seconds": %%.3f, "p50_ms": %%.2f, '
    .. '"p95_ms": %%.2f, "errors": %%d, "non_2xx_3xx": %%d}\\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1000,
    latency:percentile(95) / 1000, e.connect + e.read + e.write + e.timeout, e.status))
end
"""


def lua_requests(slugs: list[str], rng: random.Random, count: int = 300) -> str:
    lines = []
    for n in range(count):
        kind = n % 3
        if kind == 0:
            path = f"/therapists?q={rng.choice(WORDS)}&state={rng.choice(STATES)}"
            lines.append(f'requests[#requests + 1] = wrk.format("GET", "{path}")')
        elif kind == 1:
            path = f"/therapists/{rng.choice(slugs)}"
            lines.append(f'requests[#requests + 1] = wrk.format("GET", "{path}")')
        else:
            body = json.dumps({"state": rng.choice(STATES), "limit": 10}).replace('"', '\\"')
            lines.append(
                'requests[#requests + 1] = wrk.format("POST", "/api/v1/match", '
                f'{{["Content-Type"] = "application/json"}}, "{body}")'
            )
    return "\n".join(lines)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def worker_rss_mb(master: int) -> list[float]:
    """Return the resident memory of each gunicorn worker (children of the master), in MB."""
    sizes = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            text = status.read_text()
        except OSError:
            continue
        fields = dict(line.split(":", 1) for line in text.splitlines() if ":" in line)
        if int(fields.get("PPid", "0").strip()) == master:
            sizes.append(round(int(fields["VmRSS"].split()[0]) / 1024, 1))
    return sorted(sizes)


def wrk(base: str, script: Path, connections: int, seconds: int, path: str = "/") -> dict:
    command = [shutil.which("wrk") or "wrk", "-t2", f"-c{connections}", f"-d{seconds}s",
               "--timeout", "30s", "-s", str(script), base + path]  # fmt: skip
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    line = next(x for x in out.splitlines() if x.startswith("RESULT "))
    result = json.loads(line[len("RESULT ") :])
    result["requests_per_s"] = round(result["requests"] / result["seconds"], 1)
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", required=True, type=Path)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--seconds", type=int, default=60)
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is missing: apt-get install wrk")
    database = args.data / "bench.sqlite3"
    with sqlite3.connect(database) as conn:
        count = conn.execute("SELECT count(*) FROM practitioner").fetchone()[0]
        slugs = [r[0] for r in conn.execute("SELECT slug FROM practitioner LIMIT 500")]
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{database}",
        "SEARCH_INDEX_DIR": str(args.data / "index"),
        "SECRET_KEY": "load-test-" + "k" * 24,
        "FLASK_DIRECTORY_TODAY": "2026-11-01",
        # All the load comes from one address; two workers would each count it, with memory://.
        "FLASK_RATELIMIT_ENABLED": "false",
    }
    subprocess.run([str(BIN / "flask"), "--app", "app", "db", "upgrade"], cwd=ROOT, env=env,
                   check=True, capture_output=True)  # fmt: skip
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [str(BIN / "gunicorn"), "--workers", "2", "--bind", f"127.0.0.1:{port}", "--timeout",
         "120", "--log-level", "warning", "app:create_app()"],
        cwd=ROOT, env=env, start_new_session=True,
    )  # fmt: skip
    try:
        deadline = time.time() + 60
        while True:
            try:
                urllib.request.urlopen(base + "/", timeout=2).close()
                break
            except (urllib.error.URLError, OSError):
                if time.time() > deadline:
                    raise
                time.sleep(0.2)

        # Warm both workers, as a running site's would be: searchers open and feature stores
        # filled for the states in the mix. Requests go four at a time so both workers get some.
        def warm(state: str) -> None:
            request = urllib.request.Request(
                base + "/api/v1/match", data=json.dumps({"state": state}).encode(),
                headers={"Content-Type": "application/json"},
            )  # fmt: skip
            urllib.request.urlopen(request, timeout=120).close()
            urllib.request.urlopen(f"{base}/therapists?q=trust&state={state}", timeout=120).close()

        with ThreadPoolExecutor(4) as pool:
            list(pool.map(warm, STATES * 4))
        rss_after_warmup = worker_rss_mb(server.pid)
        folder = Path(tempfile.mkdtemp(prefix="fit-load-"))
        mix = folder / "mix.lua"
        mix.write_text(LUA % lua_requests(slugs, random.Random(5)), encoding="utf-8")
        static = folder / "static.lua"
        static.write_text(LUA % 'requests[1] = wrk.format("GET", "/match/how-it-works")',
                          encoding="utf-8")  # fmt: skip
        mixed = wrk(base, mix, args.connections, args.seconds)
        rss_after_mix = worker_rss_mb(server.pid)
        baseline = wrk(base, static, args.connections, args.seconds)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait()
    result = {
        "practitioners": count,
        "workers": 2,
        "connections": args.connections,
        "seconds": args.seconds,
        "mix (search, profile, match)": mixed,
        "baseline (static template page)": baseline,
        "throughput_ratio": round(mixed["requests_per_s"] / baseline["requests_per_s"], 3),
        "worker_rss_mb_after_warmup": rss_after_warmup,
        "worker_rss_mb_after_mix": rss_after_mix,
    }
    print(json.dumps(result, indent=2))
    out = ROOT / "benchmarks" / "results" / f"load-{count}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return 0 if mixed["errors"] == 0 and mixed["non_2xx_3xx"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
