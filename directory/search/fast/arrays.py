"""Segments read into arrays: posting lists, lengths and columns, cached per process."""

from __future__ import annotations

import json
import logging
import os
import shutil
import threading
import uuid
import zlib
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator
from itertools import chain
from pathlib import Path
from typing import Any

import numpy as np
from whoosh import index
from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.matching.wrappers import WrappingMatcher
from whoosh.reading import TermNotFound

from directory.search.schema import TEXT_FIELDS

log = logging.getLogger(__name__)


class _ArrayCache:
    """What immutable segments hold, read into arrays once per process and kept in LRU order.

    A segment never changes once written (only its deletions do, and those are read per
    searcher), so its posting lists, field lengths and columns stay valid after the index
    changes: after a save, only the new small segment has to be read.
    """

    def __init__(self, budget_bytes: int):
        self.budget = budget_bytes
        self._items: OrderedDict[tuple, object] = OrderedDict()
        self._sizes: dict[tuple, int] = {}
        self._size = 0
        self._lock = threading.Lock()

    def get(self, key: tuple, load: Callable[[], object]):
        with self._lock:
            value = self._items.get(key)
            if value is not None:
                self._items.move_to_end(key)
                return value
        value = load()
        size = (
            sum(a.nbytes for a in value if isinstance(a, np.ndarray))
            if isinstance(value, tuple)
            else getattr(value, "nbytes", 64)
        )
        with self._lock:
            if key not in self._items:
                self._items[key] = value
                self._sizes[key] = size
                self._size += size
            while self._size > self.budget and len(self._items) > 1:
                old, _ = self._items.popitem(last=False)
                self._size -= self._sizes.pop(old)
        return value

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self._sizes.clear()
            self._size = 0


# Shared by every searcher of the process; 96 MB holds the filters, columns and a few hundred
# text terms of a 100,000-practitioner index.
ARRAYS = _ArrayCache(96 * 1024 * 1024)
_EMPTY_IDS = np.zeros(0, dtype=np.int64)
_EMPTY_WEIGHTS = np.zeros(0, dtype=np.float32)


def _segment_key(reader) -> tuple:
    segment = reader.segment()
    folder = getattr(getattr(reader, "_storage", None), "folder", "")
    return (folder, segment.segment_id() if segment is not None else id(reader))


# Fields whose posting lists are written as flat arrays beside each built segment.
ARRAY_FIELDS = (*TEXT_FIELDS, "states", "license", "approach", "concern", "language", "format",
                "insurance", "flags", "access")  # fmt: skip
# A segment written by a drain gets its arrays only once it is this big (a merge made it).
ARRAY_MIN_DOCS = 5000


class _SegmentArrays:
    """A segment's posting lists as flat arrays on disk, mapped into memory.

    Reading a posting list through Whoosh unpickles and decompresses every block (about 30 ms
    for a word in half of 100,000 bios); a slice of a mapped file costs microseconds, and the
    operating system shares the mapped pages between all the workers.
    """

    def __init__(self, folder: Path, doc_count: int):
        raw = (folder / "terms.json").read_bytes()
        spans: dict[str, list[int]] = json.loads(raw)
        # Kept as sorted byte strings and two integer arrays, looked up by bisection: a dict
        # of the decoded JSON held three Python objects a term (5.6 MB a worker at 100,000).
        # UTF-8 bytes sort as their text does.
        terms = sorted((key.encode(), start, count) for key, (start, count) in spans.items())
        del spans
        self.keys = np.array([key for key, _, _ in terms], dtype=bytes)
        self.starts = np.fromiter((start for _, start, _ in terms), np.int64, len(terms))
        self.counts = np.fromiter((count for _, _, count in terms), np.int64, len(terms))
        del terms
        total = int(self.counts.sum())
        _check_files(folder, raw, total, doc_count)
        # An empty file cannot be mapped: a segment without postings keeps empty arrays.
        self.ids: np.ndarray = _EMPTY_IDS
        self.weights: np.ndarray = _EMPTY_WEIGHTS
        if total:
            # Mapped only once checked by reading: the mapping's pages are touched by the
            # searches alone, so a worker holds the posting lists it reads, not every one.
            self.ids = np.memmap(folder / "ids.i32", dtype=np.int32, mode="r", shape=(total,))
            self.weights = np.memmap(
                folder / "weights.f32", dtype=np.float32, mode="r", shape=(total,)
            )

    def get(self, fieldname: str, text: str, weights: bool):
        key = f"{fieldname}\t{text}".encode()
        at = int(np.searchsorted(self.keys, key))
        if at == len(self.keys) or self.keys[at] != key:
            return _EMPTY_IDS, _EMPTY_WEIGHTS if weights else None
        start = int(self.starts[at])
        end = start + int(self.counts[at])
        return self.ids[start:end], self.weights[start:end] if weights else None


