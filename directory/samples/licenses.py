"""Sample licenses: titles by state, made-up numbers, verification status and expiry."""

from __future__ import annotations

import json
import random
import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from typing import Any

from directory.core import vocabulary as v
from directory.core.compacts import DATA_DIR
from directory.samples.choice import Weighted
from directory.samples.places import STATE_CODES

KIND_WEIGHTS = {
    "psychologist": 20,
    "clinical_social_worker": 30,
    "professional_counselor": 32,
    "marriage_family_therapist": 18,
}
# Share of non-psychologists who are supervised associates (psychologists never are here),
# giving about 8% of all practitioners.
ASSOCIATE_SHARE = 0.10
KIND_CHOICE = Weighted(list(KIND_WEIGHTS.items()))


@dataclass(frozen=True)
class Title:
    """What one state's board calls one level of one license, as the samples write it."""

    # As credentials write it: the abbreviation, or the name where the board allows none.
    short: str
    # In a sentence: "licensed clinical social worker".
    name: str
    # Letters a fictional license number starts with.
    prefix: str
    # Whether the board gives the title an abbreviation (credentials list only those).
    abbreviated: bool = True


@cache
def _title_table() -> dict[str, Any]:
    path = DATA_DIR / "license_titles.json"
    titles: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))["titles"]
    return titles


def _plain(name: str) -> str:
    return re.sub(r"\s*\([^)]*\)", "", name).strip()


def license_title(kind: str, state: str, supervised: bool) -> Title | None:
    """Return the title of a license level in a state (None: the state has no such level)."""
    entries = _title_table()[state][kind]["supervised" if supervised else "independent"]
    if not entries:
        return None
    abbr, name = entries[0]["abbr"], _plain(entries[0]["name"])
    if kind == "psychologist" and not supervised:
        return Title(abbr or "PSY", name.lower(), "PSY")
    initials = "".join(word[0] for word in re.findall(r"[A-Za-z]+", name) if word[0].isupper())
    prefix = re.sub(r"[^A-Za-z0-9-]", "", abbr) or initials
    return Title(abbr or name, name[0].lower() + name[1:], prefix, bool(abbr))


def full_title(kind: str, state: str) -> Title:
    """Return the title of the independent license (every state has one of each kind)."""
    title = license_title(kind, state, False)
    if title is None:
        raise LookupError(f"data/license_titles.json gives {state} no {kind} license")
    return title


MASTERS_DEGREES = {
    "professional_counselor": ("MA", "MS", "MEd", "MA", "MS"),
    "clinical_social_worker": ("MSW",),
    "marriage_family_therapist": ("MA", "MS", "MA", "MS", "PhD"),
}
AUTHORITY_PREFIXES = {
    "psypact_apit": "APIT",
    "psypact_tap": "TAP",
    "counseling_privilege": "PTP",
    "social_work_multistate": "MSL",
}
KAISER_STATES = frozenset({"CA", "CO", "GA", "HI", "MD", "OR", "VA", "WA", "DC"})
HIGH_COST_STATES = frozenset({"CA", "NY", "MA", "DC", "WA", "NJ", "CT", "MD", "HI"})
LOW_COST_STATES = frozenset({"MS", "AR", "WV", "AL", "KY", "OK", "SD", "ND", "IA", "NE"})


def license_number(rng: random.Random, title: Title, state: str) -> str:
    """Return a made-up license number that no board issues (it starts with ``SAMPLE-``)."""
    prefix = title.prefix
    style = STATE_CODES.index(state) % 5
    if style == 0:
        number = f"{prefix} {rng.randint(10000, 99999)}"
    elif style == 1:
        number = f"{prefix}{rng.randint(1000, 999999):06d}"
    elif style == 2:
        number = f"{prefix}-{rng.randint(1000, 9999)}"
    elif style == 3:
        number = f"{rng.randint(1, 99):02d}.{rng.randint(100000, 999999)}"
    else:
        number = f"{prefix}.{rng.randint(10000, 99999)}"
    return f"SAMPLE-{number}"


STATUS = Weighted([("verified", 75), ("pending", 20), ("rejected", 5)])
ASSOCIATE_STATUS = Weighted([("verified", 60), ("pending", 37), ("rejected", 3)])


def compact_authority(
    rng: random.Random, kind: str, state: str | None, today: date
) -> dict[str, Any]:
    """Return a fictional compact authority record: renewed yearly, mostly verified."""
    status, verified_on = license_status(rng, False, today)
    record: dict[str, Any] = {
        "kind": kind,
        "number": f"SAMPLE-{AUTHORITY_PREFIXES[kind]}-{rng.randint(1000, 99999)}",
        "expires_on": (today + timedelta(days=rng.randint(20, 365))).isoformat(),
        "status": status,
        "verified_on": verified_on,
    }
    if state is not None:
        record["state"] = state
    return record


def accommodations(rng: random.Random, in_person: bool, telehealth: bool) -> list[str]:
    """Return the accommodations a fictional practitioner offers, in vocabulary order."""
    offered = {
        "wheelchair": in_person and rng.random() < 0.6,
        "captioning": telehealth and rng.random() < 0.25,
        "interpreters": rng.random() < 0.12,
        "sensory_friendly": in_person and rng.random() < 0.15,
    }
    return [key for key in v.ACCOMMODATIONS if offered[key]]


def license_status(rng: random.Random, supervised: bool, today: date) -> tuple[str, str | None]:
    status = (ASSOCIATE_STATUS if supervised else STATUS).pick(rng)
    if status != "verified":
        return status, None
    return status, (today - timedelta(days=rng.randint(1, 365))).isoformat()


def license_expiry(rng: random.Random, today: date) -> str:
    if rng.random() < 0.04:
        return (today - timedelta(days=rng.randint(1, 300))).isoformat()
    return (today + timedelta(days=rng.randint(31, 913))).isoformat()
