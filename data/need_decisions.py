"""Coordinators' decisions on housing-need reports: :func:`decide` verifies, rejects (a
reason is required), puts on hold, merges a duplicate into another report, or reopens.
The caller says which status it saw; when another coordinator got there first the change
is refused with :class:`~data.need_model.DecisionConflictError` and nothing is written.
The report, the decision and the audit rows are written in one transaction.

Split from :mod:`data.need_reports`, which re-exports every name here.
"""

from __future__ import annotations

import time
from typing import Any

import duckdb

from data import audit
from data.errors import InputError
from data.need_cleaning import clean_text
from data.need_model import (
    ACTIONS,
    OPEN_STATUSES,
    STATUSES,
    Actor,
    DecisionConflictError,
    NeedFormError,
    NotFoundError,
    ScopeError,
)
from data.need_scope import in_scope
from data.store import is_conflict, next_id, transaction

_REPORT_COLUMNS = (
    "id, receipt, tambon_pcode, community_name, households, problems, landowner, "
    "urgency, description, status, merged_into, submitted_by, created_at, "
    "updated_at, is_demo"
)


def _report(cur, report_id: int) -> dict | None:
    row = cur.execute(
        f"SELECT {_REPORT_COLUMNS} FROM need_report WHERE id = ?", [report_id]
    ).fetchone()
    if row is None:
        return None
    return dict(zip([c.strip() for c in _REPORT_COLUMNS.split(",")], row, strict=True))


def _last_decision(cur, report_id: int) -> tuple[str, Any] | None:
    return cur.execute(
        "SELECT actor, decided_at FROM decision WHERE report_id = ? ORDER BY id DESC LIMIT 1",
        [report_id],
    ).fetchone()


def decide(
    con,
    report_id: int,
    action: str,
    actor: Actor,
    *,
    expected_status: str,
    reason: str = "",
    merge_into: int | None = None,
    attempts: int = 5,
    own_transaction: bool = True,
) -> dict:
    """Record a coordinator's decision on one report; return the decision row.

    ``action`` is ``verify``, ``reject`` (``reason`` required), ``merge`` (``merge_into``:
    the report this one duplicates) or ``reopen``. ``expected_status`` is the status the
    coordinator saw; if the report has changed since, DecisionConflictError says who
    changed it and nothing is written. The report, the decision and the audit rows are
    written in one transaction.
    """
    if action not in ACTIONS:
        raise InputError(
            f"action must be one of {', '.join(ACTIONS)}, not {action!r}",
            message_th="การตัดสินใจไม่ถูกต้อง",
        )
    if actor.role not in ("coordinator", "admin"):
        raise ScopeError(
            "only coordinators may decide on reports", message_th="เฉพาะผู้ประสานงานเท่านั้นที่ตัดสินคำร้องได้"
        )
    reason = clean_text(reason, 1000)
    if action == "reject" and not reason:
        raise NeedFormError(
            "reason", "Give a reason for rejecting the report.", "กรุณาระบุเหตุผลที่ไม่ผ่านการตรวจสอบ"
        )
    if action == "hold" and not reason:
        raise NeedFormError(
            "reason",
            "Say what information is missing before putting the report on hold.",
            "กรุณาระบุว่าต้องการข้อมูลอะไรเพิ่มเติม",
        )
    if len(reason) > 1000:
        raise NeedFormError(
            "reason", "The reason is longer than 1000 characters.", "เหตุผลยาวเกิน 1000 ตัวอักษร"
        )
    if action == "merge" and merge_into is None:
        raise NeedFormError(
            "merge_into", "Choose the report this one duplicates.", "กรุณาเลือกคำร้องที่ซ้ำกัน"
        )
    args = (
        int(report_id),
        action,
        actor,
        expected_status,
        reason,
        int(merge_into) if action == "merge" else None,
    )
    if not own_transaction:
        with transaction(con):
            return _decide(con, *args)
    last: Exception | None = None
    for attempt in range(attempts):
        cur = con.cursor()
        try:
            with transaction(cur):
                return _decide(cur, *args)
        except duckdb.Error as exc:
            if not is_conflict(exc):
                raise
            last = exc  # a concurrent writer: look again, the status check will tell
            time.sleep(0.01 * (2**attempt))
        finally:
            cur.close()
    raise DecisionConflictError(
        f"the report is being changed by someone else ({last}); reload and try again",
        message_th="มีผู้อื่นกำลังแก้ไขคำร้องนี้ กรุณาโหลดใหม่แล้วลองอีกครั้ง",
    )


