"""Serve the web app with uvicorn."""

from __future__ import annotations

import uvicorn

from lotsen.web.app import create_app


def serve(host: str, port: int) -> None:
    print(f"Lotsen körs på http://{host}:{port}  (avsluta med Ctrl+C)")
    # The app decides whom to believe about client addresses (LOTSEN_TRUSTED_PROXIES,
    # web/security.py); uvicorn's own default would trust X-Forwarded-For from 127.0.0.1.
    uvicorn.run(create_app(), host=host, port=port, log_level="warning", proxy_headers=False)
