"""The import page's log tab: the last imports and how much demo data the database holds."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from ui.i18n import be_year, tr
from ui.import_report import kind_label


def log_tab(con) -> None:
    """The log tab's body."""
    log = con.execute(
        """SELECT id, started_at, kind, file_name, source, mode, status, rows_total, inserted,
                  updated, unchanged, quarantined, actor
           FROM import_batch ORDER BY id DESC LIMIT 200"""
    ).df()
    if log.empty:
        st.info(tr("ยังไม่มีการนำเข้า", "No imports yet"))
    else:
        modes = {
            "all_or_nothing": tr("ทั้งไฟล์หรือไม่เลย", "All or nothing"),
            "good_rows": tr("เฉพาะแถวที่ถูกต้อง", "Good rows only"),
            "demo": tr("ข้อมูลสาธิต", "Demo data"),
            "fix": tr("แก้แถวที่กักไว้", "Quarantine fix"),
        }
        outcomes = {
            "committed": tr("นำเข้าแล้ว", "Imported"),
            "partial": tr("นำเข้าบางส่วน", "Partly imported"),
            "refused": tr("ไม่นำเข้า", "Refused"),
        }
        st.dataframe(
            pd.DataFrame(
                {
                    tr("ครั้งที่", "No."): log["id"],
                    tr("เมื่อ", "When"): log["started_at"].map(be_year),
                    tr("ประเภทข้อมูล", "Kind"): log["kind"].map(kind_label),
                    tr("ไฟล์", "File"): log["file_name"],
                    tr("แหล่งข้อมูล", "Source"): log["source"],
                    tr("วิธีนำเข้า", "Mode"): log["mode"].map(lambda m: modes.get(m, m)),
                    tr("ผล", "Outcome"): log["status"].map(lambda m: outcomes.get(m, m)),
                    tr("แถว", "Rows"): log["rows_total"],
                    tr("เพิ่มใหม่", "Inserted"): log["inserted"],
                    tr("ปรับปรุง", "Updated"): log["updated"],
                    tr("ไม่เปลี่ยน", "Unchanged"): log["unchanged"],
                    tr("กักไว้", "Quarantined"): log["quarantined"],
                    tr("โดย", "By"): log["actor"],
                }
            ),
            hide_index=True,
            width="stretch",
        )
    demo = con.execute(
        """SELECT 'organization' AS k, count(*) FILTER (is_demo), count(*) FROM community_org
           UNION ALL SELECT 'council', count(*) FILTER (is_demo), count(*) FROM tambon_council
           UNION ALL SELECT 'project', count(*) FILTER (is_demo), count(*)
                     FROM baan_mankong_project
           UNION ALL SELECT 'land_case', count(*) FILTER (is_demo), count(*) FROM land_case"""
    ).fetchall()
    st.caption(
        tr("ข้อมูลสาธิต (ไม่ใช่ข้อมูลจริง) ในฐานข้อมูล: ", "Demo data (not real records) in the database: ")
        + " · ".join(f"{kind_label(k)} {d:,}/{n:,}" for k, d, n in demo)
    )
