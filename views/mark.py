"""แจ้งความเดือดร้อนด้านที่อยู่อาศัย / Report housing need: find the place, draw, describe, send.

Phone first: one column, the map then a short form. The server validates everything again
(data.need_reports, geo.validate) and answers with the tambon it placed the report in and
a receipt code. The form id is made when the form opens, so a double click stores one report.
"""

from __future__ import annotations

import streamlit as st
from streamlit_folium import st_folium

from data.errors import PhangError
from data.need_reports import LANDOWNERS, PROBLEMS, URGENCIES, NeedForm, new_form_id, submit
from geo.need_maps import drawing_from_map_state, mark_map
from ui.auth import require_role
from ui.i18n import lang, tr
from ui.need_cache import mark_outlines
from ui.need_receipt import show_receipt
from ui.resources import connection, cursor, gazetteer

user = require_role("viewer", "member")
L = lang()

if "need_form_id" not in st.session_state:
    st.session_state["need_form_id"] = new_form_id()


def label(pair: tuple[str, str]) -> str:
    return pair[0] if L == "th" else pair[1]


st.header(tr("แจ้งความเดือดร้อนด้านที่อยู่อาศัย", "Report housing need"))

receipt = st.session_state.get("need_receipt")
if receipt is not None:
    show_receipt(receipt)
    st.stop()

st.caption(
    tr(
        "ค้นหาตำบลหรือเลื่อนแผนที่ → วาดพื้นที่ชุมชนหรือปักหมุด → กรอกแบบฟอร์มสั้น ๆ แล้วกดส่ง",
        "Find the tambon or move the map → draw the community's area or drop a pin → "
        "fill in the short form and send",
    )
)

# --- 1. find the place ---------------------------------------------------------------------
query = st.text_input(
    tr("ค้นหาสถานที่ (ตำบล อำเภอ จังหวัด)", "Find the place (tambon, amphoe, province)"),
    key="need_place_query",
    placeholder=tr("เช่น คลองเตย กรุงเทพ", "e.g. Khlong Toei, Bangkok"),
)
if query.strip():
    result = gazetteer().match(query)
    if result.pcode:
        st.session_state["need_focus"] = result.pcode
    elif result.candidates:
        options = {
            c.pcode: c.path_th if L == "th" else f"{c.name_en} ({c.pcode})"
            for c in result.candidates[:8]
        }
        picked = st.selectbox(
            tr("พบหลายแห่ง เลือกหนึ่งแห่ง", "Several places match; pick one"),
            list(options),
            format_func=options.get,
            key="need_place_pick",
        )
        st.session_state["need_focus"] = picked
    else:
        st.warning(
            tr(
                "ไม่พบสถานที่นี้ ลองสะกดใหม่หรือเลื่อนแผนที่เอง",
                "No such place; try another spelling or move the map yourself.",
            )
        )

# --- 2. draw -------------------------------------------------------------------------------
con = cursor()
focus = st.session_state.get("need_focus")
drawing = st.session_state.get("need_drawing")
fmap = mark_map(con, focus, drawing, L, context=mark_outlines(focus))
state = st_folium(
    fmap,
    key=f"need_map_{st.session_state.get('need_map_version', 0)}_{focus or 'th'}",
    height=420,
    use_container_width=True,
    returned_objects=["last_active_drawing", "all_drawings", "last_clicked"],
)
new_drawing = drawing_from_map_state(state)
if new_drawing:
    st.session_state["need_drawing"] = new_drawing
    drawing = new_drawing
clicked = (state or {}).get("last_clicked")
if (
    not drawing
    and clicked
    and st.button(
        tr("ปักหมุดตรงจุดที่แตะบนแผนที่", "Drop a pin where I tapped the map"), key="need_use_click"
    )
):
    drawing = {"type": "Point", "coordinates": [clicked["lng"], clicked["lat"]]}
    st.session_state["need_drawing"] = drawing
if drawing:
    kind = (drawing.get("geometry") or drawing).get("type", "")
    st.info(
        tr(
            "วาดพื้นที่แล้ว" if kind != "Point" else "ปักหมุดแล้ว",
            "Area drawn" if kind != "Point" else "Pin dropped",
        )
        + tr(" · แก้ไขได้บนแผนที่", " · you can edit it on the map")
    )
else:
    st.warning(tr("ยังไม่ได้วาดพื้นที่หรือปักหมุด", "Nothing drawn yet: draw an area or drop a pin."))

# --- 3. describe and send ------------------------------------------------------------------
with st.form("need_form"):
    community = st.text_input(tr("ชื่อชุมชน *", "Community name *"), max_chars=200)
    households = st.number_input(
        tr("จำนวนครัวเรือนที่เดือดร้อน *", "Households affected *"),
        min_value=1,
        max_value=10_000,
        value=None,
        step=1,
        format="%d",
    )
    problems = st.multiselect(
        tr("ปัญหา (เลือกได้หลายข้อ) *", "Problems (choose any) *"),
        list(PROBLEMS),
        format_func=lambda c: label(PROBLEMS[c]),
    )
    landowner = st.selectbox(
        tr("เจ้าของที่ดิน (ถ้าทราบ)", "Landowner (if known)"),
        list(LANDOWNERS),
        format_func=lambda c: label(LANDOWNERS[c]),
    )
    urgency = st.radio(
        tr("ความเร่งด่วน *", "Urgency *"),
        list(URGENCIES),
        format_func=lambda c: label(URGENCIES[c]),
        horizontal=True,
        index=1,
    )
    description = st.text_area(tr("รายละเอียด", "Description"), max_chars=2000, height=100)
    with st.expander(
        tr("ข้อมูลติดต่อ (ไม่บังคับ เห็นเฉพาะผู้ประสานงาน)", "Contact (optional, seen by coordinators only)")
    ):
        contact_name = st.text_input(tr("ชื่อผู้ติดต่อ", "Contact name"), max_chars=200)
        contact_phone = st.text_input(tr("เบอร์โทรศัพท์", "Phone"), max_chars=20)
        contact_note = st.text_input(tr("หมายเหตุ", "Note"), max_chars=500)
    sent = st.form_submit_button(tr("ส่งคำร้อง", "Send report"), type="primary", width="stretch")

if sent:
    form = NeedForm(
        form_id=st.session_state["need_form_id"],
        geometry=st.session_state.get("need_drawing"),
        community_name=community,
        households=households,
        problems=problems,
        urgency=urgency,
        landowner=landowner,
        description=description,
        contact_name=contact_name,
        contact_phone=contact_phone,
        contact_note=contact_note,
    )
    try:
        saved = submit(connection(), form, actor=user.username or None)
    except PhangError as exc:
        st.error(exc.localized(L))
    else:
        # the map always sends a GeoJSON Feature: that "repair" is no news to the member
        shown = [r.message(L) for r in saved.repairs if r.code != "feature_unwrapped"]
        st.session_state["need_receipt"] = dict(saved.to_dict(), repairs=shown)
        st.rerun()
