"""Serialized GetContacts answers, shared by every book and bounded in entries and bytes.

Books with the same flavour, seed and size give the same bytes, so their answers are encoded
once. The newest answer is always kept, even alone over the byte budget, so that one huge book
still answers from memory; older ones are evicted, least recently used first.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Final

# (flavour, seed, size, count, group): count None means every contact of the selection.
BodyKey = tuple[str, int, int, int | None, bool | None]

DEFAULT_MAX_ENTRIES: Final = 64
# About three 100k-contact WhatsApp answers.
DEFAULT_MAX_BYTES: Final = 32 * 1024 * 1024


class BodyCache:
    """A thread-safe LRU of answer bodies (a test may read a book while a server thread serves)."""

    def __init__(
        self, max_entries: int = DEFAULT_MAX_ENTRIES, max_bytes: int = DEFAULT_MAX_BYTES
    ) -> None:
        if max_entries < 1 or max_bytes < 0:
            raise ValueError("a body cache needs max_entries >= 1 and max_bytes >= 0")
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self._bodies: OrderedDict[BodyKey, bytes] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._bodies)

    @property
    def nbytes(self) -> int:
        """Bytes held by the cached bodies."""
        return self._bytes

    def get(self, key: BodyKey) -> bytes | None:
        with self._lock:
            body = self._bodies.get(key)
            if body is not None:
                self._bodies.move_to_end(key)
            return body

    def put(self, key: BodyKey, body: bytes) -> None:
        with self._lock:
            old = self._bodies.pop(key, None)
            if old is not None:
                self._bytes -= len(old)
            self._bodies[key] = body
            self._bytes += len(body)
            while len(self._bodies) > 1 and (
                len(self._bodies) > self.max_entries or self._bytes > self.max_bytes
            ):
                _, evicted = self._bodies.popitem(last=False)
                self._bytes -= len(evicted)

    def clear(self) -> None:
        with self._lock:
            self._bodies.clear()
            self._bytes = 0


BODIES: Final = BodyCache()
