"""Gender, cultural background and faith matched by meaning: whole phrases, synonyms, umbrellas.

``data/identity_terms.json`` lists, for each kind, entries with the whole phrases people use
for them and the broader entries they belong to ("Korean American" is within "East Asian" and
"Asian American"; "African American" within "Black"). A text is read into the entries it names,
longest phrase first ("Indian American" is one entry, not "Indian" and "American"); asking for an
entry finds whoever names it or something within it. A phrase the vocabulary lacks is matched
only as a whole phrase, never word by word.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from directory.core.compacts import DATA_DIR

KINDS = ("genders", "backgrounds", "faiths")
_TOKEN = re.compile(r"[^\W_]+", re.UNICODE)


def tokens(text: str) -> tuple[str, ...]:
    """Return the words of ``text``, case-folded, without punctuation or hyphens."""
    return tuple(_TOKEN.findall(text.casefold()))


@dataclass(frozen=True)
class Entry:
    """One meaning: its name, the phrases that say it, the entries it belongs to."""

    name: str
    phrases: tuple[tuple[str, ...], ...]
    within: tuple[str, ...] = ()
    pronouns: tuple[tuple[str, ...], ...] = ()


@dataclass(frozen=True)
class Vocabulary:
    """The entries of one kind, with a phrase index for reading texts."""

    entries: dict[str, Entry]
    by_phrase: dict[tuple[str, ...], str]
    longest: int

    def found(self, text: str) -> frozenset[str]:
        """Return the entries a text names, longest phrase first."""
        return frozenset(self._scan(tokens(text), self.by_phrase))

    def meanings(self, text: str) -> frozenset[str]:
        """Return the entries a text names and every entry they are within."""
        return self.widen(self.found(text))

    def widen(self, names: Iterable[str]) -> frozenset[str]:
        out: set[str] = set()
        todo = list(names)
        while todo:
            name = todo.pop()
            if name not in out:
                out.add(name)
                todo.extend(self.entries[name].within)
        return frozenset(out)

    def by_pronouns(self, text: str) -> frozenset[str]:
        """Return the entries whose listed pronouns a pronouns field uses ("she/they")."""
        words = tokens(text)
        return frozenset(
            name
            for name, entry in self.entries.items()
            for pronoun in entry.pronouns
            if contains(words, pronoun)
        )

    def _scan(self, words: tuple[str, ...], index: dict[tuple[str, ...], str]) -> list[str]:
        found = []
        i = 0
        while i < len(words):
            for size in range(min(self.longest, len(words) - i), 0, -1):
                name = index.get(words[i : i + size])
                if name is not None:
                    found.append(name)
                    i += size
                    break
            else:
                i += 1
        return found


def contains(words: tuple[str, ...], phrase: tuple[str, ...]) -> bool:
    size = len(phrase)
    return any(words[i : i + size] == phrase for i in range(len(words) - size + 1))


@dataclass(frozen=True)
class Wanted:
    """What a person asked for: entries of the vocabulary, or else one whole phrase."""

    entries: frozenset[str]
    phrase: tuple[str, ...]

    def matches(self, meanings: frozenset[str], words: tuple[str, ...]) -> bool:
        """Return whether a practitioner whose text means ``meanings`` (and reads ``words``)
        is what was asked for."""
        if self.entries:
            return not self.entries.isdisjoint(meanings)
        return bool(self.phrase) and contains(words, self.phrase)


def wanted(vocabulary: Vocabulary, text: str) -> Wanted:
    """Read what a person typed: the entries it names, or else the whole phrase."""
    return Wanted(vocabulary.found(text), tokens(text))


def parse_vocabulary(raw: list[dict[str, Any]]) -> Vocabulary:
    entries: dict[str, Entry] = {}
    by_phrase: dict[tuple[str, ...], str] = {}
    for item in raw:
        name = str(item["name"])
        phrases = tuple(dict.fromkeys(tokens(p) for p in [name, *item["phrases"]] if tokens(p)))
        entries[name] = Entry(
            name,
            phrases,
            tuple(item.get("within", ())),
            tuple(tokens(p) for p in item.get("pronouns", ())),
        )
        for phrase in phrases:
            if by_phrase.get(phrase, name) != name:
                raise ValueError(f"{' '.join(phrase)!r} names both {by_phrase[phrase]} and {name}")
            by_phrase[phrase] = name
    for entry in entries.values():
        for parent in entry.within:
            if parent not in entries:
                raise ValueError(f"{entry.name} is within {parent!r}, which is not listed")
    longest = max((len(p) for p in by_phrase), default=1)
    return Vocabulary(entries, by_phrase, longest)


@cache
def load_identities(path: Path | None = None) -> dict[str, Vocabulary]:
    """Read the gender, background and faith vocabularies from ``data/identity_terms.json``."""
    raw = json.loads((path or DATA_DIR / "identity_terms.json").read_text(encoding="utf-8"))
    return {kind: parse_vocabulary(raw[kind]) for kind in KINDS}


def suggestions(kind: str) -> list[str]:
    """Return the entry names of one kind, for the questionnaire to offer."""
    return sorted(load_identities()[kind].entries)
