"""The on-disk index: generations, the searcher pool, rebuilds and locked writes."""

from __future__ import annotations

import fcntl
import logging
import os
import shutil
import threading
import uuid
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from whoosh import index
from whoosh.index import FileIndex, LockError

from directory.core.featureview import Features
from directory.search import featurefiles
from directory.search.changes import ChangeToken
from directory.search.fast import (
    ARRAY_MIN_DOCS,
    build_generation,
    index_folder,
    write_arrays,
)
from directory.search.opening import (
    DAMAGE,
    DAMAGED,
    READ_DAMAGE,
    IndexUnavailable,
    _open_dir,
    _open_searcher,
)
from directory.search.schema import _shape, make_schema
from directory.search.searcher import Searcher

log = logging.getLogger(__name__)

# What a writer's ``produce`` gives: documents to write, ids to delete, and optionally the
# outbox id they bring the index up to.
Batch = tuple[list[dict], list[str]] | tuple[list[dict], list[str], int | None]


# In each generation's folder: the last outbox id applied to it (its read position).
POSITION = "POSITION"


def _write_position(folder: Path, position: int) -> None:
    tmp = folder / f"{POSITION}.tmp"
    tmp.write_text(str(int(position)), encoding="utf-8")
    os.replace(tmp, folder / POSITION)


