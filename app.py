"""The application factory: configuration, extensions, blueprints and commands."""

from __future__ import annotations

import gc
import logging
import os
from pathlib import Path
from urllib.parse import urlsplit

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

# The well-known development key, refused outside debug and testing (see create_app).
DEV_SECRET_KEY = "dev"  # noqa: S105


def create_app(test_config: dict | None = None) -> Flask:
    """Create and configure an instance of the directory site."""
    app = configured(test_config)
    instance = Path(app.instance_path)
    instance.mkdir(parents=True, exist_ok=True)
    if not logging.getLogger().handlers:
        logging.basicConfig(
            level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
        )

    from directory import errors
    from directory import init_app as init_directory
    from matching import init_app as init_matching

    init_directory(app)
    init_matching(app)
    errors.init_app(app)
    proxies = int(app.config["PROXY_FIX"] or 0)
    if proxies > 0:
        # Behind that many trusted proxies, the client's address and scheme are the
        # forwarded ones (so rate limits count each visitor, not the load balancer).
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)  # type: ignore[method-assign]
    if app.config["DRAIN_OUTBOX_ON_START"]:
        # A process starting to serve: what it made at start (modules, vocabularies, the
        # warmed index) lives as long as it does, so the collector's full passes, which
        # walked all of it again and again under load, leave it alone.
        gc.freeze()
    return app


def configured(test_config: dict | None = None) -> Flask:
    """Return a Flask object holding the site's configuration only (nothing is opened)."""
    app = Flask(__name__, instance_relative_config=True)
    instance = Path(app.instance_path)
    app.config.from_mapping(
        SECRET_KEY=DEV_SECRET_KEY,
        SQLALCHEMY_DATABASE_URI=f"sqlite:///{instance / 'directory.sqlite3'}",
        SEARCH_INDEX_DIR=str(instance / "search-index"),
        # "whoosh": an index on this machine's disk (SEARCH_INDEX_DIR); "postgres": search
        # documents in the PostgreSQL database itself (see directory/search/postgres.py).
        SEARCH_BACKEND="whoosh",
        SAMPLE_DATA=str(Path(app.root_path) / "data" / "sample_practitioners.json"),
        # Apply outbox rows left by a crash when a process starts.
        DRAIN_OUTBOX_ON_START=True,
        # Apply database migrations when a process starts (off: `directory setup` does it, once
        # per release, under a lock; a server never migrates by itself unless told to).
        MIGRATE_ON_START=False,
        # How often (at most) a process applies saves other servers made, before a search.
        SEARCH_FOLLOW_SECONDS=1.0,
        # Outbox rows are kept this long for every server's index to read (one away longer
        # rebuilds its index when it comes back).
        OUTBOX_RETENTION_DAYS=7,
        # An ISO date to treat as today (tests and demos); empty means the real date.
        DIRECTORY_TODAY="",
        # Where Alembic's migrations live (an absolute path, so commands started from any
        # folder find them).
        MIGRATIONS_DIR=str(Path(app.root_path) / "migrations"),
        MAX_CONTENT_LENGTH=1024 * 1024,
        # How long a save waits for SQLite's write lock before answering "busy, try again".
        SQLITE_BUSY_TIMEOUT_MS=10_000,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_HTTPONLY=True,
        # A login ends after this long without a request, and after this long in any case.
        SESSION_IDLE_MINUTES=30,
        SESSION_ABSOLUTE_HOURS=12,
        # Allow cookies without Secure outside debug (only behind a trusted plain-HTTP proxy).
        INSECURE_COOKIES=False,
        # "default" is argon2id at RFC 9106's low-memory profile; tests may use "minimum".
        PASSWORD_HASH_PROFILE="default",  # noqa: S106 (a profile name, not a password)
        # Rate-limit counters: use a shared store (redis://...) with several workers.
        RATELIMIT_STORAGE_URI="memory://",
        RATELIMIT_HEADERS_ENABLED=True,
        # Mail goes through SMTP when MAIL_SERVER is set; otherwise to files in MAIL_FOLDER.
        MAIL_SERVER="",
        MAIL_PORT=587,
        MAIL_USERNAME="",
        MAIL_PASSWORD="",
        MAIL_USE_TLS=True,
        MAIL_FROM="Fit Directory <no-reply@localhost>",
        MAIL_FOLDER=str(instance / "mail"),
        # The site's public address: every link in mail and in the API is built from it, never
        # from the request's Host header. Unset: PREFERRED_URL_SCHEME://SERVER_NAME if
        # SERVER_NAME is set, else this machine's development address.
        SITE_URL=None,
        # The host names requests may use (others get 400); unset, the SITE_URL's host and
        # this machine's names.
        TRUSTED_HOSTS=None,
        # How many proxies in front of the site to trust for X-Forwarded-For/-Proto (0: none).
        PROXY_FIX=0,
    )
    app.config.from_pyfile("config.py", silent=True)
    if os.environ.get("DATABASE_URL"):
        app.config["SQLALCHEMY_DATABASE_URI"] = os.environ["DATABASE_URL"]
    for name in ("SEARCH_INDEX_DIR", "SECRET_KEY"):
        if os.environ.get(name):
            app.config[name] = os.environ[name]
    app.config.from_prefixed_env()
    if test_config is not None:
        app.config.from_mapping(test_config)

    if app.config["SECRET_KEY"] == DEV_SECRET_KEY and not (app.debug or app.testing):
        raise RuntimeError(
            "Refusing to start with the development SECRET_KEY: set SECRET_KEY in the "
            "environment or in instance/config.py (the README says how)."
        )
    if not app.config["SITE_URL"]:
        server = app.config.get("SERVER_NAME")
        scheme = app.config.get("PREFERRED_URL_SCHEME") or "http"
        root = (app.config.get("APPLICATION_ROOT") or "/").rstrip("/")
        app.config["SITE_URL"] = f"{scheme}://{server}{root}" if server else "http://127.0.0.1:5000"
    if app.config["TRUSTED_HOSTS"] is None:
        site_host = urlsplit(app.config["SITE_URL"]).hostname or "127.0.0.1"
        app.config["TRUSTED_HOSTS"] = sorted({site_host, "127.0.0.1", "localhost"})
    if not (app.debug or app.testing or app.config["INSECURE_COOKIES"]):
        # Browsers treat http://127.0.0.1 and localhost as secure, so this works locally too.
        app.config["SESSION_COOKIE_SECURE"] = True
    return app


def refuse_unshared_rate_limits(workers: int, config: dict) -> None:
    """Refuse several worker processes that would each count rate limits on their own.

    With ``memory://`` every worker keeps its own counters, so each limit is multiplied by the
    number of workers; outside debug, several workers need a shared store (``redis://...``).
    """
    limited = config.get("RATELIMIT_ENABLED", True)
    if workers > 1 and limited and str(config["RATELIMIT_STORAGE_URI"]).startswith("memory://"):
        if not config.get("DEBUG"):
            raise SystemExit(
                f"Refusing to start {workers} workers with RATELIMIT_STORAGE_URI=memory://: each "
                "worker would count rate limits on its own, multiplying every limit by the "
                "number of workers. Set FLASK_RATELIMIT_STORAGE_URI=redis://host:port (or "
                "RATELIMIT_STORAGE_URI in instance/config.py), or run one worker (WORKERS=1)."
            )
