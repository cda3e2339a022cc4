"""Practitioners: the models, named queries, the profile form, import, and editing one's profile."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flask import Flask


def init_app(app: Flask) -> None:
    """Register the blueprint of a practitioner's own profile."""
    from directory.practitioners import views

    app.register_blueprint(views.bp)
