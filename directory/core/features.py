"""What the matching engine knows of each practitioner, as columns built with the index.

Each practitioner is one row of date-independent columns (fees, formats, languages, training,
location...) and a few *epochs*: the stretches of days over which what changes by the calendar
alone stays the same (where they may see clients, whether "accepting" still counts, the
guide's checklist). An epoch ends the day a license or authority lapses, a compact state begins
issuing, or an "accepting" confirmation turns 90 days old (``authority.lapses_on``), so a
request on any day picks the epoch that holds it and never needs the database.

A ``FeatureSet`` is those arrays for many rows: built in memory from ``feature_row``s, saved as
``.npy`` files beside an index generation and mapped read-only by every worker
(``directory.search.featurefiles``). Pure: no Flask, no SQLAlchemy.
"""

from __future__ import annotations

import os
import pickle
import weakref
import zlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, fields
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from directory.core import vocabulary as v
from directory.core.authority import authorities_by_state, lapses_on
from directory.core.checklist import evaluate
from directory.core.compacts import Compacts
from directory.core.identities import load_identities
from directory.core.profile import ACCEPTING_UNKNOWN_DAYS, Profile

Array = NDArray[Any]
GENDERS = ("woman", "man", "non_binary")
APPROACH_KEYS = tuple(sorted(v.APPROACHES))
# A training level's position: 0 for "not offered", then the vocabulary's order.
LEVELS: tuple[str | None, ...] = (None, *v.TRAINING_LEVELS)
STATE_INDEX = {code: i for i, code in enumerate(sorted(v.STATES))}
# Paces from gentle to brisk: their distance apart is how far one is from the other.
PACES_ORDER = tuple(v.PACES)
_BIT_ORDERS: dict[int, dict[str, int]] = {}
# A row's epochs stop after this many changes; past its last one the row counts nowhere until
# `directory refresh` recomputes it (no real profile comes near: each change is an expiry).
MAX_EPOCHS = 24
FOREVER = date.max.toordinal()

# Column name -> numpy type: what does not change by the calendar. Small types keep 100,000
# practitioners to a few megabytes.
COLUMNS: dict[str, type[np.generic]] = {
    "id": np.int64, "version": np.int64,
    "in_person": np.uint8, "telehealth": np.uint8, "office_state": np.int16,
    "lat": np.float64, "lon": np.float64, "accepting": np.uint8, "languages": np.int64,
    "fee": np.int32, "lowest_fee": np.int32, "sliding_min": np.int32, "insurance": np.int64,
    "approaches": np.int64, "style": np.int8, "concerns": np.int64, "neglect": np.uint8,
    "communities": np.int64, "gender": np.uint8,
    "lgbtq": np.uint8, "evenings": np.uint8, "weekends": np.uint8,
    "free_consultation": np.uint8, "progress": np.int64, "collaborative": np.uint8,
    # 0 where the profile doesn't say; else the position in PACES_ORDER + 1, and weeks.
    "pace": np.int8, "course_weeks": np.int16, "frequencies": np.int64,
    "accommodations": np.int64,
}  # fmt: skip
# What holds for one epoch: its first and last day (ordinals), the checklist, whether
# "accepting" is unconfirmed in 90 days, a verified license, and per state (bit i is
# STATE_INDEX's state i): any authority; any unsupervised one; any that allows in-person
# sessions; any unsupervised one that does.
EPOCH_COLUMNS: dict[str, type[np.generic]] = {
    "from": np.int32, "until": np.int32, "met": np.int16, "total": np.int16,
    "accepting_unknown": np.uint8, "verified": np.uint8,
    "any_auth": np.uint64, "unsupervised": np.uint64, "in_person_auth": np.uint64,
    "in_person_unsupervised": np.uint64,
}  # fmt: skip
AUTHORITY_COLUMNS = ("any_auth", "unsupervised", "in_person_auth", "in_person_unsupervised")
# Texts, and (last) the whole profile as a result card shows it: compressed, pickled.
TEXTS = ("name_key", "slug", "background", "faith", "card")
# Cards written by another version of the profile's fields are never read.
CARD_VERSION = zlib.crc32(" ".join(f.name for f in fields(Profile)).encode())


def bits(keys: Iterable[str], vocabulary: Mapping[str, object]) -> int:
    """Return the bitmask of these vocabulary keys (bit i is the i-th key in sorted order)."""
    order = _BIT_ORDERS.get(id(vocabulary))
    if order is None:
        order = _BIT_ORDERS[id(vocabulary)] = {k: 1 << i for i, k in enumerate(sorted(vocabulary))}
    return sum(order[k] for k in set(keys) if k in order)


