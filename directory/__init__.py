"""The directory: practitioners, their profiles and accounts, the search index, and browsing.

- ``core``: the pure domain (vocabulary, profiles, authorities, checklist, records, places);
- ``practitioners``: models, named queries, the profile form, import, editing one's profile;
- ``accounts``: users, logins, passwords, the second factor;
- ``admin``: the verification queue and claim decisions;
- ``browse``: the directory's pages and its JSON API;
- ``search``: the search index (the only importer of Whoosh) and keeping it in step;
- ``samples``: the generator of fictional practitioners (needs the ``samples`` extra);
- ``extensions``, ``sqlite``, ``mail``, ``security``, ``errors``, ``web``, ``form_fields``,
  ``cli``: what the parts share.

``docs/ARCHITECTURE.md`` has the map. The parts are imported inside ``init_app``, so that
importing the pure core never loads Flask or SQLAlchemy.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flask import Flask


def init_app(app: Flask) -> None:
    """Bind the extensions, then each part's blueprints, hooks and commands, to ``app``."""
    from directory import (
        accounts,
        admin,
        browse,
        cli,
        errors,
        extensions,
        mail,
        practitioners,
        search,
        security,
        sqlite,
    )

    extensions.init_app(app)
    sqlite.init_app(app)
    mail.init_app(app)
    if app.config["MIGRATE_ON_START"]:
        # Only when told to (one server, or a platform without a release step): the same
        # migrations `directory setup` applies, under the same lock.
        from flask_migrate import upgrade

        with app.app_context(), sqlite.one_at_a_time("setup"):
            upgrade(directory=app.extensions["migrate"].directory)
    search.init_app(app)
    accounts.init_app(app)
    practitioners.init_app(app)
    admin.init_app(app)
    browse.init_app(app)
    security.init_app(app)
    errors.init_app(app)
    cli.init_app(app)
