"""Opening a generation of the Whoosh index, and saying plainly when it cannot be read."""

from __future__ import annotations

import pickle
import struct
import zlib
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any, cast

from whoosh import index
from whoosh.filedb.filestore import FileStorage
from whoosh.index import FileIndex


class IndexUnavailable(RuntimeError):
    """The search index is missing or cannot be read (while being built, or damaged).

    ``reason`` says why in words fit for a visitor (no paths); the message, for the log,
    says where.
    """

    def __init__(self, message: str, reason: str = "it has not been built yet"):
        super().__init__(message)
        self.reason = reason


# What reading a damaged Whoosh generation raises (a truncated table of contents is a pickle
# cut short; a truncated segment cannot be mapped or decompressed).
READ_DAMAGE = (OSError, EOFError, struct.error, zlib.error, pickle.UnpicklingError)
DAMAGE = (*READ_DAMAGE, ValueError, index.EmptyIndexError)
DAMAGED = "it is damaged and is being rebuilt from the database"


class _Storage(FileStorage):
    """A generation's folder that closes the files a failed open left open.

    Whoosh opens files as it reads a table of contents or a segment, and leaves them to the
    garbage collector when what it reads is damaged.
    """

    def __init__(self, path: str):
        super().__init__(path)
        self._opened: list[Any] | None = None

    def open_file(self, name: str, **kwargs: Any) -> Any:
        f = super().open_file(name, **kwargs)
        if self._opened is not None:
            self._opened.append(f)
        return f

    @contextmanager
    def closing_on_damage(self) -> Iterator[None]:
        self._opened = []
        try:
            yield
        except BaseException:
            for f in self._opened:
                with suppress(Exception):
                    f.close()
            raise
        finally:
            self._opened = None


def _guarded(storage: _Storage, verb: str, folder: Path, opening: Any) -> Any:
    """Call ``opening``; if what it reads is damaged, close what it left open and say so."""
    try:
        with storage.closing_on_damage():
            return opening()
    except DAMAGE as exc:
        message = f"cannot {verb} the search index in {folder}: {exc!r}"
        raise IndexUnavailable(message, DAMAGED) from exc


def _open_dir(folder: Path) -> FileIndex:
    storage = _Storage(str(folder))
    found: FileIndex = _guarded(storage, "read", folder, storage.open_index)
    return found


def _open_searcher(folder: Path) -> Any:
    ix = _open_dir(folder)
    return _guarded(cast(_Storage, ix.storage), "open", folder, ix.searcher)


__all__ = ["DAMAGE", "DAMAGED", "READ_DAMAGE", "IndexUnavailable"]
