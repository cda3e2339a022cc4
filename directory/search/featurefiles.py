"""Match features on disk beside each index generation, and as one process reads them.

A rebuild writes ``<generation>/features/base-0/`` (one ``.npy`` file per array, mapped
read-only by every worker, so the pages are shared) and ``overlay.pkl``, which names its base
and holds the rows drains changed since. A drain updates the overlay under the index's write
lock, in step with the documents; past ``MERGE_ROWS`` changed rows it writes a new base with
them folded in. A process re-reads the overlay only when its file changed.
"""

from __future__ import annotations

import os
import pickle
import shutil
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from directory.core.features import CARD_VERSION, FeatureRow, FeatureSet
from directory.core.featureview import Features

FOLDER = "features"
OVERLAY = "overlay.pkl"
# Past this many changed or deleted rows, a drain folds the overlay into a new base.
MERGE_ROWS = 1000


def problems(generation: Path, versions: dict[int, int]) -> list[str]:
    """Return how the generation's features disagree with its documents' versions."""
    folder = generation / FOLDER
    try:
        overlay = _read_overlay(folder)
        features = Features(FeatureSet.load(folder / overlay.base), overlay.rows.values(),
                            overlay.deleted)  # fmt: skip
    except (OSError, ValueError, EOFError, pickle.UnpicklingError, AttributeError) as exc:
        return [f"the match features cannot be read: {exc!r}"]
    found = features.versions()
    if found == versions:
        return []
    differ = sorted(set(found) ^ set(versions) | {k for k in found if versions.get(k) != found[k]})
    return [f"the match features of {len(differ)} practitioners differ from the index "
            f"(first: {differ[:5]})"]  # fmt: skip


@dataclass
class Overlay:
    """The rows changed since ``base`` was written, and the practitioners removed since."""

    base: str
    rows: dict[int, FeatureRow]
    deleted: set[int]
    # Which shape of profile the cards were packed from (features.CARD_VERSION).
    version: int = CARD_VERSION


def _write_overlay(folder: Path, overlay: Overlay) -> None:
    tmp = folder / f"{OVERLAY}.tmp"
    tmp.write_bytes(pickle.dumps(overlay, protocol=pickle.HIGHEST_PROTOCOL))
    os.replace(tmp, folder / OVERLAY)


def _read_overlay(folder: Path) -> Overlay:
    # Written by this code into the index folder, as Whoosh pickles its own table of contents.
    found: Overlay = pickle.loads((folder / OVERLAY).read_bytes())  # noqa: S301
    return found


class FeatureChunks:
    """Rows gathered during a build, turned into arrays every ``size`` rows (so a million
    practitioners never sit in memory as Python objects)."""

    def __init__(self, size: int = 10_000):
        self.size = size
        self.rows: list[FeatureRow] = []
        self.chunks: list[FeatureSet] = []

    def add(self, row: FeatureRow) -> None:
        self.rows.append(row)
        if len(self.rows) >= self.size:
            self.chunks.append(FeatureSet.from_rows(self.rows))
            self.rows = []

    def done(self) -> FeatureSet:
        """Return every row gathered, in order."""
        sets = [*self.chunks, FeatureSet.from_rows(self.rows)]
        return sets[0] if len(sets) == 1 else FeatureSet.concat(sets)


def write_base(generation: Path, features: FeatureSet) -> None:
    """Write the features of a new generation (before it is swapped in)."""
    folder = generation / FOLDER
    folder.mkdir()
    features.save(folder / "base-0")
    _write_overlay(folder, Overlay("base-0", {}, set()))


def apply(generation: Path, rows: Iterable[FeatureRow], deleted: Iterable[int]) -> None:
    """Record what a drain wrote to the generation (the caller holds its write lock)."""
    folder = generation / FOLDER
    if not (folder / OVERLAY).is_file():
        return  # built before features were: matching reads the database instead
    overlay = _read_overlay(folder)
    for row in rows:
        overlay.rows[row.pid] = row
        overlay.deleted.discard(row.pid)
    for pid in deleted:
        overlay.rows.pop(pid, None)
        overlay.deleted.add(pid)
    if len(overlay.rows) + len(overlay.deleted) > MERGE_ROWS:
        overlay = _merge(folder, overlay)
    _write_overlay(folder, overlay)


def _merge(folder: Path, overlay: Overlay) -> Overlay:
    base = FeatureSet.load(folder / overlay.base)
    changed = np.array(sorted(set(overlay.rows) | overlay.deleted), dtype=np.int64)
    kept = base.take(np.flatnonzero(~np.isin(base.ids, changed)))
    added = FeatureSet.from_rows([overlay.rows[pid] for pid in sorted(overlay.rows)])
    merged = FeatureSet.concat([kept, added])
    merged = merged.take(np.argsort(merged.ids, kind="stable"))
    name = f"base-{int(overlay.base.split('-')[1]) + 1}"
    shutil.rmtree(folder / name, ignore_errors=True)
    merged.save(folder / name)
    # Keep the base just replaced: another process may be about to map it.
    for child in folder.iterdir():
        if child.is_dir() and child.name not in {name, overlay.base}:
            shutil.rmtree(child, ignore_errors=True)
    return Overlay(name, {}, set(), overlay.version)


_OPEN: dict[Path, tuple[Any, Features]] = {}
_OPEN_LOCK = threading.Lock()


def live_features(generation: Path | None) -> Features | None:
    """Return the features of this generation as they stand, or None if it has none.

    The base stays mapped; the overlay is read again only when its file changed.
    """
    if generation is None:
        return None
    folder = generation / FOLDER
    for _ in range(3):
        try:
            stat = os.stat(folder / OVERLAY)
        except FileNotFoundError:
            return None
        key = (stat.st_ino, stat.st_mtime_ns, stat.st_size)
        with _OPEN_LOCK:
            known = _OPEN.get(generation)
            if known is not None and known[0] == key:
                return known[1]
        try:
            overlay = _read_overlay(folder)
            if overlay.version != CARD_VERSION:
                return None  # written by another version: `directory reindex` writes them anew
            base = FeatureSet.load(folder / overlay.base)
        except FileNotFoundError:
            continue  # a merge replaced them meanwhile: read the new ones
        except (OSError, ValueError, EOFError, pickle.UnpicklingError, AttributeError):
            return None  # damaged: matching reads the database; `verify` reports it
        features = Features(base, overlay.rows.values(), overlay.deleted)
        with _OPEN_LOCK:
            for path in [p for p in _OPEN if not p.exists()]:
                del _OPEN[path]  # generations removed since
            _OPEN[generation] = (key, features)
        return features
    return None
