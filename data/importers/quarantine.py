"""Browse, fix and discard quarantined rows (แถวที่ถูกกักไว้).

A fix re-runs the same checks on the row as stored (the raw cells), with the coordinator's
corrections: a tambon picked among the candidates and/or edited cells. When the row now
passes it is stored (insert or update by ``(source, source_id)``, history kept) and the
quarantine row is marked ``fixed``; when it still fails, nothing changes and the new
problems are returned.
"""

from __future__ import annotations

import json

import pandas as pd

from data.importers.core import ImportReport, check_rows, scope_provinces, write_outcomes
from data.importers.errors import ImportFileError
from data.importers.fields import TABLES
from data.importers.places import PlaceResolver
from data.importers.readers import RawTable
from data.store import transaction

GEOMETRY_KEY = "_geometry_wkt"


def list_quarantine(
    con,
    *,
    status: str | None = "open",
    kind: str | None = None,
    batch_id: int | None = None,
    actor: str | None = None,
    limit: int = 500,
) -> pd.DataFrame:
    """Quarantined rows, newest first, with raw and candidates decoded.

    ``actor`` keeps only rows of imports that person ran (a coordinator with an area sees
    their own imports' rows).
    """
    where, params = ["TRUE"], []
    if actor is not None:
        where.append("batch_id IN (SELECT id FROM import_batch WHERE actor = ?)")
        params.append(actor)
    if status:
        where.append("status = ?")
        params.append(status)
    if kind:
        where.append("kind = ?")
        params.append(kind)
    if batch_id is not None:
        where.append("batch_id = ?")
        params.append(batch_id)
    frame = con.execute(
        f"""SELECT id, batch_id, kind, file_name, row_number, source, source_id,
                   raw::VARCHAR AS raw, reason_code, reason, reason_th,
                   candidates::VARCHAR AS candidates, status, created_at, resolved_at,
                   resolved_by, resolved_record_id, note
            FROM quarantine WHERE {" AND ".join(where)}
            ORDER BY id DESC LIMIT {int(limit)}""",
        params,
    ).df()
    frame["raw"] = frame["raw"].map(json.loads)
    frame["candidates"] = frame["candidates"].map(lambda v: json.loads(v) if v else [])
    return frame


def quarantine_counts(con, actor: str | None = None) -> dict[str, int]:
    """Open quarantined rows per kind (of ``actor``'s imports when given)."""
    where, params = "status = 'open'", []
    if actor is not None:
        where += " AND batch_id IN (SELECT id FROM import_batch WHERE actor = ?)"
        params.append(actor)
    rows = con.execute(
        f"SELECT kind, count(*) FROM quarantine WHERE {where} GROUP BY 1", params
    ).fetchall()
    return {k: int(n) for k, n in rows}


def _load(con, qid: int) -> dict:
    row = con.execute(
        "SELECT id, kind, file_name, row_number, source, raw::VARCHAR, status"
        " FROM quarantine WHERE id = ?",
        [qid],
    ).fetchone()
    if row is None:
        raise ImportFileError(f"no quarantined row {qid}", message_th=f"ไม่พบแถวกักกันที่ {qid}")
    if row[6] != "open":
        raise ImportFileError(
            f"quarantined row {qid} is already {row[6]}",
            message_th=f"แถวกักกันที่ {qid} ได้รับการจัดการแล้ว ({row[6]})",
        )
    return {
        "id": row[0],
        "kind": row[1],
        "file_name": row[2],
        "row_number": row[3],
        "source": row[4],
        "raw": json.loads(row[5]),
    }


def resubmit(
    con,
    qid: int,
    *,
    tambon_pcode: str | None = None,
    edits: dict | None = None,
    actor: str | None = None,
    gazetteer=None,
    scope: str | None = None,
) -> ImportReport:
    """Re-check quarantined row ``qid`` with a chosen tambon and/or edited cells.

    ``scope`` is the coordinator's area, as for :func:`data.importers.import_file`.

    Returns the report of the one-row import: ``status == "committed"`` when it was stored,
    ``"refused"`` (with ``refused[0]["reason"]``) when it still fails; then nothing changes.
    """
    import shapely

    q = _load(con, qid)
    if q["kind"] == "need_report":  # a Kobo/ODK submission: its own checks and writer
        from data.importers.odk_store import resubmit_submission

        return resubmit_submission(con, q, edits=edits, actor=actor, scope=scope)
    raw = dict(q["raw"]) | {k: v for k, v in (edits or {}).items() if k != GEOMETRY_KEY}
    wkt = (edits or {}).get(GEOMETRY_KEY, raw.pop(GEOMETRY_KEY, None))
    raw.pop(GEOMETRY_KEY, None)
    headers = list(raw)
    from data.importers.fields import alias_index, header_key

    index = alias_index(q["kind"])
    columns = [index.get(header_key(h)) for h in headers]
    geometries = [shapely.from_wkt(wkt)] if wkt else None
    table = RawTable(
        q["file_name"],
        "quarantine",
        headers,
        columns,
        [list(raw.values())],
        [q["row_number"]],
        geometries=geometries,
    )
    resolver = PlaceResolver(con, gazetteer)
    outcomes = check_rows(
        table,
        q["kind"],
        resolver,
        forced_pcode=tambon_pcode,
        provinces=scope_provinces(con, scope),
    )
    report = ImportReport(
        kind=q["kind"], file=q["file_name"], source=q["source"], mode="all_or_nothing", rows=1
    )
    if outcomes[0].values is None:
        from data.importers.core import _refusal

        report.status = "refused"
        report.quarantined = 1
        report.refused = [_refusal(outcomes[0])]
        return report
    with transaction(con):
        write_outcomes(con, q["kind"], outcomes, report, actor=actor, batch_mode="fix")
        table_name = TABLES[q["kind"]]
        record_id = con.execute(
            f"SELECT id FROM {table_name} WHERE source = ? AND source_id = ?",
            [q["source"], outcomes[0].source_id],
        ).fetchone()[0]
        con.execute(
            "UPDATE quarantine SET status = 'fixed', resolved_at = current_timestamp,"
            " resolved_by = ?, resolved_table = ?, resolved_record_id = ?, note = ?"
            " WHERE id = ?",
            [
                actor,
                table_name,
                record_id,
                json.dumps(
                    {"tambon_pcode": tambon_pcode, "edits": edits or {}}, ensure_ascii=False
                ),
                qid,
            ],
        )
        from data.importers.core import _audit

        _audit(
            con,
            actor,
            "quarantine_fix",
            table_name,
            record_id,
            {"quarantine_id": qid},
            {"tambon_pcode": tambon_pcode, "edits": edits or {}},
        )
    return report


def discard(con, qid: int, *, actor: str | None = None, note: str | None = None) -> None:
    """Mark quarantined row ``qid`` as discarded (kept, never stored)."""
    _load(con, qid)
    with transaction(con):
        con.execute(
            "UPDATE quarantine SET status = 'discarded', resolved_at = current_timestamp,"
            " resolved_by = ?, note = ? WHERE id = ?",
            [actor, note, qid],
        )
        from data.importers.core import _audit

        _audit(con, actor, "quarantine_discard", "quarantine", qid, None, {"note": note})
