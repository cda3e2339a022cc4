"""Accounts: users, server-side logins, passwords, the second factor, mail and account pages."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flask import Flask


def init_app(app: Flask) -> None:
    """Register the account blueprint, the mailer and the redaction of tokens in logs."""
    from directory.accounts import mail, sessions, views

    app.register_blueprint(views.bp)
    sessions.init_app(app)
    mail.init_app(app)
