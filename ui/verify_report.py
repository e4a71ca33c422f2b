"""The verify page's report: its details, overlaps, map with nearby reports, projects and
land cases; the private contact and the decision history."""

from __future__ import annotations

import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from data.need_reports import (
    ACTION_NAMES,
    LANDOWNERS,
    PROBLEMS,
    STATUSES,
    URGENCIES,
    Actor,
    contact,
    decisions,
    get_report,
    nearby,
)
from geo.need_maps import verify_map
from ui.i18n import be_year, lang, tr
from ui.safe import md
from ui.verify_queue import label


def report_details(con, report_id: int) -> tuple[dict, dict]:
    """The report's details and map; returns the report and what lies near it."""
    L = lang()
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
            + ", ".join(
                f"{md(r.receipt)} ({md(r.community_name)})" for r in overlapping.itertuples()
            )
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
        tr("กรณีที่ดิน", "Land cases"): len(near["land_cases"])
        if near["land_cases"] is not None
        else 0,
    }
    st.caption(" · ".join(f"{k}: {v}" for k, v in counts.items()))
    return report, near


def contact_and_history(con, report_id: int, actor: Actor) -> None:
    """The contact (when the actor may see it) and earlier decisions, each folded away."""
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
