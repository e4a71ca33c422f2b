"""The export page's choices: which part of the layer (level, area, status, dates), the
file (format, coordinate system, decimals, CSV layout), and privacy (members' text, small
counts hidden)."""

from __future__ import annotations

import streamlit as st

from geo.export import CRS_NAMES, FORMATS
from geo.export_layers import LEVEL_NAMES
from ui.i18n import lang, tr


def export_choices(spec) -> dict:
    """The widgets for ``spec``'s layer; their values as ExportOptions keywords."""
    L = lang()
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
            placeholder=tr(
                "เช่น จ.ขอนแก่น, TH4001, ภาคเหนือ, c05", "e.g. Khon Kaen, TH4001, North, c05"
            ),
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
            format_func=lambda c: (
                f"EPSG:{c} · "
                + (
                    {4326: "WGS 84 (ลองจิจูด ละติจูด)", 32647: "WGS 84 / UTM โซน 47N"}
                    | {32648: "WGS 84 / UTM โซน 48N"}
                ).get(c, CRS_NAMES[c])
                if L == "th"
                else f"EPSG:{c} · {CRS_NAMES[c]}"
            ),
            key=f"export_crs_{fmt}_{L}",
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
    return {
        "format": fmt,
        "level": level,
        "area": area or None,
        "status": ",".join(statuses) or None,
        "since": since or None,
        "until": until or None,
        "crs": crs,
        "precision": int(precision),
        "include_free_text": free_text,
        "suppress_below": int(suppress) or None,
        "csv_geometry": csv_geometry,
        "csv_header": csv_header,
    }
