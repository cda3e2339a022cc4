"""PostgreSQL search backend: one search document per published practitioner, and the words

Revision ID: e5b2f7a9c013
Revises: d4a7c3e9b162
Create Date: 2026-12-02 03:00:00

Only on PostgreSQL (SEARCH_BACKEND=postgres reads them); on SQLite this migration does nothing.
The rows are derived from the practitioners: `flask directory reindex` fills them.
"""
from alembic import op


revision = 'e5b2f7a9c013'
down_revision = 'd4a7c3e9b162'
branch_labels = None
depends_on = None


def upgrade():
    if op.get_bind().dialect.name != 'postgresql':
        return
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    op.execute("""
        CREATE TABLE search_document (
            pid integer PRIMARY KEY REFERENCES practitioner (id) ON DELETE CASCADE,
            version integer NOT NULL,
            doc tsvector NOT NULL,
            spell tsvector NOT NULL,
            states text[] NOT NULL,
            license text[] NOT NULL,
            approach text[] NOT NULL,
            concern text[] NOT NULL,
            language text[] NOT NULL,
            format text[] NOT NULL,
            insurance text[] NOT NULL,
            flags text[] NOT NULL,
            access text[] NOT NULL,
            fee integer,
            lowest_fee integer,
            lat double precision,
            lon double precision,
            name_sort text NOT NULL,
            valid_until date NOT NULL
        )""")
    for column in ("doc", "spell", "states", "license", "approach", "concern", "language",
                   "format", "insurance", "flags", "access"):
        op.execute(f"CREATE INDEX ix_search_document_{column} ON search_document USING gin ({column})")
    op.execute("CREATE INDEX ix_search_document_lowest_fee ON search_document (lowest_fee)")
    op.execute("CREATE INDEX ix_search_document_name_sort ON search_document (name_sort, pid)")
    op.execute("CREATE INDEX ix_search_document_valid_until ON search_document (valid_until)")
    op.execute("CREATE TABLE search_word (word text PRIMARY KEY)")
    op.execute("CREATE INDEX ix_search_word_trgm ON search_word USING gin (word gin_trgm_ops)")


def downgrade():
    if op.get_bind().dialect.name != 'postgresql':
        return
    op.execute("DROP TABLE search_word")
    op.execute("DROP TABLE search_document")
