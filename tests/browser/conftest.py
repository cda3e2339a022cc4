"""Browser tests: the app served on 127.0.0.1 by a fixture, driven in Debian's Chromium."""

from __future__ import annotations

import os
import shutil
import threading
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from werkzeug.serving import make_server

from tests.apps import make_app
from tests.browser.helpers import png_size

ROOT = Path(__file__).resolve().parents[2]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 812}
CHROMIUM_FLAGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-dev-shm-usage",
    # Chromium looks up outside hosts by itself; nothing may leave this machine.
    "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1, EXCLUDE localhost",
]  # fmt: skip


@pytest.fixture(scope="session")
def live_app(tmp_path_factory):
    # Served like production (not TESTING), so error pages and cookies behave as they would.
    with make_app(tmp_path_factory.mktemp("live"), samples=True, TESTING=False,
                  SECRET_KEY="browser-tests-" + "x" * 20) as app:  # fmt: skip
        yield app


@pytest.fixture(scope="session")
def live_server(live_app):
    server = make_server("127.0.0.1", 0, live_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture(scope="session")
def base_url(live_server):
    return live_server


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    exe = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
    if not os.path.exists(exe):
        message = f"no Chromium at {exe}: `make test` installs it (apt-get install chromium)"
        if os.environ.get("CI"):
            pytest.fail(message)  # never a silent skip in CI
        pytest.skip(message)
    return {**browser_type_launch_args, "executable_path": exe, "args": CHROMIUM_FLAGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {
        **browser_context_args,
        "locale": "en-US",
        "timezone_id": "America/New_York",
        "viewport": DESKTOP,
    }


@pytest.fixture(autouse=True)
def only_this_machine(request, context):
    """Record every request the browser makes and insist each went to 127.0.0.1."""
    seen: list[str] = []
    context.on("request", lambda req: seen.append(req.url))
    yield seen
    foreign = [u for u in seen if urlsplit(u).hostname not in ("127.0.0.1",)
               and not u.startswith(("data:", "about:"))]  # fmt: skip
    assert not foreign, f"requests left this machine: {foreign}"


@pytest.fixture
def phone(browser, base_url):
    ctx = browser.new_context(base_url=base_url, viewport=PHONE, locale="en-US",
                              is_mobile=True, has_touch=True)  # fmt: skip
    seen: list[str] = []
    ctx.on("request", lambda req: seen.append(req.url))
    yield ctx.new_page()
    ctx.close()
    assert all(urlsplit(u).hostname == "127.0.0.1" for u in seen if u.startswith("http"))


@pytest.fixture
def no_js(browser, base_url):
    ctx = browser.new_context(base_url=base_url, java_script_enabled=False, viewport=DESKTOP)
    seen: list[str] = []
    ctx.on("request", lambda req: seen.append(req.url))
    yield ctx.new_page()
    ctx.close()
    assert all(urlsplit(u).hostname == "127.0.0.1" for u in seen if u.startswith("http"))


@pytest.fixture(scope="session")
def screenshot_dir(tmp_path_factory) -> Path:
    """Where screenshots go: a temporary folder, or ``SCREENSHOTS_DIR`` (``make screenshots``
    sets docs/screenshots, which the README links to)."""
    chosen = os.environ.get("SCREENSHOTS_DIR")
    if chosen:
        Path(chosen).mkdir(parents=True, exist_ok=True)
        return Path(chosen)
    return tmp_path_factory.mktemp("screenshots")


@pytest.fixture
def screenshot(screenshot_dir):
    """Take a screenshot of the page's viewport as NAME.png, and check it is one."""

    def take(page, name: str) -> Path:
        path = screenshot_dir / f"{name}.png"
        page.screenshot(path=str(path), full_page=False)
        size = page.viewport_size
        assert png_size(path) == (size["width"], size["height"]), path
        return path

    return take
