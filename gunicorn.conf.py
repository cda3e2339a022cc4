"""Gunicorn settings read by `make serve` (and by any `gunicorn` started in this folder)."""

from __future__ import annotations


def on_starting(server) -> None:
    """Refuse several workers whose rate limits would not be shared (see app.py)."""
    import sys

    from app import configured, refuse_unshared_rate_limits

    refuse_unshared_rate_limits(server.cfg.workers, configured().config)
    # Forget the module again: workers forked after a HUP (an upgrade) must import the new
    # app.py along with the new package, not inherit this one's old copy (a mix crashed).
    sys.modules.pop("app", None)
