"""Upgrading a database that already holds practitioners keeps every one of them."""

from __future__ import annotations

from flask_migrate import upgrade
from sqlalchemy import text

from app import create_app
from directory.extensions import db

FIRST_WITH_ACCOUNTS = "02b6f9a5b0ce"  # before the practitioner table is rebuilt


def filler(declared: str):
    declared = declared.upper()
    if "INT" in declared or "BOOL" in declared:
        return 0
    if declared.startswith("DATE"):
        return "2026-01-01 00:00:00.000000" if "TIME" in declared else "2027-01-01"
    if "JSON" in declared:
        return "[]"
    return ""


def insert(conn, table: str, values: dict) -> None:
    columns = conn.execute(text(f"PRAGMA table_info({table})")).all()
    row = {c.name: filler(c.type) for c in columns if c.notnull and c.name != "id"}
    row.update(values)
    names = ", ".join(row)
    marks = ", ".join(f":{k}" for k in row)
    conn.execute(text(f"INSERT INTO {table} ({names}) VALUES ({marks})"), row)


def test_an_upgrade_keeps_existing_practitioners_and_licenses(tmp_path):
    app = create_app({"TESTING": True, "SECRET_KEY": "t", "DRAIN_OUTBOX_ON_START": False,
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'old.sqlite3'}",
                      "SEARCH_INDEX_DIR": str(tmp_path / "index")})  # fmt: skip
    with app.app_context():
        upgrade(revision=FIRST_WITH_ACCOUNTS)
        with db.engine.begin() as conn:
            insert(
                conn,
                "practitioner",
                {
                    "id": 7,
                    "external_id": "old-7",
                    "slug": "kept-7",
                    "name": "Kept Person",
                    "state": "OH",
                    "fee": 95,
                },
            )
            insert(conn, "license", {"practitioner_id": 7, "kind": "psychologist",
                                     "state": "OH", "number": "PSY 7"})  # fmt: skip
        upgrade()
        with db.engine.connect() as conn:
            person = conn.execute(text("SELECT name, fee, owner_id FROM practitioner")).one()
            license_ = conn.execute(text("SELECT number, practitioner_id FROM license")).one()
            assert tuple(person) == ("Kept Person", 95, None)
            assert tuple(license_) == ("PSY 7", 7)
            assert conn.execute(text("PRAGMA foreign_key_check")).all() == []
        db.engine.dispose()
