"""Words the guide has no entry for, with the nearest concerns and approaches it does name.

Read from ``data/search_concepts.json`` (dated, with its source). The search page uses them when
no profile mentions a searched word ("trauma", "EMDR"): it says so plainly and offers these.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from directory.core import vocabulary as v
from directory.core.compacts import DATA_DIR


@dataclass(frozen=True)
class Concept:
    """The nearest of the guide's terms for some words it has no entry for."""

    words: tuple[str, ...]
    concerns: tuple[str, ...]
    approaches: tuple[str, ...]
    note: str


@cache
def load_concepts(path: Path | None = None) -> dict[str, Concept]:
    """Return each word (case-folded) -> its concept, checking every key against the vocabulary."""
    raw = json.loads((path or DATA_DIR / "search_concepts.json").read_text(encoding="utf-8"))
    out: dict[str, Concept] = {}
    for entry in raw["terms"]:
        concept = Concept(
            tuple(entry["words"]), tuple(entry["concerns"]), tuple(entry["approaches"]),
            entry["note"],
        )  # fmt: skip
        unknown = [k for k in concept.concerns if k not in v.CONCERNS] + [
            k for k in concept.approaches if k not in v.APPROACHES
        ]
        if unknown:
            raise ValueError(f"search_concepts.json: unknown keys {unknown}")
        for word in concept.words:
            out[word.casefold()] = concept
    return out


def nearest(word: str) -> Concept | None:
    """Return the nearest guide terms for a word, or None when the data has none."""
    return load_concepts().get(word.casefold())


@cache
def vocabulary_words() -> frozenset[str]:
    """Return every word of the guide's vocabulary a visitor may search for (lower case)."""
    texts: list[str] = []
    for terms in (v.APPROACHES, v.CONCERNS, v.ACCOMMODATIONS, v.PROGRESS_METHODS,
                  v.LICENSE_KINDS, v.PACES):  # fmt: skip
        for term in terms.values():
            texts += [term.name, term.description, *term.synonyms]
    texts += [*v.COMMUNITIES.values(), *v.LANGUAGES.values(), *v.INSURANCE_PLANS.values()]
    words = set()
    for text in texts:
        for word in text.replace("/", " ").replace("-", " ").split():
            cleaned = "".join(ch for ch in word.casefold() if ch.isalnum())
            if len(cleaned) >= 3:
                words.add(cleaned)
    return frozenset(words)
