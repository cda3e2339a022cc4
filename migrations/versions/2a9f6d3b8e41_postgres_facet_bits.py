"""PostgreSQL search backend: each document's facet values as one integer

Revision ID: 2a9f6d3b8e41
Revises: 1d7a4c9e5f30
Create Date: 2026-12-04 02:00:00

Only on PostgreSQL. search_document.facet_bits holds the document's approach, license,
language and format values as bits (``pgdocs.facet_bits``: the order's checksum in the bits
above 40), so facet counts over a search's matches test bits instead of searching four arrays
in every matched row. NULL (rows written before this revision, until ``directory reindex``)
or another order means the bits are made from the arrays, as before.
"""
from alembic import op


revision = '2a9f6d3b8e41'
down_revision = '1d7a4c9e5f30'
branch_labels = None
depends_on = None


def upgrade():
    if op.get_bind().dialect.name != 'postgresql':
        return
    op.execute("ALTER TABLE search_document ADD COLUMN facet_bits bigint")


def downgrade():
    if op.get_bind().dialect.name != 'postgresql':
        return
    op.execute("ALTER TABLE search_document DROP COLUMN facet_bits")
