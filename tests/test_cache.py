"""The services' one cache: a value per stamp, a bound, explicit invalidation by topic."""

from __future__ import annotations

from sqlalchemy import create_engine

from lotsen.services import invalidation
from lotsen.services.cache import CACHES, Cache
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
