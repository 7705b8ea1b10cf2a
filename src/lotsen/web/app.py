"""Build the ASGI app: pages, API, static files, and error translation."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import anyio.to_thread
import plotly
from fastapi import Depends, FastAPI
from fastapi.responses import FileResponse
from fastapi.staticfiles import StaticFiles

from lotsen import __version__
from lotsen.api import ads as ads_api
from lotsen.api import imports as imports_api
from lotsen.api import matching as matching_api
from lotsen.api import profiles as profiles_api
from lotsen.api import regional as regional_api
from lotsen.api import validations as validations_api
from lotsen.api.accounts import router as accounts_api_router
from lotsen.api.routes import router as api_router
from lotsen.services import cache, region_figures
from lotsen.services.database import connect
from lotsen.web import accounts as account_pages
from lotsen.web import ads as ads_pages
from lotsen.web import error_pages, pages, security, warmup
from lotsen.web import imports as import_pages
from lotsen.web import lists as list_pages
from lotsen.web import matching as matching_pages
from lotsen.web import people as people_pages
from lotsen.web import profiles as profile_pages
from lotsen.web import regional as regional_pages
from lotsen.web import scenarios as scenario_pages
from lotsen.web import titles as title_pages
from lotsen.web.boundary import BoundaryMiddleware, check_body
from lotsen.web.navigation import guard

STATIC = Path(__file__).parent / "static"
PLOTLY_JS = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
SHUTDOWN_WAIT_SECONDS = 10.0
log = logging.getLogger(__name__)


@asynccontextmanager
async def _warm_up(app: FastAPI) -> AsyncIterator[None]:
    # Taxonomy, index, templates before requests; the region figures in the background.
    app.state.warm_up = warmup.warm_up(app.state.engine)
    yield
    # A figure still computing holds database connections: let it finish (briefly)
    # rather than dispose of the pool under it.
    await anyio.to_thread.run_sync(app.state.warm_up.join, SHUTDOWN_WAIT_SECONDS)
    if not await anyio.to_thread.run_sync(cache.wait_for_background, SHUTDOWN_WAIT_SECONDS):
        log.warning("a background figure was still computing at shutdown")


def create_app(database_url: str | None = None) -> FastAPI:
    app = FastAPI(
        title="Lotsen API",
        version=__version__,
        description="Regional kompetensförsörjning på JobTech-taxonomin.",
        openapi_url="/api/v1/openapi.json",
        # The stock /docs page loads its JavaScript from a CDN; Lotsen runs offline.
        docs_url=None,
        redoc_url=None,
        lifespan=_warm_up,
        # Bodies with a NUL or a lone surrogate: refused before any route (web/boundary.py).
        dependencies=[Depends(check_body)],
    )
    app.state.engine = connect(database_url)
    region_figures.track_writes()  # the start page's figures follow this process's writes

    @app.get("/static/plotly.min.js", include_in_schema=False)
    def plotly_js() -> FileResponse:
        # Charts render offline: plotly's JavaScript ships inside the plotly wheel.
        return FileResponse(PLOTLY_JS, media_type="application/javascript")

    pages_guard = [Depends(guard)]  # every browser page: may this role open it?
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.include_router(api_router)
    app.include_router(pages.router, dependencies=pages_guard)
    app.include_router(list_pages.router, dependencies=pages_guard)
    app.include_router(people_pages.router, dependencies=pages_guard)
    app.include_router(accounts_api_router)
    app.include_router(account_pages.router, dependencies=pages_guard)
    app.include_router(imports_api.router)
    app.include_router(validations_api.router)
    app.include_router(import_pages.router, dependencies=pages_guard)
    app.include_router(matching_api.router)
    app.include_router(matching_pages.router, dependencies=pages_guard)
    app.include_router(profiles_api.router)
    app.include_router(profile_pages.router, dependencies=pages_guard)
    app.include_router(ads_api.router)
    app.include_router(ads_pages.router, dependencies=pages_guard)
    app.include_router(title_pages.router, dependencies=pages_guard)
    app.include_router(scenario_pages.router, dependencies=pages_guard)
    app.include_router(regional_api.router)
    app.include_router(regional_pages.router, dependencies=pages_guard)
    security.install(app)

    error_pages.install(app)
    # Outermost: NUL bytes and ids beyond PostgreSQL's integer never reach a route.
    app.add_middleware(BoundaryMiddleware)

    return app
