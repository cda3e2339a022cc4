"""Helpers for tests that register, confirm and log in practitioners."""

from __future__ import annotations

import email
import re
import time
from datetime import timedelta
from email.policy import default
from pathlib import Path

import pyotp
from sqlalchemy import select

from directory.extensions import db

ADMIN = "admin@example.org"
ADMIN_PASSWORD = "north lighthouse keeper"
PASSWORD = "violet harbour lanterns"
NEW_PASSWORD = "seven quiet orchards"


def csrf(client, path):
    html = client.get(path).text
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)


def post(client, path, *, form_page=None, **data):
    """Submit a form the way a browser would, with the CSRF token from the page showing it."""
    return client.post(path, data={**data, "csrf_token": csrf(client, form_page or path)})


def mails(app) -> list[str]:
    folder = Path(app.config["MAIL_FOLDER"])
    if not folder.exists():
        return []
    # In the order they were written (several may share a second in their names).
    files = sorted(folder.glob("*.eml"), key=lambda p: p.stat().st_mtime_ns)
    return [email.message_from_string(p.read_text(), policy=default).get_content() for p in files]


def link_in(message: str, kind: str) -> str:
    return re.search(rf"https?://[^/\s]+(/account/{kind}/[A-Za-z0-9_\-]+)", message).group(1)


def age(app, model, **fields: timedelta) -> None:
    """Move the given datetime columns of every row of ``model`` back in time."""
    with app.app_context():
        for row in db.session.scalars(select(model)):
            for name, delta in fields.items():
                setattr(row, name, getattr(row, name) - delta)
        db.session.commit()


def register(client, email="ash@example.org", password=PASSWORD):
    return post(client, "/account/register", email=email, password=password, confirm=password)


def registered(app, client, email="ash@example.org"):
    register(client, email)
    client.get(link_in(mails(app)[-1], "verify"))


def login(client, email="ash@example.org", password=PASSWORD):
    return post(client, "/account/login", email=email, password=password)


def code_for(secret, offset=0):
    totp = pyotp.TOTP(secret)
    return totp.generate_otp(int(time.time()) // 30 + offset)


def admin_client(app, secret):
    """Return a client logged in as the administrator (password, then authenticator code)."""
    client = app.test_client()
    r = login(client, ADMIN, ADMIN_PASSWORD)
    assert r.status_code == 303 and r.headers["Location"].startswith("/account/two-factor")
    r = post(client, r.headers["Location"], code=code_for(secret))
    assert r.status_code == 303, r.text
    return client
