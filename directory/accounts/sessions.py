"""Logging in and out: server-side sessions checked on every request, and rate limits.

Flask's session is a signed cookie: on its own it would survive a logout if someone had copied
it. So each login creates a ``UserSession`` row, the cookie holds only a random token for it,
and every request checks that row (not ended, not idle too long, not too old).
"""

from __future__ import annotations

import logging
import re
from datetime import timedelta

from flask import Flask, current_app, request, session
from flask_login import login_user, logout_user
from sqlalchemy import select, update
from sqlalchemy.exc import OperationalError

from directory.accounts.models import User, UserSession, new_token, normalize_email, token_digest
from directory.core.clock import utcnow
from directory.extensions import db, login_manager

log = logging.getLogger(__name__)

SESSION_KEY = "sid"
# Touching last_seen_at on every request would make every page view a database write.
TOUCH_EVERY = timedelta(minutes=1)


def account_key() -> str:
    """Rate-limit key for the account a form names (its email), whatever the address."""
    return "account:" + normalize_email(request.form.get("email", ""))


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    """Return the logged-in user if this request's server-side session is still live."""
    token = session.get(SESSION_KEY)
    if not token:
        return None
    record = db.session.scalar(
        select(UserSession).where(UserSession.token_hash == token_digest(token))
    )
    now = utcnow()
    config = current_app.config
    if (
        record is None
        or record.ended_at is not None
        or str(record.user_id) != user_id
        or now - record.last_seen_at > timedelta(minutes=config["SESSION_IDLE_MINUTES"])
        or now - record.created_at > timedelta(hours=config["SESSION_ABSOLUTE_HOURS"])
    ):
        if record is not None and record.ended_at is None:
            record.ended_at = now
            db.session.commit()
        session.clear()
        return None
    if now - record.last_seen_at > TOUCH_EVERY:
        record.last_seen_at = now
        try:
            db.session.commit()
        except OperationalError:
            # Best effort: on a GET this is a deferred transaction that may meet another
            # writer; a missed touch only shortens the idle time-out by a minute.
            db.session.rollback()
    return db.session.get(User, record.user_id)


def start_session(user: User, second_factor: bool = False) -> None:
    """Log a user in with a brand-new session (a new cookie, a new server-side record)."""
    session.clear()  # a fresh session at login: nothing from before carries over
    token, digest = new_token()
    db.session.add(UserSession(token_hash=digest, user_id=user.id, second_factor=second_factor))
    db.session.commit()
    session[SESSION_KEY] = token
    login_user(user)


def passed_second_factor() -> bool:
    """Return whether this request's login passed a second factor."""
    token = session.get(SESSION_KEY)
    if not token:
        return False
    return bool(
        db.session.scalar(
            select(UserSession.second_factor).where(
                UserSession.token_hash == token_digest(token), UserSession.ended_at.is_(None)
            )
        )
    )


def end_all_sessions(user: User) -> int:
    """End every session of a user (a change of role or password must reach copied cookies)."""
    result = db.session.execute(
        update(UserSession)
        .where(UserSession.user_id == user.id, UserSession.ended_at.is_(None))
        .values(ended_at=utcnow())
    )
    ended: int = result.rowcount  # type: ignore[attr-defined]  # an UPDATE's CursorResult
    return ended


def end_session() -> None:
    """Log out: end the server-side session so the cookie is worthless even if copied."""
    token = session.get(SESSION_KEY)
    if token:
        db.session.execute(
            update(UserSession)
            .where(UserSession.token_hash == token_digest(token), UserSession.ended_at.is_(None))
            .values(ended_at=utcnow())
        )
        db.session.commit()
    logout_user()
    session.clear()


def end_other_sessions(user: User, keep_current: bool = True) -> int:
    """End every session of the user (but this one, if asked); return how many ended."""
    keep = token_digest(session.get(SESSION_KEY, "")) if keep_current else None
    result = db.session.execute(
        update(UserSession)
        .where(
            UserSession.user_id == user.id,
            UserSession.ended_at.is_(None),
            UserSession.token_hash != (keep or ""),
        )
        .values(ended_at=utcnow())
    )
    db.session.commit()
    ended: int = result.rowcount  # type: ignore[attr-defined]  # an UPDATE's CursorResult
    return ended


class RedactTokens(logging.Filter):
    """Removes emailed tokens from access-log lines (the links carry them in the path)."""

    PATTERN = re.compile(r"(/account/(?:verify|reset)/)[A-Za-z0-9_\-]+")

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = self.PATTERN.sub(r"\1[redacted]", message)
        if redacted != message:
            record.msg, record.args = redacted, ()
        return True


def init_app(app: Flask) -> None:
    """Redact emailed tokens from the access logs of the development server and gunicorn."""
    logging.getLogger("werkzeug").addFilter(RedactTokens())
    logging.getLogger("gunicorn.access").addFilter(RedactTokens())
