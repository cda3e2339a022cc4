"""PostgreSQL search backend: a document's text vector and arrays kept in its row

Revision ID: 3c4e7a1f9d62
Revises: 2a9f6d3b8e41
Create Date: 2026-12-04 02:20:00

Only on PostgreSQL. Ranking reads every match's ``doc``; out of line (TOAST, the default for
a 2 KB value) each read is a TOAST index probe and two chunk fetches, about half of a text
search's time at 100,000. STORAGE MAIN keeps ``doc`` and the filter arrays in the row (out of
line only when a row would not fit in a page), and ``spell`` and ``features``, read only for
"did you mean" and a server's first match, go out of line. Applies to rows written from now
on: ``directory reindex`` rewrites the rest.
"""
from alembic import op


revision = '3c4e7a1f9d62'
down_revision = '2a9f6d3b8e41'
branch_labels = None
depends_on = None

IN_ROW = ('doc', 'states', 'license', 'approach', 'concern', 'language', 'format',
          'insurance', 'flags', 'access')
OUT_OF_ROW = ('spell', 'features')


def _storage(in_row: str, out_of_row: str) -> None:
    if op.get_bind().dialect.name != 'postgresql':
        return
    changes = [f'ALTER COLUMN {c} SET STORAGE {in_row}' for c in IN_ROW]
    changes += [f'ALTER COLUMN {c} SET STORAGE {out_of_row}' for c in OUT_OF_ROW]
    op.execute('ALTER TABLE search_document ' + ', '.join(changes))


def upgrade():
    _storage('MAIN', 'EXTERNAL')


def downgrade():
    _storage('EXTENDED', 'EXTENDED')
