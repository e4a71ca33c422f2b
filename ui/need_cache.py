"""Caching wrappers for the housing-need pages (library code stays free of streamlit)."""

from __future__ import annotations

import streamlit as st


@st.cache_data(show_spinner=False, ttl=3600, max_entries=256)
def mark_outlines(db: str, focus: str | None) -> tuple[list, str]:
    """Boundary outlines around ``focus`` for the mark map (``db`` keys the cache)."""
    from geo.need_maps import focus_bounds, outlines
    from ui.resources import cursor

    cur = cursor()
    try:
        return outlines(cur, focus_bounds(cur, focus))
    finally:
        cur.close()
