"""a login records whether it passed a second factor; administrators' holds; answer keys

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
    # The keys to people's encrypted answers (never the answers: those stay in their cookie).
    op.create_table('answer_key',
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_answer_key'))
    )
    with op.batch_alter_table('user_session', schema=None) as batch_op:
        batch_op.add_column(sa.Column('second_factor', sa.Boolean(), nullable=False, server_default=sa.false()))
    with op.batch_alter_table('practitioner', schema=None) as batch_op:
        batch_op.add_column(sa.Column('admin_hold', sa.String(length=300), nullable=True))


def downgrade():
    op.drop_table('answer_key')
    with op.batch_alter_table('practitioner', schema=None) as batch_op:
        batch_op.drop_column('admin_hold')
    with op.batch_alter_table('user_session', schema=None) as batch_op:
        batch_op.drop_column('second_factor')
