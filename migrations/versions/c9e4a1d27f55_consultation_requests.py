"""consultation requests: a practitioner may turn them off; a count per day is all that is kept

Revision ID: c9e4a1d27f55
Revises: b7d15e3c9a20
Create Date: 2026-12-02 00:40:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'c9e4a1d27f55'
down_revision = 'b7d15e3c9a20'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('practitioner', schema=None) as batch_op:
        batch_op.add_column(sa.Column('consultation_requests', sa.Boolean(), nullable=False,
                                      server_default=sa.true()))
    op.create_table('consultation_count',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('practitioner_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['practitioner_id'], ['practitioner.id'], name=op.f('fk_consultation_count_practitioner_id_practitioner')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_consultation_count')),
    sa.UniqueConstraint('practitioner_id', 'day', name=op.f('uq_consultation_count_practitioner_id'))
    )
    with op.batch_alter_table('consultation_count', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_consultation_count_practitioner_id'), ['practitioner_id'], unique=False)


def downgrade():
    with op.batch_alter_table('consultation_count', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_consultation_count_practitioner_id'))
    op.drop_table('consultation_count')
    with op.batch_alter_table('practitioner', schema=None) as batch_op:
        batch_op.drop_column('consultation_requests')
