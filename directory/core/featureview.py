"""The engine's view of every practitioner's features on a day: a base and an overlay.

``Features`` joins a generation's base ``FeatureSet`` (mapped from files, shared by workers)
with the rows changed since (the overlay, which hides the base's rows of the same
practitioners), and selects candidates as they stand on a day: everyone with an authority in a
state, or given practitioners in a given order. Pure: no Flask, no SQLAlchemy.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np

from directory.core.features import (
    AUTHORITY_COLUMNS,
    COLUMNS,
    STATE_INDEX,
    Array,
    FeatureRow,
    FeatureSet,
)
from directory.core.profile import Profile

# How many unpacked result cards a process keeps.
CARDS_KEPT = 2048
# A card as ``Features.profiles`` gives it: slug, profile, latitude, longitude, memo.
ShownCard = tuple[str, Profile, float, float, dict[Any, Any]]
# Derived values kept per feature set (a state's table for matching: 190 bytes a candidate,
# 2 MB for California at 100,000 practitioners, 22 MB at 1,000,000), within the size.
DERIVED_KEPT = 64
DERIVED_BYTES = 16 << 20
# What the engine reads besides the columns: from the row's epoch on the day.
_EPOCH_VALUES = ("met", "total", "accepting_unknown", "verified")


@dataclass
class Selection:
    """Candidates as columns (one row each, in order), ready for the engine's table."""

    columns: dict[str, Array]
    levels: Array
    text: Callable[[str, Sequence[int]], list[str]]
    count: int


