"""Reading housing-need reports: the coordinators' queue, one report, a member's own
reports, contact details (by role and scope), what lies near a report, and its decisions.

Split from :mod:`data.need_reports` (which keeps the writing side and re-exports these
names, so ``from data.need_reports import queue`` keeps working); builds on the
vocabulary, scopes and places in :mod:`data.need_model`, :mod:`data.need_scope` and
:mod:`data.need_places`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import duckdb

from data.errors import InputError
from data.need_cleaning import clean_text
from data.need_decisions import _report
from data.need_model import STATUSES, URGENCIES, Actor, ScopeError
from data.need_places import OVERLAP_DEGREES
from data.need_scope import in_scope, scope_sql

_LIST_SQL = """
    SELECT r.id, r.receipt, r.community_name, r.households, r.problems, r.landowner,
           r.urgency, r.description, r.status, r.merged_into, r.submitted_by, r.created_at,
           r.updated_at, r.is_demo, r.tambon_pcode, t.name_th AS tambon_th,
           t.name_en AS tambon_en, a.name_th AS amphoe_th, a.name_en AS amphoe_en,
           p.name_th AS province_th, p.name_en AS province_en, r.area_m2,
           ST_GeometryType(r.geom) AS geom_type, ST_AsGeoJSON(r.geom) AS geojson,
           ST_X(ST_Centroid(r.geom)) AS lon, ST_Y(ST_Centroid(r.geom)) AS lat
    FROM need_report r
    LEFT JOIN tambon t ON t.pcode = r.tambon_pcode
    LEFT JOIN amphoe a ON a.pcode = t.amphoe_pcode
    LEFT JOIN province p ON p.pcode = t.province_pcode"""


def queue(
    con,
    scope: str | None,
    statuses: Sequence[str] = ("pending",),
    limit: int = 200,
    *,
    province: str | None = None,
    urgencies: Sequence[str] | None = None,
    since: Any = None,
    until: Any = None,
):
    """Reports in ``scope`` with one of ``statuses``, oldest first, with place names and
    ``overlaps`` (how many open reports lie within about 110 m). A DataFrame.

    Filters, all optional: ``province`` (a province P-code such as ``TH10``), ``urgencies``
    (codes of :data:`URGENCIES`), ``since``/``until`` (dates the report was made, inclusive).
    """
    for s in statuses:
        if s not in STATUSES:
            raise InputError(
                f"status must be one of {', '.join(STATUSES)}, not {s!r}",
                message_th=f"สถานะไม่ถูกต้อง: {s!r}",
            )
    cond, params = scope_sql(scope)
    if province:
        if not re.fullmatch(r"TH[0-9]{2}", str(province)):
            raise InputError(
                f"province must be a province P-code such as TH10, not {province!r}",
                message_th=f"รหัสจังหวัดไม่ถูกต้อง: {province!r}",
            )
        cond += " AND r.tambon_pcode LIKE ?"
        params = [*params, f"{province}%"]
    if urgencies:
        bad = [u for u in urgencies if u not in URGENCIES]
        if bad:
            raise InputError(
                f"urgency must be one of {', '.join(URGENCIES)}, not {bad[0]!r}",
                message_th=f"ความเร่งด่วนไม่ถูกต้อง: {bad[0]!r}",
            )
        cond += f" AND r.urgency IN ({', '.join('?' for _ in urgencies)})"
        params = [*params, *urgencies]
    if since is not None:
        cond += " AND r.created_at >= CAST(? AS DATE)"
        params = [*params, str(since)]
    if until is not None:
        cond += " AND r.created_at < CAST(? AS DATE) + INTERVAL 1 DAY"
        params = [*params, str(until)]
    marks = ", ".join("?" for _ in statuses)
    d = OVERLAP_DEGREES
    # overlaps: a join on bounding boxes first, the exact distance only for those pairs
    sql = f"""WITH q AS ({_LIST_SQL} WHERE {cond} AND r.status IN ({marks})
                ORDER BY r.created_at, r.id LIMIT {int(limit)}),
              qb AS (SELECT r.id, r.geom, ST_XMin(r.geom) AS x0, ST_XMax(r.geom) AS x1,
                            ST_YMin(r.geom) AS y0, ST_YMax(r.geom) AS y1
                     FROM need_report r WHERE r.id IN (SELECT id FROM q)),
              ob AS (SELECT o.id, o.geom, ST_XMin(o.geom) AS x0, ST_XMax(o.geom) AS x1,
                            ST_YMin(o.geom) AS y0, ST_YMax(o.geom) AS y1
                     FROM need_report o WHERE o.status IN ('pending', 'on_hold', 'verified')),
              n AS (SELECT qb.id, count(*) AS overlaps FROM qb JOIN ob
                      ON ob.id <> qb.id AND ob.x0 <= qb.x1 + {d} AND ob.x1 >= qb.x0 - {d}
                     AND ob.y0 <= qb.y1 + {d} AND ob.y1 >= qb.y0 - {d}
                    WHERE ST_DWithin(ob.geom, qb.geom, {d}) GROUP BY qb.id)
              SELECT q.*, coalesce(n.overlaps, 0) AS overlaps
              FROM q LEFT JOIN n ON n.id = q.id ORDER BY q.created_at, q.id"""
    return con.execute(sql, [*params, *statuses]).df()


def get_report(con, report_id: int) -> dict | None:
    """One report with place names and geometry (GeoJSON), or None."""
    frame = con.execute(_LIST_SQL + " WHERE r.id = ?", [int(report_id)]).df()
    return None if frame.empty else frame.iloc[0].to_dict()


def by_receipt(con, receipt: str) -> dict | None:
    """The public status of a report by its receipt code (no contact, no submitter)."""
    code = clean_text(receipt, 20).upper().replace(" ", "")
    if not code.startswith("NR-") and len(code) == 8:
        code = f"NR-{code[:4]}-{code[4:]}"
    frame = con.execute(
        """SELECT r.receipt, r.community_name, r.households, r.status, r.created_at,
                  r.updated_at, r.tambon_pcode, t.name_th AS tambon_th, t.name_en AS tambon_en,
                  p.name_th AS province_th, p.name_en AS province_en,
                  (SELECT reason FROM decision d WHERE d.report_id = r.id
                   ORDER BY d.id DESC LIMIT 1) AS reason,
                  (SELECT m.receipt FROM need_report m WHERE m.id = r.merged_into) AS merged_into
           FROM need_report r LEFT JOIN tambon t ON t.pcode = r.tambon_pcode
           LEFT JOIN province p ON p.pcode = t.province_pcode WHERE r.receipt = ?""",
        [code],
    ).df()
    return None if frame.empty else frame.iloc[0].to_dict()


def own_reports(con, username: str):
    """A member's own reports, newest first (DataFrame)."""
    return con.execute(
        _LIST_SQL + " WHERE r.submitted_by = ? ORDER BY r.created_at DESC", [username]
    ).df()


