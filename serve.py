"""The server: Streamlit's pages (``app.py``) and the HTTP routes beside them, one process.

Started with ``streamlit run serve.py`` (``make run``). The process that serves the pages owns
the DuckDB file, so every HTTP route (field app, sessions, OGC API, tiles) is served here and
shares its connection (``data.store.process_connection``). Each package that serves HTTP
exposes ``routes()``, a list of Starlette routes: thin glue over the same library code the
pages call.
"""

from __future__ import annotations

import streamlit as st

import field
import ogc
import session_routes
import tiles

ROUTES: list = []
ROUTES += session_routes.routes()
ROUTES += field.routes()
ROUTES += ogc.routes()
ROUTES += tiles.routes()

app = st.App("app.py", routes=ROUTES)
