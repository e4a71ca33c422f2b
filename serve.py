"""The server: Streamlit's pages (``app.py``) and the HTTP routes beside them, one process.

Started with ``streamlit run serve.py`` (``make run``). The process that serves the pages owns
the DuckDB file, so every HTTP route (field app, sessions, OGC API, tiles) is served here and
shares its connection (``data.store.process_connection``). Each package that serves HTTP
exposes ``routes()``, a list of Starlette routes: thin glue over the same library code the
pages call.
"""

from __future__ import annotations

import streamlit as st

from ui.errors import on_script_error

ROUTES: list = []

# an uncaught exception shows a reference, never a traceback (ui.errors)
app = st.App("app.py", routes=ROUTES, on_script_error=on_script_error)
