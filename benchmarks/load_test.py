"""Load test with wrk from a second process: a mix of search, profile and match requests.

    python benchmarks/load_test.py --data DIR [--connections 16] [--seconds 60]
    python benchmarks/load_test.py --data DIR --database-url URL [--backend postgres] \
        [--servers 2]

DIR holds a database and an index made by ``search_bench.py`` (``bench.sqlite3`` and ``index/``;
the benchmark leaves them in a temporary folder it names). The site is served by gunicorn with
two workers on 127.0.0.1; wrk (Debian's package) sends the mix, then a static template page
(``/match/how-it-works``) as the baseline in the same run. It prints p50/p95, throughput and
errors for both, and the same for the home page; before that, each kind of page alone over one
connection (home, search page, search API, match, profile page), whose p50 is reported as a ratio
to the home page's. It writes ``benchmarks/results/load-<count>.json``.

The server path: ``--database-url`` names a PostgreSQL database holding the practitioners (one
``search_bench.py --backend postgres --keep`` leaves), ``--backend`` the search backend, and
``--servers 2`` starts two gunicorn servers (each with ``--workers`` workers and, with Whoosh,
an index of its own built first) behind a private nginx on a free port, which wrk loads.
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

# The requests are made in init, once wrk knows the Host header (made at load time, they had
# none: gunicorn answered anyway, nginx refused them all with 400).
LUA = """
local requests = {}
local i = 0
init = function(args)
%s
end
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


def page_requests(kind: str, slugs: list[str], rng: random.Random, count: int = 60) -> str:
    """Return the Lua that makes one kind of request, varied (for one connection's p50)."""
    lines = []
    for _ in range(count):
        word, state = rng.choice(WORDS), rng.choice(STATES)
        if kind == "match":
            body = json.dumps({"state": state, "limit": 10}).replace('"', '\\"')
            lines.append('requests[#requests + 1] = wrk.format("POST", "/api/v1/match", '
                         f'{{["Content-Type"] = "application/json"}}, "{body}")')  # fmt: skip
            continue
        path = {"home": "/", "search page": f"/therapists?q={word}&state={state}",
                "search API": f"/api/v1/practitioners?q={word}&state={state}",
                "profile page": f"/therapists/{rng.choice(slugs)}"}[kind]  # fmt: skip
        lines.append(f'requests[#requests + 1] = wrk.format("GET", "{path}")')
    return "\n".join(lines)


PAGES = ("home", "search page", "search API", "match", "profile page")


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
    threads = min(2, connections)
    command = [shutil.which("wrk") or "wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s",
               "--timeout", "30s", "-s", str(script), base + path]  # fmt: skip
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    line = next(x for x in out.splitlines() if x.startswith("RESULT "))
    result = json.loads(line[len("RESULT ") :])
    result["requests_per_s"] = round(result["requests"] / result["seconds"], 1)
    return result


