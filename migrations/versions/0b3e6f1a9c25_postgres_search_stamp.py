"""PostgreSQL search backend: a stamp that every change to the search documents moves on

Revision ID: 0b3e6f1a9c25
Revises: f1c8d2a6e4b7
Create Date: 2026-12-03 08:00:00

Only on PostgreSQL. The transaction that writes or deletes search documents adds one to
search_stamp.n before it commits, so a server may keep what a search found (its total, facet
counts and page) for as long as the stamp it read with it is the one it reads now: a save on
any server moves it at once, in the same transaction as the documents.
"""
from alembic import op


revision = '0b3e6f1a9c25'
down_revision = 'f1c8d2a6e4b7'
branch_labels = None
depends_on = None


def upgrade():
    if op.get_bind().dialect.name != 'postgresql':
        return
    op.execute("""
        CREATE TABLE search_stamp (
            id integer PRIMARY KEY CHECK (id = 1),
            n bigint NOT NULL
        )""")
    op.execute("INSERT INTO search_stamp (id, n) VALUES (1, 0)")


def downgrade():
    if op.get_bind().dialect.name != 'postgresql':
        return
    op.execute("DROP TABLE search_stamp")
