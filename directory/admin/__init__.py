"""Administrators: the verification queue, claim decisions and unpublishing profiles."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flask import Flask


def init_app(app: Flask) -> None:
    """Register the admin blueprint."""
    from directory.admin import views

    app.register_blueprint(views.bp)
