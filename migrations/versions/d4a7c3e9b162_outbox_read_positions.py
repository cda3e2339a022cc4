"""outbox read positions: rows are kept for every server to read; the pruning horizon

Revision ID: d4a7c3e9b162
Revises: c9e4a1d27f55
Create Date: 2026-12-02 02:30:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'd4a7c3e9b162'
down_revision = 'c9e4a1d27f55'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('outbox_pruned',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('through', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outbox_pruned'))
    )
    with op.batch_alter_table('outbox_entry', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_outbox_entry_created_at'), ['created_at'], unique=False)


def downgrade():
    with op.batch_alter_table('outbox_entry', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_outbox_entry_created_at'))
    op.drop_table('outbox_pruned')
