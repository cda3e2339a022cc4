"""Administrators: the verification queue, claim decisions and unpublishing profiles."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flask import Flask

log = logging.getLogger(__name__)


def init_app(app: Flask) -> None:
    """Register the admin blueprint, and warn operators if the compact table is old."""
    from directory.admin import views
    from directory.core import clock
    from directory.core.compacts import STALE_AFTER_DAYS, load_compacts

    app.register_blueprint(views.bp)
    compacts = load_compacts()
    on = clock.today(app.config["DIRECTORY_TODAY"])
    if compacts.is_stale(on):
        log.warning(
            "the compact table (data/compacts.json) was checked %d days ago, more than %d: "
            "check which states issue, update it and run `flask directory reindex`",
            compacts.age_days(on),
            STALE_AFTER_DAYS,
        )
