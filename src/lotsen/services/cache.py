"""The one cache of the services: values kept in this process, each with a stated
staleness and explicit invalidation.

A :class:`Cache` answers ``get(key, compute, stamp)``:

- ``stamp`` is what the value was computed from (a database fingerprint, a write
  generation). A value with another stamp is never served: the caller waits for the
  new one.
- ``max_age`` is how long a value is served as it is. After that one thread
  recomputes while the others keep getting the old value, so a slow figure never
  makes a queue.
- ``max_entries`` bounds the cache (least recently used go first).
- ``topics``: the invalidation topics that empty it (services/invalidation.py), and
  ``invalidate()`` does the same by hand.

Every cache is registered by name in ``CACHES`` so docs/architecture.md (and a test)
can list them with their staleness.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy import Engine

from lotsen.services import invalidation
from lotsen.services.invalidation import Topic

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


@dataclass
class _Entry(Generic[V]):
    value: V
    stamp: Hashable
    at: float


class Cache(Generic[K, V]):
    """Values per key, each computed once per stamp and served for ``max_age`` seconds."""

    def __init__(self, name: str, *, max_age: float | None = None,
                 max_entries: int | None = None, topics: Iterable[Topic] = (),
                 staleness: str = "") -> None:
        self.name = name
        self.max_age = max_age
        self.max_entries = max_entries
        self.staleness = staleness  # said in words, for the docs
        self._entries: OrderedDict[K, _Entry[V]] = OrderedDict()
        self._lock = threading.Lock()  # guards _entries
        self._computing = threading.Lock()  # one recomputation at a time
        for topic in topics:
            invalidation.subscribe(topic, self._forget_all)
        CACHES[name] = self

    def _fresh(self, entry: _Entry[V]) -> bool:
        return self.max_age is None or time.monotonic() - entry.at < self.max_age

    def peek(self, key: K) -> V | None:
        """The value held for ``key`` whatever its age, or None."""
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                return None
            self._entries.move_to_end(key)
            return entry.value

    def put(self, key: K, value: V, stamp: Hashable = None) -> None:
        with self._lock:
            self._entries[key] = _Entry(value, stamp, time.monotonic())
            self._entries.move_to_end(key)
            while self.max_entries is not None and len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)

    def get(self, key: K, compute: Callable[[], V], stamp: Hashable = None) -> V:
        """The value for ``key`` computed from ``stamp``: held, or ``compute()`` now."""
        with self._lock:
            entry = self._entries.get(key)
        if entry is not None and entry.stamp == stamp and self._fresh(entry):
            return entry.value
        merely_old = entry is not None and entry.stamp == stamp
        if not self._computing.acquire(blocking=not merely_old):
            assert entry is not None
            return entry.value  # another thread recomputes: the old value meanwhile
        try:
            with self._lock:
                entry = self._entries.get(key)
            if entry is not None and entry.stamp == stamp and self._fresh(entry):
                return entry.value
            value = compute()
            self.put(key, value, stamp)
            return value
        finally:
            self._computing.release()

    def invalidate(self, key: K | None = None) -> None:
        """Drop ``key`` (every key when None): the next ``get`` computes anew."""
        with self._lock:
            if key is None:
                self._entries.clear()
            else:
                self._entries.pop(key, None)

    def _forget_all(self, _engine: Engine) -> None:
        self.invalidate()


CACHES: dict[str, Cache[Any, Any]] = {}
