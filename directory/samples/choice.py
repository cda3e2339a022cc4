"""Weighted random choices for the sample generator, reproducible from a seeded Random."""

from __future__ import annotations

import bisect
import itertools
import random
from collections.abc import Mapping, Sequence
from typing import Any


class Weighted:
    """A weighted choice among fixed options, with the cumulative weights computed once."""

    __slots__ = ("options", "cum", "total", "last")

    def __init__(self, pairs: Sequence[tuple[Any, float]]):
        self.options = tuple(option for option, _ in pairs)
        self.cum = tuple(itertools.accumulate(weight for _, weight in pairs))
        self.total = self.cum[-1]
        self.last = len(self.options) - 1

    def pick(self, rng: random.Random) -> Any:
        """Return one option, drawn with its weight."""
        return self.options[bisect.bisect_right(self.cum, rng.random() * self.total, 0, self.last)]


def weighted_sample(rng: random.Random, weights: Mapping[str, float], k: int) -> list[str]:
    """Return k distinct keys drawn with the given weights, heaviest-drawn first.

    Each key gets the score u ** (1 / weight) (Efraimidis and Spirakis), which draws without
    replacement with one random number per key.
    """
    if k <= 0:
        return []
    scored = sorted(((rng.random() ** (1 / w), key) for key, w in weights.items()), reverse=True)
    return [key for _, key in scored[:k]]


def in_order(keys: Sequence[str] | set[str], vocabulary: dict[str, Any]) -> list[str]:
    return [key for key in vocabulary if key in keys]


def round5(value: float) -> int:
    return int(5 * round(value / 5))
