"""The verify page's decision form, and what happens when it is sent.

A decision is recorded against the status the coordinator was shown when the form was
drawn. The form's values are keyed by report, so a sent form is settled at the top of the
next run (:func:`settle_sent_form`), before the queue is read again: when someone else
decided the report meanwhile, on this server or another, it has left the queue, and the
coordinator is still told plainly who decided first, and nothing of theirs is written.
"""

from __future__ import annotations

import streamlit as st

from data.errors import PhangError
from data.need_reports import Actor, allowed_actions, decide
from ui.i18n import tr
from ui.resources import connection

_PREFIX = "verify_go_"


def _keys(report_id: int) -> dict[str, str]:
    return {
        name: f"verify_{name}_{report_id}" for name in ("go", "seen", "action", "reason", "merge")
    }


def settle_sent_form(actor: Actor, lang: str) -> None:
    """Record the decision of a form sent on the last run, and leave its outcome (a notice
    or the refusal) in ``verify_notice`` / ``verify_error`` for the page to show."""
    sent = [k for k in st.session_state if k.startswith(_PREFIX) and st.session_state[k]]
    for go_key in sent:
        report_id = int(go_key.removeprefix(_PREFIX))
        k = _keys(report_id)
        action = st.session_state.get(k["action"])
        receipt = st.session_state.get(f"verify_receipt_{report_id}", str(report_id))
        try:
            decide(
                connection(),
                report_id,
                action,
                actor,
                expected_status=st.session_state.get(k["seen"]),
                reason=st.session_state.get(k["reason"]) or "",
                merge_into=st.session_state.get(k["merge"]) if action == "merge" else None,
            )
        except PhangError as exc:
            st.session_state["verify_error"] = exc.localized(lang)
            st.session_state.pop(k["action"], None)  # the choices follow the status now
        else:
            st.session_state["verify_notice"] = tr(
                f"บันทึกการตัดสินคำร้อง {receipt} แล้ว", f"Decision on {receipt} recorded."
            )
            for key in (k["reason"], k["action"]):
                st.session_state.pop(key, None)


def show_outcome() -> None:
    notice = st.session_state.pop("verify_notice", None)
    if notice:
        st.success(notice)
    refused = st.session_state.pop("verify_error", None)
    if refused:
        st.error(refused)


def decision_form(report: dict, near_reports) -> None:
    """The form for ``report`` as it is now; its status is kept as the one the coordinator saw."""
    report_id = int(report["id"])
    k = _keys(report_id)
    st.session_state[k["seen"]] = report["status"]
    st.session_state[f"verify_receipt_{report_id}"] = report["receipt"]
    names = {
        "verify": tr("ยืนยัน", "Verify"),
        "reject": tr("ไม่ผ่าน", "Reject"),
        "merge": tr("รวมกับคำร้องที่ซ้ำ", "Merge into a duplicate"),
        "hold": tr("พักไว้ รอข้อมูลเพิ่มเติม", "Put on hold: needs information"),
        "reopen": tr("เปิดใหม่ (กลับเป็นรอตรวจสอบ)", "Reopen (back to pending)"),
    }
    merge_options = {
        int(r.id): f"{r.receipt} · {r.community_name}" for r in near_reports.itertuples()
    }
    with st.form(f"decide_{report_id}"):
        st.radio(
            tr("การตัดสิน", "Decision"),
            allowed_actions(report["status"]),
            format_func=names.get,
            horizontal=True,
            key=k["action"],
        )
        st.text_area(
            tr(
                "เหตุผล (จำเป็นเมื่อไม่ผ่าน หรือเมื่อพักไว้: ระบุข้อมูลที่ต้องการเพิ่ม)",
                "Reason (required to reject; to hold, say what information is needed)",
            ),
            max_chars=1000,
            height=80,
            key=k["reason"],
        )
        st.selectbox(
            tr("คำร้องที่ซ้ำ (เมื่อรวม)", "Duplicate of (when merging)"),
            list(merge_options) or [None],
            format_func=lambda i: merge_options.get(i, tr("ไม่มีคำร้องใกล้เคียง", "no nearby report")),
            key=k["merge"],
        )
        st.form_submit_button(tr("บันทึกการตัดสิน", "Record decision"), type="primary", key=k["go"])
