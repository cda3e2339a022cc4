"""The clock: the date the directory treats as today, and timestamps as the database keeps them."""

from __future__ import annotations

from datetime import UTC, date, datetime


def today(fixed: str = "") -> date:
    """Return ``fixed`` (an ISO date, for tests and demos) as a date, or the real date."""
    return date.fromisoformat(fixed) if fixed else date.today()


def utcnow() -> datetime:
    """Return the current UTC time without a time zone, as the database columns hold it."""
    return datetime.now(UTC).replace(tzinfo=None)
