"""Kill the server with SIGKILL while practitioners save their profiles; nothing may be lost.

    python benchmarks/crash_test.py                 # 20 kills, 4 clients
    python benchmarks/crash_test.py --kills 3       # the short form CI runs

It serves the site with gunicorn (two workers) on 127.0.0.1, logs in one practitioner per client,
and has each client save its profile's headline over and over ("save <client> <n>"). At a random
moment it kill -9s the whole server, restarts it, and the clients carry on. At the end:

- every client's profile holds its last acknowledged save, or a later one whose answer was lost
  in the crash (never an earlier one);
- ``PRAGMA integrity_check`` is ok;
- once the outbox is drained, ``flask directory verify`` finds the index equal to the database.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from html.parser import HTMLParser
from http.cookiejar import CookieJar
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
PASSWORD = "crash test lantern harbour"


class FormReader(HTMLParser):
    """Collects what a browser would submit for the profile form."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.fields: list[tuple[str, str]] = []
        self.in_form = False
        self.select: str | None = None
        self.textarea: str | None = None
        self.text = ""

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and a.get("action", "").endswith("/account/profile"):
            self.in_form = True
        if not self.in_form:
            return
        if tag == "input" and a.get("name"):
            kind = a.get("type", "text")
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    self.fields.append((a["name"], a.get("value", "y")))
            elif kind != "submit":
                self.fields.append((a["name"], a.get("value", "")))
        elif tag == "select":
            self.select = a.get("name")
        elif tag == "option" and self.select and "selected" in a:
            self.fields.append((self.select, a.get("value", "")))
        elif tag == "textarea":
            self.textarea, self.text = a.get("name"), ""

    def handle_data(self, data):
        if self.textarea:
            self.text += data

    def handle_endtag(self, tag):
        if tag == "form" and self.in_form:
            self.in_form = False
        elif tag == "select":
            self.select = None
        elif tag == "textarea" and self.textarea:
            self.fields.append((self.textarea, self.text.lstrip("\n")))
            self.textarea = None


class Client:
    """One practitioner saving their headline again and again."""

    def __init__(self, base: str, number: int, email: str):
        self.base, self.number, self.email = base, number, email
        self.acknowledged = 0
        self.attempted = 0
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(CookieJar()), NoRedirect()
        )

    def request(self, path: str, data: list[tuple[str, str]] | None = None):
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        with self.opener.open(self.base + path, data=body, timeout=10) as r:
            return r.status, r.read().decode()

    def log_in(self) -> None:
        _, html = self.request("/account/login")
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)
        self.request("/account/login", [("csrf_token", token), ("email", self.email),
                                        ("password", PASSWORD)])  # fmt: skip

    def save_once(self) -> None:
        status, html = self.request("/account/profile")
        if status != 200:
            self.log_in()
            status, html = self.request("/account/profile")
        reader = FormReader()
        reader.feed(html)
        n = self.attempted + 1
        fields = [(k, v) for k, v in reader.fields if k != "headline"]
        fields += [("headline", f"save {self.number} {n}"), ("action", "save")]
        self.attempted = n
        status, _ = self.request("/account/profile", fields)
        if status == 303:
            self.acknowledged = n

    def run(self, stop: threading.Event) -> None:
        while not stop.is_set():
            try:
                self.save_once()
            except (urllib.error.URLError, ConnectionError, OSError):
                time.sleep(0.05)  # the server is down: try again when it is back


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None

    def http_error_302(self, req, fp, code, msg, headers):
        return fp

    http_error_303 = http_error_302


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_up(base: str, timeout: float = 30) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(base + "/", timeout=2):
                return
        except (urllib.error.URLError, OSError):
            time.sleep(0.1)
    raise RuntimeError("the server did not start")


