"""Caching wrappers for the planning pages (library code stays free of streamlit).

The priority candidates depend on the data, the grouping, the area and the search radius,
never on the weights: they are kept so moving a slider only re-scores. Every figure here
is keyed by the records' version (``analysis.records_version``, asked at most every 5 s),
so an import or a decision made here, on another app server or by the command line shows
within seconds; a minute's time limit stays behind it for writes that stamp nothing.
"""

from __future__ import annotations

import streamlit as st

from data.settings import db_path


@st.cache_data(show_spinner=False, ttl=5, max_entries=8)
def _version(db: str) -> tuple:
    from analysis.records_version import records_version
    from ui.resources import cursor

    with cursor() as cur:
        return records_version(cur)


@st.cache_data(show_spinner=False, ttl=60, max_entries=32)
def _candidates(db: str, version: tuple, grouping: str, within: str | None, search_km: float):
    from analysis.priorities import candidates
    from ui.resources import cursor

    with cursor() as cur:
        return candidates(cur, grouping, within=within, search_km=search_km)


def priority_candidates(grouping: str, within: str | None, distance_km: float):
    """``analysis.priorities.candidates`` for this database and records' version."""
    from analysis.priorities import SEARCH_KM

    db = str(db_path())
    return _candidates(db, _version(db), grouping, within, max(SEARCH_KM, float(distance_km)))


@st.cache_data(show_spinner=False, ttl=60, max_entries=32)
def _comparison(db: str, version: tuple, grouping: str, level: str, keys: tuple[str, ...]):
    from analysis.dashboard import comparison
    from ui.resources import cursor

    with cursor() as cur:
        return comparison(cur, grouping, level, keys)


def area_comparison(grouping: str, level: str, keys: tuple[str, ...]):
    """``analysis.dashboard.comparison`` for this database and records' version."""
    db = str(db_path())
    return _comparison(db, _version(db), grouping, level, tuple(keys))


@st.cache_data(show_spinner=False, ttl=60, max_entries=16)
def _progress(db: str, version: tuple, grouping: str):
    from analysis.targets import list_targets, progress
    from ui.resources import cursor

    with cursor() as cur:
        targets = list_targets(cur)
        return targets, progress(cur, grouping, targets)


def target_progress(grouping: str):
    """(targets, progress frame) for this database and records' version;
    ``forget_targets`` drops the cache after a planner adds one."""
    db = str(db_path())
    return _progress(db, _version(db), grouping)


def forget_targets() -> None:
    _version.clear()
    _progress.clear()