def genders_of(gender_identity: str, pronouns: str) -> int:
    """Return the bitmask of the questionnaire's genders a practitioner's own words name:
    by phrase ("transgender woman", "genderqueer") or by the pronouns they list ("they/them")."""
    vocabulary = load_identities()["genders"]
    named = vocabulary.meanings(gender_identity) | vocabulary.by_pronouns(pronouns)
    return sum(1 << i for i, key in enumerate(GENDERS) if key in named)


@dataclass(frozen=True)
class FeatureRow:
    """One practitioner's features: columns, training levels, texts and epochs."""

    values: tuple[Any, ...]  # in COLUMNS' order
    levels: tuple[int, ...]  # in APPROACH_KEYS' order
    texts: tuple[str | bytes, ...]  # in TEXTS' order (the card is bytes)
    epochs: tuple[tuple[Any, ...], ...]  # each in EPOCH_COLUMNS' order

    @property
    def pid(self) -> int:
        return int(self.values[0])


def _licenses_on(profile: Profile, day: date) -> tuple[tuple[bool, bool], ...]:
    # The guide's checklist depends on the day only through its licenses' standing (the
    # engine's day-shift test checks every score against a checklist made on the day).
    return tuple((lic.is_verified(day), lic.is_expired(day)) for lic in profile.licenses)


def _epoch(
    profile: Profile, day: date, compacts: Compacts, checklists: dict[Any, Any]
) -> tuple[Any, ...]:
    """Return what holds on ``day`` (EPOCH_COLUMNS without the first and last day)."""
    flags = [0, 0, 0, 0]
    for state, auths in authorities_by_state(profile, day, compacts).items():
        bit = 1 << STATE_INDEX[state] if state in STATE_INDEX else 0
        for a in auths:
            flags[0] |= bit
            flags[1] |= bit * (not a.supervised)
            flags[2] |= bit * (not a.telehealth_only)
            flags[3] |= bit * (not a.telehealth_only and not a.supervised)
    standing = _licenses_on(profile, day)
    checklist = checklists.get(standing)
    if checklist is None:
        checklist = checklists[standing] = evaluate(profile, day)
    unknown = profile.accepting_new_clients and not profile.accepting_known(day)
    return (checklist.met, checklist.total, unknown, profile.has_verified_license(day), *flags)


def _last_day(profile: Profile, day: date, compacts: Compacts) -> int:
    """Return the last day (ordinal) on which what holds on ``day`` still holds."""
    lapses = lapses_on(profile, day, compacts)
    last = lapses.toordinal() if lapses else FOREVER
    confirmed = profile.accepting_confirmed_on
    if confirmed is not None and profile.accepting_known(day):
        last = min(last, confirmed.toordinal() + ACCEPTING_UNKNOWN_DAYS)
    return max(last, day.toordinal())


def epochs_of(profile: Profile, start: date, compacts: Compacts) -> tuple[tuple[Any, ...], ...]:
    """Return the profile's epochs from ``start`` on (the first also covers earlier days)."""
    found: list[list[Any]] = []
    checklists: dict[Any, Any] = {}
    day = start
    while True:
        held = _epoch(profile, day, compacts, checklists)
        last = _last_day(profile, day, compacts)
        if found and tuple(found[-1][2:]) == held:
            found[-1][1] = last  # nothing the engine reads changed: one epoch
        else:
            found.append([0 if not found else day.toordinal(), last, *held])
        if last >= FOREVER - 1 or len(found) >= MAX_EPOCHS:
            break
        day = date.fromordinal(last + 1)
    return tuple(tuple(epoch) for epoch in found)


def feature_row(
    pid: int,
    version: int,
    slug: str,
    profile: Profile,
    location: tuple[float, float] | None,
    start: date,
    compacts: Compacts,
) -> FeatureRow:
    """Return a practitioner's features from ``start`` on."""
    offered = dict(profile.approaches)
    values = {
        "id": pid,
        "version": version,
        "in_person": profile.in_person,
        "telehealth": profile.telehealth,
        "office_state": STATE_INDEX.get(profile.state, -1),
        "lat": location[0] if location else np.nan,
        "lon": location[1] if location else np.nan,
        "accepting": profile.accepting_new_clients,
        "languages": bits(profile.languages, v.LANGUAGES),
        "fee": profile.fee,
        "lowest_fee": profile.lowest_fee,
        "sliding_min": -1 if profile.sliding_scale_min is None else profile.sliding_scale_min,
        "insurance": bits(profile.insurance, v.INSURANCE_PLANS),
        "approaches": bits(offered, v.APPROACHES),
        "style": profile.style,
        "concerns": bits(profile.concerns, v.CONCERNS),
        "neglect": profile.neglect_experience,
        "communities": bits(profile.communities, v.COMMUNITIES),
        "gender": genders_of(profile.gender_identity, profile.pronouns),
        "lgbtq": bool(profile.lgbtq),
        "evenings": profile.evening_hours,
        "weekends": profile.weekend_hours,
        "free_consultation": profile.free_consultation,
        "progress": bits(profile.progress_tracking, v.PROGRESS_METHODS),
        "collaborative": profile.collaborative_goals,
        "pace": PACES_ORDER.index(profile.pace) + 1 if profile.pace in v.PACES else 0,
        "course_weeks": profile.typical_course_weeks or 0,
        "frequencies": bits(profile.session_frequencies, v.SESSION_FREQUENCIES),
        "accommodations": bits(profile.accommodations, v.ACCOMMODATIONS),
    }
    return FeatureRow(
        values=tuple(values[name] for name in COLUMNS),
        levels=tuple(LEVELS.index(offered.get(k)) for k in APPROACH_KEYS),
        texts=(
            profile.name.casefold(),
            slug,
            profile.cultural_background,
            profile.faith,
            card_of(profile),
        ),
        epochs=epochs_of(profile, start, compacts),
    )


