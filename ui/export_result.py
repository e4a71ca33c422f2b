"""The export page's result: what the file holds, its two download links (this session
only, expiring), its fields and its sources."""

from __future__ import annotations

import json

import pandas as pd
import streamlit as st

from ui.downloads import session_download
from ui.i18n import lang, tr
from ui.safe import md


def export_result() -> None:
    """The last file made in this session, if any."""
    L = lang()
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
                    "This file includes demo data (synthetic, not real): "
                    "do not use it for decisions.",
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
