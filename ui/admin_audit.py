"""The admin page's audit tab: the history of any record (who, what, when, before and
after) from the audit log."""

from __future__ import annotations

import json

import pandas as pd
import streamlit as st

from data.audit import history
from ui.i18n import tr


def audit_tab(con) -> None:
    """The audit tab's body."""
    st.caption(
        tr(
            "ประวัติของระเบียนใดก็ได้: ใคร ทำอะไร เมื่อไร ค่าก่อนและหลัง",
            "The history of any record: who, what, when, before and after",
        )
    )
    tables = [
        r[0] for r in con.execute("SELECT DISTINCT table_name FROM audit_log ORDER BY 1").fetchall()
    ]
    table = st.selectbox(tr("ตาราง", "Table"), tables or ["need_report"], key="audit_table")
    record_id = st.text_input(tr("รหัสระเบียน", "Record id"), key="audit_record")
    if record_id.strip():
        rows = history(con, table, record_id.strip())
        if not rows:
            st.info(tr("ไม่มีประวัติของระเบียนนี้", "No history for this record."))
        else:
            st.dataframe(
                pd.DataFrame(
                    {
                        tr("เมื่อ", "When"): [str(r["at"])[:19] for r in rows],
                        tr("โดย", "By"): [r["actor"] for r in rows],
                        tr("การกระทำ", "Action"): [r["action"] for r in rows],
                        tr("ก่อน", "Before"): [
                            json.dumps(r["before"], ensure_ascii=False)
                            if r["before"] is not None
                            else ""
                            for r in rows
                        ],
                        tr("หลัง", "After"): [
                            json.dumps(r["after"], ensure_ascii=False)
                            if r["after"] is not None
                            else ""
                            for r in rows
                        ],
                    }
                ),
                hide_index=True,
                width="stretch",
            )
