"""A planner adds a province grouping from a CSV on the dashboard (no command line).

The same reader and checks as ``python -m data groupings import`` (boundaries.groupings):
every row good or nothing stored; refused rows are listed with their reason in the user's
language and the nearest province names.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pandas as pd
import streamlit as st

from boundaries.groupings import grouping_from_csv, store_grouping
from data.errors import PhangError
from data.importers.tempfiles import work_dir
from ui.auth import current_user
from ui.i18n import lang, tr
from ui.resources import connection, gazetteer
from ui.safe import md

#: roles that may add a grouping (planners: CODI staff signed in)
ROLES = ("coordinator", "analyst")

_REASONS_TH = (
    (r"^province, cluster and region are all required$", "ต้องมีทั้งจังหวัด กลุ่มจังหวัด และภาค"),
    (r"^ambiguous province name$", "ชื่อจังหวัดตรงกับหลายจังหวัด"),
    (r"^province not recognised$", "ไม่รู้จักจังหวัดนี้"),
    (r"^province listed twice$", "จังหวัดนี้อยู่ในไฟล์สองครั้ง"),
    (r"^province .* is in no cluster.*$", "จังหวัดนี้ไม่อยู่ในกลุ่มใดเลย ทุกจังหวัดต้องอยู่ในหนึ่งกลุ่ม"),
    (r"^cluster .* is already in another region.*$", "กลุ่มจังหวัดนี้อยู่ในภาคอื่นแล้ว กลุ่มหนึ่งอยู่ได้ภาคเดียว"),
    (r"^province .* listed twice.*$", "จังหวัดนี้อยู่ในไฟล์สองครั้ง"),
)
EXAMPLE = "จังหวัด,กลุ่มจังหวัด,ภาค\nเชียงใหม่,ล้านนาตอนบน,เหนือ\nลำพูน,ล้านนาตอนบน,เหนือ\n"


def reason_text(reason: str) -> str:
    """A refused row's reason in the user's language."""
    if lang() != "th":
        return reason
    for pattern, thai in _REASONS_TH:
        if re.match(pattern, reason):
            return thai
    return reason


def section(on_stored) -> None:
    """The upload form; ``on_stored(name)`` is called after a grouping is stored."""
    user = current_user()
    with st.expander(tr("เพิ่มการจัดกลุ่มจังหวัดจากไฟล์ CSV", "Add a province grouping from a CSV")):
        st.caption(
            tr(
                "ไฟล์ CSV มีสามคอลัมน์: จังหวัด (ชื่อหรือรหัส) กลุ่มจังหวัด และภาค ครบทั้ง 77 จังหวัด "
                "ทุกแถวต้องถูกต้องจึงจะบันทึก",
                "A CSV with three columns: province (name or P-code), cluster and region, "
                "for all 77 provinces. It is stored only when every row is right.",
            )
        )
        st.download_button(
            tr("ดาวน์โหลดตัวอย่าง CSV", "Download an example CSV"),
            ("\ufeff" + EXAMPLE).encode("utf-8"),
            file_name="grouping_example.csv",
            mime="text/csv",
            key="grouping_example",
        )
        if not user.has(*ROLES):
            st.info(
                tr(
                    "เข้าสู่ระบบเป็นผู้ประสานงานหรือนักวิเคราะห์เพื่อเพิ่มการจัดกลุ่ม",
                    "Sign in as a coordinator or analyst to add a grouping.",
                )
            )
            return
        with st.form("grouping_upload", clear_on_submit=False):
            name = st.text_input(
                tr("ชื่อย่อ (อักษรอังกฤษตัวเล็ก ตัวเลข - หรือ _)", "Short name (a-z, 0-9, - or _)"),
                placeholder="codi-2568",
                max_chars=63,
            )
            title_th = st.text_input(tr("ชื่อภาษาไทย", "Thai title"), max_chars=200)
            title_en = st.text_input(tr("ชื่อภาษาอังกฤษ", "English title"), max_chars=200)
            upload = st.file_uploader(tr("ไฟล์ CSV", "CSV file"), type=["csv"])
            go = st.form_submit_button(tr("ตรวจสอบและบันทึก", "Check and store"), type="primary")
        if not go:
            return
        if upload is None:
            st.error(tr("กรุณาเลือกไฟล์ CSV", "Choose a CSV file."))
            return
        store(upload, name.strip(), title_th.strip(), title_en.strip(), on_stored)


def upload_file_name(name: str) -> str:
    """The uploaded file's own name, safe to use in a private directory: messages name the
    file the planner chose, not a temporary one. Letters and marks of any script stay."""
    stem = Path(name or "").name
    if stem.lower().endswith(".csv"):
        stem = stem[:-4]
    safe = "".join(
        ch if ch in "-_ " or unicodedata.category(ch)[0] in "LMN" else "_" for ch in stem
    )
    return (safe.strip(" ._") or "grouping")[:96] + ".csv"


def store(upload, name: str, title_th: str, title_en: str, on_stored) -> None:
    with work_dir("grouping") as directory:
        path = directory / upload_file_name(upload.name)
        path.write_bytes(upload.getbuffer())
        _check_and_store(upload, path, name, title_th, title_en, on_stored)


def _check_and_store(upload, path: Path, name, title_th, title_en, on_stored) -> None:
    con = connection()
    try:
        provinces = {r[0] for r in con.execute("SELECT pcode FROM province").fetchall()}
        grouping = grouping_from_csv(path, gazetteer(), name or None, provinces)
        grouping.title_th = title_th or grouping.name
        grouping.title_en = title_en or title_th or grouping.name
        grouping.source = f"{upload.name} ({current_user().username})"
        summary = store_grouping(con, grouping)
    except PhangError as exc:
        st.error(md(exc.localized(lang())))
        problems = getattr(exc, "details", None) or []
        if problems:
            st.dataframe(
                pd.DataFrame(
                    {
                        tr("แถวที่", "Row"): [p.get("row") or "–" for p in problems],
                        tr("ในไฟล์", "In the file"): [p.get("value") for p in problems],
                        tr("ปัญหา", "Problem"): [reason_text(p["reason"]) for p in problems],
                        tr("ชื่อที่ใกล้เคียง", "Nearest names"): [
                            ", ".join(p.get("nearest") or []) for p in problems
                        ],
                    }
                ),
                hide_index=True,
                width="stretch",
            )
        return
    on_stored(grouping.name, summary)
