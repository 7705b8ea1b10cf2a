"""Process tuning of a web worker: its thread pool, and what it loads and freezes
before its first request (run from the app's lifespan)."""

from __future__ import annotations

import gc

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
MAIN_TEMPLATES = ("base.html", "start.html", "list.html", "error.html",
                  "account_login.html", "account_need_form.html")
_frozen = False


def warm_up(engine: Engine) -> None:
    """Before a worker takes its first request: load the taxonomy, the search index (with
    the database's synonyms), the map geometry, the region figures and the templates, so
    the first users do not wait for them; then move all of it out of the garbage
    collector's sight (``gc.freeze``): the taxonomy and index are hundreds of thousands
    of long-lived objects, and a full collection walking them paused a worker ~150 ms."""
    global _frozen
    anyio.to_thread.current_default_thread_limiter().total_tokens = THREADS
    taxonomy.search_index(engine)
    load_municipality_geometry()
    region = region_figures.region_aggregates(engine, actor=SYSTEM)
    region_map.render_svg(region["open_by_municipality"], region["tenant_municipalities"],
                          "personer efterfrågas")
    region_figures.region_outlook(engine, actor=SYSTEM)
    region_figures.region_summary(engine)
    region_figures.shows_synthetic_data(engine)
    for name in MAIN_TEMPLATES:
        templates.get_template(name)
    if not _frozen:
        gc.collect()
        gc.freeze()
        _frozen = True
