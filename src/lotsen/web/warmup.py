"""Process tuning of a web worker: its thread pool, what it loads before its first
request, and what it computes in the background (run from the app's lifespan)."""

from __future__ import annotations

import gc
import logging
import threading

import anyio.to_thread
from sqlalchemy import Engine

from lotsen.services import region_figures, taxonomy
from lotsen.services.access import SYSTEM
from lotsen.taxonomy import load_municipality_geometry
from lotsen.web import region_map
from lotsen.web.templating import templates

# Sync handlers run on this many threads per worker; store/db.py's PostgreSQL pool
# holds as many connections, so no request waits for a connection its thread lacks.
# More threads would not run more Python at once (one GIL per worker).
THREADS = 20
log = logging.getLogger(__name__)
MAIN_TEMPLATES = ("base.html", "start.html", "list.html", "error.html",
                  "account_login.html", "account_need_form.html")
_frozen = False


def warm_up(engine: Engine) -> threading.Thread:
    """Before a worker takes its first request: the thread pool, the taxonomy and its
    search index (with the database's synonyms), the map geometry and the templates —
    what every page needs and whose cost does not grow with the region's data.

    The region figures (aggregates, outlook: the gap report and scenario bands behind the
    start page) grow with the data — about 150 s at 100,000 more needs and people — so
    they are computed on a background thread and the worker serves at once; a start
    page asked for before they are ready says "beräknas…" for each figure missing and
    shows it on reload (``Cache.ready``). Returns that thread (tests join it)."""
    anyio.to_thread.current_default_thread_limiter().total_tokens = THREADS
    taxonomy.search_index(engine)
    load_municipality_geometry()
    for name in MAIN_TEMPLATES:
        templates.get_template(name)
    thread = threading.Thread(target=_figures, args=(engine,), name="lotsen-warm-up",
                              daemon=True)
    thread.start()
    return thread


def _figures(engine: Engine) -> None:
    """The start page's region figures, then ``gc.freeze``: the taxonomy and index are
    hundreds of thousands of long-lived objects, and a full collection walking them
    paused a worker ~150 ms."""
    global _frozen
    try:  # quickest first: every page asks whether the data is synthetic
        region_figures.shows_synthetic_data(engine, actor=SYSTEM)
        region_figures.region_summary(engine, actor=SYSTEM)
        region = region_figures.region_aggregates(engine, actor=SYSTEM)
        region_map.render_svg(region["open_by_municipality"], region["tenant_municipalities"],
                              "personer efterfrågas")
        region_figures.region_outlook(engine, actor=SYSTEM)
    except Exception:  # a warm-up failure must not take the worker down; pages retry
        log.exception("warm-up of the region figures failed; the start page computes them")
    if not _frozen:
        gc.collect()
        gc.freeze()
        _frozen = True