def _read_checked(path: Path, dtype: Any, doc_count: int) -> tuple[int, str | None]:
    """Return the CRC of an array file, read in chunks (not through a mapping, so checking
    leaves none of its pages in the process), and what is wrong with its values if anything:
    a document number outside the segment, or a weight that is not a number."""
    crc, problem = 0, None
    with open(path, "rb") as f:
        while chunk := f.read(1 << 20):
            crc = zlib.crc32(chunk, crc)
            values = np.frombuffer(chunk, dtype=dtype)
            if problem or not len(values):
                continue
            if dtype is np.int32 and (values.min() < 0 or values.max() >= doc_count):
                problem = "document numbers outside the segment"
            elif dtype is np.float32 and not np.isfinite(values).all():
                problem = "weights that are not numbers"
    return crc, problem


def _check_files(folder: Path, terms: bytes, total: int, doc_count: int) -> None:
    """Raise ValueError unless a segment's array files are whole, as written, and hold what
    the searches can index with."""
    for name in ("ids.i32", "weights.f32"):
        if (folder / name).stat().st_size != 4 * total:
            raise ValueError(f"{name} is not {total} numbers long")
    ids_crc, ids_problem = _read_checked(folder / "ids.i32", np.int32, doc_count)
    weights_crc, weights_problem = _read_checked(folder / "weights.f32", np.float32, doc_count)
    check_file = folder / "check.json"
    if check_file.exists():
        check = json.loads(check_file.read_text(encoding="utf-8"))
        found = {"terms.json": zlib.crc32(terms), "ids.i32": ids_crc, "weights.f32": weights_crc}
        for name, crc in found.items():
            if check.get(name) != crc:
                raise ValueError(f"{name} does not match its checksum")
    # Written before checksums were, or checked: what the searches index with must fit.
    if ids_problem or weights_problem:
        raise ValueError(ids_problem or weights_problem)


def check_arrays(ix) -> list[str]:
    """Return what is wrong with the arrays of each segment of ``ix`` (nothing if all is well)."""
    problems = []
    with ix.reader() as reader:
        for leaf, _ in reader.leaf_readers():
            folder = _arrays_folder(leaf)
            if folder is not None and (folder / "terms.json").exists():
                try:
                    _SegmentArrays(folder, leaf.doc_count_all())
                except (OSError, ValueError) as exc:
                    problems.append(f"the posting arrays in {folder.name} are damaged: {exc}")
    return problems


_SEGMENT_ARRAYS: dict[tuple, _SegmentArrays | None] = {}
_SEGMENT_ARRAYS_LOCK = threading.Lock()


def _arrays_folder(reader) -> Path | None:
    folder = getattr(getattr(reader, "_storage", None), "folder", None)
    segment = reader.segment()
    if folder is None or segment is None:
        return None
    return Path(folder) / f"arrays-{segment.segment_id()}"


def _segment_arrays(reader) -> _SegmentArrays | None:
    """Return the arrays written beside this segment, or None if it has none."""
    key = _segment_key(reader)
    if key in _SEGMENT_ARRAYS:
        return _SEGMENT_ARRAYS[key]
    # Looked for again each time while missing: a merge may give a segment arrays later.
    folder = _arrays_folder(reader)
    found = None
    if folder is not None and (folder / "terms.json").exists():
        try:
            found = _SegmentArrays(folder, reader.doc_count_all())
        except (OSError, ValueError) as exc:
            # Damaged arrays are only a copy: searches read the segment itself instead (and
            # `flask directory verify` reports them), and the check is not made again.
            log.warning("the posting arrays in %s are damaged (%s); using the index", folder, exc)
        with _SEGMENT_ARRAYS_LOCK:
            # A new generation replaced the old one: let go of the old one's mapped files,
            # which a rebuild deletes (mapped, they would keep taking disk space). A search
            # still reading the old generation keeps its own reference meanwhile.
            for old in [k for k in _SEGMENT_ARRAYS if k[0] != key[0]]:
                _SEGMENT_ARRAYS.pop(old, None)
            _SEGMENT_ARRAYS[key] = found
    return found


