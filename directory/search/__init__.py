"""Full-text search over practitioners: the index, its documents, and the one search function.

This package is the only importer of ``whoosh``, so another engine can replace it without
touching the views. The database is the source of truth; the index is derived from it, written
by one process at a time, rebuilt beside the live copy and swapped in.

- ``schema``: the fields and a practitioner's document (public fields only);
- ``store``: the index on disk, its generations, the searcher pool, rebuilds and writes;
- ``building``: writing new segments fast, through Whoosh's own codec writers;
- ``arrays``: posting lists, lengths and columns read into numpy arrays once per process;
- ``queries``: search parameters, parsing visitors' text, results and highlights;
- ``searcher``: answering a search with bitmaps and arrays (see ``directory/ranking.py``).
"""

from .arrays import ARRAYS, write_arrays
from .queries import (
    Hit,
    Relaxation,
    SearchParams,
    SearchResult,
    highlight_text,
    parse_text,
    plain_words,
)
from .schema import (
    FACETS,
    MAX_PER_PAGE,
    SORTS,
    TEXT_FIELDS,
    approaches_text,
    concerns_text,
    make_document,
    make_schema,
)
from .searcher import Searcher
from .store import IndexUnavailable, SearchIndex

__all__ = [
    "ARRAYS", "FACETS", "MAX_PER_PAGE", "SORTS", "TEXT_FIELDS", "Hit", "IndexUnavailable",
    "Relaxation", "SearchIndex", "SearchParams", "SearchResult", "Searcher", "approaches_text",
    "concerns_text", "highlight_text", "make_document", "make_schema", "parse_text",
    "plain_words", "write_arrays",
]  # fmt: skip
