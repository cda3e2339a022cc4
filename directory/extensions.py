"""Flask extension objects, created unbound here and bound to an app by ``directory.init_app``."""

from typing import TYPE_CHECKING

from flask import Flask
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase


class Base(DeclarativeBase):
    # A naming convention gives every constraint a stable name, so Alembic migrations can
    # alter and drop them (SQLite batch mode needs the names).
    metadata = MetaData(
        naming_convention={
            "ix": "ix_%(column_0_label)s",
            "uq": "uq_%(table_name)s_%(column_0_name)s",
            "ck": "ck_%(table_name)s_%(constraint_name)s",
            "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
            "pk": "pk_%(table_name)s",
        }
    )


db = SQLAlchemy(model_class=Base)
if TYPE_CHECKING:
    # db.Model is made at run time from Base, which is all a type checker needs to know.
    Model = Base
else:
    Model = db.Model
migrate = Migrate()

# Tables with no model: the PostgreSQL search backend's derived rows, made by raw SQL in their
# own migration. Autogenerate must neither compare nor drop them.
UNMODELLED_TABLES = frozenset({"search_document", "search_epoch", "search_stamp", "search_word"})


def modelled(name: str | None, type_: str, parent_names: dict) -> bool:
    """Alembic's include_name: leave the unmodelled tables (and their indexes) alone."""
    table = name if type_ == "table" else parent_names.get("table_name")
    return table not in UNMODELLED_TABLES


csrf = CSRFProtect()
login_manager = LoginManager()
login_manager.login_view = "account.login"
login_manager.login_message = "Please log in to see that page."
# Limits are set per view (see accounts/views.py); nothing is limited by default.
limiter = Limiter(key_func=get_remote_address, default_limits=[])


def init_app(app: Flask) -> None:
    """Bind every extension object to ``app``."""
    db.init_app(app)
    migrate.init_app(app, db, directory=app.config["MIGRATIONS_DIR"], include_name=modelled)
    csrf.init_app(app)
    login_manager.init_app(app)
    limiter.init_app(app)