def write_arrays(folder: Path, min_docs: int = 0) -> int:
    """Write the posting arrays of each segment in ``folder`` that lacks them.

    Returns how many segments got arrays. Arrays of segments no longer in the index go. Runs
    after every drain, so segments are checked from the table of contents alone; a reader is
    opened only when one needs arrays (after a merge made it big).
    """
    ix = index.open_dir(str(folder))
    segments = ix._segments()
    keep = {f"arrays-{segment.segment_id()}" for segment in segments}
    wanted = {
        segment.segment_id()
        for segment in segments
        if segment.doc_count_all() >= min_docs
        and not (folder / f"arrays-{segment.segment_id()}").exists()
    }
    written = 0
    if wanted:
        with ix.reader() as reader:
            for leaf, _ in reader.leaf_readers():
                target = _arrays_folder(leaf)
                if leaf.segment().segment_id() in wanted and target is not None:
                    _write_segment_arrays(leaf, target)
                    written += 1
    for child in folder.iterdir():
        if child.name.startswith("arrays-") and child.name not in keep:
            shutil.rmtree(child, ignore_errors=True)
    return written


def _write_segment_arrays(leaf, target: Path) -> None:
    def postings() -> Iterator[tuple[str, str, np.ndarray, np.ndarray]]:
        for fieldname in ARRAY_FIELDS:
            for term in leaf.lexicon(fieldname):
                text = term.decode("utf-8") if isinstance(term, bytes) else term
                yield (fieldname, text, *_read_postings(leaf, fieldname, text, True))

    save_arrays(target, postings())


def save_arrays(target: Path, postings: Iterable[tuple[str, str, Any, Any]]) -> None:
    """Write (field, term, document numbers, weights) as a segment's arrays in ``target``."""
    tmp = target.with_name(f".{target.name}-{uuid.uuid4().hex[:8]}")
    tmp.mkdir()
    terms: dict[str, list[int]] = {}
    start = 0
    check = {"ids.i32": 0, "weights.f32": 0}
    with open(tmp / "ids.i32", "wb") as ids_file, open(tmp / "weights.f32", "wb") as w_file:
        for fieldname, text, ids, weights in postings:
            for name, file, data in (("ids.i32", ids_file, np.asarray(ids, dtype=np.int32)),
                                     ("weights.f32", w_file,
                                      np.asarray(weights, dtype=np.float32))):  # fmt: skip
                raw = data.tobytes()
                file.write(raw)
                check[name] = zlib.crc32(raw, check[name])
            terms[f"{fieldname}\t{text}"] = [start, len(ids)]
            start += len(ids)
    encoded = json.dumps(terms).encode("utf-8")
    (tmp / "terms.json").write_bytes(encoded)
    check["terms.json"] = zlib.crc32(encoded)
    (tmp / "check.json").write_text(json.dumps(check), encoding="utf-8")
    try:
        os.rename(tmp, target)
    except OSError:  # another process wrote them first
        shutil.rmtree(tmp, ignore_errors=True)


def _read_postings(reader, fieldname: str, text: str, weights: bool):
    """Return the (document numbers, weights) of one term in one segment, block by block."""
    try:
        matcher = reader.postings(fieldname, text)
    except TermNotFound:
        return _EMPTY_IDS, _EMPTY_WEIGHTS if weights else None
    if isinstance(matcher, WrappingMatcher):
        # Deletions are masked per searcher instead; the wrapper has already stepped its child
        # past any deleted postings at the start, so the child starts again from the top.
        while isinstance(matcher, WrappingMatcher):
            matcher = matcher.child
        matcher.reset()
    id_blocks: list = []
    weight_blocks: list = []
    if isinstance(matcher, W3LeafMatcher):
        # Whole blocks at a time: Whoosh's own walk costs a method call per posting.
        while matcher.is_active():
            matcher._read_ids()
            id_blocks.append(matcher._ids)
            if weights:
                matcher._read_weights()
                weight_blocks.append(matcher._weights)
            if matcher._lastblock:
                break
            matcher._goto(matcher._nextoffset)
    else:
        while matcher.is_active():
            id_blocks.append((matcher.id(),))
            if weights:
                weight_blocks.append((matcher.weight(),))
            matcher.next()
    ids = np.fromiter(chain.from_iterable(id_blocks), dtype=np.int64)
    if not weights:
        return ids, None
    return ids, np.fromiter(chain.from_iterable(weight_blocks), dtype=np.float32)
