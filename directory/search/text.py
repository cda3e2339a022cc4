"""Visitors' text: parsing it into a safe query, and highlighting the words it matched."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from functools import lru_cache
from typing import Any, cast

from whoosh import highlight, qparser
from whoosh.analysis import (
    Token,
)
from whoosh.analysis.tokenizers import default_pattern as _TOKEN_RE
from whoosh.query import (
    AndNot,
    Not,
    NullQuery,
    Phrase,
    Query,
    Term,
)

from directory.search.schema import TEXT_FIELDS, make_schema

log = logging.getLogger(__name__)
# Highlighted fragments: each a tuple of (text, matched) pieces.
Fragments = tuple[tuple[tuple[str, bool], ...], ...]
OPERATORS = frozenset({"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE"})


class _SegmentFormatter(highlight.Formatter):
    """Returns fragments as (text, matched) pieces so templates escape every character."""

    def format_fragment(self, fragment, replace=False):
        pieces = []
        text = fragment.text
        index_, end = fragment.startchar, fragment.endchar
        # Start and end on whole words, without cutting into a match.
        first = min((t.startchar for t in fragment.matches), default=index_)
        last = max((t.endchar for t in fragment.matches), default=end)
        if index_ > 0 and not text[index_ - 1].isspace():
            space = text.find(" ", index_, first)
            index_ = space + 1 if space != -1 else index_
        if end < len(text) and not text[end].isspace():
            space = text.rfind(" ", last, end)
            end = space if space != -1 else end
        for t in sorted(fragment.matches, key=lambda t: (t.startchar, t.startchar - t.endchar)):
            if t.startchar is None or t.startchar < index_:
                continue
            if t.startchar > index_:
                pieces.append((text[index_ : t.startchar], False))
            pieces.append((text[t.startchar : t.endchar], True))
            index_ = t.endchar
        pieces.append((text[index_:end], False))
        if fragment.startchar > 0:
            pieces.insert(0, ("… ", False))
        if end < len(text):
            pieces.append((" …", False))
        return tuple(p for p in pieces if p[0])

    def format(self, fragments, replace=False):
        out = [self.format_fragment(f) for f in fragments]
        # One ellipsis between two fragments, not one from each side.
        return tuple(f[1:] if i and f and f[0] == ("… ", False) else f for i, f in enumerate(out))


def _candidates(text: str, prefixes: tuple[str, ...]) -> Iterator[re.Match[str]]:
    """Yield the tokens of ``text`` (as Whoosh's tokenizer finds them) that lie in a run of
    non-space characters holding one of ``prefixes``: a token never spans a space, so the
    runs are found by one regular expression and only they are tokenised."""
    lowered = text.lower()
    # Where lowering the whole text is not lowering each token (offsets that move, a Greek
    # final sigma), every token is a candidate.
    if not prefixes or len(lowered) != len(text) or "σ" in lowered or "ς" in lowered:
        yield from _TOKEN_RE.finditer(text)
        return
    holding = re.compile(r"\S*(?:" + "|".join(map(re.escape, prefixes)) + r")\S*")
    for run in holding.finditer(lowered):
        yield from _TOKEN_RE.finditer(text, run.start(), run.end())


def highlight_text(text: str, words: frozenset[str], analyzer: Any) -> Fragments:
    """Return up to two fragments of ``text`` with the analysed ``words`` marked.

    What ``whoosh.highlight.highlight`` returns with a pinpoint fragmenter, without running
    the whole analyser over every word of the text: only words that begin like one of
    ``words`` (stemming leaves the first three letters alone) are analysed.
    """
    prefixes = tuple({w[:3] for w in words})
    matched = []
    for found in _candidates(text, prefixes):
        if not found.group().lower().startswith(prefixes):
            continue
        stems = [t.text for t in analyzer(found.group())]
        if len(stems) == 1 and stems[0] in words:
            token = Token(chars=True)
            token.text, token.startchar, token.endchar = stems[0], found.start(), found.end()
            token.matched = True  # type: ignore[attr-defined]  # the highlighter reads it
            matched.append(token)
    fragmenter = highlight.PinpointFragmenter(maxchars=200, surround=60)
    fragments = fragmenter.fragment_matches(text, matched)
    best = highlight.top_fragments(fragments, 2, highlight.BasicFragmentScorer(), highlight.FIRST)
    # Whoosh annotates a formatter as returning text; this one returns the pieces.
    return cast(Fragments, _SegmentFormatter()(text, best))


def _parser(plain: bool) -> qparser.QueryParser:
    p = qparser.MultifieldParser(TEXT_FIELDS, make_schema(), group=qparser.AndGroup)
    # Visitors may use phrases, parentheses and AND/OR/NOT, never field names, ranges,
    # wildcards or boosts: those would reach fields that are not meant to be searched.
    for plugin in (
        qparser.FieldsPlugin, qparser.WildcardPlugin, qparser.RangePlugin,
        qparser.BoostPlugin, qparser.EveryPlugin, qparser.SingleQuotePlugin,
    ):  # fmt: skip
        p.remove_plugin_class(plugin)
    if plain:
        for syntax in (qparser.PhrasePlugin, qparser.GroupPlugin, qparser.OperatorsPlugin):
            p.remove_plugin_class(syntax)
    return p


_SYNTAX_PARSER = _parser(plain=False)
_PLAIN_PARSER = _parser(plain=True)
_WORD_RE = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")


def plain_words(text: str) -> list[str]:
    """Return the words of ``text`` without any query syntax."""
    return [w for w in _WORD_RE.findall(text) if w not in OPERATORS]


def _well_formed(text: str) -> bool:
    if text.count('"') % 2:
        return False
    depth = 0
    for ch in text:
        depth += ch == "("
        depth -= ch == ")"
        if depth < 0:
            return False
    if depth:
        return False
    tokens = re.findall(r'"[^"]*"|[()]|[^\s()"]+', text)
    previous = None
    for i, tok in enumerate(tokens):
        if tok in OPERATORS:
            first = previous is None or previous in OPERATORS or previous == "("
            following = tokens[i + 1] if i + 1 < len(tokens) else None
            # An operator needs a word after it, or NOT ("attachment AND NOT somatic").
            last = (
                following is None
                or following == ")"
                or (following in OPERATORS and following != "NOT")
            )
            if last or (first and tok != "NOT"):
                return False
        previous = tok
    return True


def parse_text(text: str) -> tuple[Query | None, bool]:
    """Parse a visitor's text into a query; return (query, fell_back_to_plain_words).

    The last texts' queries are kept (parsing cost more than the search itself, and people
    search for the same few words); nothing changes a parsed query afterwards.
    """
    text = text.strip()
    if not text:
        return None, False
    return _parse(text)


@lru_cache(maxsize=1024)
def _parse(text: str) -> tuple[Query | None, bool]:
    fallback = not _well_formed(text)
    q = None
    if not fallback:
        try:
            q = _SYNTAX_PARSER.parse(text)
        except Exception:  # the parser should never raise, but a visitor must never see it
            log.info("query syntax fell back to plain words")
            fallback = True
    if fallback:
        q = _PLAIN_PARSER.parse(" ".join(plain_words(text)))
    if q is None or q is NullQuery:
        return None, fallback
    return q, fallback


def _positive_terms(q: Query, fieldname: str) -> frozenset[str]:
    """Return the words of ``q`` in ``fieldname`` that a matching document may contain."""
    if isinstance(q, Not):
        return frozenset()
    if isinstance(q, AndNot):
        return _positive_terms(q.a, fieldname)
    if isinstance(q, Term):
        return frozenset({q.text}) if q.fieldname == fieldname else frozenset()
    if isinstance(q, Phrase):
        return frozenset(q.words) if q.fieldname == fieldname else frozenset()
    return frozenset().union(*(_positive_terms(c, fieldname) for c in q.children()))
