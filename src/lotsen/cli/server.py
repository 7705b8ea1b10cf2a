"""`lotsen serve`: the web app on the configured database."""

from __future__ import annotations

import sys

import typer

from lotsen.auth.sessions import DEFAULT_SECRET
from lotsen.settings import get_settings

LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})


def serve(
    host: str = typer.Option(None, help="Address to listen on (default LOTSEN_HOST)."),
    port: int = typer.Option(None, help="Port (default LOTSEN_PORT)."),
) -> None:
    """Serve the web app and the API on LOTSEN_DATABASE_URL."""
    from lotsen.web.server import serve as run

    settings = get_settings()
    host = host or settings.host
    server_run = host not in LOCAL_HOSTS or not settings.database_url.startswith("sqlite")
    if settings.secret_key == DEFAULT_SECRET and server_run:
        # A per-process random key would log users out on every restart and break
        # sessions across workers; a shared server must be configured, not guessed.
        typer.echo("LOTSEN_SECRET_KEY saknas: sätt en lång slumpmässig nyckel innan servern "
                   "startas (se docs/settings.md). / LOTSEN_SECRET_KEY is not set: a server "
                   "on PostgreSQL or a non-local address refuses to start without it.", err=True)
        sys.exit(2)
    run(host, port or settings.port)


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)
