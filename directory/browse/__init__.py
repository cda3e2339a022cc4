"""Browsing the directory: the home page, search, profiles, and the JSON API."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flask import Flask


def init_app(app: Flask) -> None:
    """Register the directory blueprint (pages and the JSON API)."""
    from directory.browse import views

    app.register_blueprint(views.bp)
