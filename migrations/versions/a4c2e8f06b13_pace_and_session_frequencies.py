"""pace and session frequencies on the profile

The questionnaire asks the pace a person would like and how often they'd meet; a profile says
the pace the practitioner usually works at and how often sessions usually are. Existing
profiles say neither until the practitioner fills them in.

Revision ID: a4c2e8f06b13
Revises: 8c3d9f1e2b57
Create Date: 2026-12-01 23:50:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'a4c2e8f06b13'
down_revision = '8c3d9f1e2b57'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('practitioner', schema=None) as batch_op:
        batch_op.add_column(sa.Column('pace', sa.String(length=10), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('session_frequencies', sa.JSON(), nullable=False, server_default='[]'))


def downgrade():
    with op.batch_alter_table('practitioner', schema=None) as batch_op:
        batch_op.drop_column('session_frequencies')
        batch_op.drop_column('pace')
