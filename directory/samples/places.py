"""Where sample practitioners are: population-weighted states, metro areas, nearby states."""

from __future__ import annotations

import itertools
import random
from collections.abc import Sequence
from datetime import date
from functools import cache
from typing import TypeAlias

import zipcodes

from directory.core import vocabulary as v
from directory.core.compacts import load_compacts
from directory.core.geography import haversine_miles
from directory.samples.choice import Weighted

METRO_RADIUS_MILES = 25.0
METRO_SHARE = 0.70

# (zip, city, latitude, longitude) of one active STANDARD ZIP code.
ZipRow: TypeAlias = tuple[str, str, float, float]


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


STATE_CODES: tuple[str, ...] = tuple(v.STATES)
STATE_CHOICE = Weighted([(code, population) for code, (_, population) in v.STATES.items()])


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
            near = tuple(
                r for r in rows if haversine_miles((lat, lon), (r[2], r[3])) <= METRO_RADIUS_MILES
            )
            groups.append(near)
            weights.append(weight)
        tables[state] = (tuple(groups), tuple(itertools.accumulate(weights)))
    return tables


@cache
def nearby_states() -> dict[str, tuple[str, ...]]:
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
        others.sort(key=lambda s: (haversine_miles((lat, lon), centres[s]), s))
        ordered[state] = tuple(others)
    return ordered


@cache
def _first_states(seed: int) -> tuple[str, ...]:
    """Return the order in which the first 51 records cover every state once."""
    return tuple(random.Random(f"{seed}:state-order").sample(STATE_CODES, len(STATE_CODES)))


@cache
def issuing_members(today: date) -> tuple[frozenset[str], frozenset[str]]:
    """Return the states issuing under PSYPACT and under the Counseling Compact on ``today``."""
    compacts = load_compacts()
    listed = frozenset(STATE_CODES)
    return (
        compacts["psypact"].issuing_states(today) & listed,
        compacts["counseling"].issuing_states(today) & listed,
    )


def pick_state(rng: random.Random, seed: int, index: int) -> str:
    if index < len(STATE_CODES):
        return _first_states(seed)[index]
    return STATE_CHOICE.pick(rng)


def pick_zip(rng: random.Random, state: str) -> ZipRow:
    groups, cum_weights = _metros()[state]
    if rng.random() < METRO_SHARE:
        group = rng.choices(groups, cum_weights=cum_weights)[0]
        if group:
            return rng.choice(group)
    return rng.choice(_zips_by_state()[state])


def other_state(rng: random.Random, home: str, exclude: Sequence[str]) -> str:
    if rng.random() < 0.7:
        near = [s for s in nearby_states()[home][:4] if s not in exclude]
        if near:
            return rng.choice(near)
    while True:
        state = STATE_CHOICE.pick(rng)
        if state not in exclude:
            return state
