"""Response headers that every page carries: a strict Content-Security-Policy and friends."""

from __future__ import annotations

from flask import Flask, Response, abort, request

# Everything is served by the site itself; nothing inline, no plugins, no framing.
CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)
# Pages that show questionnaire answers or account details must not be kept by a browser
# or a proxy.
PRIVATE_PREFIXES = ("/match", "/compare", "/api/v1/match", "/account")


def add_security_headers(response: Response) -> Response:
    """Add the security headers to a response."""
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    # same-origin, not no-referrer: Flask-WTF's strict CSRF check over HTTPS needs the Referer.
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
    if request.path.startswith(PRIVATE_PREFIXES):
        headers["Cache-Control"] = "no-store"
    return response


def refuse_nul_characters() -> None:
    """Answer 400 to a request whose address or form holds a NUL character.

    No one types one, PostgreSQL's text columns cannot hold one, and SQLite would store it
    silently: refused at the door, the same on every database.
    """
    texts = [request.path]
    for values in (request.args, request.form):
        for key, value in values.items(multi=True):
            texts += (key, value)
    if any("\x00" in text for text in texts):
        abort(400, description="The request contains a NUL character, which no field accepts.")


def init_app(app: Flask) -> None:
    """Register the headers, with HSTS outside development and testing."""
    app.before_request(refuse_nul_characters)
    app.after_request(add_security_headers)
    if not (app.debug or app.testing):

        @app.after_request
        def strict_transport(response: Response) -> Response:
            response.headers.setdefault(
                "Strict-Transport-Security", "max-age=31536000; includeSubDomains"
            )
            return response