def start_nginx(ports: list[int]) -> tuple[subprocess.Popen, int]:
    """Start a private nginx on a free port, balancing the servers on ``ports``."""
    port = free_port()
    folder = Path(tempfile.mkdtemp(prefix="fit-nginx-"))
    upstreams = "".join(f"server 127.0.0.1:{p};" for p in ports)
    conf = folder / "nginx.conf"
    conf.write_text(
        f"daemon off; worker_processes 1; pid {folder}/nginx.pid; error_log {folder}/error.log;"
        f"events {{ worker_connections 1024; }} http {{ access_log off;"
        f" client_body_temp_path {folder}; proxy_temp_path {folder};"
        # No upstream keep-alive: gunicorn's sync workers close each connection.
        f" upstream fit {{ {upstreams} }}"
        f" server {{ listen 127.0.0.1:{port}; location / {{ proxy_pass http://fit;"
        f" proxy_set_header Host $host; }} }} }}",
        encoding="utf-8",
    )
    nginx = subprocess.Popen([shutil.which("nginx") or "nginx", "-c", str(conf), "-p", str(folder)])
    return nginx, port


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", required=True, type=Path)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--database-url", help="a PostgreSQL database holding the data")
    parser.add_argument("--backend", choices=["whoosh", "postgres"], default="whoosh")
    parser.add_argument("--servers", type=int, default=1)
    parser.add_argument("--workers", type=int, default=0, help="per server (default: 2/servers)")
    parser.add_argument("--page-seconds", type=int, default=10, help="per page, one connection")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is missing: apt-get install wrk")
    if args.servers > 1 and not shutil.which("nginx"):
        sys.exit("nginx is missing (it balances the servers): apt-get install nginx")
    workers = args.workers or max(1, 2 // args.servers)
    if args.database_url:
        from sqlalchemy import create_engine, text

        url = args.database_url
        engine = create_engine(url)
        with engine.connect() as conn:
            count = conn.execute(text("SELECT count(*) FROM practitioner")).scalar()
            slugs = list(conn.execute(text("SELECT slug FROM practitioner LIMIT 500")).scalars())
        engine.dispose()
    else:
        database = args.data / "bench.sqlite3"
        url = f"sqlite:///{database}"
        with sqlite3.connect(database) as conn:
            count = conn.execute("SELECT count(*) FROM practitioner").fetchone()[0]
            slugs = [r[0] for r in conn.execute("SELECT slug FROM practitioner LIMIT 500")]
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "FLASK_SEARCH_BACKEND": args.backend,
        "SEARCH_INDEX_DIR": str(args.data / "index"),
        "SECRET_KEY": "load-test-" + "k" * 24,
        "FLASK_DIRECTORY_TODAY": "2026-11-01",
        # All the load comes from one address; two workers would each count it, with memory://.
        "FLASK_RATELIMIT_ENABLED": "false",
    }
    subprocess.run([str(BIN / "flask"), "--app", "app", "db", "upgrade"], cwd=ROOT, env=env,
                   check=True, capture_output=True)  # fmt: skip
    servers, ports, envs = [], [], []
    for n in range(args.servers):
        server_env = dict(env)
        if args.servers > 1:
            server_env["SEARCH_INDEX_DIR"] = str(args.data / f"index-{n}")
            if args.backend == "whoosh" and not (args.data / f"index-{n}").exists():
                reindex = [str(BIN / "flask"), "--app", "app", "directory", "reindex"]
                subprocess.run(reindex, cwd=ROOT, env=server_env, check=True, capture_output=True)
        port = free_port()
        servers.append(subprocess.Popen(
            [str(BIN / "gunicorn"), "--workers", str(workers), "--bind", f"127.0.0.1:{port}",
             "--timeout", "120", "--log-level", "warning", "app:create_app()"],
            cwd=ROOT, env=server_env, start_new_session=True,
        ))  # fmt: skip
        ports.append(port)
        envs.append(server_env)
    balancer = None
    if args.servers > 1:
        balancer, port = start_nginx(ports)
    base = f"http://127.0.0.1:{port}"
    server = servers[0]
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
            list(pool.map(warm, STATES * 4 * args.servers))
        rss_after_warmup = [m for s in servers for m in worker_rss_mb(s.pid)]
        folder = Path(tempfile.mkdtemp(prefix="fit-load-"))
        mix = folder / "mix.lua"
        mix.write_text(LUA % lua_requests(slugs, random.Random(5)), encoding="utf-8")
        static = folder / "static.lua"
        static.write_text(LUA % 'requests[1] = wrk.format("GET", "/match/how-it-works")',
                          encoding="utf-8")  # fmt: skip
        for path in ("/match/how-it-works", "/therapists?q=trust&state=CA"):
            with urllib.request.urlopen(base + path, timeout=120) as r:  # through the balancer
                assert r.status == 200, (path, r.status)  # noqa: S101
        # One connection, each kind of page alone: its p50 against the home page's.
        pages = {}
        for kind in PAGES:
            script = folder / f"{kind.replace(' ', '-')}.lua"
            script.write_text(LUA % page_requests(kind, slugs, random.Random(3)), "utf-8")
            pages[kind] = wrk(base, script, 1, args.page_seconds)
        mixed = wrk(base, mix, args.connections, args.seconds)
        rss_after_mix = [m for s in servers for m in worker_rss_mb(s.pid)]
        baseline = wrk(base, static, args.connections, args.seconds)
        home = folder / "home.lua"
        home.write_text(LUA % 'requests[1] = wrk.format("GET", "/")', encoding="utf-8")
        home_mix = wrk(base, home, args.connections, args.seconds)
    finally:
        for server in servers:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait()
        if balancer is not None:
            balancer.terminate()
            balancer.wait()
    result = {
        "practitioners": count,
        "database": url.split(":", 1)[0],
        "backend": args.backend,
        "servers": args.servers,
        "workers": workers * args.servers,
        "connections": args.connections,
        "seconds": args.seconds,
        "mix (search, profile, match)": mixed,
        "baseline (static template page)": baseline,
        "throughput_ratio": round(mixed["requests_per_s"] / baseline["requests_per_s"], 3),
        "home page": home_mix,
        "throughput_ratio_to_home": round(mixed["requests_per_s"] / home_mix["requests_per_s"], 3),
        "one connection p50 ms": {kind: found["p50_ms"] for kind, found in pages.items()},
        "one connection p50 ratio to home": {
            kind: round(found["p50_ms"] / pages["home"]["p50_ms"], 2)
            for kind, found in pages.items()
        },
        "worker_rss_mb_after_warmup": rss_after_warmup,
        "worker_rss_mb_after_mix": rss_after_mix,
    }
    print(json.dumps(result, indent=2))
    suffix = "" if not args.database_url else f"-{args.backend}-{args.servers}servers"
    out = ROOT / "benchmarks" / "results" / f"load-{count}{suffix}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return 0 if mixed["errors"] == 0 and mixed["non_2xx_3xx"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
