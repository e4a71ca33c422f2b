"""The gazetteer kept in the database: built once per boundary set, loaded in milliseconds.

Building :class:`boundaries.matcher.Gazetteer` from the boundary tables takes a quarter of a
second of CPU; loading the stored one takes a few hundredths. The stored copy is keyed by a
fingerprint of the names and codes it was built from, so a rebuilt or changed boundary set is
never matched against a stale gazetteer: a mismatch builds afresh (and stores it when the
connection may write). The build stores it as its last step.

The blob is a pickle written by this program into its own database; nothing a user uploads
ever reaches this table.
"""

from __future__ import annotations

import pickle
from typing import Any

from boundaries.matcher import Gazetteer

_FINGERPRINT_SQL = """
SELECT count(*)::VARCHAR || ':' || coalesce(sum(hash(pcode || '|' || coalesce(parent, '') || '|'
       || coalesce(name_th, '') || '|' || coalesce(name_en, ''))), 0)::VARCHAR
FROM (
    SELECT pcode, NULL AS parent, name_th, name_en FROM province
    UNION ALL SELECT pcode, province_pcode, name_th, name_en FROM amphoe
    UNION ALL SELECT pcode, amphoe_pcode, name_th, name_en FROM tambon
)
"""


def fingerprint(con: Any) -> str:
    """A digest of every place's code, parent and names."""
    return con.execute(_FINGERPRINT_SQL).fetchone()[0]


def load_gazetteer(con: Any, *, store: bool = False) -> Gazetteer:
    """The gazetteer of the boundaries in ``con``: the stored copy when it matches them,
    else built from the tables (and stored when ``store`` is true)."""
    print_ = fingerprint(con)
    if _has_store(con):
        # no query parameters: binding them makes duckdb import pandas (a second of start-up)
        for stored_print, blob in con.execute(
            "SELECT fingerprint, data FROM gazetteer_store"
        ).fetchall():
            if stored_print == print_:
                # our own pickle in our own database (see the module's docstring)
                gazetteer = pickle.loads(blob)  # noqa: S301
                if isinstance(gazetteer, Gazetteer):
                    return gazetteer
    gazetteer = Gazetteer.from_connection(con)
    if store and _has_store(con):
        import duckdb

        from data.store import is_conflict, is_constraint

        try:
            save_gazetteer(con, gazetteer, print_)
        except duckdb.Error as exc:  # another server stored the same one at this moment
            if not (is_constraint(exc) or is_conflict(exc)):
                raise
    return gazetteer


def save_gazetteer(con: Any, gazetteer: Gazetteer, print_: str | None = None) -> None:
    """Replace the stored gazetteer with ``gazetteer`` (built from the tables in ``con``)."""
    print_ = print_ or fingerprint(con)
    blob = pickle.dumps(gazetteer.frozen(), protocol=pickle.HIGHEST_PROTOCOL)
    con.execute("DELETE FROM gazetteer_store")
    con.execute(
        "INSERT INTO gazetteer_store (fingerprint, places, data) VALUES (?, ?, ?)",
        [print_, len(gazetteer), blob],
    )


def _has_store(con: Any) -> bool:
    return bool(
        con.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_name = 'gazetteer_store'"
        ).fetchone()[0]
    )
