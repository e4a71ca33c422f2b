"""Caching wrappers for the planning pages (library code stays free of streamlit).

The priority candidates depend on the data, the grouping, the area and the search radius,
never on the weights: they are kept for a minute so moving a slider only re-scores.
A minute is short enough that a need report verified elsewhere shows up promptly.
"""

from __future__ import annotations

import streamlit as st

from data.settings import db_path


@st.cache_data(show_spinner=False, ttl=60, max_entries=32)
def _candidates(db: str, grouping: str, within: str | None, search_km: float):
    from analysis.priorities import candidates
    from ui.resources import cursor

    cur = cursor()
    try:
        return candidates(cur, grouping, within=within, search_km=search_km)
    finally:
        cur.close()


def priority_candidates(grouping: str, within: str | None, distance_km: float):
    """``analysis.priorities.candidates`` for this database, cached for 60 s."""
    from analysis.priorities import SEARCH_KM

    return _candidates(str(db_path()), grouping, within, max(SEARCH_KM, float(distance_km)))


@st.cache_data(show_spinner=False, ttl=60, max_entries=32)
def _comparison(db: str, grouping: str, level: str, keys: tuple[str, ...]):
    from analysis.dashboard import comparison
    from ui.resources import cursor

    cur = cursor()
    try:
        return comparison(cur, grouping, level, keys)
    finally:
        cur.close()


def area_comparison(grouping: str, level: str, keys: tuple[str, ...]):
    """``analysis.dashboard.comparison`` for this database, cached for 60 s."""
    return _comparison(str(db_path()), grouping, level, tuple(keys))


@st.cache_data(show_spinner=False, ttl=60, max_entries=16)
def _progress(db: str, grouping: str):
    from analysis.targets import list_targets, progress
    from ui.resources import cursor

    cur = cursor()
    try:
        targets = list_targets(cur)
        return targets, progress(cur, grouping, targets)
    finally:
        cur.close()


def target_progress(grouping: str):
    """(targets, progress frame) for this database, cached for 60 s; ``forget_targets``
    drops the cache after a planner adds one."""
    return _progress(str(db_path()), grouping)


def forget_targets() -> None:
    _progress.clear()
