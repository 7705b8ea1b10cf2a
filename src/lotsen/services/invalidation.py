"""Explicit invalidation: a service that changes something tells a topic, and every
cache that holds a copy of it has subscribed to that topic.

The writer never imports the reader (local concepts do not know the matching
service's people index, saved scenarios do not know the start page's figures), so a
new cache is one ``subscribe`` call and no import cycle. Subscribers run in this
process only; caches shared between processes also check a database stamp.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from enum import Enum

from sqlalchemy import Engine


class Topic(Enum):
    """What changed. Each member says which cached copies go stale."""

    LOCAL_CONCEPTS = "local_concepts"  # anchors of local occupations: the people index
    PEOPLE = "people"  # people, their skills or consents: the people index refreshes them
    SAVED_SCENARIOS = "saved_scenarios"  # the latest saved run: the start page's bands


Forget = Callable[[Engine], None]

_subscribers: dict[Topic, list[Forget]] = {topic: [] for topic in Topic}
_lock = threading.Lock()


def subscribe(topic: Topic, forget: Forget) -> None:
    """Call ``forget(engine)`` whenever ``topic`` changes in the database ``engine``."""
    with _lock:
        if forget not in _subscribers[topic]:
            _subscribers[topic].append(forget)


def changed(topic: Topic, engine: Engine) -> None:
    """``topic`` changed in ``engine``: every cached copy of it is dropped now."""
    with _lock:
        subscribers = list(_subscribers[topic])
    for forget in subscribers:
        forget(engine)
