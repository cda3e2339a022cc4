"""Accounts: users, server-side logins, passwords, the second factor and the account pages."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flask import Flask


def init_app(app: Flask) -> None:
    """Register the account blueprint and the redaction of emailed tokens in logs."""
    from directory.accounts import availability, sessions, views

    app.register_blueprint(views.bp)
    app.register_blueprint(availability.bp)
    sessions.init_app(app)
