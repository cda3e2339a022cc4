"""Accounts: users, their server-side sessions, and single-use emailed tokens."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from flask_login import UserMixin
from sqlalchemy import JSON, ForeignKey, String, select
from sqlalchemy.orm import Mapped, mapped_column

from directory.core.clock import utcnow
from directory.extensions import Model, db

ROLES = ("practitioner", "admin")


def token_digest(token: str) -> str:
    """Return the SHA-256 of a token: only digests are stored, so a database leak is no key."""
    return hashlib.sha256(token.encode()).hexdigest()


def new_token() -> tuple[str, str]:
    """Return a fresh random token and its digest."""
    token = secrets.token_urlsafe(32)
    return token, token_digest(token)


class User(UserMixin, Model):
    """Someone who logs in: a practitioner, or an administrator."""

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(20), default="practitioner")
    email_verified_at: Mapped[datetime | None]
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    # The last time step whose code was accepted: a code never works twice.
    totp_last_step: Mapped[int | None]
    # SHA-256 digests of the unused recovery codes.
    recovery_codes: Mapped[list[str]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    password_changed_at: Mapped[datetime] = mapped_column(default=utcnow)

    def __repr__(self) -> str:
        return f"<User {self.id} {self.role}>"

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"

    @classmethod
    def by_email(cls, email: str):
        """Return a select of the user with this email (case-insensitive)."""
        return select(cls).where(cls.email == normalize_email(email))


def normalize_email(email: str) -> str:
    """Return an email address as stored: trimmed and lowercased."""
    return email.strip().lower()


class UserSession(Model):
    """A login, checked on every request, so that logging out really ends it."""

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(default=utcnow)
    ended_at: Mapped[datetime | None]
    # Whether this login passed a second factor (administrators' pages need one).
    second_factor: Mapped[bool] = mapped_column(default=False)


class EmailToken(Model):
    """A single-use, time-limited link sent by email (confirming an address, resetting a
    password)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    purpose: Mapped[str] = mapped_column(String(10))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]


def issue_token(user: User, purpose: str, lifetime: timedelta) -> str:
    """Add a single-use emailed token for ``user`` and return it (only its digest is kept)."""
    token, digest = new_token()
    db.session.add(
        EmailToken(
            token_hash=digest, user_id=user.id, purpose=purpose, expires_at=utcnow() + lifetime
        )
    )
    return token


def redeem_token(token: str, purpose: str) -> EmailToken | None:
    """Return the unused, unexpired token record, or None."""
    # The row is locked (FOR UPDATE on PostgreSQL; SQLite's write lock is already held), so
    # two requests with one link are served one after the other and only the first finds it
    # unused.
    record = db.session.scalar(
        select(EmailToken)
        .where(EmailToken.token_hash == token_digest(token), EmailToken.purpose == purpose)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    if record is None or record.used_at is not None or record.expires_at < utcnow():
        return None
    return record
