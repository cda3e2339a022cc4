"""compact authorities as records; home state; accommodations; re-check and notice dates

A PSYPACT APIT and Counseling Compact privileges were yes/no answers on the profile; they
become records checked like licenses. Those answers carry over as pending records with no
number or expiry (the practitioner completes them; until an administrator verifies one it
widens nothing). Wheelchair access becomes one of the stated accommodations; the home state
starts as the office's state.

Revision ID: 5b1e0c2a7d44
Revises: e39c7dc235ee
Create Date: 2026-12-01 21:30:00

"""
from alembic import op
import sqlalchemy as sa


revision = '5b1e0c2a7d44'
down_revision = 'e39c7dc235ee'
branch_labels = None
depends_on = None

practitioner = sa.table(
    'practitioner',
    sa.column('id', sa.Integer),
    sa.column('state', sa.String),
    sa.column('home_state', sa.String),
    sa.column('psypact_apit', sa.Boolean),
    sa.column('counseling_privileges', sa.JSON),
    sa.column('wheelchair_accessible', sa.Boolean),
    sa.column('accommodations', sa.JSON),
)
authority = sa.table(
    'compact_authority',
    sa.column('practitioner_id', sa.Integer),
    sa.column('position', sa.Integer),
    sa.column('kind', sa.String),
    sa.column('state', sa.String),
    sa.column('number', sa.String),
    sa.column('status', sa.String),
)


def upgrade():
    op.create_table('compact_authority',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('practitioner_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('state', sa.String(length=2), nullable=True),
    sa.Column('number', sa.String(length=30), nullable=False),
    sa.Column('expires_on', sa.Date(), nullable=True),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('verified_on', sa.Date(), nullable=True),
    sa.Column('verified_by_id', sa.Integer(), nullable=True),
    sa.Column('rejection_reason', sa.String(length=300), nullable=True),
    sa.Column('recheck_on', sa.Date(), nullable=True),
    sa.Column('expiry_notice_on', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['practitioner_id'], ['practitioner.id'], name=op.f('fk_compact_authority_practitioner_id_practitioner')),
    sa.ForeignKeyConstraint(['verified_by_id'], ['user.id'], name=op.f('fk_compact_authority_verified_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_compact_authority'))
    )
    with op.batch_alter_table('compact_authority', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_compact_authority_practitioner_id'), ['practitioner_id'], unique=False)

    with op.batch_alter_table('license', schema=None) as batch_op:
        batch_op.add_column(sa.Column('recheck_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('expiry_notice_on', sa.Date(), nullable=True))

    with op.batch_alter_table('practitioner', schema=None) as batch_op:
        batch_op.add_column(sa.Column('home_state', sa.String(length=2), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('accommodations', sa.JSON(), nullable=False, server_default='[]'))

    bind = op.get_bind()
    rows = bind.execute(sa.select(
        practitioner.c.id, practitioner.c.state, practitioner.c.psypact_apit,
        practitioner.c.counseling_privileges, practitioner.c.wheelchair_accessible,
    )).all()
    for row in rows:
        bind.execute(
            practitioner.update().where(practitioner.c.id == row.id).values(
                home_state=row.state,
                accommodations=['wheelchair'] if row.wheelchair_accessible else [],
            )
        )
        held = [('psypact_apit', None)] if row.psypact_apit else []
        held += [('counseling_privilege', state) for state in (row.counseling_privileges or [])]
        if held:
            bind.execute(authority.insert(), [
                {'practitioner_id': row.id, 'position': i, 'kind': kind, 'state': state,
                 'number': '', 'status': 'pending'}
                for i, (kind, state) in enumerate(held)
            ])

    with op.batch_alter_table('practitioner', schema=None) as batch_op:
        batch_op.drop_column('psypact_apit')
        batch_op.drop_column('counseling_privileges')
        batch_op.drop_column('wheelchair_accessible')


def downgrade():
    with op.batch_alter_table('practitioner', schema=None) as batch_op:
        batch_op.add_column(sa.Column('psypact_apit', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('counseling_privileges', sa.JSON(), nullable=False, server_default='[]'))
        batch_op.add_column(sa.Column('wheelchair_accessible', sa.Boolean(), nullable=False, server_default=sa.false()))

    bind = op.get_bind()
    held: dict[int, list] = {}
    for row in bind.execute(sa.select(authority.c.practitioner_id, authority.c.kind, authority.c.state)):
        held.setdefault(row.practitioner_id, []).append((row.kind, row.state))
    for row in bind.execute(sa.select(practitioner.c.id, practitioner.c.accommodations)).all():
        kinds = held.get(row.id, [])
        bind.execute(
            practitioner.update().where(practitioner.c.id == row.id).values(
                psypact_apit=any(kind == 'psypact_apit' for kind, _ in kinds),
                counseling_privileges=[s for kind, s in kinds if kind == 'counseling_privilege'],
                wheelchair_accessible='wheelchair' in (row.accommodations or []),
            )
        )

    with op.batch_alter_table('practitioner', schema=None) as batch_op:
        batch_op.drop_column('accommodations')
        batch_op.drop_column('home_state')
    with op.batch_alter_table('license', schema=None) as batch_op:
        batch_op.drop_column('expiry_notice_on')
        batch_op.drop_column('recheck_on')
    with op.batch_alter_table('compact_authority', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_compact_authority_practitioner_id'))
    op.drop_table('compact_authority')
