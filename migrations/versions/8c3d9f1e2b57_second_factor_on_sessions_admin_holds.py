"""a login records whether it passed a second factor; administrators' holds on profiles

Revision ID: 8c3d9f1e2b57
Revises: 5b1e0c2a7d44
Create Date: 2026-12-01 22:10:00

"""
from alembic import op
import sqlalchemy as sa


revision = '8c3d9f1e2b57'
down_revision = '5b1e0c2a7d44'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('user_session', schema=None) as batch_op:
        batch_op.add_column(sa.Column('second_factor', sa.Boolean(), nullable=False, server_default=sa.false()))
    with op.batch_alter_table('practitioner', schema=None) as batch_op:
        batch_op.add_column(sa.Column('admin_hold', sa.String(length=300), nullable=True))


def downgrade():
    with op.batch_alter_table('practitioner', schema=None) as batch_op:
        batch_op.drop_column('admin_hold')
    with op.batch_alter_table('user_session', schema=None) as batch_op:
        batch_op.drop_column('second_factor')
