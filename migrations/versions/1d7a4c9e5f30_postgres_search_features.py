"""PostgreSQL search backend: each document carries its practitioner's match features

Revision ID: 1d7a4c9e5f30
Revises: 0b3e6f1a9c25
Create Date: 2026-12-03 16:00:00

Only on PostgreSQL. search_document.features holds what the matching engine reads of the
practitioner (``directory.core.features.feature_row``, packed as JSON by
``pgdocs.pack_features``), written with the document in the changing transaction, so a
server's first match in a state reads one column of the state's rows instead of loading every
profile through the ORM. NULL (rows written before this revision, until ``directory reindex``)
means the features are made from the profile, as before.
"""
from alembic import op


revision = '1d7a4c9e5f30'
down_revision = '0b3e6f1a9c25'
branch_labels = None
depends_on = None


def upgrade():
    if op.get_bind().dialect.name != 'postgresql':
        return
    op.execute("ALTER TABLE search_document ADD COLUMN features bytea")


def downgrade():
    if op.get_bind().dialect.name != 'postgresql':
        return
    op.execute("ALTER TABLE search_document DROP COLUMN features")
