"""What a search asks PostgreSQL: the documents on a day, a Whoosh query (``text.parse_text``)
as a tsquery over them, and the fixed fragments of the statements.

A word looked for in every field is written without weights: it matches the same documents
(each position carries one of the four weights, and a phrase never spans two fields), and a
GIN index answers an unweighted word by itself, where a weighted one makes PostgreSQL read
every candidate's whole document again to check the weights.
"""

from __future__ import annotations

from typing import Any

from whoosh.query import And, AndMaybe, AndNot, Not, Or, Phrase, Query, Term

from directory.search.pgdocs import FACET_FORMAT, FACET_KEYS, FACET_SHIFT, WEIGHT, _lexeme

EVERY_FIELD = frozenset(WEIGHT)

# ts_rank_cd's weights for D, C, B, A.
RANK_WEIGHTS = "{0.2, 0.4, 0.7, 1.0}"
DISTANCE = (
    "2 * 3958.8 * asin(sqrt(power(sin(radians(lat - :lat) / 2), 2) + cos(radians(:lat))"
    " * cos(radians(lat)) * power(sin(radians(lon - :lon) / 2), 2)))"
)

# The documents as they stand on :today. A row still valid (nearly all: the indexes serve
# them) as it is; a row past its valid_until with the states and flags of the epoch covering
# the day, or not at all once its epochs have run out (``directory refresh`` rewrites those).
# PostgreSQL pushes each search's conditions into both branches. The first branch tests
# ``valid_until + 0``, which no index answers: given the index on valid_until there, the
# planner read all 100,000 rows through it and tested the words on each (166 ms for a common
# word, against 132 through the text index).
_SHARED = ("pid", "version", "doc", "license", "approach", "concern", "language", "format",
           "insurance", "access", "fee", "lowest_fee", "lat", "lon", "name_sort",
           "facet_bits")  # fmt: skip
DOCUMENTS = (
    f"(SELECT {', '.join(_SHARED)}, states, flags FROM search_document "  # noqa: S608
    "WHERE valid_until + 0 >= :today UNION ALL "
    f"SELECT {', '.join('d.' + c for c in _SHARED)}, e.states, e.flags "
    "FROM search_document d JOIN search_epoch e ON e.pid = d.pid "
    "AND e.starts <= :today AND :today <= e.ends WHERE d.valid_until < :today) AS documents"
)
# Filter columns tested on each row rather than through their index: each format and each
# flag is in most documents (at 100,000: formats 81% and 65%, accepting 72%, verified 74%,
# free consultation 55%), and reading the index for one cost more than testing the rows the
# others leave (a format 6 of 36 ms for a word and a state; "accepting" 7 of 14 ms with a
# state and a language; "accepting" alone 89 ms through the index, 59 testing every row).
ROW_TESTED = frozenset({"format", "flags"})

# Every facet value's count as one aggregate of the matched rows' facet bits, with how many
# rows have none in this vocabulary's order (written before them); and the same counts from
# the arrays, for when there are any (fixed fragments only: the values are parameters).
FACET_SQL = (
    ", ".join(f"count(*) FILTER (WHERE facet_bits & {1 << i} <> 0)" for i in range(len(FACET_KEYS)))
    + f", count(*) FILTER (WHERE facet_bits >> {FACET_SHIFT} IS DISTINCT FROM {FACET_FORMAT})"
)
FACET_ARRAYS_SQL = ", ".join(
    f"count(*) FILTER (WHERE CAST(:f{i} AS text) = ANY({facet}))"
    for i, (facet, _) in enumerate(FACET_KEYS)
)
FACET_ARGS = {f"f{i}": key for i, (_, key) in enumerate(FACET_KEYS)}


def tsquery(query: Query) -> str | None:
    """Return a Whoosh query as a tsquery, or None if it matches nothing."""
    # Whoosh's Query base declares none of its subclasses' attributes; dispatch on exact types.
    q: Any = query
    kind = type(q)
    if kind is Term:
        return f"{_lexeme(q.text)}:{WEIGHT[q.fieldname]}"
    if kind is Phrase:
        words = [f"{_lexeme(w)}:{WEIGHT[q.fieldname]}" for w in q.words]
        return "(" + " <-> ".join(words) + ")" if words else None
    if kind in (And, Or):
        parts = _alternatives(q.subqueries) if kind is Or else [tsquery(s) for s in q.subqueries]
        if kind is And and (not parts or None in parts):
            return None
        kept = [p for p in parts if p is not None]
        if len(kept) == 1 and kind is Or:
            return kept[0]
        return "(" + (" & " if kind is And else " | ").join(kept) + ")" if kept else None
    if kind is Not:
        inner = tsquery(q.query)
        return f"!{inner}" if inner is not None else None
    if kind is AndNot:
        a, b = tsquery(q.a), tsquery(q.b)
        return None if a is None else (a if b is None else f"({a} & !{b})")
    if kind is AndMaybe:
        return tsquery(q.a)
    raise ValueError(f"no tsquery for {kind.__name__}")


def _alternatives(subqueries: list[Any]) -> list[str | None]:
    """Return an Or's alternatives as tsqueries: the words or phrase looked for in every
    field (not every weight: two fields share C) once, without weights; anything else as it
    is."""
    fields: dict[tuple[str, ...], set[str]] = {}
    for sub in subqueries:
        if type(sub) in (Term, Phrase):
            fields.setdefault(_words(sub), set()).add(sub.fieldname)
    everywhere = {words for words, found in fields.items() if found == EVERY_FIELD and words}
    parts: list[str | None] = []
    written: set[tuple[str, ...]] = set()
    for sub in subqueries:
        words = _words(sub) if type(sub) in (Term, Phrase) else ()
        if words not in everywhere:
            parts.append(tsquery(sub))
        elif words not in written:  # once, where it first comes
            written.add(words)
            lexemes = [_lexeme(w) for w in words]
            parts.append(lexemes[0] if len(lexemes) == 1 else "(" + " <-> ".join(lexemes) + ")")
    return parts


def _words(query: Any) -> tuple[str, ...]:
    return (query.text,) if type(query) is Term else tuple(query.words)