class Features:
    """Every practitioner's features as one process sees them: a base and an overlay."""

    def __init__(
        self, base: FeatureSet, rows: Iterable[FeatureRow] = (), deleted: Iterable[int] = ()
    ):
        added = sorted(rows, key=lambda r: r.pid)
        hidden = {r.pid for r in added} | set(deleted)
        live = np.ones(base.count, dtype=bool)
        if hidden:
            live = ~np.isin(base.ids, np.array(sorted(hidden), dtype=np.int64))
        self.parts: list[tuple[FeatureSet, Array]] = [(base, live)]
        if added:
            self.parts.append((FeatureSet.from_rows(added), np.ones(len(added), dtype=bool)))
        self._day: tuple[date, list[Array]] | None = None
        self._lock = threading.Lock()
        self._where: dict[int, tuple[int, int]] | None = None
        # What callers derive from these features alone (a state's table on a day), the
        # last few: dropped with the features when a drain changes them.
        self._derived: OrderedDict[Any, tuple[Any, int]] = OrderedDict()
        # The most recently shown cards, unpacked (the first pages are shown most).
        self._cards: OrderedDict[tuple[int, int], ShownCard] = OrderedDict()

    def _epochs(self, day: date) -> list[Array]:
        with self._lock:
            if self._day is None or self._day[0] != day:
                self._day = (day, [part.epoch_on(day) for part, _ in self.parts])
            return self._day[1]

    def derived(
        self, key: Any, compute: Callable[[], Any], size: Callable[[Any], int] | None = None
    ) -> Any:
        """Return ``compute()``, kept with these features under ``key``: the last
        DERIVED_KEPT values, of at most DERIVED_BYTES together (``size`` weighs a value).
        What it derives must depend on nothing but these features and the key."""
        with self._lock:
            if key in self._derived:
                self._derived.move_to_end(key)
                return self._derived[key][0]
        value = compute()
        weight = size(value) if size is not None else 0
        with self._lock:
            self._derived[key] = (value, weight)
            total = sum(w for _, w in self._derived.values())
            kept = len(self._derived)
            while kept > 1 and (kept > DERIVED_KEPT or total > DERIVED_BYTES):
                _, (_, dropped) = self._derived.popitem(last=False)
                total, kept = total - dropped, kept - 1
        return value

    def touch(self) -> None:
        """Read a byte of every page of the columns and epochs (not the texts and cards), so
        a new process's first match reads memory rather than waiting on page faults."""
        for part, _ in self.parts:
            for name, array in part.arrays.items():
                if not name.startswith(("t.", "o.")):
                    raw = np.asarray(array).reshape(-1).view(np.uint8)
                    int(raw[::4096].sum())

    def count(self) -> int:
        """Return how many practitioners there are."""
        return sum(int(live.sum()) for _, live in self.parts)

    def versions(self) -> dict[int, int]:
        """Return the id and version of every practitioner."""
        found: dict[int, int] = {}
        for part, live in self.parts:
            versions = np.asarray(part.columns["version"])[live].tolist()
            found.update(zip(part.ids[live].tolist(), versions, strict=True))
        return found

    def version(self, pid: int) -> int | None:
        """Return the version these features hold of one practitioner (None: not held)."""
        for part, live in self.parts:
            at = int(np.searchsorted(part.ids, pid))
            if at < part.count and part.ids[at] == pid and live[at]:
                return int(part.columns["version"][at])
        return None

    def ended(self, day: date) -> list[int]:
        """Return the practitioners whose epochs end before ``day`` (past ``MAX_EPOCHS``
        changes: `directory refresh` recomputes them)."""
        found = []
        for (part, live), epochs in zip(self.parts, self._epochs(day), strict=True):
            found += part.ids[live & (epochs < 0)].tolist()
        return found

    def on_day(self, pids: Array, day: date) -> dict[str, Array]:
        """Return, for each of these practitioners on ``day``: whether their features are
        known, and from their epoch the states they reach (as STATE_INDEX bits), whether
        "accepting" still counts, and whether a license is verified."""
        found = {
            "known": np.zeros(len(pids), dtype=bool),
            "any_auth": np.zeros(len(pids), dtype=np.uint64),
            "accepting": np.zeros(len(pids), dtype=bool),
            "verified": np.zeros(len(pids), dtype=bool),
        }
        for (part, live), epochs in zip(self.parts, self._epochs(day), strict=True):
            if part.count == 0:
                continue
            at = np.minimum(np.searchsorted(part.ids, pids), part.count - 1)
            here = (part.ids[at] == pids) & live[at] & (epochs[at] >= 0)
            rows, ep = at[here], epochs[at[here]]
            found["known"][here] = True
            found["any_auth"][here] = part.epochs["any_auth"][ep]
            unknown = part.epochs["accepting_unknown"][ep].astype(bool)
            found["accepting"][here] = part.columns["accepting"][rows].astype(bool) & ~unknown
            found["verified"][here] = part.epochs["verified"][ep].astype(bool)
        return found

    def profiles(self, pids: Sequence[int]) -> dict[int, ShownCard]:
        """Return the slug, profile, office location (NaN where none) and memo of each of
        these practitioners that is known, from their rows alone. The memo is a dict kept
        with the unpacked card, for what callers make of the card alone (its JSON, its
        markup): it goes when the card does, or when a drain changes the features."""
        wanted = np.asarray(pids, dtype=np.int64)
        found = {}
        for part, live in self.parts:
            if part.count == 0 or not len(wanted):
                continue
            at = np.minimum(np.searchsorted(part.ids, wanted), part.count - 1)
            here = (part.ids[at] == wanted) & live[at]
            lat, lon = part.columns["lat"], part.columns["lon"]
            for pid, row in zip(wanted[here].tolist(), at[here].tolist(), strict=True):
                key = (id(part), row)
                card = self._cards.get(key)
                if card is None:
                    card = (part.text("slug", row), part.profile(row), float(lat[row]),
                            float(lon[row]), {})  # fmt: skip
                    with self._lock:
                        self._cards[key] = card
                        while len(self._cards) > CARDS_KEPT:
                            self._cards.popitem(last=False)
                found[pid] = card
        return found

    def in_state(self, state: str, day: date) -> Selection:
        """Return everyone with an authority in ``state`` on ``day``, in row order."""
        bit = np.uint64(STATE_INDEX.get(state, 63))
        picks = []
        for any_auth in self._reach(day):
            picks.append(np.flatnonzero((any_auth >> bit) & np.uint64(1)))
        return self._select(state, day, picks)

    def state_counts(self, day: date) -> dict[str, int]:
        """Return how many practitioners may see clients in each state on ``day``."""
        reach = np.concatenate(self._reach(day))
        return {state: int(((reach >> np.uint64(bit)) & np.uint64(1)).sum())
                for state, bit in STATE_INDEX.items()}  # fmt: skip

    def _reach(self, day: date) -> list[Array]:
        """Return, per part, each row's states on ``day`` as a bitmask (0 for a row hidden
        or past its last epoch), made once a day."""

        def compute() -> list[Array]:
            found = []
            for (part, live), epochs in zip(self.parts, self._epochs(day), strict=True):
                any_auth = part.epochs["any_auth"][np.maximum(epochs, 0)]
                found.append(np.where(live & (epochs >= 0), any_auth, np.uint64(0)))
            return found

        found: list[Array] = self.derived(
            ("reach", day), compute, size=lambda arrays: sum(a.nbytes for a in arrays)
        )
        return found

    def of(self, ids: Sequence[int], state: str, day: date) -> Selection:
        """Return these practitioners (those unknown are left out), in the order given."""
        if self._where is None:
            self._where = {
                int(pid): (p, int(row))
                for p, (part, live) in enumerate(self.parts)
                for row, pid in zip(np.flatnonzero(live), part.ids[live].tolist(), strict=True)
            }
        found = [self._where[pid] for pid in ids if pid in self._where]
        picks = [
            np.array([r for p, r in found if p == k], dtype=np.int64)
            for k in range(len(self.parts))
        ]
        selection = self._select(state, day, picks)
        if sum(1 for rows in picks if rows.size) > 1:
            # Parts come one after another; put the rows back in the order asked.
            order = np.argsort(np.argsort([p for p, _ in found], kind="stable"), kind="stable")
            selection = _reorder(selection, order)
        return selection

    def _select(self, state: str, day: date, picks: list[Array]) -> Selection:
        bit = np.uint64(STATE_INDEX.get(state, 63))
        gathered: list[dict[str, Array]] = []
        for (part, _), epochs, rows in zip(self.parts, self._epochs(day), picks, strict=True):
            found = {name: np.asarray(part.columns[name][rows]) for name in COLUMNS}
            found["levels"] = np.asarray(part.levels[rows])
            at = epochs[rows]
            known = at >= 0
            # Past its last epoch a row keeps its last checklist but reaches no state.
            safe = np.where(known, at, np.asarray(part.starts)[rows + 1] - 1).astype(np.int64)
            for name in _EPOCH_VALUES:
                found[name] = np.asarray(part.epochs[name][safe])
            for name in AUTHORITY_COLUMNS:
                reach = ((part.epochs[name][safe] >> bit) & np.uint64(1)).astype(bool)
                found[name] = reach & known
            gathered.append(found)
        if len(gathered) == 1:
            merged = gathered[0]
        else:
            merged = {k: np.concatenate([g[k] for g in gathered]) for k in gathered[0]}
        levels = merged.pop("levels")
        ends = np.cumsum([len(rows) for rows in picks])
        sets = [part for part, _ in self.parts]

        def text(name: str, positions: Sequence[int]) -> list[str]:
            found = []
            for i in positions:
                k = int(np.searchsorted(ends, i, side="right"))
                found.append(sets[k].text(name, int(picks[k][i - (ends[k - 1] if k else 0)])))
            return found

        return Selection(merged, levels, text, int(ends[-1]))


def _reorder(selection: Selection, order: Array) -> Selection:
    # ``order[i]`` is where the i-th asked row sits among the parts' rows.
    columns = {name: values[order] for name, values in selection.columns.items()}
    inner = selection.text

    def text(name: str, positions: Sequence[int]) -> list[str]:
        return inner(name, [int(order[i]) for i in positions])

    return Selection(columns, selection.levels[order], text, selection.count)
