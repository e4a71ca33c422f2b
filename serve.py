"""The server: Streamlit's pages (``app.py``) and the HTTP routes beside them, one process.

Started with ``streamlit run serve.py`` (``make run``). The process that serves the pages owns
the DuckDB file, so every HTTP route (field app, sessions, OGC API, tiles) is served here and
shares its connection (``data.store.process_connection``). Each package that serves HTTP
exposes ``routes()``, a list of Starlette routes: thin glue over the same library code the
pages call.
"""

from __future__ import annotations

from contextlib import asynccontextmanager

import streamlit as st

import backup_control
import field
import ogc
import session_routes
import setup_link
import tiles
from ui.errors import on_script_error

ROUTES: list = []
ROUTES += session_routes.routes()
ROUTES += field.routes()
ROUTES += ogc.routes()
ROUTES += tiles.routes()
ROUTES += setup_link.routes()
ROUTES += backup_control.routes()


@asynccontextmanager
async def lifespan(_app):
    setup_link.on_start()  # no administrator yet: a one-time set-up link in the log
    backup_control.on_start(st.config.get_option("server.port"))  # `data backup` via the app
    yield
    backup_control.on_stop()


# an uncaught exception shows a reference, never a traceback (ui.errors)
app = st.App("app.py", routes=ROUTES, on_script_error=on_script_error, lifespan=lifespan)
