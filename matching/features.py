"""What the engine knows of each candidate, as columns: tables of candidates for one state.

The engine judges a ``StateTable``: the candidates for one state, one row each, as numpy
columns. A whole state is a table of thousands of rows; one candidate is a table of one row; the
same rules and components run over both. The columns come from the features built with the
search index (``directory.search.features``: date-independent columns and, per practitioner,
the epochs of what changes by the calendar), as they stand on the day of the match. Pure: no
Flask, no SQLAlchemy.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import numpy as np
from numpy.typing import NDArray

from directory.core import vocabulary as v
from directory.core.features import (
    APPROACH_KEYS,
    AUTHORITY_COLUMNS,
    COLUMNS,
    GENDERS,
    LEVELS,
    PACES_ORDER,
    STATE_INDEX,
    bits,
    genders_of,
)
from directory.core.featureview import Selection
from directory.core.identities import load_identities, tokens
from matching import coefficients as c

Array = NDArray[Any]
NO_MEANINGS: tuple[frozenset[str], tuple[str, ...]] = (frozenset(), ())
# Columns a table has besides COLUMNS: the epoch's, on the day of the match.
DAY_COLUMNS = ("met", "total", "accepting_unknown", "verified", *AUTHORITY_COLUMNS)

__all__ = ["APPROACH_KEYS", "COLUMNS", "GENDERS", "LEVELS", "PACES_ORDER", "STATE_INDEX",
           "StateTable", "bits", "genders_of", "identity"]  # fmt: skip


@lru_cache(maxsize=20_000)
def identity(kind: str, text: str) -> tuple[frozenset[str], tuple[str, ...]]:
    """Return what a background or faith text means, and its words (for whole phrases)."""
    if not text:
        return NO_MEANINGS
    return load_identities()[kind].meanings(text), tokens(text)


class StateTable:
    """The candidates for one state, as columns (see ``featurefiles.Selection``)."""

    def __init__(self, selection: Selection, state: str):
        self.state = state
        self.count = selection.count
        self.columns: dict[str, Array] = selection.columns
        self._text = selection.text
        self.office_here = self.columns["office_state"] == STATE_INDEX.get(state, -2)
        credits = np.array([0.0] + [c.TRAINING_CREDIT[level] for level in v.TRAINING_LEVELS])
        # Each candidate's training credit in each approach (0 where not offered).
        self.credits: Array = credits[selection.levels]

    def __getitem__(self, name: str) -> Array:
        return self.columns[name]

    def index_of(self, pid: int) -> int:
        """Return the position of a practitioner in this table."""
        return int(np.flatnonzero(self.columns["id"] == pid)[0])

    def text(self, name: str, index: Array | range) -> list[Any]:
        """Return a text column's values at these positions (backgrounds and faiths as what
        they mean, with their words)."""
        found = self._text(name, [int(i) for i in index])
        if name in ("background", "faith"):
            kind = "backgrounds" if name == "background" else "faiths"
            return [identity(kind, said) for said in found]
        return found

    def name_keys(self, index: Array) -> list[tuple[str, str]]:
        """Return (case-folded name, slug) at these positions: the ranking's tie-break."""
        return list(zip(self.text("name_key", index), self.text("slug", index), strict=True))