def flask(env: dict, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    return subprocess.run([str(BIN / "flask"), "--app", "app", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, check=check)  # fmt: skip


def prepare(env: dict, folder: Path, clients: int) -> list[str]:
    """Create the database with practitioners owned by one account per client."""
    flask(env, "directory", "setup", "--no-samples")
    sample = folder / "practitioners.json"
    flask(env, "directory", "generate", "--count", str(max(clients, 20)), str(sample))
    flask(env, "directory", "import", str(sample))
    script = (
        "from app import create_app\n"
        "from directory.extensions import db\n"
        "from directory.accounts.models import User\n"
        "from directory.accounts.passwords import hash_password\n"
        "from directory.core.clock import utcnow\n"
        "from directory.practitioners.models import Practitioner\n"
        "app = create_app()\n"
        "with app.app_context():\n"
        f"    rows = db.session.scalars(db.select(Practitioner).limit({clients})).all()\n"
        "    for i, p in enumerate(rows):\n"
        "        u = User(email=f'client{i}@example.org', email_verified_at=utcnow(),\n"
        f"                 password_hash=hash_password({PASSWORD!r}, 'minimum'))\n"
        "        db.session.add(u); db.session.flush(); p.owner_id = u.id\n"
        "    db.session.commit()\n"
    )
    subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, check=True)
    return [f"client{i}@example.org" for i in range(clients)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kills", type=int, default=20)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = random.Random(args.seed)

    folder = Path(tempfile.mkdtemp(prefix="fit-crash-"))
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{folder / 'crash.sqlite3'}",
        "SEARCH_INDEX_DIR": str(folder / "index"),
        "SECRET_KEY": "crash-test-" + "k" * 24,
        "FLASK_INSECURE_COOKIES": "true",  # plain HTTP on loopback
        "FLASK_RATELIMIT_ENABLED": "false",  # clients log in again after every crash
        "FLASK_PASSWORD_HASH_PROFILE": "minimum",
        "FLASK_MAIL_FOLDER": str(folder / "mail"),
    }
    emails = prepare(env, folder, args.clients)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    clients = [Client(base, i, email) for i, email in enumerate(emails)]
    server_cmd = [str(BIN / "gunicorn"), "--workers", "2", "--bind", f"127.0.0.1:{port}",
                  "--log-level", "warning", "app:create_app()"]  # fmt: skip

    for round_ in range(1, args.kills + 1):
        server = subprocess.Popen(server_cmd, cwd=ROOT, env=env, start_new_session=True,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
        wait_until_up(base)
        stop = threading.Event()
        threads = [threading.Thread(target=c.run, args=(stop,), daemon=True) for c in clients]
        for t in threads:
            t.start()
        time.sleep(rng.uniform(0.5, 2.0))
        os.killpg(server.pid, signal.SIGKILL)  # the master and every worker, mid-save
        server.wait()
        stop.set()
        for t in threads:
            t.join(timeout=15)
        print(f"kill {round_}/{args.kills}: acknowledged saves "
              f"{[c.acknowledged for c in clients]}")  # fmt: skip

    # The outbox a crash left behind is applied when a process starts, or by a drain.
    flask(env, "directory", "drain")
    problems = []
    with sqlite3.connect(folder / "crash.sqlite3") as conn:
        integrity = conn.execute("PRAGMA integrity_check").fetchone()[0]
        for c in clients:
            headline = conn.execute(
                "SELECT p.headline FROM practitioner p JOIN user u ON p.owner_id = u.id "
                "WHERE u.email = ?", (c.email,),
            ).fetchone()[0]  # fmt: skip
            saved = int(headline.split()[-1]) if headline.startswith("save ") else 0
            if saved < c.acknowledged:
                problems.append(f"{c.email}: acknowledged {c.acknowledged}, found {saved}")
    verify = flask(env, "directory", "verify", check=False)
    result = {
        "kills": args.kills,
        "clients": args.clients,
        "acknowledged_saves": sum(c.acknowledged for c in clients),
        "lost_saves": problems,
        "integrity_check": integrity,
        "verify_exit_code": verify.returncode,
    }
    print(json.dumps(result, indent=2))
    ok = not problems and integrity == "ok" and verify.returncode == 0
    print("crash test passed" if ok else "crash test FAILED: " + verify.stdout + verify.stderr)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
