"""A small HTTP server for tile tests: the tile routes on a test's own database connection,
plus the app's static files (vendored Leaflet, probe pages) under ``/app/static``.

Runs uvicorn in a thread of the test process, so a test can change its database and see
the tiles follow; the full app (``serve.py``) is what the other browser tests drive.
"""

from __future__ import annotations

import socket
import threading
import time
from contextlib import contextmanager

from starlette.applications import Starlette
from starlette.routing import Mount
from starlette.staticfiles import StaticFiles

from tests.conftest import ROOT


@contextmanager
def tile_server(con):
    """Yield the base URL of a server answering ``/tiles/...`` from ``con``."""
    import uvicorn

    import tiles

    app = Starlette(
        routes=[
            *tiles.routes(connection=lambda: con),
            Mount("/app/static", StaticFiles(directory=ROOT / "static")),
        ]
    )
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.time() + 30
    while not server.started and time.time() < deadline:
        time.sleep(0.05)
    assert server.started, "the tile test server did not start"
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
