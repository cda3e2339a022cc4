"""A token in shared memory that every change to the live index replaces.

Each process maps ``CHANGES`` (8 bytes in the index folder). Whoever writes the live index
writes fresh random bytes there once the change is on disk; a search that finds the bytes it
saw when it last looked at the files knows they are unchanged without asking the file system
(otherwise a listing of the generation's folder, Whoosh's ``up_to_date()``, and a ``stat`` of
its features: the larger part of browsing a kept page). Random bytes rather than a count: two
processes writing at once can never leave the value a reader already saw. The pointer
(CURRENT) is still looked at on every search, so a folder emptied or replaced by hand is
noticed even though nothing wrote the token.
"""

from __future__ import annotations

import mmap
import os
import threading
from pathlib import Path

SIZE = 8


class ChangeToken:
    """The mapped ``CHANGES`` file of one index folder, mapped on first use."""

    def __init__(self, root: Path):
        self.path = root / "CHANGES"
        self._map: mmap.mmap | None = None
        self._lock = threading.Lock()

    def _mapped(self) -> mmap.mmap | None:
        if self._map is None:
            with self._lock:
                if self._map is None:
                    try:
                        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
                    except OSError:
                        return None  # no folder yet (or read-only): every search looks
                    try:
                        if os.fstat(fd).st_size < SIZE:
                            os.ftruncate(fd, SIZE)
                        self._map = mmap.mmap(fd, SIZE)
                    finally:
                        os.close(fd)
        return self._map

    def read(self) -> bytes | None:
        """Return the token as it stands, or None if it cannot be mapped."""
        mapped = self._mapped()
        try:
            return mapped[:SIZE] if mapped is not None else None
        except ValueError:  # closed meanwhile (the index is closing): look at the files
            return None

    def moved(self) -> None:
        """Say that the live index changed (call once the change is on disk).

        Written through the file, not this object's mapping, which another thread may be
        closing; every process's mapping shows the same page.
        """
        try:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError:
            return  # no folder: nothing can have mapped it
        try:
            os.pwrite(fd, os.urandom(SIZE), 0)
        finally:
            os.close(fd)

    def close(self) -> None:
        with self._lock:
            if self._map is not None:
                self._map.close()
                self._map = None
