"""Telling practitioners about their licenses and authorities: verified, rejected, expiring.

Each message goes to the account that owns the profile (imported and sample profiles have none,
so nobody is written to); the expiry notice is sent once per expiry date.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy import select

from directory import mail
from directory.accounts.models import User
from directory.extensions import db
from directory.practitioners.models import CompactAuthority, License, Practitioner
from directory.web import external_url

# Practitioners hear about an expiry this long before it.
EXPIRY_NOTICE_DAYS = 30


def describe(row: License | CompactAuthority, name: str) -> str:
    """Return "Clinical social worker license OH #123" for a license or an authority."""
    where = f" {row.state}" if row.state else ""
    return f"{name}{where} #{row.number or '(no number)'}"


def _send(practitioner: Practitioner, subject: str, body: str) -> bool:
    owner = db.session.get(User, practitioner.owner_id) if practitioner.owner_id else None
    if owner is None:
        return False
    link = external_url("practitioners.edit_profile")
    mail.send(mail.Message(owner.email, subject, f"{body}\n\nYour profile: {link}\n"))
    return True


def reviewed(row: License | CompactAuthority, name: str, status: str, reason: str | None) -> bool:
    """Tell the owner an administrator verified or rejected a license or authority."""
    what = describe(row, name)
    if status == "verified":
        return _send(row.practitioner, f"Verified: {what}",
                     f"An administrator checked your {what} and marked it verified on "
                     f"{row.verified_on.isoformat() if row.verified_on else 'today'}.")  # fmt: skip
    return _send(row.practitioner, f"Could not be verified: {what}",
                 f"An administrator could not verify your {what}.\n\nThe reason: {reason}\n\n"
                 "Correct it on your profile and it will be checked again.")  # fmt: skip


def send_expiry_notices(today: date, names: dict[str, str]) -> int:
    """Email every owner whose verified license or authority expires within
    ``EXPIRY_NOTICE_DAYS`` and who has not been told yet; return how many were told."""
    soon = today + timedelta(days=EXPIRY_NOTICE_DAYS)
    sent = 0
    models: tuple[type[License], type[CompactAuthority]] = (License, CompactAuthority)
    for model in models:
        rows: list[Any] = list(
            db.session.scalars(
                select(model).where(
                    model.status == "verified",
                    model.expires_on.is_not(None),
                    model.expires_on >= today,
                    model.expires_on <= soon,
                    model.expiry_notice_on.is_(None),
                )
            )
        )
        for row in rows:
            what = describe(row, names.get(row.kind, row.kind))
            expires = row.expires_on.isoformat()
            body = (
                f"Your {what} expires on {expires}. Once it expires, the directory no longer "
                "lists you where it counted. Renew it, then update the expiry date on your "
                "profile to have it checked again."
            )
            sent += _send(row.practitioner, f"Expires {expires}: {what}", body)
            row.expiry_notice_on = today
    db.session.commit()
    return sent
