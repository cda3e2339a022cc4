"""Friendly error pages for people and JSON errors for the API."""

from __future__ import annotations

import logging

from flask import Flask, Response, jsonify, render_template, request
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import BadHost, HTTPException, SecurityError

from directory.extensions import db
from directory.search import IndexUnavailable
from directory.sqlite import busy_fallback, is_busy, reading

log = logging.getLogger(__name__)

MESSAGES = {
    400: ("That request didn't make sense", "Something in the address or the form was not "
          "what we expected. Check it and try again."),
    404: ("We couldn't find that page", "The page or profile may have moved, been unpublished, "
          "or never existed."),
    405: ("That action isn't allowed here", "Try going back and using the page's own links."),
    413: ("That was too large", "The request was larger than the site accepts."),
    429: ("Too many tries", "Please wait a few minutes before trying again."),
    503: ("Search is unavailable for a moment", "The directory's search index is being "
          "built or repaired. Please try again in a minute."),
    "index": ("Search is unavailable for a moment", "The directory's search index is not "
              "available: {reason}. Please try again in a minute."),
    "busy": ("The directory is busy for a moment", "Nothing was saved. Please go back and "
             "try again in a few seconds."),
    500: ("Something went wrong on our side", "The error has been logged. Nothing you did "
          "caused it; please try again in a moment."),
}  # fmt: skip


def _wants_json() -> bool:
    return request.path.startswith("/api/")


def handle_http_error(error: HTTPException):
    """Render an HTTP error as a friendly page, or as JSON under /api/."""
    code = error.code or 500
    if code >= 500:
        db.session.rollback()
    title, explanation = MESSAGES.get(code, (error.name, error.description or ""))
    if _wants_json():
        message = error.description if code < 500 else title
        return jsonify(error=error.name, message=message), code
    return render_template(
        "errors/error.html", code=code, title=title, explanation=explanation
    ), code


def handle_bad_host(error: HTTPException) -> Response:
    """Refuse a request for a host this site does not serve, without rendering a page (its
    links would need the very host that is refused)."""
    return Response(
        "400 Bad Request: this site does not answer for that host name.\n",
        status=400,
        mimetype="text/plain",
    )


def handle_operational_error(error: OperationalError):
    """Answer 503 "busy, try again" when the database stayed locked; anything else is a 500."""
    db.session.rollback()
    if not is_busy(error):
        raise error
    log.warning("a request gave up waiting for the database's write lock")
    fallback = busy_fallback()
    # What answers the request reads only: it must not wait for the lock again.
    with reading():
        if fallback is not None:
            return fallback()
        title, explanation = MESSAGES["busy"]
        if _wants_json():
            return jsonify(error="Service Unavailable", message=f"{title}: {explanation}"), 503
        page = render_template("errors/error.html", code=503, title=title, explanation=explanation)
        return page, 503


def handle_index_unavailable(error: IndexUnavailable):
    """Answer 503, with the reason, while the search index is missing, built or repaired."""
    log.warning("search index unavailable: %s", error)
    title, explanation = MESSAGES["index"]
    explanation = explanation.format(reason=error.reason)
    if _wants_json():
        return jsonify(error="Service Unavailable", message=f"{title}: {explanation}"), 503
    page = render_template("errors/error.html", code=503, title=title, explanation=explanation)
    return page, 503


def init_app(app: Flask) -> None:
    """Register the error handlers (an unexpected exception arrives as a logged 500)."""
    app.register_error_handler(HTTPException, handle_http_error)
    app.register_error_handler(BadHost, handle_bad_host)
    app.register_error_handler(SecurityError, handle_bad_host)
    app.register_error_handler(IndexUnavailable, handle_index_unavailable)
    app.register_error_handler(OperationalError, handle_operational_error)
