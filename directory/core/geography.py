"""Places: US ZIP codes and great-circle distances, for one point or many at once."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import overload

import numpy as np
import zipcodes
from numpy.typing import NDArray

EARTH_MILES = 3958.8
# ASCII digits only: \d would let other scripts' digits through to zipcodes, which panics.
ZIP_RE = re.compile(r"[0-9]{5}", re.ASCII)

Point = tuple[float, float]
FloatArray = NDArray[np.float64]


def zip_location(zip_code: object) -> tuple[str, float, float] | None:
    """Return (state, latitude, longitude) for a US ZIP code, or None if it does not exist."""
    # Checked before the cache, so only five-digit strings are ever kept in it.
    if not isinstance(zip_code, str) or not ZIP_RE.fullmatch(zip_code):
        return None
    return _lookup(zip_code)


@lru_cache(maxsize=50_000)
def _lookup(zip_code: str) -> tuple[str, float, float] | None:
    try:
        # zipcodes annotates none of its functions.
        found = zipcodes.matching(zip_code)  # type: ignore[no-untyped-call]
    except (TypeError, ValueError):
        return None
    except BaseException as exc:  # zipcodes is written in Rust: a panic is a BaseException
        if isinstance(exc, KeyboardInterrupt | SystemExit):
            raise
        return None
    if not found:
        return None
    z = found[0]
    return str(z["state"]), float(z["lat"]), float(z["long"])


@overload
def miles_from(origin: Point, lats: float, lons: float) -> float: ...
@overload
def miles_from(origin: Point, lats: FloatArray, lons: FloatArray) -> FloatArray: ...
def miles_from(
    origin: Point, lats: float | FloatArray, lons: float | FloatArray
) -> float | FloatArray:
    """Return each point's great-circle distance from ``origin`` in miles (haversine).

    ``lats`` and ``lons`` are one point's coordinates or arrays of many; an array gives NaN
    where a point has no coordinates.
    """
    lat1, lon1 = np.radians(origin[0]), np.radians(origin[1])
    lat2, lon2 = np.radians(lats), np.radians(lons)
    with np.errstate(invalid="ignore"):
        h = (
            np.sin((lat2 - lat1) / 2) ** 2
            + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2
        )
        miles = 2 * EARTH_MILES * np.arcsin(np.sqrt(h))
    if isinstance(lats, np.ndarray) or isinstance(lons, np.ndarray):
        return np.asarray(miles, dtype=np.float64)
    return float(miles)


def haversine_miles(a: Point, b: Point) -> float:
    """Return the great-circle distance between two (lat, lon) points in miles."""
    return miles_from(a, b[0], b[1])


def within_miles(
    origin: Point, lats: FloatArray, lons: FloatArray, miles: float
) -> NDArray[np.bool_]:
    """Return the mask of points within ``miles`` of ``origin`` (no point is outside)."""
    with np.errstate(invalid="ignore"):
        return miles_from(origin, lats, lons) <= miles
