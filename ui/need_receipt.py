"""The receipt a member sees after sending a housing-need report (the mark page)."""

from __future__ import annotations

import streamlit as st

from data.need_reports import new_form_id
from ui.i18n import lang, tr
from ui.safe import md


def show_receipt(receipt: dict) -> None:
    """The receipt code, the tambon the server placed the report in, any repairs made to
    the drawing, and a button to report another (which starts a new form id)."""
    L = lang()
    st.success(
        tr(
            f"บันทึกคำร้องแล้ว เลขรับเรื่องของคุณคือ `{receipt['receipt']}`",
            f"Your report is saved. Your receipt code is `{receipt['receipt']}`",
        )
        if not receipt["already_saved"]
        else tr(
            f"คำร้องนี้บันทึกไว้แล้ว เลขรับเรื่อง `{receipt['receipt']}`",
            f"This report was already saved. Receipt code `{receipt['receipt']}`",
        )
    )
    place = (
        f"ต.{receipt['tambon_th']} อ.{receipt['amphoe_th']} จ.{receipt['province_th']}"
        if L == "th"
        else f"{receipt['tambon_en']}, {receipt['amphoe_en']}, {receipt['province_en']}"
    )
    st.markdown(tr("ตำบลที่ระบบกำหนดจากตำแหน่ง: ", "Tambon found from the location: ") + md(place))
    for repair in receipt["repairs"]:
        st.info(repair)
    st.caption(
        tr(
            "เก็บเลขรับเรื่องไว้เพื่อติดตามสถานะที่หน้า 'ติดตามคำร้อง'",
            "Keep the receipt code to follow the status on the 'Track my reports' page.",
        )
    )
    if st.button(tr("แจ้งเรื่องใหม่", "Report another"), key="need_new", type="primary"):
        for key in ("need_receipt", "need_drawing", "need_focus"):
            st.session_state.pop(key, None)
        st.session_state["need_form_id"] = new_form_id()
        st.session_state["need_map_version"] = st.session_state.get("need_map_version", 0) + 1
        st.rerun()
