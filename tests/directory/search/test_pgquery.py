"""The PostgreSQL backend's tsqueries (issue 14): a word or phrase looked for in every field is
written without weights, so that the GIN index answers it alone; anything narrower keeps its
weights. (That both match the same documents as Whoosh is test_backends' work.)"""

from __future__ import annotations

import pytest
from whoosh.query import Or, Term

from directory.search.pgquery import tsquery
from directory.search.text import parse_text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("trust", "'trust'"),
        ("inner critic", "('inner' & 'critic')"),
        ('"inner critic"', "('inner' <-> 'critic')"),
        ("trust NOT anxiety", "('trust' & !'anxieti')"),
        ("trust OR grief", "('trust' | 'grief')"),
        ('"inner critic" OR trust', "(('inner' <-> 'critic') | 'trust')"),
    ],
)
def test_a_word_in_every_field_has_no_weights(text, expected):
    query, _ = parse_text(text)
    assert tsquery(query) == expected


def test_a_word_in_some_fields_keeps_their_weights():
    assert tsquery(Or([Term("name", "lisa"), Term("headline", "lisa")])) == "('lisa':A | 'lisa':B)"
    # Every weight but not every field (concerns_text shares C): still weighted.
    three = Or([Term(f, "grief") for f in ("name", "headline", "bio", "approaches_text")])
    assert tsquery(three) == "('grief':A | 'grief':B | 'grief':D | 'grief':C)"
    # Both C fields and the rest but not the name: still weighted.
    some = Or([Term(f, "grief") for f in ("headline", "bio", "approaches_text", "concerns_text")])
    assert tsquery(some) == "('grief':B | 'grief':D | 'grief':C | 'grief':C)"
    # A hyphenated word is both halves in one field: never the halves anywhere.
    hyphenated, _ = parse_text("self-criticism")
    assert "('self':A & 'critic':A)" in tsquery(hyphenated)
