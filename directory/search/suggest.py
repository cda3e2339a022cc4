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


def _is_name_word(searcher, word: str) -> bool:
    analyzer = searcher.schema["name"].analyzer
    stems = [t.text for t in analyzer(word)]
    reader = searcher.reader()
    return len(stems) == 1 and reader.doc_frequency("name", stems[0]) > 0


def _correct_word(searcher, corrector, token: str) -> str | None:
    vocabulary = vocabulary_words()
    for candidate in corrector.suggest(token, limit=CANDIDATES, maxdist=1):
        if candidate in vocabulary or _is_name_word(searcher, candidate):
            return str(candidate)
    if len(token) <= SHORT_WORD:
        return None
    for candidate in corrector.suggest(token, limit=CANDIDATES, maxdist=2):
        if candidate in vocabulary:
            return str(candidate)
    return None


def correct(searcher, text: str) -> tuple[str | None, tuple[str, ...]]:
    """Return the text with misspelled words corrected (or None if nothing changes), and the
    words no profile holds that could not be corrected.

    Correcting a word walks much of the spelling lexicon, so the work is bounded: at most
    ``SUGGEST_WORDS`` words of at most ``SUGGEST_WORD_LENGTH`` letters, within
    ``SUGGEST_SECONDS``.
    """
    reader = searcher.reader()
    analyzer = searcher.schema["spell"].analyzer
    corrector = None
    budget = time.monotonic() + SUGGEST_SECONDS
    corrected = 0
    changed = False
    out: list[str] = []
    unknown: list[str] = []
    for word in plain_words(text):
        tokens = [t.text for t in analyzer(word)]
        if len(tokens) != 1 or not 2 <= len(tokens[0]) <= SUGGEST_WORD_LENGTH:
            out.append(word)
            continue
        token = tokens[0]
        if reader.doc_frequency("spell", token) > 0:
            out.append(word)
            continue
        if corrected >= SUGGEST_WORDS or time.monotonic() > budget:
            out.append(word)  # past the bound: left as typed
            continue
        corrected += 1
        found = None
        if len(token) >= 3:
            corrector = corrector or searcher.corrector("spell")
            found = _correct_word(searcher, corrector, token)
        if found:
            out.append(found)
            changed = True
        else:
            out.append(word)
            unknown.append(word)
    return (" ".join(out) if changed else None), tuple(unknown)