def _decide(
    cur,
    report_id: int,
    action: str,
    actor: Actor,
    expected: str,
    reason: str,
    merge_into: int | None,
) -> dict:
    before = _report(cur, report_id)
    if before is None:
        raise NotFoundError(f"no report with id {report_id}", message_th="ไม่พบคำร้องนี้")
    if actor.role != "admin" and not in_scope(cur, actor.scope, before["tambon_pcode"]):
        raise ScopeError(
            f"report {before['receipt']} is outside your area",
            message_th=f"คำร้อง {before['receipt']} อยู่นอกพื้นที่รับผิดชอบของคุณ",
        )
    if before["status"] != expected:
        _conflict(cur, before)
    target_status = ACTIONS[action]
    if action == "hold" and expected != "pending":
        raise DecisionConflictError(
            f"report {before['receipt']} is {before['status']}; only a pending report can "
            "be put on hold",
            message_th=f"คำร้อง {before['receipt']} พักไว้ได้เฉพาะเมื่อรอตรวจสอบอยู่",
        )
    if action not in ("reopen", "hold") and expected not in OPEN_STATUSES:
        raise DecisionConflictError(
            f"report {before['receipt']} is {before['status']}; reopen it before deciding again",
            message_th=f"คำร้อง {before['receipt']} ตัดสินไปแล้ว ต้องเปิดใหม่ก่อนตัดสินอีกครั้ง",
        )
    if action == "reopen" and expected == "pending":
        raise DecisionConflictError(
            f"report {before['receipt']} is already pending", message_th="คำร้องนี้รอตรวจสอบอยู่แล้ว"
        )
    if merge_into is not None:
        target = _report(cur, merge_into)
        if target is None or merge_into == report_id:
            raise NeedFormError(
                "merge_into",
                "Choose another existing report to merge into.",
                "กรุณาเลือกคำร้องอื่นที่มีอยู่เพื่อรวม",
            )
        if target["status"] not in ("pending", "on_hold", "verified"):
            raise NeedFormError(
                "merge_into",
                f"Report {target['receipt']} is {target['status']}; merge into "
                "a pending or verified report.",
                f"คำร้อง {target['receipt']} ถูกปิดแล้ว กรุณารวมกับคำร้องที่ยังเปิดอยู่",
            )
        if actor.role != "admin" and not in_scope(cur, actor.scope, target["tambon_pcode"]):
            raise ScopeError(
                f"report {target['receipt']} is outside your area",
                message_th=f"คำร้อง {target['receipt']} อยู่นอกพื้นที่ของคุณ",
            )
    updated = cur.execute(
        "UPDATE need_report SET status = ?, merged_into = ?, updated_at = current_timestamp "
        "WHERE id = ? AND status = ?",
        [target_status, merge_into, report_id, expected],
    ).fetchone()
    if not updated or not updated[0]:
        _conflict(cur, _report(cur, report_id))
    decision_id = next_id(cur, "decision_id_seq")
    cur.execute(
        "INSERT INTO decision (id, report_id, actor, action, from_status, to_status, reason, "
        "merged_into) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [
            decision_id,
            report_id,
            actor.username,
            action,
            expected,
            target_status,
            reason,
            merge_into,
        ],
    )
    decision = cur.execute(
        "SELECT id, decided_at FROM decision WHERE id = ?", [decision_id]
    ).fetchone()
    row = {
        "id": decision[0],
        "report_id": report_id,
        "actor": actor.username,
        "decided_at": decision[1],
        "action": action,
        "from_status": expected,
        "to_status": target_status,
        "reason": reason,
        "merged_into": merge_into,
    }
    audit.record(cur, actor.username, "create", "decision", decision[0], None, row)
    audit.record(
        cur,
        actor.username,
        action,
        "need_report",
        report_id,
        {"status": expected, "merged_into": before["merged_into"]},
        {"status": target_status, "merged_into": merge_into, "reason": reason},
    )
    return row


def _conflict(cur, current: dict | None) -> None:
    status = current["status"] if current else "missing"
    who = _last_decision(cur, current["id"]) if current else None
    th_status = STATUSES.get(status, (status, status))[0]
    by_en = f" by {who[0]} at {who[1]:%Y-%m-%d %H:%M}" if who else ""
    by_th = f" โดย {who[0]}" if who else ""
    raise DecisionConflictError(
        f"someone else decided first: the report is now {status}{by_en}; nothing was changed",
        message_th=f'มีผู้ตัดสินคำร้องนี้ไปก่อนแล้ว: สถานะตอนนี้คือ "{th_status}"{by_th} การตัดสินของคุณไม่ได้ถูกบันทึก',
    )
