"""contact details and availability on the profile

How a person reaches a practitioner: a phone number (E.164), a public email address, a website
and a booking link (https only), the way they prefer to be contacted and the hours they answer.
Each is optional; existing profiles have none until the practitioner adds them. Beside
"accepting new clients": a waitlist, the next opening, and the confirmation a reminder to
reconfirm was sent for.

Revision ID: b7d15e3c9a20
Revises: a4c2e8f06b13
Create Date: 2026-12-02 00:20:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'b7d15e3c9a20'
down_revision = 'a4c2e8f06b13'
branch_labels = None
depends_on = None

COLUMNS = (('phone', 20), ('public_email', 254), ('website', 300), ('booking_url', 300),
           ('contact_preferred', 20), ('contact_hours', 120))


def upgrade():
    with op.batch_alter_table('practitioner', schema=None) as batch_op:
        for name, length in COLUMNS:
            batch_op.add_column(sa.Column(name, sa.String(length=length), nullable=False,
                                          server_default=''))
        batch_op.add_column(sa.Column('waitlist', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
        batch_op.add_column(sa.Column('next_opening', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('accepting_reminded_for', sa.Date(), nullable=True))


def downgrade():
    with op.batch_alter_table('practitioner', schema=None) as batch_op:
        for name in ('accepting_reminded_for', 'next_opening', 'waitlist'):
            batch_op.drop_column(name)
        for name, _ in reversed(COLUMNS):
            batch_op.drop_column(name)
