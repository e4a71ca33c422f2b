"""Writing an import: the batch row, the quarantined rows and the good rows, in one
transaction (:func:`write_outcomes`); records are inserted or updated by
``(source, source_id)`` in SQL (:func:`upsert`, :func:`upsert_frame`,
:func:`upsert_staged`), a changed record's previous values kept in ``record_history``.

Split from :mod:`data.importers.core`, which re-exports every name here.
"""

from __future__ import annotations

import datetime as dt
import json

import numpy as np
import pandas as pd
import shapely

from data.importers.columns import column_types
from data.importers.fields import TABLES
from data.importers.registry import SPECS
from data.importers.report import ImportReport, RowOutcome, _refusal
from data.store import next_id, transaction


def _audit(con, actor, action, table, record_id, before, after) -> None:
    try:
        from data.audit import record
    except ImportError:
        return
    record(con, actor or "system", action, table, record_id, before, after)


def finish_batch(
    con,
    report: ImportReport,
    batch_id: int,
    actor,
    *,
    leave_out: tuple[str, ...] = ("refused", "repairs", "fuzzy_places"),
) -> None:
    """Close import batch ``batch_id``: its status, counts and summary (the report less
    ``leave_out``) on the batch row, and one audit entry with the counts."""
    summary = {k: v for k, v in report.to_dict().items() if k not in leave_out}
    con.execute(
        "UPDATE import_batch SET status = ?, inserted = ?, updated = ?, unchanged = ?, "
        "quarantined = ?, finished_at = current_timestamp, summary = ? WHERE id = ?",
        [
            report.status,
            report.inserted,
            report.updated,
            report.unchanged,
            report.quarantined,
            json.dumps(summary, ensure_ascii=False, default=str),
            batch_id,
        ],
    )
    _audit(
        con,
        actor,
        "import",
        "import_batch",
        batch_id,
        None,
        {
            "file": report.file,
            "source": report.source,
            "status": report.status,
            "inserted": report.inserted,
            "updated": report.updated,
            "unchanged": report.unchanged,
            "quarantined": report.quarantined,
        },
    )


def write_outcomes(
    con,
    kind: str,
    outcomes: list[RowOutcome],
    report: ImportReport,
    *,
    file_sha256: str | None = None,
    actor: str | None = None,
    batch_mode: str | None = None,
) -> ImportReport:
    """Store checked rows per the report's mode, in one transaction; fill in the report."""
    good = [o for o in outcomes if o.values is not None]
    bad = [o for o in outcomes if o.values is None]
    all_or_nothing = report.mode == "all_or_nothing"
    store = good if not (all_or_nothing and bad) else []
    report.status = "committed" if not bad else ("refused" if all_or_nothing else "partial")
    report.quarantined = len(bad)
    report.refused = [_refusal(o) for o in bad]
    report.repairs = [{"row": o.row_number, "repairs": o.repairs} for o in outcomes if o.repairs]
    report.fuzzy_places = [dict(o.note, row=o.row_number) for o in outcomes if o.note]
    with transaction(con):
        batch_id = next_id(con, "import_batch_id_seq")
        con.execute(
            "INSERT INTO import_batch (id, kind, file_name, file_sha256, source, mode, status, "
            "encoding, rows_total, actor) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                batch_id,
                kind,
                report.file,
                file_sha256,
                report.source,
                batch_mode or report.mode,
                report.status,
                report.encoding,
                report.rows,
                actor,
            ],
        )
        report.batch_id = batch_id
        if batch_mode != "fix":
            con.execute(
                "UPDATE quarantine SET status = 'superseded', resolved_at = current_timestamp,"
                " note = ? WHERE status = 'open' AND kind = ? AND source = ?",
                [f"superseded by import batch {batch_id}", kind, report.source],
            )
        if bad:
            _insert_quarantine(con, kind, batch_id, report, bad)
        if store:
            counts = upsert(
                con,
                kind,
                [o.values | {"source_id": o.source_id} for o in store],
                source=report.source,
                batch_id=batch_id,
                actor=actor,
            )
            report.inserted, report.updated, report.unchanged = counts
            after = SPECS[kind].after_write if kind in SPECS else None
            if after is not None:
                after(con, [o.values for o in store])
        report.stored = report.inserted + report.updated + report.unchanged
        finish_batch(con, report, batch_id, actor)
    return report


