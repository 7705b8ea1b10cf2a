"""A live web app on a free port and Debian's Chromium driven by Playwright.

Never downloads a browser: Chromium comes from apt (`.ci/run` installs it). Without
it these tests skip locally, and fail in CI where LOTSEN_REQUIRE_BROWSER=1.
"""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
import uvicorn

from lotsen.web.app import create_app

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class LiveServer:
    def __init__(self, database_url: str) -> None:
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.app = create_app(database_url)
        config = uvicorn.Config(self.app, host="127.0.0.1", port=self.port,
                                log_level="warning")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> LiveServer:
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("the web app did not start within 20 s")
            time.sleep(0.05)
        # The start page says "beräknas…" until the warm-up's figures are in; the
        # browser tests check the figures themselves.
        self.app.state.warm_up.join(timeout=300)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


@pytest.fixture(scope="session")
def live_server(demo_sqlite_url: str) -> Iterator[LiveServer]:
    with LiveServer(demo_sqlite_url) as server:
        yield server


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not os.path.exists(CHROMIUM):
        if os.environ.get("LOTSEN_REQUIRE_BROWSER") == "1":
            pytest.fail(f"Chromium not found at {CHROMIUM}: apt-get install chromium")
        pytest.skip("Debian chromium is not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def page(browser: Any, live_server: LiveServer) -> Iterator[Any]:
    context = browser.new_context(base_url=live_server.url, locale="sv-SE")
    tab = context.new_page()
    tab.set_default_timeout(10_000)
    # expect() keeps its own 5 s default; a login redirect on a loaded 2-core machine
    # took longer than that, so the assertions get the same patience as the actions.
    from playwright.sync_api import expect

    expect.set_options(timeout=10_000)
    yield tab
    context.close()
