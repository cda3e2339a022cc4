"""'Did you mean' and 'no profile mentions': what a search says about its words.

A correction is offered only from the guide's vocabulary (``core.concepts.vocabulary_words``)
or, one letter away, a word of a practitioner's name, and only when the corrected search has
results. Short words are corrected by one letter at most, so "EMDR" never becomes "emma".
"""

from __future__ import annotations

import time

from directory.core.concepts import vocabulary_words
from directory.search.text import plain_words

# At most this many words corrected per query, of at most this many letters, within this long.
SUGGEST_WORDS = 4
SUGGEST_WORD_LENGTH = 30
SUGGEST_SECONDS = 0.05
# Words this short are corrected by one letter at most.
SHORT_WORD = 5
CANDIDATES = 8


class WhooshLexicon:
    """The words of one Whoosh searcher, as ``correct`` asks about them."""

    def __init__(self, searcher):
        self.s = searcher
        self.reader = searcher.reader()
        self._corrector = None

    def tokens(self, word: str) -> list[str]:
        """Return the word as the spelling field holds words (lower case, no stop words)."""
        return [t.text for t in self.s.schema["spell"].analyzer(word)]

    def has(self, token: str) -> bool:
        """Return whether some profile holds this word."""
        return self.reader.doc_frequency("spell", token) > 0

    def nearby(self, token: str, maxdist: int) -> list[str]:
        """Return words profiles hold within ``maxdist`` edits of ``token``, nearest first."""
        self._corrector = self._corrector or self.s.corrector("spell")
        return list(self._corrector.suggest(token, limit=CANDIDATES, maxdist=maxdist))

    def is_name_word(self, word: str) -> bool:
        """Return whether ``word`` is (as one stem) a word of some practitioner's name."""
        stems = [t.text for t in self.s.schema["name"].analyzer(word)]
        return len(stems) == 1 and self.reader.doc_frequency("name", stems[0]) > 0


def _correct_word(lexicon, token: str) -> str | None:
    vocabulary = vocabulary_words()
    for candidate in lexicon.nearby(token, 1):
        if candidate in vocabulary or lexicon.is_name_word(candidate):
            return str(candidate)
    if len(token) <= SHORT_WORD:
        return None
    for candidate in lexicon.nearby(token, 2):
        if candidate in vocabulary:
            return str(candidate)
    return None


def correct(lexicon, text: str) -> tuple[str | None, tuple[str, ...]]:
    """Return the text with misspelled words corrected (or None if nothing changes), and the
    words no profile holds that could not be corrected.

    ``lexicon`` answers for one backend (``WhooshLexicon``, or the PostgreSQL backend's).
    Correcting a word walks much of the spelling lexicon, so the work is bounded: at most
    ``SUGGEST_WORDS`` words of at most ``SUGGEST_WORD_LENGTH`` letters, within
    ``SUGGEST_SECONDS``.
    """
    budget = time.monotonic() + SUGGEST_SECONDS
    corrected = 0
    changed = False
    out: list[str] = []
    unknown: list[str] = []
    for word in plain_words(text):
        tokens = lexicon.tokens(word)
        if len(tokens) != 1 or not 2 <= len(tokens[0]) <= SUGGEST_WORD_LENGTH:
            out.append(word)
            continue
        token = tokens[0]
        if lexicon.has(token):
            out.append(word)
            continue
        if corrected >= SUGGEST_WORDS or time.monotonic() > budget:
            out.append(word)  # past the bound: left as typed
            continue
        corrected += 1
        found = _correct_word(lexicon, token) if len(token) >= 3 else None
        if found:
            out.append(found)
            changed = True
        else:
            out.append(word)
            unknown.append(word)
    return (" ".join(out) if changed else None), tuple(unknown)
