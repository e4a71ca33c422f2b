"""ส่งออกข้อมูล / Export layers: an analyst picks a layer, filters and a format, and downloads
the file with its metadata sidecar. The export runs through the app's own connection (the
app holds the database file, so the command line cannot open it meanwhile).
"""

from __future__ import annotations

import json

import pandas as pd
import streamlit as st

from data.errors import PhangError
from geo.export import CRS_NAMES, FORMATS, ExportOptions, export_to_bytes
from geo.export_layers import LEVEL_NAMES, available_layers
from ui.auth import require_role
from ui.downloads import session_download
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
        "พร้อมไฟล์คำอธิบายข้อมูล (metadata) ข้อมูลติดต่อและบัญชีผู้ใช้จะไม่ถูกส่งออกเด็ดขาด",
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

left, right = st.columns(2)
with left:
    level = None
    if spec.levels:
        level = st.selectbox(
            tr("ระดับพื้นที่", "Area level"),
            list(spec.levels),
            index=list(spec.levels).index(spec.default_level),
            format_func=lambda lv: LEVEL_NAMES[lv][0 if L == "th" else 1],
            key="export_level",
        )
    area = st.text_input(
        tr("เฉพาะพื้นที่ (ไม่บังคับ)", "Only this area (optional)"),
        placeholder=tr("เช่น จ.ขอนแก่น, TH4001, ภาคเหนือ, c05", "e.g. Khon Kaen, TH4001, North, c05"),
        key="export_area",
    )
    statuses = []
    if spec.statuses:
        statuses = st.multiselect(
            tr("สถานะ", "Status"),
            list(spec.statuses),
            format_func=lambda s: spec.statuses[s][0 if L == "th" else 1],
            key="export_status",
        )
    since = until = ""
    if spec.date_column:
        d1, d2 = st.columns(2)
        since = d1.text_input(
            tr("ตั้งแต่วันที่", "From date"),
            placeholder=tr("2567-01-01 (พ.ศ.)", "2024-01-01"),
            key="export_since",
        )
        until = d2.text_input(
            tr("ถึงวันที่", "To date"),
            placeholder=tr("2567-12-31 (พ.ศ.)", "2024-12-31"),
            key="export_until",
        )
with right:
    fmt = st.radio(
        tr("รูปแบบไฟล์", "File format"),
        list(FORMATS),
        format_func={"geojson": "GeoJSON", "gpkg": "GeoPackage", "csv": "CSV (Excel)"}.get,
        horizontal=True,
        key="export_format",
    )
    crs_options = [4326] if fmt == "geojson" else list(CRS_NAMES)
    crs = st.selectbox(
        tr("ระบบพิกัด", "Coordinate system"),
        crs_options,
        format_func=lambda c: f"EPSG:{c} · {CRS_NAMES[c]}",
        key=f"export_crs_{fmt}",
        help=tr("GeoJSON ใช้ WGS84 เสมอ (RFC 7946)", "GeoJSON is always WGS84 (RFC 7946)"),
    )
    precision = st.number_input(
        tr("ทศนิยมของพิกัด", "Coordinate decimals"),
        min_value=0,
        max_value=15,
        value=6 if crs == 4326 else 2,
        key=f"export_precision_{crs}",
    )
    csv_geometry, csv_header = None, "name"
    if fmt == "csv":
        csv_geometry = st.radio(
            tr("พิกัดใน CSV", "Geometry in the CSV"),
            ["wkt", "lonlat"],
            index=1 if spec.geometry_type == "Point" else 0,
            format_func={"wkt": "WKT", "lonlat": tr("ลองจิจูด/ละติจูด", "lon/lat")}.get,
            horizontal=True,
            key="export_csv_geometry",
        )
        csv_header = st.radio(
            tr("หัวตาราง", "Header row"),
            ["th", "en", "name"],
            format_func={"th": "ไทย", "en": "English", "name": tr("ชื่อฟิลด์", "field names")}.get,
            horizontal=True,
            key="export_csv_header",
        )

st.subheader(tr("ความเป็นส่วนตัว", "Privacy"))
free_text = False
if any(f.free_text for f in spec.fields):
    free_text = st.checkbox(
        tr(
            "รวมข้อความที่สมาชิกพิมพ์ เช่น ชื่อชุมชน (เบอร์โทร อีเมล และเลขบัตรประชาชนจะถูกปิดบัง)",
            "Include what members typed, such as community names (phone numbers, e-mails "
            "and ID numbers in it are masked)",
        ),
        key="export_free_text",
    )