def contact(con, report_id: int, actor: Actor) -> dict | None:
    """The private contact of a report, for a coordinator in scope (or an admin) only."""
    if actor.role not in ("coordinator", "admin"):
        raise ScopeError(
            "contact details are shown to coordinators only",
            message_th="ข้อมูลติดต่อแสดงเฉพาะผู้ประสานงาน",
        )
    report = _report(con, report_id)
    if report is None:
        return None
    if actor.role != "admin" and not in_scope(con, actor.scope, report["tambon_pcode"]):
        raise ScopeError("this report is outside your area", message_th="คำร้องนี้อยู่นอกพื้นที่ของคุณ")
    row = con.execute(
        "SELECT name, phone, note FROM need_contact WHERE report_id = ?", [int(report_id)]
    ).fetchone()
    return None if row is None else {"name": row[0], "phone": row[1], "note": row[2]}


def nearby(con, report_id: int, radius_m: float = 2000.0) -> dict:
    """What lies near a report: other reports, Baan Mankong projects, land cases.

    Returns a dict of DataFrames (``reports``, ``projects``, ``land_cases``), each with
    ``geojson`` and ``distance_m`` (approximate, from degrees at the report's latitude).
    """
    deg = radius_m / 111_000.0
    base = "(SELECT geom FROM need_report WHERE id = $id)"
    reports = con.execute(
        f"""SELECT o.id, o.receipt, o.community_name, o.households, o.status,
                   ST_AsGeoJSON(o.geom) AS geojson,
                   ST_Distance(o.geom, {base}) * 111000 AS distance_m,
                   ST_Intersects(o.geom, {base}) OR ST_DWithin(o.geom, {base}, $o) AS overlaps
            FROM need_report o WHERE o.id <> $id AND o.status IN ('pending', 'on_hold', 'verified')
              AND ST_DWithin(o.geom, {base}, $d) ORDER BY distance_m LIMIT 50""",
        {"id": int(report_id), "d": deg, "o": OVERLAP_DEGREES},
    ).df()
    out = {"reports": reports}
    for key, table, label in (
        ("projects", "baan_mankong_project", "name"),
        ("land_cases", "land_case", "community"),
    ):
        try:
            out[key] = con.execute(
                f"""SELECT x.id, x.{label} AS name, x.households, x.is_demo,
                           ST_AsGeoJSON(x.geom) AS geojson,
                           ST_Distance(x.geom, {base}) * 111000 AS distance_m
                    FROM {table} x WHERE x.geom IS NOT NULL
                      AND ST_DWithin(x.geom, {base}, $d) ORDER BY distance_m LIMIT 50""",
                {"id": int(report_id), "d": deg},
            ).df()
        except duckdb.CatalogException:
            out[key] = None  # that table is not in this database's schema yet
    return out


def decisions(con, report_id: int):
    """The decisions taken on a report, oldest first (DataFrame)."""
    return con.execute(
        "SELECT * FROM decision WHERE report_id = ? ORDER BY id", [int(report_id)]
    ).df()
