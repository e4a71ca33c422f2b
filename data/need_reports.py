"""Housing need marked by community members (แจ้งความเดือดร้อนด้านที่อยู่อาศัย), and coordinators'
decisions on it.

* :func:`submit` stores one report from the mark form, idempotently: every form carries a
  ``form_id`` made when it opens (:func:`new_form_id`). The same id with the same content
  answers "already saved" with the same receipt; the same id with different content is
  refused. The drawing is validated again on the server (:mod:`geo.validate`), the tambon
  is assigned from the location and returned, the private contact goes to its own table.
* :func:`decide` verifies, rejects (a reason is required), merges a duplicate into another
  report, or reopens. The caller says which status it saw; when another coordinator got
  there first the change is refused with :class:`DecisionConflictError` and nothing is
  written.
* :func:`queue`, :func:`nearby`, :func:`by_receipt`, :func:`own_reports` read them back.

Every create and decision writes an audit row (:mod:`data.audit`) in the same transaction.
Coordinators act within their scope: a province P-code (``TH10``), a cluster or region of
a grouping (``cluster:codi-18:c10``, ``region:codi-18:north``), or the whole country.

This module stores reports (:func:`submit`); the rest lives beside it, and every public
name is importable from here:

* :mod:`data.need_model`: code lists, errors, :class:`NeedForm`, :class:`Receipt`,
  :class:`Actor`;
* :mod:`data.need_cleaning`: the form's field checks (:func:`clean_form`), the content
  hash, form ids and receipt codes;
* :mod:`data.need_places`: the tambon index, :func:`assign_tambon`, :func:`overlapping`;
* :mod:`data.need_scope`: coordinators' scopes (:func:`scope_sql`, :func:`in_scope`, ...);
* :mod:`data.need_decisions`: :func:`decide`;
* :mod:`data.need_reading`: the queue, one report, own reports, contacts, nearby
  reports and decisions (loaded on first use).
"""

from __future__ import annotations

import secrets
import time

import duckdb
import shapely

from data import audit
from data.errors import InputError, PhangError
from data.need_cleaning import (
    DESCRIPTION_MAX,
    HOUSEHOLDS_MAX,
    NAME_MAX,
    clean_form,
    clean_text,
    content_hash,
    new_form_id,
    new_receipt,
)
from data.need_decisions import decide
from data.need_model import (
    ACTION_NAMES,
    ACTIONS,
    LANDOWNERS,
    OPEN_STATUSES,
    PROBLEMS,
    STATUSES,
    URGENCIES,
    Actor,
    DecisionConflictError,
    FormConflictError,
    NeedForm,
    NeedFormError,
    NotFoundError,
    Receipt,
    ScopeError,
    allowed_actions,
)
from data.need_places import (
    _INDEX_KEY_SQL,
    NEAREST_TAMBON_DEGREES,
    OVERLAP_DEGREES,
    TambonIndex,
    _place_names,
    assign_tambon,
    overlapping,
    tambon_index,
)
from data.need_scope import (
    check_scope,
    in_scope,
    scope_label,
    scope_options,
    scope_provinces,
    scope_sql,
)
from data.store import is_conflict, is_constraint, next_id, transaction
from geo.validate import CleanGeometry, GeometryError, Repair, validate_drawing


def _is_duplicate_key(exc: Exception) -> bool:
    text = str(exc).lower()
    return "duplicate key" in text or "unique constraint" in text or "primary key" in text


def submit(
    con,
    form: NeedForm,
    *,
    actor: str | None = None,
    is_demo: bool = False,
    attempts: int = 8,
    own_transaction: bool = True,
) -> Receipt:
    """Validate and store one housing-need report; return its receipt.

    ``con`` is the shared connection (or any cursor of it): the work runs on a fresh
    cursor in its own transaction, retried on write conflicts. ``actor`` is the signed-in
    username, or None for an anonymous member (audited as ``"public"``). With
    ``own_transaction=False`` the work joins the caller's transaction on ``con`` (the
    build does this) and is not retried.

    Raises NeedFormError / GeometryError (bad input, nothing stored) or
    FormConflictError (this form id was saved before with different content).
    """
    fields = clean_form(form)
    geometry = validate_drawing(form.geometry)
    digest = content_hash(fields, geometry)
    if not own_transaction:
        with transaction(con):
            return _store(con, form.form_id, fields, geometry, digest, actor, is_demo)
    last: Exception | None = None
    for attempt in range(attempts):
        cur = con.cursor()
        try:
            with transaction(cur):
                return _store(cur, form.form_id, fields, geometry, digest, actor, is_demo)
        except duckdb.Error as exc:
            if not (is_conflict(exc) or (is_constraint(exc) and _is_duplicate_key(exc))):
                raise
            last = exc
            time.sleep(0.01 * (2 ** min(attempt, 5)) * (0.5 + secrets.randbelow(100) / 100))
        finally:
            cur.close()
    raise PhangError(
        f"the report could not be saved after {attempts} attempts ({last}); please send again",
        message_th="บันทึกคำร้องไม่สำเร็จเพราะระบบมีผู้ใช้มาก กรุณากดส่งอีกครั้ง",
    )