class FeatureSet:
    """Features of many practitioners as arrays (in memory, or mapped from files).

    Epochs are stored one after another, row by row: row ``i``'s are ``starts[i]`` to
    ``starts[i + 1]``. Texts are UTF-8 bytes end to end, with offsets the same way.
    """

    def __init__(self, arrays: Mapping[str, Array]):
        self.arrays = dict(arrays)
        self.count = len(self.arrays["starts"]) - 1
        self.columns = {name: self.arrays[f"c.{name}"] for name in COLUMNS}
        self.epochs = {name: self.arrays[f"e.{name}"] for name in EPOCH_COLUMNS}
        self.levels = self.arrays["levels"]
        self.starts = self.arrays["starts"]
        self._ids: Array | None = None
        # Texts read from their saved file (an open file and where its data begins) rather
        # than through the mapping: cards are read a few at a time from anywhere in the file,
        # and the mapped pages each read leaves (with the pages around them) would stay in
        # every worker's memory.
        self.files: dict[str, tuple[Any, int]] = {}

    @classmethod
    def from_rows(cls, rows: Sequence[FeatureRow]) -> FeatureSet:
        """Return the arrays of these rows, in the order given."""
        arrays: dict[str, Array] = {}
        columns = list(zip(*(r.values for r in rows), strict=True)) or [()] * len(COLUMNS)
        for (name, kind), values in zip(COLUMNS.items(), columns, strict=True):
            arrays[f"c.{name}"] = np.array(values, dtype=kind)
        flat = [e for r in rows for e in r.epochs]
        epoch_columns = list(zip(*flat, strict=True)) or [()] * len(EPOCH_COLUMNS)
        for (name, kind), values in zip(EPOCH_COLUMNS.items(), epoch_columns, strict=True):
            arrays[f"e.{name}"] = np.array(values, dtype=kind)
        counts = [len(r.epochs) for r in rows]
        arrays["starts"] = np.concatenate(([0], np.cumsum(counts, dtype=np.int64)))
        arrays["levels"] = np.array([r.levels for r in rows], dtype=np.uint8).reshape(
            len(rows), len(APPROACH_KEYS)
        )
        for i, name in enumerate(TEXTS):
            encoded = [_bytes(r.texts[i]) for r in rows]
            lengths = [len(b) for b in encoded]
            arrays[f"t.{name}"] = np.frombuffer(b"".join(encoded), dtype=np.uint8).copy()
            arrays[f"o.{name}"] = np.concatenate(([0], np.cumsum(lengths, dtype=np.int64)))
        return cls(arrays)

    @classmethod
    def concat(cls, parts: Sequence[FeatureSet]) -> FeatureSet:
        """Return these sets' rows one after another."""
        arrays = {}
        for key in parts[0].arrays:
            if key == "starts" or key.startswith("o."):
                shifted, base = [np.zeros(1, dtype=np.int64)], 0
                for p in parts:
                    shifted.append(np.asarray(p.arrays[key][1:]) + base)
                    base += int(p.arrays[key][-1])
                arrays[key] = np.concatenate(shifted)
            else:
                arrays[key] = np.concatenate([np.asarray(p.arrays[key]) for p in parts])
        return cls(arrays)

    def take(self, rows: Array) -> FeatureSet:
        """Return the set of these rows only, in this order."""
        arrays = {f"c.{name}": np.asarray(col[rows]) for name, col in self.columns.items()}
        arrays["levels"] = np.asarray(self.levels[rows])
        pick, counts = _spans(self.starts, rows)
        for name, col in self.epochs.items():
            arrays[f"e.{name}"] = np.asarray(col[pick])
        arrays["starts"] = np.concatenate(([0], np.cumsum(counts)))
        for name in TEXTS:
            pick, counts = _spans(self.arrays[f"o.{name}"], rows)
            arrays[f"t.{name}"] = np.asarray(self.arrays[f"t.{name}"][pick])
            arrays[f"o.{name}"] = np.concatenate(([0], np.cumsum(counts)))
        return FeatureSet(arrays)

    @property
    def ids(self) -> Array:
        """Return each row's practitioner id."""
        if self._ids is None:
            self._ids = np.asarray(self.columns["id"])
        return self._ids

    def raw(self, name: str, row: int) -> bytes:
        """Return one row's text as bytes."""
        offsets = self.arrays[f"o.{name}"]
        start, end = int(offsets[row]), int(offsets[row + 1])
        saved = self.files.get(name)
        if saved is not None:
            file, data = saved
            found: bytes = os.pread(file.fileno(), end - start, data + start)
            return found
        return bytes(self.arrays[f"t.{name}"][start:end])

    def text(self, name: str, row: int) -> str:
        """Return one row's text."""
        return self.raw(name, row).decode("utf-8")

    def profile(self, row: int) -> Profile:
        """Return one row's profile, as its result card shows it."""
        found: Profile = pickle.loads(zlib.decompress(self.raw("card", row)))  # noqa: S301
        return found

    def epoch_on(self, day: date) -> Array:
        """Return each row's epoch (an index into the epoch columns) on ``day``; -1 where the
        row's epochs end before it."""
        ordinal = day.toordinal()
        starts = np.asarray(self.starts)
        found = np.full(self.count, -1, dtype=np.int64)
        counts = np.diff(starts)
        begins, ends = self.epochs["from"], self.epochs["until"]
        for k in range(int(counts.max(initial=0))):
            rows = np.flatnonzero(counts > k)
            at = starts[rows] + k
            holds = (begins[at] <= ordinal) & (ends[at] >= ordinal)
            found[rows[holds]] = at[holds]
        return found

    def save(self, folder: Path) -> None:
        """Write every array as a ``.npy`` file in ``folder`` (which must not exist yet)."""
        tmp = folder.with_name(folder.name + ".tmp")
        tmp.mkdir(parents=True)
        for key, array in self.arrays.items():
            np.save(tmp / f"{key}.npy", np.ascontiguousarray(array))
        tmp.rename(folder)

    @classmethod
    def load(cls, folder: Path) -> FeatureSet:
        """Map a saved set read-only: every worker shares the same pages."""
        if not folder.is_dir():
            raise FileNotFoundError(f"no match features in {folder}")
        arrays = {p.stem: np.load(p, mmap_mode="r") for p in folder.glob("*.npy")}
        missing = _NAMES - set(arrays)
        if missing:
            raise ValueError(f"the match features in {folder} lack {sorted(missing)}")
        # Plain views of the mapped pages (indexing a memmap object is slow).
        loaded = cls({k: np.asarray(a) for k, a in arrays.items()})
        card = arrays["t.card"]
        if isinstance(card, np.memmap) and card.filename:
            file = open(card.filename, "rb", buffering=0)
            loaded.files["card"] = (file, card.offset)
            weakref.finalize(loaded, file.close)  # closed with the set
        return loaded


