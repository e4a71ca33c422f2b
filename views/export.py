"""ส่งออกข้อมูล / Export layers: an analyst picks a layer, filters and a format, and downloads
the file with its metadata sidecar. The export runs through the app's own connection (the
app holds the database file, so the command line cannot open it meanwhile).
"""

from __future__ import annotations

import streamlit as st

from data.errors import PhangError
from geo.export import ExportOptions, export_to_bytes
from geo.export_layers import available_layers
from ui.auth import require_role
from ui.export_options import export_choices
from ui.export_result import export_result
from ui.i18n import lang, tr
from ui.resources import current_grouping, cursor, gazetteer
from ui.safe import md

require_role("analyst")
L = lang()
con = cursor()

st.title(tr("ส่งออกข้อมูล", "Export layers"))
st.caption(
    tr(
        "ส่งออกชั้นข้อมูลให้หน่วยงาน: GeoJSON (RFC 7946), GeoPackage หรือ CSV "
        "พร้อมไฟล์คำอธิบายข้อมูล ข้อมูลติดต่อและบัญชีผู้ใช้จะไม่ถูกส่งออกเด็ดขาด",
        "Export a layer for an agency: GeoJSON (RFC 7946), GeoPackage or CSV, with a metadata "
        "file. Contact details and account data are never exported.",
    )
)

layers = available_layers(con)
key = st.selectbox(
    tr("ชั้นข้อมูล", "Layer"),
    list(layers),
    format_func=lambda k: layers[k].title(L),
    key="export_layer",
)
spec = layers[key]
st.caption(md(spec.description(L)))

choices = export_choices(spec)

if st.button(tr("สร้างไฟล์", "Make the file"), type="primary", key="export_go"):
    options = ExportOptions(layer=key, grouping=current_grouping(), **choices)
    try:
        with st.spinner(tr("กำลังสร้างไฟล์…", "Making the file…")):
            data, metadata, name = export_to_bytes(con, options, gazetteer=gazetteer())
        st.session_state["export_result"] = (data, metadata, name)
    except PhangError as exc:
        st.session_state.pop("export_result", None)
        st.error(md(exc.localized(L)))

export_result()