class SearchIndex:
    """The on-disk index: generations in folders, with a CURRENT file naming the live one."""

    backend = "whoosh"

    def __init__(self, root: str | os.PathLike):
        self.root = Path(root)
        # (generation folder, a Whoosh searcher over it, that searcher's cache)
        self._pool: list[tuple[Path, Any, dict[Any, Any]]] = []
        self._pool_lock = threading.Lock()
        self._write_lock = threading.Lock()
        # When (time.monotonic()) this process last looked for other servers' saves.
        self.followed_at = float("-inf")
        # CURRENT's (inode, modification time, size) when last read, and what it named.
        self._named: tuple[tuple[int, int, int], Path | None] | None = None
        self._pointer = str(self.root / "CURRENT")
        self.changes = ChangeToken(self.root)

    @property
    def pointer(self) -> Path:
        return self.root / "CURRENT"

    def current_dir(self) -> Path | None:
        """Return the folder of the live generation, or None if no index was built yet.

        CURRENT is read again only when its file changed (it is replaced whole, by a rename):
        a search costs one ``stat``. The file is looked at before it is read, so a change
        between the two is seen again on the next call rather than missed.
        """
        try:
            stat = os.stat(self._pointer)
        except FileNotFoundError:
            return None
        key = (stat.st_ino, stat.st_mtime_ns, stat.st_size)
        named = self._named
        if named is not None and named[0] == key:
            return named[1]
        try:
            name = self.pointer.read_text(encoding="utf-8").strip()
        except FileNotFoundError:
            return None
        found = self.root / name if name else None
        # A folder rebuilt by hand has a new CHANGES file: map that one. (Replaced, not
        # closed: another thread may be reading the old mapping.)
        self.changes = ChangeToken(self.root)
        self._named = (key, found)
        return found

    def features(self) -> Features | None:
        """Return the live generation's match features as they stand, or None without them."""
        return featurefiles.live_features(self.current_dir())

    def health(self) -> str | None:
        """Return why searches cannot be answered now (in words for a visitor), or None."""
        try:
            with self.searching():
                return None
        except IndexUnavailable as exc:
            return exc.reason

    def position(self) -> int:
        """Return the last outbox id the live generation has applied (0: none yet)."""
        current = self.current_dir()
        try:
            return int((current / POSITION).read_text(encoding="utf-8")) if current else 0
        except (FileNotFoundError, ValueError):
            return 0

    def exists(self) -> bool:
        """Return whether a live, readable index exists (a damaged one counts as missing)."""
        return self.problem() is None

    def problem(self) -> str | None:
        """Return why the live index cannot be used, or None if its contents can be read."""
        current = self.current_dir()
        if current is None:
            return "no search index has been built"
        if not current.is_dir():
            return f"the live generation {current.name} is missing"
        try:
            _open_dir(current)
        except IndexUnavailable as exc:
            if isinstance(exc.__cause__, index.EmptyIndexError):
                return "the live generation has no table of contents"
            log.warning("the search index in %s cannot be read: %r", current, exc.__cause__)
            kind = type(exc.__cause__).__name__
            return f"the live generation's table of contents cannot be read ({kind})"
        return None

    def is_current(self) -> bool:
        """Return whether the live index has the fields this code expects."""
        return self.exists() and _shape(self.open().schema) == _shape(make_schema())

    def open(self) -> FileIndex:
        """Open the live index."""
        current = self.current_dir()
        if current is None:
            raise IndexUnavailable(f"no search index in {self.root}")
        return _open_dir(current)

    @contextmanager
    def searching(self) -> Iterator[Searcher]:
        """Lend a searcher over the live index, refreshed to the latest commit.

        Whoosh searchers are not thread-safe and cost something to open, so idle ones wait in
        a pool, each request borrows one for its own use, and one is reopened only after the
        index changed. While the change token (``changes``) holds what it held when the files
        were last looked at, they are not looked at again.
        """
        current = self.current_dir()
        if current is None:
            raise IndexUnavailable(f"no search index in {self.root}")
        token = self.changes.read()  # before the files are looked at, never after
        with self._pool_lock:
            entry = self._pool.pop() if self._pool else None
        if entry is not None and entry[0] != current:
            entry[1].close()
            entry = None
        checked = entry[2].get("checked") if entry is not None else None
        if entry is not None and checked is not None and token is not None and checked[0] == token:
            features = checked[1]
        else:
            try:
                if entry is not None and not entry[1].up_to_date():
                    # Reopen rather than refresh(): whoosh3 3.54's refresh() adds the old
                    # reader's segments back to the new ones, so merged-away segments and
                    # deleted documents reappear (duplicates after an update), and it fails
                    # outright when empty.
                    entry[1].close()
                    entry = None
            except DAMAGE as exc:
                raise IndexUnavailable(f"cannot open the search index in {current}: {exc!r}",
                                       DAMAGED) from exc  # fmt: skip
            if entry is None:
                entry = (current, _open_searcher(current), {})
            features = featurefiles.live_features(current)
            entry[2]["checked"] = (token, features)
        try:
            yield Searcher(entry[1], entry[2], features)
        except READ_DAMAGE as exc:
            # A segment that opened but cannot be read through: the generation is damaged.
            # (A searcher that met damage is not lent again.)
            entry[1].close()
            entry = None
            raise IndexUnavailable(f"cannot read the search index in {current}: {exc!r}",
                                   DAMAGED) from exc  # fmt: skip
        finally:
            if entry is not None:
                with self._pool_lock:
                    self._pool.append(entry)

    def close(self) -> None:
        """Close every pooled searcher."""
        with self._pool_lock:
            while self._pool:
                self._pool.pop()[1].close()
        self.changes.close()

    def build(
        self,
        documents: Iterable[dict],
        *,
        hold_live_lock: bool = True,
        expected: int = 0,
        position: Callable[[], int] | None = None,
        finish: Callable[[Path], None] | None = None,
    ) -> int:
        """Build a new generation from ``documents`` beside the live one and swap it in.

        While building, the live index's write lock is held so that no outbox entry is applied
        to the old generation and lost; those entries wait in the outbox for the new one.
        ``expected`` is how many documents will come, if known: from ``PARALLEL_BUILD`` on, a
        second process builds the first half of them. ``position`` gives, once the documents
        are consumed, the outbox id they reflect: the new generation's read position; ``finish``
        writes what else belongs in the generation's folder before it goes live.
        """
        self.root.mkdir(parents=True, exist_ok=True)
        # One rebuild at a time: a second one would lock a generation that is about to be
        # replaced, and a drain into the new one could be lost when it swaps.
        with open(self.root / "REBUILD.lock", "a+") as guard:
            fcntl.flock(guard, fcntl.LOCK_EX)
            try:
                return self._build(documents, hold_live_lock, expected, position, finish)
            finally:
                fcntl.flock(guard, fcntl.LOCK_UN)

    def _build(
        self,
        documents: Iterable[dict],
        hold_live_lock: bool,
        expected: int,
        position: Callable[[], int] | None,
        finish: Callable[[Path], None] | None,
    ) -> int:
        live_lock = None
        if hold_live_lock and self.exists():
            try:
                live_lock = self.open().lock("WRITELOCK")
            except IndexUnavailable:
                live_lock = None  # damaged: nothing can write to it, and it is replaced now
            if live_lock is not None and not live_lock.acquire(blocking=True):
                raise LockError("the live index is locked")
        try:
            name = f"gen-{uuid.uuid4().hex[:12]}"
            target = self.root / name
            target.mkdir()
            ix = index.create_in(str(target), make_schema())
            try:
                count = build_generation(ix, iter(documents), expected)
                _write_position(target, position() if position is not None else 0)
                if finish is not None:
                    finish(target)
            except BaseException:
                shutil.rmtree(target, ignore_errors=True)  # never swapped in: nothing reads it
                raise
            tmp = self.root / f"CURRENT.{name}"
            tmp.write_text(name, encoding="utf-8")
            old = self.current_dir()
            os.replace(tmp, self.pointer)
            self.changes.moved()
            # The generation just replaced is kept a while (see _remove_old); say which.
            (self.root / "PREVIOUS").write_text(old.name if old else "", encoding="utf-8")
        finally:
            if live_lock is not None:
                live_lock.release()
        self._remove_old(keep={name, old.name if old else ""})
        return count

    def remove_orphans(self) -> list[str]:
        """Delete what a killed rebuild left behind (its half-built generation); return names.

        Nothing is touched while a rebuild is under way: its folder is not orphaned.
        """
        if not self.root.is_dir():
            return []
        with open(self.root / "REBUILD.lock", "a+") as guard:
            try:
                fcntl.flock(guard, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                return []
            try:
                current = self.current_dir()
                try:
                    previous = (self.root / "PREVIOUS").read_text(encoding="utf-8").strip()
                except FileNotFoundError:
                    previous = ""
                keep = {current.name if current else "", previous}
                removed = []
                for child in self.root.iterdir():
                    if child.name.startswith("CURRENT."):
                        child.unlink(missing_ok=True)
                        removed.append(child.name)
                    elif (
                        child.is_dir() and child.name.startswith("gen-") and child.name not in keep
                    ):
                        shutil.rmtree(child, ignore_errors=True)
                        removed.append(child.name)
                return removed
            finally:
                fcntl.flock(guard, fcntl.LOCK_UN)

    def _remove_old(self, keep: set[str]) -> None:
        # Keep the generation just replaced: searchers in other processes may still read it
        # until their next refresh. Anything older goes.
        for child in self.root.iterdir():
            if child.is_dir() and child.name.startswith("gen-") and child.name not in keep:
                shutil.rmtree(child, ignore_errors=True)

    def write(self, produce: Callable[[], Batch], wait: float = 2.0) -> bool:
        """Lock the live index, call ``produce`` for documents and deletions, and write them.

        ``produce`` runs while the write lock is held, so what it reads from the database is
        what gets written: two writers can never interleave an older state over a newer one.
        A document whose indexed version is newer than the one offered is left alone as well.
        If ``produce`` also gives an outbox id, it becomes the read position once the
        documents are written (a crash in between replays those rows, which is harmless).
        Returns False, writing nothing, if the lock is not free within ``wait`` seconds.
        """
        if not self._write_lock.acquire(timeout=wait):
            return False
        try:
            ix = self.open()
            try:
                writer = ix.writer(timeout=wait, delay=0.05, compound=False)
            except LockError:
                return False
            try:
                upserts, deletes, *moved = produce()
                features = []  # the match features of the documents written (features.py)
                with ix.searcher() as s:
                    for doc in upserts:
                        stored = s.document(id=doc["id"])
                        row = doc.pop("_features", None)
                        if stored and stored["version"] > doc["version"]:
                            continue
                        writer.update_document(**doc)
                        features += [row] if row is not None else []
                for pid in deletes:
                    writer.delete_by_term("id", pid)
                if upserts or deletes:
                    writer.commit(merge=True)
                    # A merge may have made a big segment: give it arrays for fast searches.
                    write_arrays(Path(index_folder(ix)), min_docs=ARRAY_MIN_DOCS)
                    featurefiles.apply(Path(index_folder(ix)), features, map(int, deletes))
                    self.changes.moved()
                else:
                    writer.cancel()
            except BaseException:
                writer.cancel()
                raise
            if moved and moved[0] is not None:
                _write_position(Path(index_folder(ix)), moved[0])
            return True
        finally:
            self._write_lock.release()

    def apply(self, upserts: list[dict], deletes: list[str], wait: float = 2.0) -> bool:
        """Write these documents and deletions; return False if the index stayed locked."""
        return self.write(lambda: (upserts, deletes), wait)

    def versions(self) -> dict[int, int]:
        """Return the id and version of every document in the live index."""
        with self.searching() as searcher:
            return {int(d["id"]): d["version"] for d in searcher.s.all_stored_fields()}
