"""Analysing text as Whoosh's analyzers would, without their chain of generators.

Whoosh passes a token object through a chain of generators, which cost more than a
millisecond per profile at build time. For the analyzers this schema uses the same terms,
positions and weights come out of a plain loop (``tests/directory/search/test_bulk_build.py``
compares the two on every field).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from whoosh.analysis import LowercaseFilter, RegexTokenizer, StemFilter, StopFilter
from whoosh.formats import Frequency, Positions
from whoosh.system import pack_uint


def _whole_matches(expression: re.Pattern) -> Callable[[str], list[str]]:
    """Return a function listing the whole matches of ``expression`` in a text."""
    pattern = expression.pattern
    if "\\(" not in pattern and "(?" not in pattern:
        # findall() runs in C, but returns groups instead of matches when there are groups.
        plain = re.compile(pattern.replace("(", "(?:"), expression.flags)
        if plain.groups == 0:
            return plain.findall
    return lambda text: [match.group() for match in expression.finditer(text)]


class _Stems(dict):
    """The stems of the words seen so far, as a stemming filter makes them."""

    def __init__(self, stemmer: StemFilter):
        super().__init__()
        self.stemmer = stemmer

    def __missing__(self, word: str) -> str:
        stem = word if word in self.stemmer.ignore else self.stemmer.stemfn(word)
        self[word] = stem
        return stem


# A term as a segment's postings writer takes it: (text, frequency, weight, encoded value).
TermEntry = tuple[bytes, int, float, bytes]
# The position of the first kept word of a value, and the kept words, unstemmed.
Words = tuple[int, list[str]] | None


@dataclass(frozen=True)
class TextTerms:
    """A fast equivalent of ``field.index`` for a plain text field, in two steps."""

    words: Callable[[str], Words]
    of_words: Callable[[Words], list[TermEntry]]
    # Fields whose analyzers split and drop words alike can share their words.
    splitting: tuple[Any, ...]
    counts_only: bool

    def __call__(self, value: str) -> list[TermEntry]:
        return self.of_words(self.words(value))


def text_terms(field: Any) -> TextTerms | None:
    """Return a fast equivalent of ``field.index`` for a plain text field, or None.

    Whoosh analyses text through a chain of generators passing a token object along, which
    cost more than a millisecond per profile. For the analyzers this schema uses (a regex
    tokenizer, lower case, stop words with renumbered positions, optionally a stemmer) the same
    terms, positions and weights come out of a plain loop; tests compare the two on every field.
    """
    items: list[Any] = list(getattr(field.analyzer, "items", ()))
    kinds = [type(item) for item in items]
    if kinds not in (
        [RegexTokenizer, LowercaseFilter, StopFilter],
        [RegexTokenizer, LowercaseFilter, StopFilter, StemFilter],
    ):
        return None
    tokenizer, _, stopper = items[:3]
    fmt = field.format
    if tokenizer.gaps or not stopper.renumber or type(fmt) not in (Positions, Frequency):
        return None
    find = _whole_matches(tokenizer.expression)
    stops, shortest, longest = stopper.stops, stopper.min, stopper.max
    stemmer = items[3] if len(items) == 4 else None
    if stemmer is not None and stemmer.lang:
        return None
    stems = _Stems(stemmer) if stemmer is not None else None
    boost = fmt.field_boost
    encode = fmt.encode if type(fmt) is Positions else None

    def kept(word: str) -> bool:
        return (
            word not in stops
            and len(word) >= shortest
            and (longest is None or len(word) <= longest)
        )

    def words_of(value: str) -> Words:
        """Return the position of the first kept word and the kept words, unstemmed."""
        # Lowering ASCII text before matching changes no match, and saves a call per word.
        words = find(value.lower()) if value.isascii() else [w.lower() for w in find(value)]
        first = next((i for i, word in enumerate(words) if kept(word)), None)
        if first is None:
            return None
        # Stop words are dropped and the words after the first kept one renumbered.
        return first, [word for word in words[first:] if kept(word)]

    def terms_of(found: Words) -> list[TermEntry]:
        if found is None:
            return []
        first, words = found
        if stems is not None:
            words = [stems[word] for word in words]
        if encode is None:
            return [
                (w.encode(), n, float(n) * boost, pack_uint(n)) for w, n in Counter(words).items()
            ]
        positions: dict[str, list[int]] = {}
        for pos, word in enumerate(words, first):
            at = positions.get(word)
            if at is None:
                positions[word] = [pos]
            else:
                at.append(pos)
        return [
            (w.encode(), len(p), float(len(p)) * boost, encode(p)) for w, p in positions.items()
        ]

    splitting = (tokenizer.expression.pattern, tokenizer.expression.flags, frozenset(stops),
                 shortest, longest)  # fmt: skip
    return TextTerms(words_of, terms_of, splitting, stems is None and encode is None)
