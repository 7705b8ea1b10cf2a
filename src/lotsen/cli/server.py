"""`lotsen serve`: the web app on the configured database."""

from __future__ import annotations

import typer

from lotsen.settings import get_settings


def serve(
    host: str = typer.Option(None, help="Address to listen on (default LOTSEN_HOST)."),
    port: int = typer.Option(None, help="Port (default LOTSEN_PORT)."),
) -> None:
    """Serve the web app and the API on LOTSEN_DATABASE_URL."""
    from lotsen.web.server import serve as run

    settings = get_settings()
    run(host or settings.host, port or settings.port)


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)
