"""ติดตามคำร้อง / Track my reports: a report's status by its receipt code, and a signed-in
member's own reports."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from data.need_reports import PROBLEMS, STATUSES, by_receipt, own_reports
from ui.auth import require_role
from ui.i18n import be_year, lang, tr
from ui.resources import cursor
from ui.safe import md

user = require_role("viewer", "member")
L = lang()
con = cursor()


def label(pair: tuple[str, str]) -> str:
    return pair[0] if L == "th" else pair[1]


st.title(tr("ติดตามคำร้อง", "Track my reports"))

code = st.text_input(
    tr("เลขรับเรื่อง", "Receipt code"), placeholder="NR-XXXX-XXXX", key="track_receipt"
)
if code.strip():
    found = by_receipt(con, code)
    if found is None:
        st.warning(tr("ไม่พบคำร้องที่มีเลขรับเรื่องนี้", "No report has this receipt code."))
    else:
        status = found["status"]
        box = {"verified": st.success, "rejected": st.error, "on_hold": st.warning}.get(
            status, st.info
        )
        box(tr("สถานะ: ", "Status: ") + label(STATUSES[status]))
        place = (
            f"ต.{found['tambon_th']} จ.{found['province_th']}"
            if L == "th"
            else f"{found['tambon_en']}, {found['province_en']}"
        )
        st.markdown(
            f"**{md(found['community_name'])}** · {md(place)} · "
            + tr(f"{int(found['households'])} ครัวเรือน", f"{int(found['households'])} households")
        )
        st.caption(
            tr("แจ้งเมื่อ ", "Reported on ")
            + be_year(found["created_at"])
            + tr(" · ปรับปรุงล่าสุด ", " · last updated ")
            + be_year(found["updated_at"])
        )
        if status == "rejected" and found.get("reason"):
            st.markdown(tr("เหตุผล: ", "Reason: ") + md(found["reason"]))
        if status == "on_hold" and found.get("reason"):
            st.markdown(
                tr("ผู้ประสานงานขอข้อมูลเพิ่ม: ", "The coordinator needs: ") + md(found["reason"])
            )
        if status == "merged" and found.get("merged_into"):
            st.markdown(tr("รวมกับคำร้อง ", "Merged into report ") + md(found["merged_into"]))

if user.username:
    st.subheader(tr("คำร้องของฉัน", "My reports"))
    mine = own_reports(con, user.username)
    if mine.empty:
        st.caption(tr("ยังไม่มีคำร้อง", "No reports yet."))
    else:
        table = pd.DataFrame(
            {
                tr("เลขรับเรื่อง", "Receipt"): mine["receipt"],
                # status second: on a phone the first columns are the ones on screen
                tr("สถานะ", "Status"): [label(STATUSES[s]) for s in mine["status"]],
                tr("ชุมชน", "Community"): mine["community_name"],
                tr("ครัวเรือน", "Households"): mine["households"],
                tr("ปัญหา", "Problems"): [
                    ", ".join(label(PROBLEMS[p]) for p in ps) for ps in mine["problems"]
                ],
                tr("ตำบล", "Tambon"): mine["tambon_th" if L == "th" else "tambon_en"],
                tr("วันที่แจ้ง", "Reported"): [be_year(d) for d in mine["created_at"]],
            }
        )
        st.dataframe(table, hide_index=True, width="stretch")
