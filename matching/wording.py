"""What the explanations share: the row they explain, lists in a sentence, money, miles and
approach names."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from directory.core import vocabulary as v
from directory.core.checklist import Checklist
from directory.core.profile import Profile


@dataclass(frozen=True)
class Row:
    """One candidate as the explanations see them: the profile and what the engine found."""

    profile: Profile
    checklist: Checklist
    # Component key -> that component's facts for this candidate.
    facts: dict[str, dict[str, Any]]
    in_person_ok: bool
    telehealth_ok: bool
    distance: float | None


def join(words: list[str]) -> str:
    """Return words as a list in a sentence: "a", "a and b", "a, b and c"."""
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " and " + words[-1]


def join_names(names: list[str]) -> str:
    """Join names that may hold "and" or commas themselves with semicolons, so each reads as
    one: "self-criticism and low self-worth; people-pleasing, perfectionism and boundaries"."""
    if any(" and " in name or "," in name for name in names):
        return "; ".join(names)
    return join(names)


def sentence(text: str) -> str:
    return text[0].upper() + text[1:] + "."


def short_name(name: str) -> str:
    found = re.search(r"\(([^)]+)\)$", name)
    if found:
        return found.group(1)
    first = name.split()[0]
    # Mid-sentence: "attachment-focused therapy", but "CBT / Schema therapy" keeps its capitals.
    return name if first.isupper() else name[0].lower() + name[1:]


# "DBT" for "Dialectical Behavior Therapy (DBT)", worked out once.
SHORT_NAMES = {key: short_name(term.name) for key, term in v.APPROACHES.items()}


def money(amount: int) -> str:
    return f"${amount:,}"


def miles(distance: float) -> str:
    if distance < 0.5:
        return "under a mile"
    miles = round(distance)
    return f"{miles} mile{'' if miles == 1 else 's'}"
