"""Fictional practitioner records, generated deterministically for demos, tests and benchmarks.

Every record is made up: names come from Faker, license numbers are random digits, and bios are
assembled from sentence templates. Record ``i`` depends only on ``(seed, i, today)`` (plus the
vocabulary, the compact lists in ``data/`` and the ZIP database), never on how many records are
asked for, the clock or the machine, so a benchmark of 100,000 records starts with the same 1,000
that ship in ``data/sample_practitioners.json``.

Run ``python -m directory.samples --count N --seed S --out FILE`` to write a file.
"""

from __future__ import annotations

import argparse
import bisect
import itertools
import json
import math
import random
from collections.abc import Iterator, Sequence
from datetime import date, timedelta
from functools import cache
from pathlib import Path
from typing import Any

import zipcodes
from faker import Faker

from directory.core import vocabulary as v
from directory.core.compacts import load_compacts

DEFAULT_SEED = 20261126
DEFAULT_TODAY = date(2026, 11, 1)
MAX_BIO_CHARS = 1500
METRO_RADIUS_MILES = 25.0
METRO_SHARE = 0.70

# (zip, city, latitude, longitude) of one active STANDARD ZIP code.
ZipRow = tuple[str, str, float, float]

# ---------------------------------------------------------------------------------------------
# Places: population-weighted states, a few metro anchors per state, neighbouring states.
# ---------------------------------------------------------------------------------------------

# Anchor ZIPs of each state's larger metro areas, weighted roughly by metro population.
METRO_ANCHORS: dict[str, tuple[tuple[str, int], ...]] = {
    "AL": (("35203", 11), ("35801", 5), ("36602", 4), ("36104", 4)),
    "AK": (("99501", 4), ("99701", 1)),
    "AZ": (("85004", 50), ("85701", 10)),
    "AR": (("72201", 7), ("72701", 5)),
    "CA": (("90012", 130), ("94103", 47), ("92101", 33), ("95814", 24), ("95113", 20)),
    "CO": (("80202", 30), ("80903", 8)),
    "CT": (("06103", 12), ("06510", 9), ("06901", 9)),
    "DE": (("19801", 6), ("19901", 2)),
    "DC": (("20001", 1),),
    "FL": (("33130", 61), ("33602", 32), ("32801", 27), ("32202", 16)),
    "GA": (("30303", 61), ("31401", 4)),
    "HI": (("96813", 1),),
    "ID": (("83702", 1),),
    "IL": (("60601", 94), ("62701", 2)),
    "IN": (("46204", 21), ("46802", 4)),
    "IA": (("50309", 7), ("52401", 3)),
    "KS": (("67202", 6), ("66101", 5)),
    "KY": (("40202", 13), ("40507", 5)),
    "LA": (("70112", 10), ("70802", 9)),
    "ME": (("04101", 5), ("04401", 2)),
    "MD": (("21202", 28), ("20910", 20)),
    "MA": (("02108", 49), ("01608", 9), ("01103", 7)),
    "MI": (("48226", 43), ("49503", 11), ("48104", 4)),
    "MN": (("55401", 22), ("55101", 14)),
    "MS": (("39201", 6), ("39501", 4)),
    "MO": (("63101", 28), ("64106", 22)),
    "MT": (("59101", 2), ("59802", 1)),
    "NE": (("68102", 10), ("68508", 3)),
    "NV": (("89101", 23), ("89501", 5)),
    "NH": (("03101", 4), ("03301", 2)),
    "NJ": (("07102", 40), ("08102", 12), ("08608", 4)),
    "NM": (("87102", 9), ("87501", 2)),
    "NY": (("10001", 190), ("14202", 11), ("14604", 11), ("12207", 9)),
    "NC": (("28202", 27), ("27601", 14), ("27701", 6)),
    "ND": (("58102", 3), ("58501", 1)),
    "OH": (("43215", 21), ("44114", 21), ("45202", 22)),
    "OK": (("73102", 14), ("74103", 10)),
    "OR": (("97204", 25), ("97401", 4)),
    "PA": (("19103", 45), ("15222", 24)),
    "RI": (("02903", 1),),
    "SC": (("29201", 8), ("29401", 8)),
    "SD": (("57104", 3), ("57701", 1)),
    "TN": (("37203", 20), ("38103", 13), ("37902", 9)),
    "TX": (("77002", 71), ("75201", 76), ("78205", 26), ("78701", 23)),
    "UT": (("84111", 12), ("84601", 7)),
    "VT": (("05401", 1),),
    "VA": (("22201", 30), ("23219", 13), ("23510", 18)),
    "WA": (("98101", 30), ("98402", 9), ("99201", 6)),
    "WV": (("25301", 2), ("26501", 1)),
    "WI": (("53202", 16), ("53703", 7)),
    "WY": (("82001", 1), ("82601", 1)),
}


class _Weighted:
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


STATE_CODES: tuple[str, ...] = tuple(v.STATES)
STATE_CHOICE = _Weighted([(code, population) for code, (_, population) in v.STATES.items()])


