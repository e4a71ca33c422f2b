"""Caching wrappers for the housing-need pages (library code stays free of streamlit)."""

from __future__ import annotations

import streamlit as st


@st.cache_data(show_spinner=False, ttl=3600, max_entries=256)
def _outlines(db: str, build: str | None, focus: str | None) -> tuple[list, str]:
    from geo.need_maps import focus_bounds, outlines
    from ui.resources import cursor

    with cursor() as cur:
        return outlines(cur, focus_bounds(cur, focus))


def mark_outlines(focus: str | None) -> tuple[list, str]:
    """Boundary outlines around ``focus`` for the mark map, kept per database and boundary
    build (a rebuild shows within seconds)."""
    from data.settings import db_path
    from ui.resources import boundaries_build

    db = str(db_path())
    return _outlines(db, boundaries_build(db), focus)
