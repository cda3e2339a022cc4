"""Sample licenses: titles by state, made-up numbers, verification status and expiry."""

from __future__ import annotations

import random
from datetime import date, timedelta

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

INDEPENDENT_TITLES: dict[str, dict[str, str]] = {
    "professional_counselor": {
        **dict.fromkeys(("CA", "MN", "NM", "OH", "KY", "ND"), "LPCC"),
        **dict.fromkeys(("NY", "WA", "MA", "FL", "IN", "IA", "HI"), "LMHC"),
        **dict.fromkeys(("IL", "MD", "ME", "MT", "KS", "ID"), "LCPC"),
        **dict.fromkeys(("NH", "RI", "UT", "VT", "NC"), "LCMHC"),
    },
    "clinical_social_worker": {
        **dict.fromkeys(("WA", "MA", "MN", "VT", "DC", "RI", "NH"), "LICSW"),
        "OH": "LISW",
        "SC": "LISW-CP",
    },
    "marriage_family_therapist": {"MD": "LCMFT"},
}
DEFAULT_TITLES = {
    "professional_counselor": "LPC",
    "clinical_social_worker": "LCSW",
    "marriage_family_therapist": "LMFT",
    "psychologist": "PSY",
}
ASSOCIATE_TITLES: dict[str, dict[str, str]] = {
    "professional_counselor": {
        "CA": "APCC",
        "TX": "LPC-Associate",
        "WA": "LMHCA",
        "MD": "LGPC",
        "NY": "MHC-LP",
        "FL": "Registered MHC Intern",
        "GA": "LAPC",
    },
    "clinical_social_worker": {"CA": "ASW", "NC": "LCSWA", "OH": "LSW", "PA": "LSW", "NJ": "LSW"},
    "marriage_family_therapist": {"CA": "AMFT", "MD": "LGMFT", "TX": "LMFT-Associate"},
}
DEFAULT_ASSOCIATE_TITLES = {
    "professional_counselor": "LPC-A",
    "clinical_social_worker": "LMSW",
    "marriage_family_therapist": "LMFTA",
}
TITLE_NAMES = {
    "LPC": "licensed professional counselor",
    "LPCC": "licensed professional clinical counselor",
    "LMHC": "licensed mental health counselor",
    "LCPC": "licensed clinical professional counselor",
    "LCMHC": "licensed clinical mental health counselor",
    "LCSW": "licensed clinical social worker",
    "LICSW": "licensed independent clinical social worker",
    "LISW": "licensed independent social worker",
    "LISW-CP": "licensed independent social worker in clinical practice",
    "LMFT": "licensed marriage and family therapist",
    "LCMFT": "licensed clinical marriage and family therapist",
    "PSY": "licensed psychologist",
    "APCC": "associate professional clinical counselor",
    "LPC-Associate": "licensed professional counselor associate",
    "LPC-A": "licensed professional counselor associate",
    "LMHCA": "licensed mental health counselor associate",
    "LGPC": "licensed graduate professional counselor",
    "MHC-LP": "mental health counselor with a limited permit",
    "Registered MHC Intern": "registered mental health counselor intern",
    "LAPC": "associate licensed professional counselor",
    "ASW": "associate clinical social worker",
    "LCSWA": "licensed clinical social worker associate",
    "LSW": "licensed social worker",
    "LMSW": "licensed master social worker",
    "AMFT": "associate marriage and family therapist",
    "LGMFT": "licensed graduate marriage and family therapist",
    "LMFT-Associate": "licensed marriage and family therapist associate",
    "LMFTA": "licensed marriage and family therapist associate",
}
# Letters used in license numbers where the title itself does not fit the number format.
NUMBER_PREFIXES = {
    "Registered MHC Intern": "IMH",
    "LPC-Associate": "LPCA",
    "LMFT-Associate": "LMFTA",
    "MHC-LP": "MHCLP",
    "LISW-CP": "LISWCP",
}
MASTERS_DEGREES = {
    "professional_counselor": ("MA", "MS", "MEd", "MA", "MS"),
    "clinical_social_worker": ("MSW",),
    "marriage_family_therapist": ("MA", "MS", "MA", "MS", "PhD"),
}
KAISER_STATES = frozenset({"CA", "CO", "GA", "HI", "MD", "OR", "VA", "WA", "DC"})
HIGH_COST_STATES = frozenset({"CA", "NY", "MA", "DC", "WA", "NJ", "CT", "MD", "HI"})
LOW_COST_STATES = frozenset({"MS", "AR", "WV", "AL", "KY", "OK", "SD", "ND", "IA", "NE"})


def license_title(kind: str, state: str, supervised: bool) -> str:
    if supervised:
        return ASSOCIATE_TITLES[kind].get(state, DEFAULT_ASSOCIATE_TITLES[kind])
    return INDEPENDENT_TITLES.get(kind, {}).get(state, DEFAULT_TITLES[kind])


def license_number(rng: random.Random, title: str, state: str) -> str:
    """Return a made-up license number in the (fictional) format this state's boards use."""
    prefix = NUMBER_PREFIXES.get(title, title)
    style = STATE_CODES.index(state) % 5
    if style == 0:
        return f"{prefix} {rng.randint(10000, 99999)}"
    if style == 1:
        return f"{prefix}{rng.randint(1000, 999999):06d}"
    if style == 2:
        return f"{prefix}-{rng.randint(1000, 9999)}"
    if style == 3:
        return f"{rng.randint(1, 99):02d}.{rng.randint(100000, 999999)}"
    return f"{prefix}.{rng.randint(10000, 99999)}"


STATUS = Weighted([("verified", 75), ("pending", 20), ("rejected", 5)])
ASSOCIATE_STATUS = Weighted([("verified", 60), ("pending", 37), ("rejected", 3)])


def license_status(rng: random.Random, supervised: bool, today: date) -> tuple[str, str | None]:
    status = (ASSOCIATE_STATUS if supervised else STATUS).pick(rng)
    if status != "verified":
        return status, None
    return status, (today - timedelta(days=rng.randint(1, 365))).isoformat()


def license_expiry(rng: random.Random, today: date) -> str:
    if rng.random() < 0.04:
        return (today - timedelta(days=rng.randint(1, 300))).isoformat()
    return (today + timedelta(days=rng.randint(31, 913))).isoformat()
