"""What a server keeps of PostgreSQL searches, for as long as no search document changed."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any


class Kept:
    """What searches found, for as long as the documents stand as they stood (``search_stamp``
    reads the same): a process's memory of recent answers, emptied when the stamp moves on."""

    LIMIT = 256

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._stamp: int | None = None
        self._found: dict[Any, Any] = {}

    def get(self, stamp: int, key: Any, compute: Callable[[], Any]) -> Any:
        with self._lock:
            if stamp != self._stamp:
                self._stamp, self._found = stamp, {}
            if key in self._found:
                return self._found[key]
        value = compute()
        with self._lock:
            if stamp == self._stamp:
                if len(self._found) >= self.LIMIT:
                    del self._found[next(iter(self._found))]
                self._found[key] = value
        return value

    def clear(self) -> None:
        with self._lock:
            self._found = {}