def _insert_quarantine(
    con, kind: str, batch_id: int, report: ImportReport, bad: list[RowOutcome]
) -> None:
    frame = pd.DataFrame(
        {
            "batch_id": batch_id,
            "kind": kind,
            "file_name": report.file,
            "row_number": [o.row_number for o in bad],
            "source": report.source,
            "source_id": [o.source_id for o in bad],
            "raw": [json.dumps(o.raw, ensure_ascii=False) for o in bad],
            "reason_code": [o.problems[0].code for o in bad],
            "reason": ["; ".join(p.message for p in o.problems) for o in bad],
            "reason_th": ["; ".join(p.message_th for p in o.problems) for o in bad],
            "candidates": [
                json.dumps([c for p in o.problems for c in p.candidates][:10], ensure_ascii=False)
                for o in bad
            ],
        }
    )
    con.register("_quarantine_rows", frame)
    try:
        con.execute("""INSERT INTO quarantine (batch_id, kind, file_name, row_number, source,
                       source_id, raw, reason_code, reason, reason_th, candidates)
                       SELECT batch_id, kind, file_name, row_number, source, source_id,
                              raw::JSON, reason_code, reason, reason_th, candidates::JSON
                       FROM _quarantine_rows""")
    finally:
        con.unregister("_quarantine_rows")


def records_frame(kind: str, records: list[dict]) -> pd.DataFrame:
    """Records (dicts of stored columns, ``source_id`` and a shapely ``geom``) as a frame
    ready for :func:`upsert_frame`: geometry as WKB, dates as ISO text."""
    types = column_types(kind)
    data: dict[str, list] = {"source_id": [r["source_id"] for r in records]}
    for c, t in types.items():
        vals = [r.get(c) for r in records]
        if t == "DATE":
            vals = [v.isoformat() if isinstance(v, dt.date) else v for v in vals]
        data[c] = vals
    geoms = [r.get("geom") for r in records]
    data["geom_wkb"] = list(shapely.to_wkb(np.array(geoms, dtype=object)))
    frame = pd.DataFrame(data)
    for c, t in types.items():
        if t == "INTEGER":
            frame[c] = pd.array(frame[c], dtype="Int64")
        elif t == "DOUBLE":
            frame[c] = pd.to_numeric(frame[c], errors="raise").astype("float64")
        else:
            frame[c] = frame[c].astype(object)
    return frame


def upsert(
    con,
    kind: str,
    records: list[dict],
    *,
    source: str,
    batch_id: int | None,
    actor: str | None = None,
    is_demo: bool = False,
) -> tuple[int, int, int]:
    """Insert or update records by (source, source_id); returns (inserted, updated, unchanged)."""
    return upsert_frame(
        con,
        kind,
        records_frame(kind, records),
        source=source,
        batch_id=batch_id,
        actor=actor,
        is_demo=is_demo,
    )


def upsert_frame(
    con,
    kind: str,
    frame: pd.DataFrame,
    *,
    source: str,
    batch_id: int | None,
    actor: str | None = None,
    is_demo: bool = False,
) -> tuple[int, int, int]:
    """:func:`upsert` for a prepared frame (see :func:`records_frame`), in SQL."""
    con.register("_import_frame", frame)
    try:
        return upsert_staged(
            con,
            kind,
            "_import_frame",
            source=source,
            batch_id=batch_id,
            actor=actor,
            is_demo=is_demo,
        )
    finally:
        con.unregister("_import_frame")


