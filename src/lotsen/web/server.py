"""Serve the web app with uvicorn."""

from __future__ import annotations

import uvicorn

from lotsen.web.app import create_app


def serve(host: str, port: int) -> None:
    print(f"Lotsen körs på http://{host}:{port}  (avsluta med Ctrl+C)")
    uvicorn.run(create_app(), host=host, port=port, log_level="warning")
