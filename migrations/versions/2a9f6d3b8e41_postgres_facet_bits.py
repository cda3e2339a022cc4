"""PostgreSQL search backend: each document's facet values as one integer

Revision ID: 2a9f6d3b8e41
Revises: 1d7a4c9e5f30
Create Date: 2026-12-04 02:00:00

Only on PostgreSQL. search_document.facet_bits holds the document's approach, license,
language and format values as bits, so facet counts over a search's matches test bits instead
of searching four arrays in every matched row. A column the database generates from the
arrays, so every writer (an older release's included, during a rolling upgrade) keeps it
true. The values are the vocabulary's as of this revision, in ``pgdocs.FACET_KEYS``'s order,
with their checksum above bit 40; once the code's vocabulary differs, the checksum does, and
the counts are taken from the arrays until a revision generates the column again.
"""
import zlib

from alembic import op


revision = '2a9f6d3b8e41'
down_revision = '1d7a4c9e5f30'
branch_labels = None
depends_on = None

KEYS = (
    ('approach', 'attachment'), ('approach', 'eft'), ('approach', 'cbt_schema'),
    ('approach', 'dbt'), ('approach', 'ifs'), ('approach', 'psychodynamic'),
    ('approach', 'somatic'), ('license', 'psychologist'),
    ('license', 'clinical_social_worker'), ('license', 'professional_counselor'),
    ('license', 'marriage_family_therapist'), ('language', 'en'), ('language', 'es'),
    ('language', 'zh'), ('language', 'vi'), ('language', 'tl'), ('language', 'ar'),
    ('language', 'fr'), ('language', 'ko'), ('language', 'ru'), ('language', 'de'),
    ('language', 'ht'), ('language', 'pt'), ('language', 'hi'), ('language', 'it'),
    ('language', 'pl'), ('language', 'ja'), ('language', 'fa'), ('language', 'ur'),
    ('language', 'he'), ('language', 'asl'), ('format', 'in_person'),
    ('format', 'telehealth'),
)
SHIFT = 40


def expression(keys=KEYS) -> str:
    """Return the SQL that makes a row's facet bits from its arrays (fixed keys only)."""
    checksum = zlib.crc32(' '.join(f'{f}:{k}' for f, k in keys).encode()) & 0xFFFFF
    tests = [f"CASE WHEN '{k}' = ANY({f}) THEN {1 << i}::bigint ELSE 0::bigint END"
             for i, (f, k) in enumerate(keys)]
    return f"({checksum}::bigint << {SHIFT}) | " + ' | '.join(tests)


def upgrade():
    if op.get_bind().dialect.name != 'postgresql':
        return
    op.execute("ALTER TABLE search_document ADD COLUMN facet_bits bigint "
               f"GENERATED ALWAYS AS ({expression()}) STORED")


def downgrade():
    if op.get_bind().dialect.name != 'postgresql':
        return
    op.execute("ALTER TABLE search_document DROP COLUMN facet_bits")
