"""PostgreSQL search backend: what each document's states and flags say after its valid_until

Revision ID: f1c8d2a6e4b7
Revises: e5b2f7a9c013
Create Date: 2026-12-02 19:00:00

Only on PostgreSQL. A search reads the day's states and flags of a document past its
valid_until from the epoch covering the day, so that no row is rewritten the day a license
lapses. The rows are derived: `flask directory reindex` (or `directory refresh`) fills them;
until then a document past its valid_until is left out of searches, as it would have been
refreshed before.
"""
from alembic import op


revision = 'f1c8d2a6e4b7'
down_revision = 'e5b2f7a9c013'
branch_labels = None
depends_on = None


def upgrade():
    if op.get_bind().dialect.name != 'postgresql':
        return
    op.execute("""
        CREATE TABLE search_epoch (
            pid integer NOT NULL REFERENCES search_document (pid) ON DELETE CASCADE,
            starts date NOT NULL,
            ends date NOT NULL,
            states text[] NOT NULL,
            flags text[] NOT NULL,
            PRIMARY KEY (pid, starts)
        )""")


def downgrade():
    if op.get_bind().dialect.name != 'postgresql':
        return
    op.execute("DROP TABLE search_epoch")
