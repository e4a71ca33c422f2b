"""The verify page's queue: the filters (status, province, urgency, period), the table of
reports in the coordinator's area, and which report is open (a clicked row, a link's
receipt, or the oldest)."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from data.need_reports import (
    OPEN_STATUSES,
    STATUSES,
    URGENCIES,
    Actor,
    queue,
    scope_provinces,
)
from ui.i18n import be_year, lang, tr


def label(pair: tuple[str, str]) -> str:
    return pair[0] if lang() == "th" else pair[1]


def filtered_queue(con, actor: Actor) -> pd.DataFrame:
    """The filters and the reports they keep; the page stops here when none is left."""
    f_status, f_province, f_urgency, f_dates = st.columns([3, 2, 3, 3])
    statuses = f_status.multiselect(
        tr("สถานะ", "Status"),
        list(STATUSES),
        default=["pending", "on_hold"],
        format_func=lambda s: label(STATUSES[s]),
        placeholder=tr("ทุกสถานะที่รอตัดสิน", "All open statuses"),
        select_all=False,
        key="verify_statuses",
    )
    provinces = scope_provinces(con, actor.scope)
    province = f_province.selectbox(
        tr("จังหวัด", "Province"),
        [None, *provinces],
        format_func=lambda p: tr("ทุกจังหวัด", "All provinces") if p is None else label(provinces[p]),
        key="verify_province",
    )
    urgencies = f_urgency.multiselect(
        tr("ความเร่งด่วน", "Urgency"),
        list(URGENCIES),
        format_func=lambda u: label(URGENCIES[u]),
        placeholder=tr("ทุกระดับ", "Any urgency"),
        select_all=False,
        key="verify_urgencies",
    )
    # a period rather than a calendar: Streamlit's calendar shows CE years and English months
    periods = {None: ("ทุกช่วงเวลา", "Any time"), 7: ("7 วันที่ผ่านมา", "Last 7 days")}
    periods |= {30: ("30 วันที่ผ่านมา", "Last 30 days"), 90: ("90 วันที่ผ่านมา", "Last 90 days")}
    periods |= {365: ("1 ปีที่ผ่านมา", "Last year")}
    days = f_dates.selectbox(
        tr("แจ้งเมื่อ", "Reported"),
        list(periods),
        format_func=lambda d: label(periods[d]),
        key="verify_period",
    )
    since = None if days is None else dt.date.today() - dt.timedelta(days=days)
    reports = queue(
        con,
        actor.scope,
        statuses or list(OPEN_STATUSES),
        province=province,
        urgencies=urgencies or None,
        since=since,
    )
    if reports.empty:
        st.info(tr("ไม่มีคำร้องที่ตรงกับตัวกรอง", "No report matches these filters."))
        st.stop()
    return reports


def open_report(reports: pd.DataFrame) -> int:
    """The table of reports; the id of the one to open."""
    L = lang()
    flag = tr("⚠️ ทับซ้อน", "⚠️ overlaps")
    table = pd.DataFrame(
        {
            tr("เลขรับเรื่อง", "Receipt"): reports["receipt"],
            tr("ชุมชน", "Community"): reports["community_name"],
            tr("ครัวเรือน", "Households"): reports["households"],
            tr("ตำบล", "Tambon"): reports["tambon_th" if L == "th" else "tambon_en"],
            tr("จังหวัด", "Province"): reports["province_th" if L == "th" else "province_en"],
            tr("ความเร่งด่วน", "Urgency"): [label(URGENCIES[u]) for u in reports["urgency"]],
            tr("สถานะ", "Status"): [label(STATUSES[s]) for s in reports["status"]],
            tr("วันที่แจ้ง", "Reported"): [be_year(d) for d in reports["created_at"]],
            tr("ทับซ้อน", "Overlaps"): [f"{flag} ({n})" if n else "" for n in reports["overlaps"]],
            tr("ข้อมูลสาธิต", "Demo"): [tr("สาธิต", "demo") if d else "" for d in reports["is_demo"]],
        }
    )
    st.caption(
        tr(
            f"{len(reports)} คำร้อง · แตะแถวในตารางเพื่อเปิดคำร้อง",
            f"{len(reports)} reports · click a row to open it",
        )
    )
    picked = st.dataframe(
        table,
        hide_index=True,
        width="stretch",
        height=min(320, 40 + 35 * len(table)),
        on_select="rerun",
        selection_mode="single-row",
        key="verify_table",
    )
    rows = picked.selection.rows if picked is not None else []
    ids = [int(i) for i in reports["id"]]
    if rows and rows[0] < len(ids):
        st.session_state["verify_report"] = ids[rows[0]]
    elif st.query_params.get("receipt"):
        # a link to one report (/verify?receipt=NR-XXXX-XXXX) opens it when it is in this queue
        wanted = str(st.query_params["receipt"]).strip().upper()
        linked = [i for i, r in zip(ids, reports["receipt"], strict=True) if r == wanted]
        if linked:
            st.session_state["verify_report"] = linked[0]
    report_id = st.session_state.get("verify_report")
    if report_id not in ids:
        report_id = ids[0]  # nothing chosen yet (or it left the filtered list): the oldest
    return report_id