def _miles(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Return the great-circle distance between two points in miles."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 3958.8 * 2 * math.asin(math.sqrt(a))


@cache
def _zips_by_state() -> dict[str, tuple[ZipRow, ...]]:
    """Return each state's active STANDARD ZIP codes with city and coordinates, sorted by ZIP."""
    rows: dict[str, list[ZipRow]] = {code: [] for code in STATE_CODES}
    for z in zipcodes.list_all():
        if z["zip_code_type"] != "STANDARD" or not z["active"] or z["state"] not in rows:
            continue
        if not z["lat"] or not z["long"] or "AFB" in z["city"].split():
            continue
        rows[z["state"]].append((z["zip_code"], z["city"], float(z["lat"]), float(z["long"])))
    return {state: tuple(sorted(found)) for state, found in rows.items()}


@cache
def _metros() -> dict[str, tuple[tuple[tuple[ZipRow, ...], ...], tuple[int, ...]]]:
    """Return, per state, the ZIPs near each metro anchor and the anchors' cumulative weights."""
    tables: dict[str, tuple[tuple[tuple[ZipRow, ...], ...], tuple[int, ...]]] = {}
    for state, rows in _zips_by_state().items():
        by_zip = {row[0]: row for row in rows}
        groups: list[tuple[ZipRow, ...]] = []
        weights: list[int] = []
        for anchor, weight in METRO_ANCHORS[state]:
            centre = by_zip.get(anchor)
            if centre is None:
                raise LookupError(f"metro anchor {anchor} is not an active ZIP code in {state}")
            _, _, lat, lon = centre
            near = tuple(r for r in rows if _miles(lat, lon, r[2], r[3]) <= METRO_RADIUS_MILES)
            groups.append(near)
            weights.append(weight)
        tables[state] = (tuple(groups), tuple(itertools.accumulate(weights)))
    return tables


@cache
def _nearby_states() -> dict[str, tuple[str, ...]]:
    """Return, per state, every other state ordered by distance between their ZIP centroids."""
    centres: dict[str, tuple[float, float]] = {}
    for state, rows in _zips_by_state().items():
        centres[state] = (
            sum(r[2] for r in rows) / len(rows),
            sum(r[3] for r in rows) / len(rows),
        )
    ordered: dict[str, tuple[str, ...]] = {}
    for state, (lat, lon) in centres.items():
        others = [s for s in STATE_CODES if s != state]
        others.sort(key=lambda s: (_miles(lat, lon, *centres[s]), s))
        ordered[state] = tuple(others)
    return ordered


@cache
def _first_states(seed: int) -> tuple[str, ...]:
    """Return the order in which the first 51 records cover every state once."""
    return tuple(random.Random(f"{seed}:state-order").sample(STATE_CODES, len(STATE_CODES)))


@cache
def _compact_members() -> tuple[frozenset[str], frozenset[str]]:
    """Return the PSYPACT and Counseling Compact members among the states listed here."""
    compacts = load_compacts()
    listed = frozenset(STATE_CODES)
    return compacts.psypact & listed, compacts.counseling & listed


def _pick_state(rng: random.Random, seed: int, index: int) -> str:
    if index < len(STATE_CODES):
        return _first_states(seed)[index]
    return STATE_CHOICE.pick(rng)


def _pick_zip(rng: random.Random, state: str) -> ZipRow:
    groups, cum_weights = _metros()[state]
    if rng.random() < METRO_SHARE:
        group = rng.choices(groups, cum_weights=cum_weights)[0]
        if group:
            return rng.choice(group)
    return rng.choice(_zips_by_state()[state])


def _other_state(rng: random.Random, home: str, exclude: Sequence[str]) -> str:
    if rng.random() < 0.7:
        near = [s for s in _nearby_states()[home][:4] if s not in exclude]
        if near:
            return rng.choice(near)
    while True:
        state = STATE_CHOICE.pick(rng)
        if state not in exclude:
            return state


# ---------------------------------------------------------------------------------------------
# Licenses: per-state titles, number formats, status and expiry.
# ---------------------------------------------------------------------------------------------

KIND_WEIGHTS = {
    "psychologist": 20,
    "clinical_social_worker": 30,
    "professional_counselor": 32,
    "marriage_family_therapist": 18,
}
# Share of non-psychologists who are supervised associates (psychologists never are here),
# giving about 8% of all practitioners.
ASSOCIATE_SHARE = 0.10
KIND_CHOICE = _Weighted(list(KIND_WEIGHTS.items()))

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


def _title(kind: str, state: str, supervised: bool) -> str:
    if supervised:
        return ASSOCIATE_TITLES[kind].get(state, DEFAULT_ASSOCIATE_TITLES[kind])
    return INDEPENDENT_TITLES.get(kind, {}).get(state, DEFAULT_TITLES[kind])


def _license_number(rng: random.Random, title: str, state: str) -> str:
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


STATUS = _Weighted([("verified", 75), ("pending", 20), ("rejected", 5)])
ASSOCIATE_STATUS = _Weighted([("verified", 60), ("pending", 37), ("rejected", 3)])


def _status(rng: random.Random, supervised: bool, today: date) -> tuple[str, str | None]:
    status = (ASSOCIATE_STATUS if supervised else STATUS).pick(rng)
    if status != "verified":
        return status, None
    return status, (today - timedelta(days=rng.randint(1, 365))).isoformat()


def _expiry(rng: random.Random, today: date) -> str:
    if rng.random() < 0.04:
        return (today - timedelta(days=rng.randint(1, 300))).isoformat()
    return (today + timedelta(days=rng.randint(31, 913))).isoformat()


# ---------------------------------------------------------------------------------------------
# Names and identity.
# ---------------------------------------------------------------------------------------------


@cache
def _faker(locale: str) -> Faker:
    """Return one Faker per locale and process; callers seed it per record."""
    return Faker(locale)


def _person_name(fake: Faker, gender: str) -> str:
    if gender == "woman":
        first = fake.first_name_female()
    elif gender == "man":
        first = fake.first_name_male()
    else:
        first = fake.first_name()
    return f"{first} {fake.last_name()}"


GENERAL_BACKGROUNDS = (
    "Black American",
    "African American, raised in the South",
    "White, raised in the rural Midwest",
    "Irish and Italian American",
    "Jewish American",
    "First-generation college graduate",
    "Korean American adoptee",
    "Multiracial (Black and white)",
    "Grew up in a small Appalachian town",
    "Caribbean American",
    "Chinese American",
    "Indian American",
    "Mexican American",
    "Native American (Lakota)",
    "White American",
    "Military family, moved often growing up",
    "Filipino American",
    "Arab American",
)
LANGUAGE_BACKGROUNDS = {
    "es": (
        "Mexican American",
        "Puerto Rican",
        "Cuban American",
        "Salvadoran American",
        "Colombian American",
        "Dominican American",
        "Latine, raised bilingual",
        "Child of Guatemalan immigrants",
    ),
    "zh": ("Chinese American", "Taiwanese American", "Grew up in Hong Kong"),
    "vi": ("Vietnamese American", "Child of Vietnamese refugees"),
    "tl": ("Filipino American",),
    "ar": ("Arab American", "Lebanese American", "Egyptian American"),
    "fr": ("French Canadian", "Grew up between France and the US"),
    "ko": ("Korean American",),
    "ru": ("Grew up in a Russian-speaking immigrant family",),
    "de": ("German American",),
    "ht": ("Haitian American",),
    "pt": ("Brazilian American", "Portuguese American"),
    "hi": ("Indian American",),
    "it": ("Italian American",),
    "pl": ("Polish American",),
    "ja": ("Japanese American",),
    "fa": ("Iranian American",),
    "ur": ("Pakistani American",),
    "he": ("Israeli American",),
    "asl": ("Child of Deaf adults (CODA)",),
}
FAITHS = _Weighted(
    [
        ("Christian", 20),
        ("Catholic", 12),
        ("Jewish", 8),
        ("Spiritual but not religious", 12),
        ("Buddhist", 5),
        ("Muslim", 5),
        ("Quaker", 2),
        ("Hindu", 3),
        ("Latter-day Saint", 3),
        ("Episcopalian", 3),
        ("Unitarian Universalist", 3),
        ("Agnostic", 5),
    ]
)
OTHER_LANGUAGES = _Weighted(
    [
        ("zh", 14),
        ("vi", 8),
        ("tl", 6),
        ("ar", 6),
        ("fr", 9),
        ("ko", 6),
        ("ru", 6),
        ("de", 5),
        ("ht", 4),
        ("pt", 6),
        ("hi", 6),
        ("it", 4),
        ("pl", 3),
        ("ja", 3),
        ("fa", 4),
        ("ur", 3),
        ("he", 4),
    ]
)
SPANISH_SHARE = {
    "CA": 0.26,
    "TX": 0.26,
    "FL": 0.22,
    "NM": 0.30,
    "AZ": 0.20,
    "NY": 0.17,
    "NV": 0.15,
    "NJ": 0.14,
    "IL": 0.12,
    "CO": 0.12,
}


def _languages(rng: random.Random, state: str) -> tuple[str, ...]:
    spoken = {"en"}
    if rng.random() < SPANISH_SHARE.get(state, 0.06):
        spoken.add("es")
    if rng.random() < 0.08:
        spoken.add(OTHER_LANGUAGES.pick(rng))
        if rng.random() < 0.1:
            spoken.add(OTHER_LANGUAGES.pick(rng))
    if rng.random() < 0.012:
        spoken.add("asl")
    return ("en", *(code for code in v.LANGUAGES if code in spoken and code != "en"))


GENDERS = _Weighted([("woman", 70), ("man", 25), ("nonbinary", 5)])
NONBINARY_IDENTITIES = _Weighted([("Non-binary", 7), ("Genderqueer", 2), ("Genderfluid", 1)])
IDENTITY_PREFIXES = _Weighted([("", 85), ("Cisgender ", 10), ("Transgender ", 5)])
LGBTQ = _Weighted([(None, 55), (True, 12), (False, 33)])


def _identity(rng: random.Random, languages: Sequence[str]) -> dict[str, Any]:
    gender = GENDERS.pick(rng)
    shared = rng.random() >= 0.30
    trans = False
    if gender == "nonbinary":
        identity = NONBINARY_IDENTITIES.pick(rng)
        pronouns = "they/them" if rng.random() < 0.85 else ""
    else:
        word = "Woman" if gender == "woman" else "Man"
        prefix = IDENTITY_PREFIXES.pick(rng)
        trans = prefix == "Transgender "
        identity = f"{prefix}{word.lower()}".capitalize() if prefix else word
        pronouns = {"woman": "she/her", "man": "he/him"}[gender] if rng.random() < 0.88 else ""
    if gender == "nonbinary" or (shared and trans):
        lgbtq = True if rng.random() < 0.7 else None
    else:
        lgbtq = LGBTQ.pick(rng)

    background = ""
    specific = [code for code in languages if code in LANGUAGE_BACKGROUNDS]
    if specific and rng.random() < 0.7:
        background = rng.choice(LANGUAGE_BACKGROUNDS[rng.choice(specific)])
    elif rng.random() < 0.45:
        background = rng.choice(GENERAL_BACKGROUNDS)
    faith = ""
    if rng.random() < 0.35:
        faith = FAITHS.pick(rng)
    return {
        "gender": gender,
        "pronouns": pronouns,
        "gender_identity": identity if shared else "",
        "cultural_background": background,
        "faith": faith,
        "lgbtq": lgbtq,
    }


# ---------------------------------------------------------------------------------------------
# Clinical profile.
# ---------------------------------------------------------------------------------------------

APPROACH_WEIGHTS = {
    "attachment": 22,
    "eft": 14,
    "cbt_schema": 30,
    "dbt": 12,
    "ifs": 14,
    "psychodynamic": 14,
    "somatic": 18,
}
# Pull on the structured (1) ... exploratory (5) style scale.
APPROACH_STYLE = {
    "cbt_schema": -1.5,
    "dbt": -1.5,
    "attachment": 1.0,
    "eft": 1.0,
    "psychodynamic": 1.5,
    "ifs": 0.3,
    "somatic": 0.2,
}
TRAINING = _Weighted([("workshop", 45), ("intensive", 30), ("certified", 20), ("trainer", 5)])
DOCTORATES = _Weighted([("PhD", 48), ("PsyD", 46), ("EdD", 6)])
APPROACH_COUNT = _Weighted([(1, 20), (2, 35), (3, 30), (4, 15)])
CONCERN_COUNT = _Weighted([(1, 15), (2, 30), (3, 30), (4, 15), (5, 10)])
PROGRESS_COUNT = _Weighted([(0, 25), (1, 35), (2, 28), (3, 12)])
FORMAT_CHOICE = _Weighted([("telehealth", 35), ("in_person", 20), ("both", 45)])
PLAN_COUNT = _Weighted([(0, 35), (1, 20), (2, 20), (3, 15), (4, 10)])
COMMUNITY_COUNT = _Weighted([(0, 30), (1, 30), (2, 22), (3, 12), (4, 6)])
INSURANCE_WEIGHTS = {
    "bcbs": 25,
    "aetna": 18,
    "optum": 18,
    "cigna": 16,
    "medicaid": 10,
    "medicare": 8,
    "magellan": 5,
    "tricare": 5,
    "humana": 4,
    "kaiser": 3,
}
BASE_FEES = {
    "psychologist": 190,
    "clinical_social_worker": 140,
    "professional_counselor": 135,
    "marriage_family_therapist": 145,
}


def _weighted_sample(rng: random.Random, weights: dict[str, float], k: int) -> list[str]:
    """Return k distinct keys drawn with the given weights, heaviest-drawn first.

    Each key gets the score u ** (1 / weight) (Efraimidis and Spirakis), which draws without
    replacement with one random number per key.
    """
    if k <= 0:
        return []
    scored = sorted(((rng.random() ** (1 / w), key) for key, w in weights.items()), reverse=True)
    return [key for _, key in scored[:k]]


def _in_order(keys: Sequence[str] | set[str], vocabulary: dict[str, Any]) -> list[str]:
    return [key for key in vocabulary if key in keys]


def _round5(value: float) -> int:
    return int(5 * round(value / 5))


# ---------------------------------------------------------------------------------------------
# Text: headline and bio from sentence templates.
# ---------------------------------------------------------------------------------------------

CONCERN_PHRASES = {
    "self_criticism": (
        "a harsh inner critic",
        "chronic self-criticism",
        "a lingering sense of not being good enough",
        "low self-worth",
    ),
    "naming_emotions": (
        "difficulty recognising or naming feelings",
        "feeling numb or unsure what they feel",
        "emotions that seem to come out of nowhere",
    ),
    "attachment_trust": (
        "anxious or avoidant patterns in close relationships",
        "trouble trusting others or letting people in",
    ),
    "people_pleasing": (
        "people-pleasing or perfectionism",
        "boundaries that keep giving way until burnout or resentment sets in",
        "a habit of putting everyone else first",
    ),
    "relational_mood": (
        "depression or anxiety that feels tied to relationships",
        "low mood rooted in how they relate to others",
        "stress that seems to come from their closest relationships",
    ),
    "relationships": (
        "strained communication with a partner or family",
        "a lack of closeness in their relationships",
        "intimacy that has faded over the years",
    ),
}
CONCERN_SHORT = {
    "self_criticism": "self-criticism",
    "naming_emotions": "naming emotions",
    "attachment_trust": "attachment worries",
    "people_pleasing": "people-pleasing",
    "relational_mood": "relational anxiety",
    "relationships": "relationship strain",
}
APPROACH_SENTENCES = {
    "attachment": (
        "Attachment-focused work helps us notice the relational patterns you learned early on "
        "and practise healthier ways of giving and receiving care.",
        "From an attachment perspective, we look at how you learned to seek comfort and how "
        "that shows up with the people you love today.",
    ),
    "eft": (
        "With EFT we slow down to identify, explore and transform emotions rather than push "
        "them away.",
        "Emotion-focused work treats feelings as useful signals; we make room for them and "
        "learn what they are asking for.",
    ),
    "cbt_schema": (
        "CBT and schema work help us spot recurring thought patterns and the core beliefs "
        "underneath them.",
        "Using CBT and schema therapy, we trace old beliefs about yourself and others and test "
        "out kinder, more accurate ones.",
    ),
    "dbt": (
        "DBT skills offer practical tools for emotion regulation, distress tolerance, "
        "mindfulness and asking for what you need.",
        "From DBT I bring concrete skills for riding out intense emotions and handling "
        "conflict without losing yourself.",
    ),
    "ifs": (
        "Using Internal Family Systems, we get to know the parts of you, such as the critic or "
        "the caretaker, and what each of them needs.",
        "IFS gives us a gentle way to talk with the inner critic and the parts of you that work "
        "so hard to keep everyone happy.",
    ),
    "psychodynamic": (
        "Psychodynamic and relational work explores how early experiences shape the way you "
        "relate to yourself and others today.",
        "In relational work we pay attention to old patterns as they come alive in the present, "
        "including between us.",
    ),
    "somatic": (
        "Mindfulness and body-based practices help with grounding, stress and a kinder "
        "relationship with bodily sensations.",
        "We also use grounding and mindfulness, because the body often registers feelings "
        "before we have words for them.",
    ),
}
THEME_SENTENCES = {
    "naming": (
        "Together we practise noticing and naming emotions, so that feelings become information "
        "instead of something to fear.",
        "A big part of therapy with me is learning to recognise what you feel and put it into "
        "words.",
    ),
    "compassion": (
        "I hope you leave sessions treating yourself with some of the kindness you so readily "
        "offer others.",
        "We work on replacing self-criticism with self-compassion, one small step at a time.",
    ),
    "boundaries": (
        "We also work on boundaries: saying no without guilt and noticing when you are "
        "overextending.",
        "Setting boundaries and expressing needs are skills, and we can practise them together.",
    ),
    "secure": (
        "The aim is relationships that feel safer and more secure, starting with the one in "
        "this room.",
        "Over time, many clients find they can let people closer and trust that their needs "
        "matter.",
    ),
}
NEGLECT_SENTENCES = (
    "Many of the people I see grew up in families where feelings were rarely noticed or talked "
    "about, even though nothing obviously bad happened.",
    "I have particular experience with childhood emotional neglect: the quiet absence of "
    "attunement that can leave adults feeling empty or hard to know.",
    "A lot of my clients had their practical needs met as children but not their emotional "
    "ones, and I know how hard that can be to put into words.",
)
COMMUNITY_PHRASES = {
    "lgbtq": "LGBTQ+ people",
    "bipoc": "BIPOC clients",
    "immigrants": "immigrant and first-generation families",
    "veterans": "military and veteran families",
    "faith": "people of faith",
    "neurodivergent": "neurodivergent adults",
    "disability": "people living with disabilities",
    "older_adults": "older adults",
    "young_adults": "young adults at college or early in their careers",
    "parents": "parents",
    "healthcare_workers": "healthcare workers",
}


def _join(items: Sequence[str]) -> str:
    """Return "a", "a and b" or "a, b, and c" (with a serial comma, as items may hold "and")."""
    if len(items) <= 2:
        return " and ".join(items)
    return f"{', '.join(items[:-1])}, and {items[-1]}"


def _place(code: str) -> str:
    """Return a state's name as it reads after "in": "Ohio", "the District of Columbia"."""
    return "the District of Columbia" if code == "DC" else v.state_name(code)


def _city_state(city: str, code: str) -> str:
    return f"{city}, DC" if code == "DC" else f"{city}, {v.state_name(code)}"


def _article(phrase: str) -> str:
    return "an" if phrase[:1].lower() in "aeiou" else "a"


def _headline(rng: random.Random, r: dict[str, Any], long_title: str) -> str:
    concerns = [CONCERN_SHORT[c] for c in r["concerns"]]
    approach = v.APPROACHES[next(iter(r["approaches"]))].name
    state_name = _place(r["state"])
    options = [
        f"{long_title.capitalize()} helping adults with {_join(concerns[:2])}",
        f"{approach} for {_join(concerns[:2])}",
        f"Warm, collaborative therapy for {concerns[0]} in {r['city']}",
        "Learning to name feelings, set boundaries and trust that your needs matter",
        "From self-criticism to self-compassion: therapy for adults who learned to go it alone",
        f"{approach} for adults who grew up without much emotional support",
    ]
    if r["telehealth"]:
        options.append(f"Telehealth across {state_name}: support with {_join(concerns[:2])}")
    if r["in_person"]:
        options.append(f"{r['city']} therapist for {_join(concerns[:2])}")
    if len(r["approaches"]) > 1:
        second = v.APPROACHES[list(r["approaches"])[1]].name
        options.append(f"{approach} and {second} for {concerns[0]}")
    headline = rng.choice(options)
    return headline if len(headline) <= 160 else options[3]


def _bio(
    rng: random.Random,
    r: dict[str, Any],
    long_title: str,
    supervisor: tuple[str, str] | None,
) -> str:
    """Return a plain-text bio assembled from varied templates, at most MAX_BIO_CHARS long."""
    city = r["city"]
    years = r["years_in_practice"]
    # (paragraph, required, text)
    parts: list[tuple[int, bool, str]] = []

    place = _city_state(city, r["state"])
    where = f"in {place}" if r["in_person"] else f"based in {place}"
    if years == 0:
        experience = "who recently finished graduate training"
    elif years == 1:
        experience = "with a year of clinical experience"
    else:
        experience = f"with {years} years of clinical experience"
    intro = rng.choice(
        (
            f"I'm {_article(long_title)} {long_title} {where} {experience}.",
            f"As {_article(long_title)} {long_title} {where}, I work with adults who want to "
            "understand themselves and their relationships more deeply.",
            f"I am {_article(long_title)} {long_title} {experience}, "
            f"{'seeing clients in' if r['in_person'] else 'working from'} {place}.",
            f"Welcome. I'm {_article(long_title)} {long_title} {where}.",
        )
    )
    parts.append((0, True, intro))
    if supervisor:
        name, title = supervisor
        parts.append(
            (
                0,
                True,
                rng.choice(
                    (
                        f"I am completing my supervised clinical hours under {name}, {title}.",
                        f"As a pre-licensed clinician, I practise under the supervision of "
                        f"{name}, {title}.",
                    )
                ),
            )
        )
    concerns = [rng.choice(CONCERN_PHRASES[c]) for c in r["concerns"][:3]]
    parts.append(
        (
            0,
            True,
            rng.choice(
                (
                    f"I often work with people who struggle with {_join(concerns)}.",
                    f"Clients usually come to me because of {_join(concerns)}.",
                    f"Much of my work is with adults facing {_join(concerns)}.",
                    f"People often find me when they are dealing with {_join(concerns)}.",
                )
            ),
        )
    )
    if r["neglect_experience"]:
        parts.append((0, False, rng.choice(NEGLECT_SENTENCES)))

    approaches = list(r["approaches"])
    names = [v.APPROACHES[k].name for k in approaches]
    parts.append(
        (
            1,
            True,
            rng.choice(
                (
                    f"My work draws on {_join(names)}.",
                    f"In sessions I integrate {_join(names)}.",
                    f"I am trained in {_join(names)}, and I adapt them to each person.",
                    f"The approaches I use most are {_join(names)}.",
                )
                if len(names) > 1
                else (
                    f"My work is grounded in {names[0]}.",
                    f"I mainly use {names[0]}, adapted to each person.",
                )
            ),
        )
    )
    parts.append((1, False, rng.choice(APPROACH_SENTENCES[approaches[0]])))
    top = max(approaches, key=lambda k: v.TRAINING_RANK[r["approaches"][k]])
    level, top_name = r["approaches"][top], v.APPROACHES[top].name
    if level == "trainer":
        parts.append((1, False, f"I also train and supervise other clinicians in {top_name}."))
    elif level == "certified":
        parts.append((1, False, f"I am certified in {top_name}."))
    elif level == "intensive":
        parts.append((1, False, f"I have completed intensive training in {top_name}."))
    for theme in rng.sample(sorted(THEME_SENTENCES), rng.randint(1, 2)):
        parts.append((1, False, rng.choice(THEME_SENTENCES[theme])))
    if r["style"] <= 2:
        style = (
            "My style is structured and skills-focused: we set clear goals and you leave with "
            "tools to practise between sessions.",
            "I tend to be practical and direct, with optional exercises between sessions.",
        )
    elif r["style"] == 3:
        style = (
            "I blend practical skills with time to explore where your patterns come from.",
            "Some sessions focus on concrete skills and others on understanding your story; a mix "
            "often works best.",
        )
    else:
        style = (
            "My style is exploratory and relational: we follow what comes up and notice what "
            "happens between us.",
            "I go at your pace and leave room for feelings that take time to surface.",
        )
    parts.append((1, False, rng.choice(style)))
    if r["collaborative_goals"]:
        parts.append(
            (1, False, "We agree on goals together and check in regularly on how therapy is going.")
        )
    if "mood_scales" in r["progress_tracking"]:
        parts.append(
            (
                1,
                False,
                "I use short questionnaires every few weeks so we can see progress together.",
            )
        )
    if "relationship_metrics" in r["progress_tracking"]:
        parts.append((1, False, "For couples and family work I track change with brief measures."))
    if r["typical_course_weeks"] and rng.random() < 0.5:
        months = max(3, round(r["typical_course_weeks"] / 4.33))
        text = f"Many clients work with me for about {months} months"
        text += (
            ", and some come back later for occasional booster sessions."
            if r["booster_sessions"]
            else "."
        )
        parts.append((1, False, text))
    if r["confidentiality_discussed"] and rng.random() < 0.4:
        parts.append(
            (
                1,
                False,
                "In our first session I explain how confidentiality works and where its limits "
                "are, so you know what to expect.",
            )
        )

    states = [_place(lic["state"]) for lic in r["licenses"]]
    if r["in_person"] and r["telehealth"]:
        fmt = rng.choice(
            (
                f"I see clients in person in {city} and by telehealth anywhere in {_join(states)}.",
                f"Sessions are available at my {city} office or by secure video for clients in "
                f"{_join(states)}.",
            )
        )
    elif r["telehealth"]:
        fmt = rng.choice(
            (
                f"I work by telehealth only, with clients located in {_join(states)}.",
                f"All sessions are by secure video, for clients anywhere in {_join(states)}.",
            )
        )
    else:
        fmt = rng.choice(
            (
                f"I see clients in person at my office in {city}.",
                f"Sessions take place in person in {city}; I find the shared room helps.",
            )
        )
    parts.append((2, True, fmt))
    if r["in_person"] and r["wheelchair_accessible"]:
        parts.append((2, False, "The office is wheelchair accessible."))
    if r["psypact_apit"] and r["telehealth"]:
        parts.append(
            (
                2,
                False,
                "Through PSYPACT I can also offer telepsychology to clients in other "
                "participating states.",
            )
        )
    if r["counseling_privileges"]:
        privileges = _join([_place(s) for s in r["counseling_privileges"]])
        parts.append(
            (2, False, f"Through the Counseling Compact I can also see clients in {privileges}.")
        )
    if len(r["languages"]) > 1:
        spoken = _join([v.LANGUAGES[code] for code in r["languages"]])
        parts.append(
            (
                2,
                True,
                rng.choice(
                    (
                        f"Sessions are available in {spoken}.",
                        f"I offer therapy in {spoken}.",
                    )
                ),
            )
        )
    if r["communities"]:
        groups = _join([COMMUNITY_PHRASES[c] for c in r["communities"][:3]])
        parts.append(
            (
                2,
                False,
                rng.choice(
                    (
                        f"I have particular experience working with {groups}.",
                        f"I especially enjoy working with {groups}.",
                    )
                ),
            )
        )
    if not r["accepting_new_clients"]:
        closing = (
            "I am not taking new clients right now, but you are welcome to ask about my waitlist."
        )
    elif r["free_consultation"]:
        closing = rng.choice(
            (
                "I offer a free 15-minute consultation so you can see whether we are a good fit.",
                "A free initial call is a low-pressure way to ask questions and see how it feels.",
            )
        )
    else:
        closing = rng.choice(
            (
                "Reaching out can be the hardest part; I look forward to hearing from you.",
                "Finding the right fit matters, and I am happy to answer questions before we "
                "begin.",
                "Whenever you feel ready, I would be glad to hear what brings you here.",
            )
        )
    parts.append((2, False, closing))
    if r["sliding_scale_min"] is not None:
        parts.append((2, False, "A limited number of sliding-scale spots are available."))

    # Drop optional sentences in a random order until the bio fits.
    optional = [i for i, part in enumerate(parts) if not part[1]]
    rng.shuffle(optional)
    kept = set(range(len(parts)))

    def render() -> str:
        paragraphs: list[list[str]] = [[], [], []]
        for i in sorted(kept):
            paragraphs[parts[i][0]].append(parts[i][2])
        return "\n\n".join(" ".join(p) for p in paragraphs if p)

    text = render()
    while len(text) > MAX_BIO_CHARS and optional:
        kept.discard(optional.pop())
        text = render()
    return text


# ---------------------------------------------------------------------------------------------
# Records.
# ---------------------------------------------------------------------------------------------


def _record(seed: int, index: int, today: date) -> dict[str, Any]:
    """Return sample record ``index``, depending only on the seed, the index and today."""
    rng = random.Random(f"{seed}:{index}")
    psypact_members, counseling_members = _compact_members()

    state = _pick_state(rng, seed, index)
    zip_code, city, _, _ = _pick_zip(rng, state)
    kind = KIND_CHOICE.pick(rng)
    supervised = kind != "psychologist" and rng.random() < ASSOCIATE_SHARE

    # Licenses.
    title = _title(kind, state, supervised)
    status, verified_on = _status(rng, supervised, today)
    supervisor_name = supervisor_license = None
    supervisor_title = ""
    if supervised:
        sup = _faker("en_US")
        sup.seed_instance(f"{seed}:{index}:supervisor")
        supervisor_name = _person_name(sup, rng.choice(("woman", "woman", "man")))
        supervisor_title = _title(kind, state, False)
        supervisor_license = _license_number(rng, supervisor_title, state)
        if not supervisor_license.startswith(supervisor_title):
            supervisor_license = f"{supervisor_title} {supervisor_license}"
    licenses = [
        {
            "kind": kind,
            "state": state,
            "number": _license_number(rng, title, state),
            "expires_on": _expiry(rng, today),
            "status": status,
            "verified_on": verified_on,
            "supervised": supervised,
            "supervisor_name": supervisor_name,
            "supervisor_license": supervisor_license,
        }
    ]
    titles = [title]
    if not supervised and rng.random() < 0.163:
        other = _other_state(rng, state, (state,))
        other_title = _title(kind, other, False)
        other_status, other_verified = _status(rng, False, today)
        licenses.append(
            {
                "kind": kind,
                "state": other,
                "number": _license_number(rng, other_title, other),
                "expires_on": _expiry(rng, today),
                "status": other_status,
                "verified_on": other_verified,
                "supervised": False,
                "supervisor_name": None,
                "supervisor_license": None,
            }
        )
        if other_title not in titles:
            titles.append(other_title)
    licensed_states = [lic["state"] for lic in licenses]

    if kind == "psychologist":
        credentials = DOCTORATES.pick(rng)
    else:
        degrees = MASTERS_DEGREES[kind]
        degree = rng.choice([d for d in degrees if d != "PhD"] if supervised else degrees)
        credentials = ", ".join([degree, *titles])

    psypact_apit = (
        kind == "psychologist"
        and any(s in psypact_members for s in licensed_states)
        and rng.random() < 0.45
    )
    privileges: list[str] = []
    if (
        kind == "professional_counselor"
        and not supervised
        and state in counseling_members
        and rng.random() < 0.20
    ):
        candidates = [
            s
            for s in _nearby_states()[state]
            if s in counseling_members and s not in licensed_states
        ][:8]
        privileges = sorted(rng.sample(candidates, min(len(candidates), rng.randint(1, 3))))

    # Clinical profile.
    count = APPROACH_COUNT.pick(rng)
    chosen = _weighted_sample(rng, APPROACH_WEIGHTS, count)
    approaches: dict[str, str] = {}
    years = rng.randint(0, 3) if supervised else min(40, int(rng.triangular(1, 41, 9)))
    for key in chosen:
        level = TRAINING.pick(rng)
        if supervised and level in ("certified", "trainer"):
            level = "intensive" if rng.random() < 0.3 else "workshop"
        elif level == "trainer" and years < 8:
            level = "certified"
        approaches[key] = level
    keys = set(chosen)
    attachment_training = rng.random() < (0.9 if "attachment" in keys else 0.5)
    emotion_training = rng.random() < (0.85 if keys & {"dbt", "eft"} else 0.45)
    concern_count = CONCERN_COUNT.pick(rng)
    concerns = rng.sample(list(v.CONCERNS), concern_count)
    pull = sum(APPROACH_STYLE[k] for k in chosen) / len(chosen)
    style = max(1, min(5, round(3 + pull + rng.gauss(0, 0.7))))
    progress_count = PROGRESS_COUNT.pick(rng)
    progress_weights = {"goals": 5, "mood_scales": 3, "relationship_metrics": 2}
    if kind == "marriage_family_therapist" or "relationships" in concerns:
        progress_weights["relationship_metrics"] = 5
    progress = _in_order(
        _weighted_sample(rng, progress_weights, progress_count), v.PROGRESS_METHODS
    )
    if rng.random() < 0.7:
        if style <= 2:
            course_options = (12, 16, 20, 24, 26)
        elif style == 3:
            course_options = (16, 20, 24, 30, 36, 40, 52)
        else:
            course_options = (26, 36, 40, 52, 65, 78)
        course_weeks: int | None = rng.choice(course_options)
    else:
        course_weeks = None

    # Logistics.
    fmt = FORMAT_CHOICE.pick(rng)
    in_person, telehealth = fmt != "telehealth", fmt != "in_person" or psypact_apit
    base = 95 if supervised else BASE_FEES[kind]
    if state in HIGH_COST_STATES:
        base *= 1.18
    elif state in LOW_COST_STATES:
        base *= 0.9
    fee = max(60, min(275, _round5(rng.gauss(base, 30))))
    sliding = None
    if rng.random() < 0.35:
        sliding = min(fee, _round5(fee * rng.uniform(0.4, 0.9)))
    if supervised:
        plan_count = 0 if rng.random() < 0.85 else rng.randint(1, 2)
    else:
        plan_count = PLAN_COUNT.pick(rng)
    plans = dict(INSURANCE_WEIGHTS)
    if state not in KAISER_STATES:
        del plans["kaiser"]
    insurance = _in_order(_weighted_sample(rng, plans, plan_count), v.INSURANCE_PLANS)
    languages = _languages(rng, state)
    who = _identity(rng, languages)

    community_count = COMMUNITY_COUNT.pick(rng)
    picked: list[str] = []
    if who["lgbtq"] and rng.random() < 0.7:
        picked.append("lgbtq")
    if len(languages) > 1 and rng.random() < 0.5:
        picked.append("immigrants")
    if who["faith"] and who["faith"] != "Agnostic" and rng.random() < 0.4:
        picked.append("faith")
    pool = [c for c in v.COMMUNITIES if c not in picked]
    picked += rng.sample(pool, max(0, community_count - len(picked)))
    communities = _in_order(picked[:4], v.COMMUNITIES)
    accepting = rng.random() < 0.75

    # Name: es_MX for some Spanish speakers, en_US otherwise.
    locale = "es_MX" if "es" in languages and rng.random() < 0.5 else "en_US"
    fake = _faker(locale)
    fake.seed_instance(f"{seed}:{index}:name")
    name = _person_name(fake, who["gender"])

    record: dict[str, Any] = {
        "external_id": f"sample-{index:06d}",
        "name": name,
        "credentials": credentials,
        "headline": "",
        "bio": "",
        "pronouns": who["pronouns"],
        "gender_identity": who["gender_identity"],
        "cultural_background": who["cultural_background"],
        "faith": who["faith"],
        "lgbtq": who["lgbtq"],
        "licenses": licenses,
        "psypact_apit": psypact_apit,
        "counseling_privileges": privileges,
        "approaches": approaches,
        "attachment_training": attachment_training,
        "emotion_regulation_training": emotion_training,
        "concerns": concerns,
        "neglect_experience": rng.random() < 0.55,
        "years_in_practice": years,
        "style": style,
        "collaborative_goals": rng.random() < 0.8,
        "progress_tracking": progress,
        "supervision": supervised or rng.random() < 0.6,
        "ce_hours_2y": int(rng.triangular(0, 121, 40)),
        "confidentiality_discussed": rng.random() < 0.85,
        "typical_course_weeks": course_weeks,
        "booster_sessions": rng.random() < 0.4,
        "in_person": in_person,
        "telehealth": telehealth,
        "city": city,
        "state": state,
        "zip": zip_code,
        "wheelchair_accessible": in_person and rng.random() < 0.6,
        "fee": fee,
        "sliding_scale_min": sliding,
        "insurance": insurance,
        "free_consultation": rng.random() < 0.55,
        "languages": list(languages),
        "communities": communities,
        "evening_hours": rng.random() < 0.45,
        "weekend_hours": rng.random() < 0.2,
        "accepting_new_clients": accepting,
        "accepting_confirmed_on": (
            (today - timedelta(days=rng.randint(0, 90))).isoformat() if accepting else None
        ),
        "sample": True,
        "published": True,
    }
    long_title = TITLE_NAMES[title]
    if kind == "psychologist" and rng.random() < 0.5:
        long_title = "clinical psychologist"
    record["headline"] = _headline(rng, record, long_title)
    supervisor = (supervisor_name, supervisor_title) if supervised else None
    record["bio"] = _bio(rng, record, long_title, supervisor)
    return record


def generate_records(
    count: int, *, seed: int = DEFAULT_SEED, today: date = DEFAULT_TODAY
) -> Iterator[dict[str, Any]]:
    """Yield ``count`` fictional records; record i depends only on the seed, i and today."""
    if count < 0:
        raise ValueError("count must not be negative")
    for index in range(count):
        yield _record(seed, index, today)


def write_samples(
    path: str | Path, count: int, seed: int = DEFAULT_SEED, today: date = DEFAULT_TODAY
) -> int:
    """Write ``count`` sample records to ``path`` as a JSON array, one record per line."""
    written = 0
    with open(path, "w", encoding="utf-8", newline="\n") as out:
        out.write("[\n")
        for record in generate_records(count, seed=seed, today=today):
            out.write(
                (",\n" if written else "") + json.dumps(record, sort_keys=True, ensure_ascii=False)
            )
            written += 1
        out.write("\n]\n")
    return written


def main(argv: Sequence[str] | None = None) -> int:
    """Parse command-line arguments and write a sample file."""
    parser = argparse.ArgumentParser(
        prog="python -m directory.samples", description="Write fictional practitioner records."
    )
    parser.add_argument("--count", type=int, default=1000, help="number of records")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="random seed")
    parser.add_argument(
        "--today",
        type=date.fromisoformat,
        default=DEFAULT_TODAY,
        help="the date records are relative to (YYYY-MM-DD)",
    )
    parser.add_argument("--out", type=Path, required=True, help="JSON file to write")
    args = parser.parse_args(argv)
    written = write_samples(args.out, args.count, seed=args.seed, today=args.today)
    print(f"wrote {written} records to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
