"""Cached resources for the pages: one database connection per process, one cursor per run.

The app process owns the database file; pages take a cursor with ``cursor()`` and write
inside ``data.store.transaction``. Caching wrappers live here and nowhere else.
"""

from __future__ import annotations

import threading

import streamlit as st

from data.settings import db_path


def connection():
    """The process's one connection (shared with the HTTP routes in ``serve.py``)."""
    from data.store import process_connection

    return process_connection(db_path())


def cursor():
    """A cursor of the shared connection, for this script run."""
    return connection().cursor()


def store_problem() -> tuple[str, str] | None:
    """Why the pages cannot work yet, as (Thai, English), or None when the store is ready:
    the file is held by another process, written by newer code, or has no boundaries."""
    from data.errors import PhangError

    try:
        cur = cursor()
    except PhangError as exc:
        return exc.message_th or exc.message, exc.message
    try:
        tambons = cur.execute("SELECT count(*) FROM tambon").fetchone()[0]
    finally:
        cur.close()
    if tambons == 0:
        return (
            f"ฐานข้อมูล {db_path()} ยังไม่มีขอบเขตการปกครอง "
            "สร้างด้วยคำสั่ง `make run` หรือ `python -m data build --demo` แล้วเปิดหน้านี้ใหม่",
            f"The database {db_path()} holds no boundaries yet. Build it with `make run` or "
            "`python -m data build --demo`, then reload this page.",
        )
    return None


@st.cache_data(show_spinner=False, ttl=5, max_entries=8)
def boundaries_build(db: str) -> str | None:
    """The id of the latest boundary (map-shape) build, asked at most every 5 s: what is
    derived from the boundaries is kept while it stays the same, so a rebuild made by the
    command line or through another app server shows here within seconds, no restart."""
    from geo.simplify import shapes_build_id

    with cursor() as cur:
        return shapes_build_id(cur)


@st.cache_resource(show_spinner=False, max_entries=2)
def _gazetteer(db: str, build: str | None):
    from boundaries.gazetteer_store import load_gazetteer

    with cursor() as cur:
        return load_gazetteer(cur, store=True)


def gazetteer():
    """The place-name matcher of this database's boundaries (the stored copy, loaded once
    per boundary build)."""
    db = str(db_path())
    return _gazetteer(db, boundaries_build(db))


_lock = threading.Lock()


@st.cache_data(show_spinner=False, max_entries=8)
def _groupings(db: str, fingerprint: tuple) -> list[dict]:
    from boundaries.groupings import list_groupings

    with cursor() as cur:
        return list_groupings(cur)


@st.cache_data(show_spinner=False, ttl=2, max_entries=8)
def _groupings_fingerprint(db: str) -> tuple:
    from boundaries.groupings import groupings_fingerprint

    with cursor() as cur:
        return groupings_fingerprint(cur)


def groupings() -> list[dict]:
    """The stored groupings, kept while the grouping tables' fingerprint is unchanged: a
    grouping stored through another app server shows here at the next page run. The
    fingerprint (one small query) is itself reused for 2 s, so the several calls of one
    page run ask the database once."""
    db = str(db_path())
    return _groupings(db, _groupings_fingerprint(db))


def forget_groupings() -> None:
    """After a grouping is stored here: show it at once."""
    _groupings_fingerprint.clear()
    _groupings.clear()


def current_grouping() -> str:
    """The grouping chosen in the sidebar (or the URL), else the default one."""
    names = [g["name"] for g in groupings()]
    chosen = st.session_state.get("grouping") or st.query_params.get("grouping")
    if chosen not in names:
        chosen = names[0] if names else None
    st.session_state["grouping"] = chosen
    return chosen
