"""Matching: the fit questionnaire, the explained scoring engine, results, compare and the kit.

Matching imports the directory; the directory never imports matching.
"""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the matching blueprint."""
    from directory.core.identities import suggestions
    from directory.extensions import csrf
    from matching import consultation, views

    app.register_blueprint(views.bp)
    app.register_blueprint(consultation.bp)
    # The questionnaire offers the identity vocabulary (data/identity_terms.json) as suggestions.
    app.add_template_global(suggestions, "identity_suggestions")
    # The JSON API takes no cookies, so there is no session for a forged request to ride on.
    csrf.exempt(views.api_match)
    if app.config["DRAIN_OUTBOX_ON_START"]:  # a process starting to serve, not a test's app
        from matching.services import warm

        warm(app)