def check_vertices(geometry: CleanGeometry) -> None:
    """Refuse a shape over the vertex cap (``PHANG_NEED_MAX_VERTICES``), whichever way it
    came: :func:`geo.validate.validate_drawing` refuses it first for drawings, this check
    holds for any other path that reaches the store."""
    from geo.validate import max_vertices

    n = int(shapely.get_num_coordinates(geometry.geom))
    cap = max_vertices()
    if n > cap:
        raise GeometryError(
            "too_many_vertices",
            f"The area has {n:,} corners, more than the {cap:,} one report may have; "
            "draw it with fewer corners.",
            f"พื้นที่มี {n:,} จุด มากกว่า {cap:,} จุดที่รายงานหนึ่งมีได้ กรุณาวาดด้วยจุดที่น้อยลง",
        )


def _store(
    cur,
    form_id: str,
    fields: dict,
    geometry: CleanGeometry,
    digest: str,
    actor: str | None,
    is_demo: bool,
) -> Receipt:
    check_vertices(geometry)
    # one round trip: the row of this form id if any, and the tambon index's key
    found = cur.execute(
        f"SELECT {_INDEX_KEY_SQL}, r.id, r.receipt, r.content_hash, r.tambon_pcode, r.area_m2 "
        "FROM (SELECT 1) LEFT JOIN need_report r ON r.form_id = ?",
        [form_id],
    ).fetchone()
    wkb = shapely.to_wkb(geometry.geom)
    index = tambon_index(cur, tuple(found[:4]))
    if found[4] is not None:
        report_id, receipt, old_hash, pcode, area = found[4:]
        if old_hash != digest:
            raise FormConflictError(
                f"this form was already sent (receipt {receipt}) with different content; "
                "open a new form to send another report",
                message_th=f"แบบฟอร์มนี้ส่งไปแล้ว (เลขรับ {receipt}) ด้วยข้อมูลที่ต่างกัน "
                "หากต้องการแจ้งเรื่องใหม่ กรุณาเปิดแบบฟอร์มใหม่",
            )
        return Receipt(
            receipt,
            report_id,
            pcode,
            **_place_names(cur, pcode, index),
            area_m2=area,
            already_saved=True,
            repairs=geometry.repairs,
        )
    pcode = assign_tambon(cur, geometry.geom, index)
    receipt = new_receipt()
    report_id = next_id(cur, "need_report_id_seq")
    cur.execute(
        """INSERT INTO need_report (id, receipt, form_id, content_hash, tambon_pcode, geom,
               area_m2, community_name, households, problems, landowner, urgency, description,
               submitted_by, repairs, is_demo)
           VALUES (?, ?, ?, ?, ?, ST_GeomFromWKB(?), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
        [
            report_id,
            receipt,
            form_id,
            digest,
            pcode,
            wkb,
            geometry.area_m2,
            fields["community_name"],
            fields["households"],
            fields["problems"],
            fields["landowner"],
            fields["urgency"],
            fields["description"],
            actor,
            geometry.repair_codes,
            is_demo,
        ],
    )
    who = actor or "public"
    after = {k: v for k, v in fields.items() if k != "contact"}
    after.update(
        id=report_id,
        receipt=receipt,
        form_id=form_id,
        tambon_pcode=pcode,
        geometry=shapely.to_wkt(geometry.geom, rounding_precision=7),
        area_m2=round(geometry.area_m2, 1),
        status="pending",
        submitted_by=actor,
        repairs=geometry.repair_codes,
        is_demo=is_demo,
    )
    audit.record(cur, who, "create", "need_report", report_id, None, after)
    contact = fields["contact"]
    if any(contact.values()):
        cur.execute(
            "INSERT INTO need_contact (report_id, name, phone, note) VALUES (?, ?, ?, ?)",
            [report_id, contact["name"], contact["phone"], contact["note"]],
        )
        audit.record(
            cur, who, "create", "need_contact", report_id, None, dict(contact, report_id=report_id)
        )
    return Receipt(
        receipt,
        report_id,
        pcode,
        **_place_names(cur, pcode, index),
        area_m2=geometry.area_m2,
        repairs=geometry.repairs,
    )


# --- reading: data/need_reading.py, which builds on the names above; its functions are
# also reachable from here (``from data.need_reports import queue``), loaded on first use
_READING = {
    "by_receipt", "contact", "decisions", "get_report", "nearby", "own_reports", "queue",
}  # fmt: skip


def __getattr__(name: str):
    if name in _READING:
        from data import need_reading

        return getattr(need_reading, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "ACTIONS",
    "ACTION_NAMES",
    "DESCRIPTION_MAX",
    "HOUSEHOLDS_MAX",
    "LANDOWNERS",
    "NAME_MAX",
    "NEAREST_TAMBON_DEGREES",
    "OPEN_STATUSES",
    "OVERLAP_DEGREES",
    "PROBLEMS",
    "STATUSES",
    "URGENCIES",
    "Actor",
    "CleanGeometry",
    "DecisionConflictError",
    "FormConflictError",
    "GeometryError",
    "InputError",
    "NeedForm",
    "NeedFormError",
    "NotFoundError",
    "PhangError",
    "Receipt",
    "Repair",
    "ScopeError",
    "TambonIndex",
    "allowed_actions",
    "assign_tambon",
    "check_scope",
    "check_vertices",
    "clean_form",
    "clean_text",
    "content_hash",
    "decide",
    "in_scope",
    "new_form_id",
    "new_receipt",
    "overlapping",
    "scope_label",
    "scope_options",
    "scope_provinces",
    "scope_sql",
    "submit",
    "tambon_index",
]
