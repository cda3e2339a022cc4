"""The interstate compacts as dated data: who enacted each, who issues under it, since when.

A compact counts only where it is operational. A state that has passed a compact into law
("enacted") may take months or years to begin issuing privileges ("issuing"); a practitioner is
reached through a compact only between states that are issuing on the day in question. The
facts live in ``data/compacts.json`` with their sources and the date they were checked, so the
day a state goes operational is a change of data, not of code.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any, Literal

# The project's reference data (compacts, common passwords, the samples).
DATA_DIR = Path(__file__).resolve().parents[2] / "data"
# Operators are warned when the compact table was last checked longer ago than this.
STALE_AFTER_DAYS = 90

# How far an authority reaches: every issuing member state, one named state, or only
# temporary visits (which the directory never matches on).
Reach = Literal["members", "one_state", "temporary"]


@dataclass(frozen=True)
class AuthorityKind:
    """One kind of authority a compact grants (a PSYPACT APIT, a counseling privilege...)."""

    key: str
    compact: str
    name: str
    reach: Reach
    telehealth_only: bool


@dataclass(frozen=True)
class Membership:
    """One state's place in a compact: when it enacted it and when it began issuing."""

    state: str
    # When the law was signed, where a source gives it (every listed state has enacted it).
    enacted: date | None
    issuing: date | None
    note: str = ""

    def issuing_on(self, day: date) -> bool:
        """Return whether the state issues (and honours) the compact's authorities on ``day``."""
        return self.issuing is not None and self.issuing <= day


@dataclass(frozen=True)
class Compact:
    """An interstate compact: the license it serves, its authorities and its member states."""

    key: str
    name: str
    license_kind: str
    authorities: Mapping[str, AuthorityKind]
    states: Mapping[str, Membership]
    checked_on: date
    sources: tuple[str, ...]
    notes: str

    def issuing(self, state: str, day: date) -> bool:
        """Return whether ``state`` issues under this compact on ``day``."""
        member = self.states.get(state)
        return member is not None and member.issuing_on(day)

    def issuing_states(self, day: date) -> frozenset[str]:
        """Return the states issuing under this compact on ``day``."""
        return frozenset(s for s, m in self.states.items() if m.issuing_on(day))

    def enacted_states(self) -> frozenset[str]:
        """Return every state that has passed the compact into law (dated or not)."""
        return frozenset(self.states)


@dataclass(frozen=True)
class Compacts:
    """Every compact the directory knows, with the date the table was last checked."""

    compacts: Mapping[str, Compact]
    checked_on: date
    # License kinds no compact serves, with what to say about them.
    no_compact: Mapping[str, str]

    def __getitem__(self, key: str) -> Compact:
        return self.compacts[key]

    def kind(self, authority_kind: str) -> AuthorityKind:
        """Return an authority kind by its key (``psypact_apit``...), or raise KeyError."""
        for compact in self.compacts.values():
            if authority_kind in compact.authorities:
                return compact.authorities[authority_kind]
        raise KeyError(authority_kind)

    @property
    def authority_kinds(self) -> dict[str, AuthorityKind]:
        """Return every authority kind of every compact, by key."""
        return {k: a for c in self.compacts.values() for k, a in c.authorities.items()}

    def age_days(self, today: date) -> int:
        """Return how many days ago the table was checked."""
        return (today - self.checked_on).days

    def is_stale(self, today: date) -> bool:
        """Return whether the table's check is older than ``STALE_AFTER_DAYS``."""
        return self.age_days(today) > STALE_AFTER_DAYS

    def next_change(self, today: date) -> date | None:
        """Return the next day after ``today`` on which some state begins issuing, if any."""
        later = [
            m.issuing
            for c in self.compacts.values()
            for m in c.states.values()
            if m.issuing is not None and m.issuing > today
        ]
        return min(later, default=None)


def _day(value: Any) -> date | None:
    return date.fromisoformat(value) if value else None


def parse_compacts(raw: Mapping[str, Any]) -> Compacts:
    """Return the compact table from its JSON form (``data/compacts.json``)."""
    compacts: dict[str, Compact] = {}
    for key, entry in raw["compacts"].items():
        authorities = {
            kind: AuthorityKind(kind, key, a["name"], a["reach"], bool(a["telehealth_only"]))
            for kind, a in entry["authorities"].items()
        }
        states = {
            state: Membership(
                state, _day(m.get("enacted")), _day(m.get("issuing")), m.get("note", "")
            )
            for state, m in entry["states"].items()
        }
        compacts[key] = Compact(
            key=key,
            name=entry["name"],
            license_kind=entry["license_kind"],
            authorities=authorities,
            states=states,
            checked_on=date.fromisoformat(entry["checked_on"]),
            sources=tuple(entry.get("sources", ())),
            notes=entry.get("notes", ""),
        )
    return Compacts(
        compacts=compacts,
        checked_on=min(c.checked_on for c in compacts.values()),
        no_compact=dict(raw.get("no_compact", {})),
    )


@cache
def load_compacts(path: Path | None = None) -> Compacts:
    """Read the compact table from the reference data in ``data/``."""
    raw = json.loads((path or DATA_DIR / "compacts.json").read_text(encoding="utf-8"))
    return parse_compacts(raw)
