"""A Whoosh query (``text.parse_text``) as a PostgreSQL tsquery over the search documents.

A word looked for in every field is written without weights: it matches the same documents
(each position carries one of the four weights, and a phrase never spans two fields), and a
GIN index answers an unweighted word by itself, where a weighted one makes PostgreSQL read
every candidate's whole document again to check the weights.
"""

from __future__ import annotations

from typing import Any

from whoosh.query import And, AndMaybe, AndNot, Not, Or, Phrase, Query, Term

from directory.search.pgdocs import WEIGHT, _lexeme

EVERY_FIELD = frozenset(WEIGHT)


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
