"""The interstate compacts' member states: reference data in ``data/``, with its check date."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

# The project's reference data (compacts, common passwords, the samples).
DATA_DIR = Path(__file__).resolve().parents[2] / "data"


@dataclass(frozen=True)
class Compacts:
    """Member states of the interstate compacts, with the date the lists were checked."""

    psypact: frozenset[str]
    counseling: frozenset[str]
    psypact_checked_on: date
    counseling_checked_on: date


@cache
def load_compacts(path: Path | None = None) -> Compacts:
    """Read the compact member lists from the reference data in ``data/``."""
    raw = json.loads((path or DATA_DIR / "compacts.json").read_text(encoding="utf-8"))
    return Compacts(
        psypact=frozenset(raw["psypact"]["members"]),
        counseling=frozenset(raw["counseling"]["members"]),
        psypact_checked_on=date.fromisoformat(raw["psypact"]["checked_on"]),
        counseling_checked_on=date.fromisoformat(raw["counseling"]["checked_on"]),
    )
