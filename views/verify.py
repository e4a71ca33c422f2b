"""ตรวจสอบคำร้อง / Verify reports: a coordinator's queue, scoped to their area.

Each report is shown on a map with nearby reports, Baan Mankong projects and land cases;
overlaps are flagged. Verify, reject (a reason is required) or merge a duplicate; every
decision is recorded with the status the coordinator saw, so if someone else decided
first the page says so and nothing is written.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from data.need_reports import (
    ACTION_NAMES,
    LANDOWNERS,
    OPEN_STATUSES,
    PROBLEMS,
    STATUSES,
    URGENCIES,
    Actor,
    contact,
    decisions,
    get_report,
    nearby,
    queue,
    scope_label,
    scope_provinces,
)
from geo.need_maps import verify_map
from ui.auth import require_role
from ui.i18n import be_year, lang, tr
from ui.resources import cursor
from ui.safe import md
from ui.verify_decision import decision_form, settle_sent_form, show_outcome

user = require_role("coordinator")
L = lang()
con = cursor()
actor = Actor(user.username, user.role, user.scope if user.role == "coordinator" else None)


def label(pair: tuple[str, str]) -> str:
    return pair[0] if L == "th" else pair[1]


area_th, area_en = scope_label(con, actor.scope)
st.title(tr("ตรวจสอบคำร้อง", "Verify reports"))
st.caption(tr("พื้นที่รับผิดชอบ: ", "Your area: ") + md(area_th if L == "th" else area_en))

settle_sent_form(actor, L)  # before the queue is read: a decided report leaves it
show_outcome()

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
report = get_report(con, report_id)
near = nearby(con, report_id)
overlapping = near["reports"][near["reports"]["overlaps"]] if len(near["reports"]) else None

st.subheader(f"{md(report['receipt'])} · {md(report['community_name'])}")
if report["is_demo"]:
    st.caption(tr("ข้อมูลสาธิต ไม่ใช่คำร้องจริง", "Demo data, not a real report"))
place = (
    f"ต.{report['tambon_th']} อ.{report['amphoe_th']} จ.{report['province_th']}"
    if L == "th"
    else f"{report['tambon_en']}, {report['amphoe_en']}, {report['province_en']}"
)
details = pd.DataFrame(
    {
        tr("รายการ", "Field"): [
            tr("สถานะ", "Status"),
            tr("ที่ตั้ง", "Place"),
            tr("ครัวเรือน", "Households"),
            tr("ปัญหา", "Problems"),
            tr("เจ้าของที่ดิน", "Landowner"),
            tr("ความเร่งด่วน", "Urgency"),
            tr("รายละเอียด", "Description"),
            tr("พื้นที่ (ตร.ม.)", "Area (m²)"),
            tr("แจ้งโดย", "Reported by"),
            tr("วันที่แจ้ง", "Reported"),
        ],
        tr("ค่า", "Value"): [
            label(STATUSES[report["status"]]),
            place,
            str(int(report["households"])),
            ", ".join(label(PROBLEMS[p]) for p in report["problems"]),
            label(LANDOWNERS[report["landowner"]]),
            label(URGENCIES[report["urgency"]]),
            report["description"] or "–",
            f"{report['area_m2']:,.0f}",
            report["submitted_by"] or tr("ไม่ระบุชื่อ", "anonymous"),
            be_year(report["created_at"]),
        ],
    }
)
st.dataframe(details, hide_index=True, width="stretch")
if overlapping is not None and len(overlapping):
    st.warning(
        tr("คำร้องนี้ทับซ้อนหรืออยู่ติดกับคำร้องอื่น: ", "This report overlaps or touches: ")
        + ", ".join(f"{md(r.receipt)} ({md(r.community_name)})" for r in overlapping.itertuples())
    )

st_folium(
    verify_map(report, near, L, con=con),
    key=f"verify_map_{report_id}",
    height=420,
    use_container_width=True,
    returned_objects=[],
)
counts = {
    tr("คำร้องใกล้เคียง (2 กม.)", "Nearby reports (2 km)"): len(near["reports"]),
    tr("โครงการบ้านมั่นคง", "Baan Mankong projects"): len(near["projects"])
    if near["projects"] is not None
    else 0,
    tr("กรณีที่ดิน", "Land cases"): len(near["land_cases"]) if near["land_cases"] is not None else 0,
}
st.caption(" · ".join(f"{k}: {v}" for k, v in counts.items()))

private = contact(con, report_id, actor)
with st.expander(tr("ข้อมูลติดต่อ (ข้อมูลส่วนบุคคล)", "Contact (private)")):
    if private:
        st.dataframe(
            pd.DataFrame(
                [
                    {
                        tr("ชื่อ", "Name"): private["name"],
                        tr("โทรศัพท์", "Phone"): private["phone"],
                        tr("หมายเหตุ", "Note"): private["note"],
                    }
                ]
            ),
            hide_index=True,
            width="stretch",
        )
    else:
        st.caption(tr("ไม่ได้ให้ข้อมูลติดต่อ", "No contact given."))

history = decisions(con, report_id)
if not history.empty:
    with st.expander(tr("ประวัติการตัดสิน", "Decision history")):
        st.dataframe(
            pd.DataFrame(
                {
                    tr("เมื่อ", "When"): [be_year(d) for d in history["decided_at"]],
                    tr("โดย", "By"): history["actor"],
                    tr("การตัดสิน", "Decision"): [
                        label(ACTION_NAMES.get(a, (a, a))) for a in history["action"]
                    ],
                    tr("เหตุผล", "Reason"): history["reason"],
                }
            ),
            hide_index=True,
            width="stretch",
        )

# --- decide (ui.verify_decision: a sent form is settled at the top of the next run) -------
decision_form(report, near["reports"])
