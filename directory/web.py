"""What every blueprint shares about the request: the site's today, its address, safe redirects."""

from __future__ import annotations

from datetime import date
from typing import Any, overload
from urllib.parse import urlsplit

from flask import Flask, current_app, url_for

from directory.core import clock


def today() -> date:
    """Return the date the directory treats as today (``DIRECTORY_TODAY``, else the real one)."""
    return clock.today(current_app.config["DIRECTORY_TODAY"])


def app_object() -> Flask:
    """Return the application behind ``current_app``, for work that outlives a request."""
    # current_app is a werkzeug LocalProxy, which Flask's annotations type as Flask itself.
    app: Flask = current_app._get_current_object()  # type: ignore[attr-defined]
    return app


def external_url(endpoint: str, **values: Any) -> str:
    """Return the full address of a page on the configured site (``SITE_URL``).

    Never built from the request's Host header, which a client chooses: a reset link mailed
    after a request for ``Host: evil.example`` still points at this site.
    """
    site: str = current_app.config["SITE_URL"].rstrip("/")
    return site + url_for(endpoint, **values)


@overload
def safe_next(target: str | None, fallback: str) -> str: ...
@overload
def safe_next(target: str | None, fallback: None = None) -> str | None: ...
def safe_next(target: str | None, fallback: str | None = None) -> str | None:
    """Return ``target`` if it is a path on this site, else ``fallback`` (no open redirects)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return fallback
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return fallback
    return target
