"""The one cache of the services: values kept in this process, each with a stated
staleness and explicit invalidation.

A :class:`Cache` answers ``get(key, compute, stamp)``:

- ``stamp`` is what the value was computed from (a database fingerprint, a write
  generation). A value with another stamp is never served: the caller waits for the
  new one.
- ``max_age`` is how long a value is served as it is. After that one thread
  recomputes while the others keep getting the old value, so a slow figure never
  makes a queue. One key is computed by one thread at a time; other keys meanwhile
  are not held up.
- ``ready(key, compute, stamp)`` does not wait for a first computation: the value
  when it is held, else None while a background thread computes it (a page shows
  "beräknas…" and fills in on reload).
- ``max_entries`` bounds the cache (least recently used go first).
- ``topics``: the invalidation topics that empty it (services/invalidation.py), and
  ``invalidate()`` does the same by hand.

Every cache is registered by name in ``CACHES`` so docs/architecture.md (and a test)
can list them with their staleness.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy import Engine

from lotsen.services import invalidation
from lotsen.services.invalidation import Topic

log = logging.getLogger(__name__)
# Background computations still running, so that shutdown and tests can wait for them
# instead of pulling their database away underneath them.
_running: set[threading.Thread] = set()
_running_lock = threading.Lock()
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
        self._lock = threading.Lock()  # guards _entries and _busy
        self._busy: set[K] = set()  # keys a thread is computing now
        self._done = threading.Condition(self._lock)
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

    def claim(self, key: K, wait: bool = True) -> bool:
        """Become the one thread computing ``key`` (waiting for another one to finish
        when ``wait``, else False at once); :meth:`release` ends the claim."""
        with self._done:
            while key in self._busy:
                if not wait:
                    return False
                self._done.wait()
            self._busy.add(key)
            return True

    def release(self, key: K) -> None:
        with self._done:
            self._busy.discard(key)
            self._done.notify_all()

    def _held(self, key: K, stamp: Hashable) -> _Entry[V] | None:
        with self._lock:
            entry = self._entries.get(key)
        return entry if entry is not None and entry.stamp == stamp else None

    def get(self, key: K, compute: Callable[[], V], stamp: Hashable = None) -> V:
        """The value for ``key`` computed from ``stamp``: held, or ``compute()`` now."""
        entry = self._held(key, stamp)
        if entry is not None and self._fresh(entry):
            return entry.value
        if not self.claim(key, wait=entry is None):
            assert entry is not None
            return entry.value  # another thread recomputes: the old value meanwhile
        try:
            entry = self._held(key, stamp)
            if entry is not None and self._fresh(entry):
                return entry.value
            value = compute()
            self.put(key, value, stamp)
            return value
        finally:
            self.release(key)

    def ready(self, key: K, compute: Callable[[], V], stamp: Hashable = None) -> V | None:
        """The value for ``key`` when one computed from ``stamp`` is held (an old one
        too, recomputed in the background); when nothing is held for ``key`` at all (a
        process that just started), None at once while a background thread computes
        it. A value of an older stamp (after a write) is recomputed here as by
        :meth:`get`: that is a quick figure's case, and its readers want the new value.
        For pages that must answer without waiting for a slow figure."""
        with self._lock:
            anything = key in self._entries
        if anything and self._held(key, stamp) is None:
            return self.get(key, compute, stamp)
        entry = self._held(key, stamp)
        if entry is None or not self._fresh(entry):
            self._compute_in_background(key, compute, stamp)
        return None if entry is None else entry.value

    def _compute_in_background(self, key: K, compute: Callable[[], V], stamp: Hashable) -> None:
        if not self.claim(key, wait=False):
            return  # another thread is computing it already

        def run() -> None:
            try:
                entry = self._held(key, stamp)
                if entry is None or not self._fresh(entry):
                    self.put(key, compute(), stamp)
            except Exception:  # nobody waits for this thread; the next ready() tries again
                log.exception("computing %s in the background failed", self.name)
            finally:
                self.release(key)
                with _running_lock:
                    _running.discard(threading.current_thread())

        thread = threading.Thread(target=run, name=f"lotsen-{self.name}", daemon=True)
        with _running_lock:
            _running.add(thread)
        thread.start()

    def invalidate(self, key: K | None = None) -> None:
        """Drop ``key`` (every key when None): the next ``get`` computes anew."""
        with self._lock:
            if key is None:
                self._entries.clear()
            else:
                self._entries.pop(key, None)

    def _forget_all(self, _engine: Engine) -> None:
        self.invalidate()


def wait_for_background(timeout: float) -> bool:
    """Wait up to ``timeout`` seconds in all for the background computations started so
    far; False when one still runs (it is a daemon thread: it dies with the process)."""
    deadline = time.monotonic() + timeout
    with _running_lock:
        threads = list(_running)
    for thread in threads:
        thread.join(max(0.0, deadline - time.monotonic()))
    return not any(thread.is_alive() for thread in threads)


CACHES: dict[str, Cache[Any, Any]] = {}