def upsert_staged(
    con,
    kind: str,
    relation: str,
    *,
    source: str,
    batch_id: int | None,
    actor: str | None = None,
    is_demo: bool = False,
) -> tuple[int, int, int]:
    """Insert or update by (source, source_id) from ``relation`` (SQL: a registered frame,
    or ``read_parquet([...])`` of staged files) with the columns of :func:`records_frame`.

    The rows are read through a view, never copied whole into memory; only the match of
    ids to existing records is kept while the statements run.
    """
    table = TABLES[kind]
    types = column_types(kind)
    cols = list(types)
    casts = ", ".join(f"CAST(f.{c} AS {t}) AS {c}" for c, t in types.items())
    with transaction(con):
        con.execute("DROP VIEW IF EXISTS _import_stage")
        con.execute(f"""CREATE TEMP VIEW _import_stage AS
            SELECT CAST(f.source_id AS VARCHAR) AS source_id, {casts},
                   CASE WHEN f.geom_wkb IS NULL THEN NULL
                        ELSE ST_GeomFromWKB(f.geom_wkb) END AS geom
            FROM {relation} f""")
        try:
            return _upsert_from_stage(con, table, cols, source, batch_id, actor, is_demo)
        finally:
            con.execute("DROP VIEW IF EXISTS _import_stage")


def _upsert_from_stage(
    con, table: str, cols: list[str], source: str, batch_id, actor, is_demo: bool
) -> tuple[int, int, int]:
    differs = " OR ".join(
        [f"t.{c} IS DISTINCT FROM s.{c}" for c in cols]
        + ["ST_AsWKB(t.geom) IS DISTINCT FROM ST_AsWKB(s.geom)"]
    )
    con.execute("DROP TABLE IF EXISTS _import_match")
    con.execute(
        f"""CREATE TEMP TABLE _import_match AS
        SELECT s.source_id, t.id AS existing_id,
               CASE WHEN t.id IS NULL THEN NULL ELSE ({differs}) END AS changed
        FROM _import_stage s LEFT JOIN {table} t
          ON t.source = $source AND t.source_id = s.source_id""",
        {"source": source},
    )
    inserted, updated, unchanged = con.execute(
        "SELECT count(*) FILTER (existing_id IS NULL), count(*) FILTER (changed),"
        " count(*) FILTER (NOT changed) FROM _import_match"
    ).fetchone()
    if updated:
        previous = ", ".join(f"{c} := t.{c}" for c in cols)
        con.execute(
            f"""INSERT INTO record_history (table_name, record_id, source,
                source_id, batch_id, actor, previous)
            SELECT '{table}', t.id, t.source, t.source_id, $batch, $actor,
                   to_json(struct_pack({previous}, geom := ST_AsText(t.geom),
                           is_demo := t.is_demo, imported_at := t.imported_at,
                           import_batch_id := t.import_batch_id))
            FROM {table} t JOIN _import_match m ON m.existing_id = t.id
            WHERE m.changed""",
            {"batch": batch_id, "actor": actor},
        )
        sets = ", ".join(f"{c} = s.{c}" for c in [*cols, "geom"])
        con.execute(
            f"""UPDATE {table} t SET {sets}, imported_at = current_timestamp,
                import_batch_id = $batch
            FROM _import_stage s JOIN _import_match m ON m.source_id = s.source_id
            WHERE t.id = m.existing_id AND m.changed""",
            {"batch": batch_id},
        )
    if unchanged:
        con.execute(f"""UPDATE {table} t SET imported_at = current_timestamp
            FROM _import_match m WHERE t.id = m.existing_id AND NOT m.changed""")
    if inserted:
        names = ", ".join([*cols, "geom"])
        picked = ", ".join(f"s.{c}" for c in [*cols, "geom"])
        if updated or unchanged:
            rows = """_import_stage s JOIN _import_match m ON m.source_id = s.source_id
                      WHERE m.existing_id IS NULL"""
        else:  # all new (a first import): no join, so no hash table of every id
            con.execute("DROP TABLE _import_match")
            rows = "_import_stage s"
        con.execute(
            f"""INSERT INTO {table} (source, source_id, is_demo, import_batch_id, {names})
            SELECT $source, s.source_id, $demo, $batch, {picked} FROM {rows}""",
            {"source": source, "demo": is_demo, "batch": batch_id},
        )
    con.execute("DROP TABLE IF EXISTS _import_match")
    return int(inserted), int(updated), int(unchanged)
