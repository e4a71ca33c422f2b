"""The import page's readings: kind and field names, refused rows, the import report.

Everything here speaks the page's language (``ui.i18n``); user-supplied text is shown in
tables or escaped with ``md``.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from data.importers import KIND_NAMES
from data.importers.fields import fields_for
from data.importers.geometry import repair_text
from ui.i18n import lang, tr
from ui.safe import md


def kind_label(kind: str) -> str:
    th, en = KIND_NAMES[kind]
    return th if lang() == "th" else en


def reason_text(row: dict) -> str:
    return row.get("reason_th") if lang() == "th" else row.get("reason")


def refused_frame(refused: list[dict]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            tr("แถวที่", "Row"): [r["row"] for r in refused],
            tr("เหตุผล", "Reason"): [reason_text(r) for r in refused],
        }
    )


def field_label(kind: str, name: str | None) -> str:
    """A field's name as the user reads it (never the database column name)."""
    for f in fields_for(kind):
        if f.name == name:
            return f.label_th if lang() == "th" else f.label_en
    return "–" if not name else name


def show_report(report: dict) -> None:
    L = lang()
    status = report["status"]
    if status == "committed":
        st.success(
            tr(f"นำเข้าสำเร็จ {report['stored']:,} แถว", f"Imported {report['stored']:,} rows")
        )
    elif status == "partial":
        st.warning(
            tr(
                f"นำเข้า {report['stored']:,} แถว กักไว้ {report['quarantined']:,} แถว",
                f"Imported {report['stored']:,} rows; {report['quarantined']:,} quarantined",
            )
        )
    else:
        st.error(
            tr(
                f"ยังไม่นำเข้า: มีปัญหา {report['quarantined']:,} จาก {report['rows']:,} แถว "
                "(แถวที่มีปัญหาเก็บไว้ในแท็บ 'แถวที่ถูกกักไว้') แก้ไฟล์แล้วนำเข้าใหม่ "
                "หรือเลือกนำเข้าเฉพาะแถวที่ถูกต้อง",
                f"Nothing imported: {report['quarantined']:,} of {report['rows']:,} rows "
                "have problems (kept in the Quarantine tab). Fix the file and import again, "
                "or import the good rows only.",
            )
        )
    cols = st.columns(5)
    cols[0].metric(tr("แถวทั้งหมด", "Rows"), f"{report['rows']:,}")
    cols[1].metric(tr("เพิ่มใหม่", "Inserted"), f"{report['inserted']:,}")
    cols[2].metric(tr("ปรับปรุง", "Updated"), f"{report['updated']:,}")
    cols[3].metric(tr("ไม่เปลี่ยน", "Unchanged"), f"{report['unchanged']:,}")
    cols[4].metric(tr("กักไว้", "Quarantined"), f"{report['quarantined']:,}")
    if report["refused"]:
        st.subheader(tr("แถวที่มีปัญหา", "Rows with problems"))
        st.dataframe(refused_frame(report["refused"]), hide_index=True, width="stretch")
    if report["repairs"]:
        st.subheader(tr("แก้ไขรูปร่าง/พิกัดอัตโนมัติ", "Geometry repairs"))
        st.dataframe(
            pd.DataFrame(
                [
                    {
                        tr("แถวที่", "Row"): r["row"],
                        tr("การแก้ไข", "Repair"): "; ".join(repair_text(x, L) for x in r["repairs"]),
                    }
                    for r in report["repairs"]
                ]
            ),
            hide_index=True,
        )
    if report.get("fuzzy_places"):
        st.subheader(tr("ชื่อพื้นที่ที่จับคู่แบบใกล้เคียง (ตรวจสอบ)", "Place names matched fuzzily"))
        st.dataframe(
            pd.DataFrame(
                [
                    {
                        tr("แถวที่", "Row"): f["row"],
                        tr("ในไฟล์", "In the file"): f["input"],
                        tr("จับคู่กับ", "Matched"): f["matched"],
                        tr("คะแนน", "Score"): f["score"],
                    }
                    for f in report["fuzzy_places"]
                ]
            ),
            hide_index=True,
        )
    if report.get("ignored_columns"):
        st.caption(
            tr("คอลัมน์ที่ไม่ได้ใช้: ", "Columns not used: ") + md(", ".join(report["ignored_columns"]))
        )