suppress = st.number_input(
    tr("ปกปิดจำนวนที่น้อยกว่า (0 = ไม่ปกปิด)", "Hide counts below (0 = off)"),
    min_value=0,
    max_value=1000,
    value=0,
    key="export_suppress",
    help=tr(
        "จำนวนที่น้อยกว่าเกณฑ์จะเว้นว่าง และพื้นที่ที่มีระเบียนน้อยกว่าเกณฑ์จะไม่ถูกส่งออก (สำหรับคำร้องความเดือดร้อน)",
        "Counts under the threshold are left empty; for need reports, areas with fewer records "
        "are left out.",
    ),
)

if st.button(tr("สร้างไฟล์", "Make the file"), type="primary", key="export_go"):
    options = ExportOptions(
        layer=key,
        format=fmt,
        level=level,
        grouping=current_grouping(),
        area=area or None,
        status=",".join(statuses) or None,
        since=since or None,
        until=until or None,
        crs=crs,
        precision=int(precision),
        include_free_text=free_text,
        suppress_below=int(suppress) or None,
        csv_geometry=csv_geometry,
        csv_header=csv_header,
    )
    try:
        with st.spinner(tr("กำลังสร้างไฟล์…", "Making the file…")):
            data, metadata, name = export_to_bytes(con, options, gazetteer=gazetteer())
        st.session_state["export_result"] = (data, metadata, name)
    except PhangError as exc:
        st.session_state.pop("export_result", None)
        st.error(md(exc.localized(L)))

result = st.session_state.get("export_result")
if result:
    data, metadata, name = result
    st.divider()
    title = metadata["title_th"] if L == "th" else metadata["title_en"]
    st.subheader(md(title))
    if metadata["demo_data_included"]:
        st.warning(
            tr(
                "ไฟล์นี้มีข้อมูลสาธิต (สังเคราะห์ ไม่ใช่ข้อมูลจริง) ห้ามใช้เพื่อการตัดสินใจ",
                "This file includes demo data (synthetic, not real): do not use it for decisions.",
            )
        )
    c1, c2, c3 = st.columns(3)
    c1.metric(tr("จำนวนระเบียน", "Records"), f"{metadata['record_count']:,}")
    c2.metric(tr("ขนาดไฟล์", "File size"), f"{len(data) / 1024:,.0f} KB")
    c3.metric(tr("ระบบพิกัด", "CRS"), metadata["crs"])
    mime = {"geojson": "application/geo+json", "gpkg": "application/geopackage+sqlite3"}
    d1, d2 = st.columns(2)
    # links for this signed-in session only, that expire (ui.downloads)
    session_download(
        d1,
        tr("ดาวน์โหลด ", "Download ") + name,
        data,
        name,
        mime.get(metadata["format"], "text/csv"),
        key="export_download",
    )
    session_download(
        d2,
        tr("ดาวน์โหลดคำอธิบายข้อมูล (JSON)", "Download the metadata (JSON)"),
        json.dumps(metadata, ensure_ascii=False, indent=2),
        f"{name}.metadata.json",
        "application/json",
        key="export_download_metadata",
    )
    st.markdown("**" + tr("ฟิลด์", "Fields") + "**")
    st.dataframe(
        pd.DataFrame(
            {
                tr("ชื่อฟิลด์", "Field"): [f["name"] for f in metadata["fields"]],
                tr("ชื่อไทย", "Thai name"): [f["name_th"] for f in metadata["fields"]],
                tr("ชื่ออังกฤษ", "English name"): [f["name_en"] for f in metadata["fields"]],
                tr("หน่วย", "Unit"): [
                    f["unit_th"] if L == "th" else f["unit_en"] for f in metadata["fields"]
                ],
            }
        ),
        hide_index=True,
        use_container_width=True,
    )
    st.markdown("**" + tr("แหล่งข้อมูลและสัญญาอนุญาต", "Sources and licences") + "**")
    for source in metadata["sources"]:
        st.markdown(f"- {md(source['title'])} — {md(source['licence'])}")
    with st.expander(tr("คำอธิบายข้อมูลทั้งหมด (JSON)", "All metadata (JSON)")):
        st.json(metadata)
