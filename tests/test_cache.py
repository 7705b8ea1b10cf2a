"""The services' one cache: a value per stamp, a bound, explicit invalidation by topic."""

from __future__ import annotations

import threading
from pathlib import Path

from sqlalchemy import create_engine

from lotsen.services import invalidation
from lotsen.services.cache import CACHES, Cache, wait_for_background
from lotsen.services.invalidation import Topic


def test_a_value_is_computed_once_per_stamp() -> None:
    calls: list[int] = []
    cache: Cache[str, int] = Cache("test stamps", max_entries=4)

    def compute() -> int:
        calls.append(1)
        return len(calls)

    assert cache.get("a", compute, stamp=1) == 1
    assert cache.get("a", compute, stamp=1) == 1  # held
    assert cache.get("a", compute, stamp=2) == 2  # the source changed: computed anew
    cache.invalidate("a")
    assert cache.get("a", compute, stamp=2) == 3


def test_shutdown_can_wait_for_a_background_computation() -> None:
    """``ready`` answers at once and computes on a thread; ``wait_for_background`` lets
    shutdown (and the tests' database reset) wait for that thread instead of dropping
    the database under it."""
    release = threading.Event()
    cache: Cache[str, int] = Cache("test background")
    assert cache.ready("k", lambda: 7 if release.wait(10) else 0) is None
    assert not wait_for_background(0.05)  # still computing
    release.set()
    assert wait_for_background(10)
    assert cache.ready("k", lambda: 0) == 7


def test_the_least_recently_used_go_first() -> None:
    cache: Cache[int, int] = Cache("test bound", max_entries=2)
    for key in (1, 2, 3):
        cache.put(key, key)
    assert cache.peek(1) is None and cache.peek(2) == 2 and cache.peek(3) == 3


def test_a_topic_empties_the_caches_that_hold_it() -> None:
    cache: Cache[str, int] = Cache("test topic", topics=(Topic.SAVED_SCENARIOS,))
    cache.put("bands", 1)
    invalidation.changed(Topic.SAVED_SCENARIOS, create_engine("sqlite://"))
    assert cache.peek("bands") is None


def test_every_service_cache_states_its_staleness() -> None:
    import lotsen.services.local_concepts  # noqa: F401 - registers its cache
    import lotsen.services.region_figures  # noqa: F401
    import lotsen.services.scenarios  # noqa: F401

    named = {name: cache for name, cache in CACHES.items() if not name.startswith("test ")}
    assert {"region figures", "region outlook", "scenario bands", "scenario results",
            "local concept indexes"} <= set(named)
    assert all(cache.staleness for cache in named.values())


# Run in a fresh interpreter: other tests in this process have created web apps.
_LISTENERS_AFTER_IMPORT = """
import importlib, inspect, pkgutil
import lotsen
from sqlalchemy import Engine, event
from sqlalchemy.orm import Session, SessionEvents
from sqlalchemy.events import ConnectionEvents

functions = []
for info in pkgutil.walk_packages(lotsen.__path__, "lotsen."):
    if ".migrations" in info.name:
        continue
    module = importlib.import_module(info.name)
    functions += [f for _, f in inspect.getmembers(module, inspect.isfunction)
                  if f.__module__ == info.name]

def registered():
    found = set()
    for target, events in ((Session, SessionEvents), (Engine, ConnectionEvents)):
        names = [n for n in dir(events) if not n.startswith("_") and n != "dispatch"]
        found |= {(n, f.__qualname__) for n in names for f in functions
                  if event.contains(target, n, f)}
    return found

print(len(functions), sorted(registered()))
from lotsen.services import region_figures
region_figures.track_writes()
region_figures.track_writes()
print(sorted(registered()))
"""


def test_importing_any_module_registers_no_sqlalchemy_listener() -> None:
    """Listeners on every Session are process-wide state: the region figures' write
    tracking is registered when the web app is created, never as a side effect of an
    import (every module of the package is imported here)."""
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "-c", _LISTENERS_AFTER_IMPORT], check=True,
                         capture_output=True, text=True, timeout=300).stdout.splitlines()
    count, after_import = out[0].split(" ", 1)
    assert int(count) > 500 and after_import == "[]"
    assert out[1] == str(sorted([("after_commit", "_forget_figures"),
                                 ("after_flush", "_note_flush"),
                                 ("after_rollback", "_drop_mark"),
                                 ("do_orm_execute", "_note_statement")]))


def test_the_web_app_tracks_writes_for_the_region_figures(tmp_path: Path) -> None:
    from sqlalchemy import event
    from sqlalchemy.orm import Session

    from lotsen.services import region_figures
    from lotsen.web.app import create_app

    for name, listener in region_figures._LISTENERS:  # as in a process that just started
        if event.contains(Session, name, listener):
            event.remove(Session, name, listener)
    create_app(f"sqlite:///{tmp_path / 'lotsen.db'}")
    assert all(event.contains(Session, name, listener)
               for name, listener in region_figures._LISTENERS)
