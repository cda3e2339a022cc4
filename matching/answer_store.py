"""Keeping a person's answers between pages: encrypted in their own cookie, forgotten for good.

The answers never reach the database, a log or an address. The session cookie carries them
encrypted (Fernet: AES with an authentication tag) under a random key that only the server
holds, one key per set of answers. "Forget my answers" deletes the key, so even a copy of the
old cookie can no longer be read; keys also lapse after the longest a login may last.
"""

from __future__ import annotations

import json
import secrets
from datetime import datetime, timedelta

from cryptography.fernet import Fernet, InvalidToken
from flask import current_app, session
from sqlalchemy import String, delete
from sqlalchemy.orm import Mapped, mapped_column

from directory.core.clock import utcnow
from directory.extensions import Model, db
from matching.preferences import Preferences

ANSWERS = "answers"


class AnswerKey(Model):
    """The key to one person's encrypted answers (never the answers themselves)."""

    __tablename__ = "answer_key"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    key: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


def _lifetime() -> timedelta:
    return timedelta(hours=current_app.config["SESSION_ABSOLUTE_HOURS"])


def save_answers(prefs: Preferences) -> None:
    """Encrypt the answers into the session under a fresh key (the previous one is deleted)."""
    forget_answers()
    key = Fernet.generate_key().decode()
    key_id = secrets.token_urlsafe(32)
    db.session.execute(delete(AnswerKey).where(AnswerKey.created_at < utcnow() - _lifetime()))
    db.session.add(AnswerKey(id=key_id, key=key))
    db.session.commit()
    token = Fernet(key.encode()).encrypt(json.dumps(prefs.to_dict()).encode())
    session[ANSWERS] = {"k": key_id, "c": token.decode()}


def load_answers() -> Preferences | None:
    """Return the answers in the session, if their key still exists and they decrypt."""
    stored = session.get(ANSWERS)
    if not isinstance(stored, dict) or not isinstance(stored.get("k"), str):
        return None
    row = db.session.get(AnswerKey, stored["k"][:64])
    if row is None or row.created_at < utcnow() - _lifetime():
        session.pop(ANSWERS, None)
        return None
    try:
        raw = Fernet(row.key.encode()).decrypt(str(stored.get("c", "")).encode())
        return Preferences.from_dict(json.loads(raw))
    except (InvalidToken, ValueError, TypeError):
        session.pop(ANSWERS, None)
        return None


def forget_answers() -> None:
    """Delete the key to the session's answers, and the answers from the session."""
    stored = session.pop(ANSWERS, None)
    if isinstance(stored, dict) and isinstance(stored.get("k"), str):
        db.session.execute(delete(AnswerKey).where(AnswerKey.id == stored["k"][:64]))
        db.session.commit()