_NAMES = {
    "starts", "levels", *(f"c.{n}" for n in COLUMNS), *(f"e.{n}" for n in EPOCH_COLUMNS),
    *(f"{kind}.{n}" for kind in "to" for n in TEXTS),
}  # fmt: skip


def card_of(profile: Profile) -> bytes:
    """Return the profile packed for its row (written by this code, beside the index)."""
    return zlib.compress(pickle.dumps(profile, protocol=pickle.HIGHEST_PROTOCOL), 1)


def _bytes(text: str | bytes) -> bytes:
    return text if isinstance(text, bytes) else text.encode("utf-8")


def _spans(offsets: Array, rows: Array) -> tuple[Array, Array]:
    """Return the positions of these rows' spans in a packed array, and each span's length."""
    offsets = np.asarray(offsets)
    begins, ends = offsets[rows], offsets[np.asarray(rows) + 1]
    counts = (ends - begins).astype(np.int64)
    if counts.sum() == 0:
        return np.zeros(0, dtype=np.int64), counts
    steps = np.ones(int(counts.sum()), dtype=np.int64)
    heads = np.concatenate(([0], np.cumsum(counts)[:-1]))
    nonempty = counts > 0
    steps[heads[nonempty]] = begins[nonempty]
    steps[heads[nonempty][1:]] -= ends[nonempty][:-1] - 1
    return np.cumsum(steps), counts


def empty() -> FeatureSet:
    """Return a set of no rows."""
    return FeatureSet.from_rows([])
