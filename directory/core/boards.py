"""Where licenses and compact authorities are checked: each board's lookup, each registry.

Reference data in ``data/license_lookups.json``, with the date it was checked; the admin queue
links every item to the page an administrator verifies it on.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

from directory.core.compacts import DATA_DIR


@dataclass(frozen=True)
class Lookups:
    """The public lookup pages by state and license kind, and by compact."""

    boards: dict[tuple[str, str], tuple[str, str]]  # (state, kind) -> (board, url)
    registries: dict[str, str]  # compact key -> url
    checked_on: date

    def for_license(self, state: str, kind: str) -> tuple[str, str] | None:
        """Return (board, lookup URL) for a license, if the table has one."""
        return self.boards.get((state, kind))

    def for_compact(self, compact: str) -> str | None:
        """Return the registry lookup of a compact, if the table has one."""
        return self.registries.get(compact)


@cache
def load_lookups(path: Path | None = None) -> Lookups:
    """Read the lookup table from ``data/``."""
    raw = json.loads((path or DATA_DIR / "license_lookups.json").read_text(encoding="utf-8"))
    boards = {
        (state, kind): (entry.get("board") or "", entry["url"])
        for state, kinds in raw["states"].items()
        for kind, entry in kinds.items()
        if entry.get("url")
    }
    registries = {key: entry["url"] for key, entry in raw["registries"].items() if entry["url"]}
    return Lookups(boards, registries, date.fromisoformat(raw["checked_on"]))
