"""Places typed into a search box: a ZIP code, a city and state, or "near me".

The most-used search box on the largest directories is a place box, so ours reads one too:
``find_place("DBT Columbus, OH")`` gives the words left to search ("DBT") and the place
(Columbus, Ohio, with the ZIP code nearest the city's centre), taken from the ``zipcodes``
package's data (no request leaves the site).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import zipcodes

from directory.core import vocabulary as v
from directory.core.geography import haversine_miles, zip_location

_WORD = re.compile(r"[^\W_]+(?:['.-][^\W_]+)*\.?", re.UNICODE)
_NEAR_ME = re.compile(r"\b(?:near|around|close to)\s+me\b|\bnearby\b", re.IGNORECASE)
_ZIP = re.compile(r"(?<![0-9-])([0-9]{5})(?:-[0-9]{4})?(?![0-9-])", re.ASCII)
# Words left dangling once a place is taken out ("DBT in Columbus, OH" -> "DBT").
_DANGLING = {"in", "near", "around", "at", "by", "from", "of"}
_STATE_NAMES = {name.casefold(): code for code, (name, _) in v.STATES.items()}
_LONGEST_CITY = 4  # words
_SPELLED_OUT = {"st": "saint", "st.": "saint", "ste": "sainte", "ste.": "sainte", "ft": "fort",
                "ft.": "fort", "mt": "mount", "mt.": "mount"}  # fmt: skip


@dataclass(frozen=True)
class Place:
    """A place read from a search box."""

    zip: str
    state: str
    label: str  # "Columbus, OH" or "43210 (Columbus, OH)"
    origin: tuple[float, float]


@dataclass(frozen=True)
class PlaceText:
    """What a search box said: the words to search, the place if any, and "near me"."""

    words: str
    place: Place | None = None
    near_me: bool = False


@lru_cache(maxsize=1)
def _cities() -> tuple[dict[tuple[str, str], tuple[str, tuple[str, ...]]], dict[str, str]]:
    """Return (city casefolded, state) -> (the city's name, its ZIP codes), and ZIP code ->
    "City, ST", from every active standard ZIP code."""
    cities: dict[tuple[str, str], tuple[str, list[str]]] = {}
    names: dict[str, str] = {}
    for z in zipcodes.list_all():  # type: ignore[no-untyped-call]
        if z["active"] and z["zip_code_type"] == "STANDARD":
            city, state, code = str(z["city"]), str(z["state"]), str(z["zip_code"])
            cities.setdefault((city.casefold(), state), (city, []))[1].append(code)
            names[code] = f"{city}, {state}"
    return {key: (name, tuple(zips)) for key, (name, zips) in cities.items()}, names


@lru_cache(maxsize=1024)
def city_place(city: str, state: str) -> Place | None:
    """Return a city as a place: its centre (the mean of its ZIP codes' points) and the ZIP
    code nearest it, or None if the state has no such city."""
    found = _cities()[0].get((" ".join(city.split()).casefold(), state))
    if found is None:
        return None
    name, zips = found
    points = {z: loc[1:] for z in zips if (loc := zip_location(z))}
    if not points:
        return None
    centre = (
        sum(p[0] for p in points.values()) / len(points),
        sum(p[1] for p in points.values()) / len(points),
    )
    nearest = min(points, key=lambda z: (haversine_miles(centre, points[z]), z))
    return Place(nearest, state, f"{name}, {state}", points[nearest])


def city_of(zip_code: str) -> str | None:
    """Return "City, ST" for a ZIP code, or None."""
    return _cities()[1].get(zip_code)


def _state_at(words: list[str], end: int) -> list[tuple[str, int]]:
    """Return each (state code, words it takes) that ends just before ``end``."""
    out = []
    for size in (3, 2, 1):
        if end - size < 1:  # a city must come before the state
            continue
        span = " ".join(words[end - size : end]).casefold().rstrip(".")
        if span in _STATE_NAMES:
            out.append((_STATE_NAMES[span], size))
        elif size == 1 and span.upper() in v.STATES:
            out.append((span.upper(), 1))
    return out


def _city_names(words: list[str]) -> list[str]:
    """Return a city as typed and with "St."/"Ft."/"Mt." spelled out as the data spells them."""
    typed = " ".join(words)
    spelled = " ".join(_SPELLED_OUT.get(w.casefold(), w) for w in words)
    return [typed] if spelled == typed else [typed, spelled]


def _trim(words: list[str]) -> str:
    while words and words[-1].casefold().strip(",") in _DANGLING:
        words.pop()
    while words and words[0].casefold().strip(",") in _DANGLING:
        words.pop(0)
    return " ".join(words).strip(" ,")


def find_place(text: str) -> PlaceText:
    """Read a ZIP code, a "City, ST" or "city state name" (the latest in the text), and
    "near me" out of search text; everything else stays as the words to search."""
    near_me = bool(_NEAR_ME.search(text))
    text = _NEAR_ME.sub(" ", text)
    for found in _ZIP.finditer(text):
        located = zip_location(found.group(1))
        if located is not None:
            zip_code = found.group(1)
            rest = (text[: found.start()] + " " + text[found.end() :]).split()
            city = city_of(zip_code)
            label = f"{zip_code} ({city})" if city else zip_code
            at_zip = Place(zip_code, located[0], label, located[1:])
            return PlaceText(_trim(rest), at_zip, near_me)
    words = text.replace(",", " ").split()
    # Latest first: "DBT Columbus, OH", then "Columbus OH DBT".
    for end in range(len(words), 1, -1):
        for code, size in _state_at(words, end):
            before = words[: end - size]
            for city_size in range(min(_LONGEST_CITY, len(before)), 0, -1):
                for name in _city_names(before[-city_size:]):
                    place = city_place(name, code)
                    if place is not None:
                        rest = before[:-city_size] + words[end:]
                        return PlaceText(_trim(rest), place, near_me)
    return PlaceText(" ".join(text.split()), None, near_me)
