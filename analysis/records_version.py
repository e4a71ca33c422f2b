"""A cheap fingerprint of the records the planning figures are computed from.

The pages and the OGC API keep costly figures (priority candidates, area comparisons,
target progress, indicator tables) in memory. Keyed by this fingerprint, a change made by
another app server or by the command line shows at the next look instead of after a
fixed time: every importer stamps ``imported_at`` on the rows it inserts or updates, a
need report's decision stamps ``updated_at``, and deletions change the counts. A change
that stamps nothing (a hand-written SQL update) is still caught by the callers' time limit.
"""

from __future__ import annotations

import threading
import time

#: (table, the column that every write stamps)
STAMPED = (
    ("community_org", "imported_at"),
    ("tambon_council", "imported_at"),
    ("baan_mankong_project", "imported_at"),
    ("land_case", "imported_at"),
    ("community_plan", "imported_at"),
    ("plan_item", "imported_at"),
    ("person_developed", "imported_at"),
    ("org_assessment", "imported_at"),
    ("need_report", "updated_at"),
    ("plan_target", "created_at"),
    ("grouping", "created_at"),
    ("map_shape_build", "built_at"),
)

_SQL = "SELECT " + ", ".join(
    f"(SELECT count(*) FROM {table}), (SELECT CAST(max({column}) AS VARCHAR) FROM {table})"
    for table, column in STAMPED
)


def records_version(con) -> tuple:
    """(count, latest stamp) of each table in :data:`STAMPED`, as one flat tuple."""
    return tuple(con.execute(_SQL).fetchone())


_recent: dict[str, tuple[float, tuple]] = {}
_lock = threading.Lock()


def store_key(con) -> str:
    """Which database ``con`` reads: the DuckDB file's path, or the attached PostgreSQL
    database's connection string (a key in memory, never shown)."""
    row = con.execute(
        "SELECT database_name || '|' || coalesce(path, '') FROM duckdb_databases() "
        "WHERE database_name = current_database()"
    ).fetchone()
    return row[0] if row else ""


def recent_records_version(con, max_age: float = 5.0) -> tuple:
    """(:func:`store_key`, :func:`records_version`), the version asked again at most every
    ``max_age`` seconds per database; on PostgreSQL one call takes ~0.1 s."""
    key = store_key(con)
    now = time.monotonic()
    with _lock:
        known = _recent.get(key)
    if known is not None and now - known[0] < max_age:
        return key, known[1]
    version = records_version(con)
    with _lock:
        _recent[key] = (now, version)
    return key, version
