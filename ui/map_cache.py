"""Caching wrappers for the map page (library code stays free of streamlit).

A rerun of the same view (a widget elsewhere changed, the language stayed) reuses the
built choropleth map; maps with layers are rebuilt every run because layer rows (need
reports, say) change while people work.
"""

from __future__ import annotations

import streamlit as st

from data.settings import db_path


@st.cache_resource(show_spinner=False, max_entries=48)
def _choropleth_map(
    db: str, build_id: str | None, view, indicator: str, method: str, lang: str, basemap: str
):
    from geo.mapping import build_map
    from ui.resources import cursor

    cur = cursor()
    try:
        return build_map(cur, view, indicator, method=method, lang=lang, basemap=basemap)
    finally:
        cur.close()


def map_for(
    view, indicator: str, method: str, lang: str, layer_keys: tuple[str, ...], user, basemap: str
):
    """The built map of ``view`` (cached when no layer is switched on)."""
    from geo.mapping import build_map
    from geo.simplify import shapes_build_id
    from ui.resources import cursor

    cur = cursor()
    try:
        if not layer_keys:
            return _choropleth_map(
                str(db_path()), shapes_build_id(cur), view, indicator, method, lang, basemap
            )
        return build_map(
            cur,
            view,
            indicator,
            method=method,
            lang=lang,
            layer_keys=layer_keys,
            user=user,
            basemap=basemap,
        )
    finally:
        cur.close()
