"""The import page's upload tab: pick the kind, see its headers and templates, upload,
check first or import (all-or-nothing or the good rows), with progress and the queue."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import streamlit as st

from data.errors import PhangError
from data.importers import KINDS, import_file, preview_file
from data.importers.tempfiles import save_upload, work_dir
from data.importers.template import file_name, template, template_fields
from ui.auth import User
from ui.i18n import lang, tr
from ui.import_report import field_label, kind_label, refused_frame, show_report
from ui.resources import gazetteer
from ui.safe import md


def headers_and_template(kind: str) -> None:
    """The headers a file of ``kind`` may carry, and blank templates to download."""
    with st.expander(tr("หัวคอลัมน์และแบบฟอร์มเปล่า", "Column headers and a blank template")):
        cols = template_fields(kind, lang())
        st.dataframe(
            pd.DataFrame(
                {
                    tr("หัวคอลัมน์", "Header"): [c["header"] for c in cols],
                    tr("ต้องมี", "Required"): [
                        tr("ต้องมี", "yes") if c["required"] else "" for c in cols
                    ],
                    tr("ชื่ออื่นที่อ่านได้", "Also read"): [
                        ", ".join(a for a in c["aliases"] if a != c["header"])[:120] for c in cols
                    ],
                }
            ),
            hide_index=True,
            width="stretch",
        )
        st.caption(
            tr(
                "ระบุที่ตั้งด้วยรหัสตำบล หรือชื่อตำบล อำเภอ จังหวัด หรือละติจูด/ลองจิจูด วันที่เป็น พ.ศ. หรือ ค.ศ. ก็ได้",
                "Give the place as a tambon P-code, or tambon, amphoe and province names, or "
                "latitude/longitude. Dates may be Buddhist era or CE.",
            )
        )
        c1, c2 = st.columns(2)
        for column, fmt, mime in (
            (c1, "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
            (c2, "csv", "text/csv"),
        ):
            column.download_button(
                tr(f"ดาวน์โหลดแบบฟอร์ม {fmt.upper()}", f"Download the {fmt.upper()} template"),
                template(kind, fmt, lang()),
                file_name=file_name(kind, fmt, lang()),
                mime=mime,
                key=f"template_{kind}_{fmt}",
                width="stretch",
            )


def progress_text(message: str) -> str:
    """The pipeline's progress message in the page's language."""
    if message.startswith("reading: "):
        n = message.removeprefix("reading: ").removesuffix(" rows")
        return tr(f"กำลังอ่านไฟล์… {n} แถว", f"Reading the file… {n} rows")
    if message.startswith("checked "):
        done, _, total = message.removeprefix("checked ").removesuffix(" rows").partition(" of ")
        return tr(f"ตรวจแล้ว {done} จาก {total} แถว", f"Checked {done} of {total} rows")
    return {
        "reading": tr("กำลังอ่านไฟล์…", "Reading the file…"),
        "writing": tr("กำลังบันทึก…", "Saving…"),
        "done": tr("เสร็จแล้ว", "Done"),
    }.get(message, tr("กำลังทำงาน…", "Working…"))


def upload_tab(con, user: User, scope: str | None) -> None:
    """The upload tab's body; ``scope`` limits a coordinator's import to their area."""
    L = lang()
    kind = st.selectbox(
        tr("ประเภทข้อมูล", "What the file holds"), KINDS, format_func=kind_label, key="import_kind"
    )
    headers_and_template(kind)
    upload = st.file_uploader(
        tr("ไฟล์", "File"),
        type=["csv", "txt", "tsv", "xlsx", "geojson", "json", "zip", "gpkg"],
        key="import_file",
    )
    source = st.text_input(
        tr("ชื่อแหล่งข้อมูล (ใช้จับคู่เมื่อนำเข้าซ้ำ)", "Source name (matches re-imports)"),
        placeholder=Path(upload.name).stem if upload else tr("ชื่อไฟล์", "the file's name"),
        key="import_source",
        max_chars=120,
    )
    good_rows = st.toggle(
        tr(
            "นำเข้าเฉพาะแถวที่ถูกต้อง (แถวที่มีปัญหาเก็บไว้แก้ภายหลัง)",
            "Import the good rows (keep the rest to fix later)",
        ),
        value=False,
        key="import_good_rows",
        help=tr(
            "ปกติจะนำเข้าทั้งไฟล์หรือไม่นำเข้าเลย", "By default a file is imported whole or not at all"
        ),
    )
    check_col, import_col = st.columns(2)
    do_check = check_col.button(
        tr("ตรวจสอบก่อนนำเข้า", "Check first"), disabled=upload is None, width="stretch"
    )
    do_import = import_col.button(
        tr("นำเข้า", "Import"), type="primary", disabled=upload is None, width="stretch"
    )
    last = st.session_state.pop("import_report", None)
    if last is not None:
        show_report(last)
    if upload is not None and (do_check or do_import):
        line = st.empty()
        bar = st.progress(0.0, text=tr("กำลังอ่านไฟล์…", "Reading the file…"))

        def waiting(position: int) -> None:
            line.info(
                tr(
                    f"คิวที่ {position} — มีการนำเข้าอื่นกำลังทำงาน จะเริ่มเมื่อถึงคิว",
                    f"Position {position} in line — other imports are running; "
                    "this one starts when its turn comes",
                )
            )

        def progress(fraction: float, message: str) -> None:
            line.empty()
            bar.progress(min(max(fraction, 0.0), 1.0), text=progress_text(message))

        try:
            with work_dir("upload") as tmp:
                path = save_upload(upload.getbuffer(), upload.name, tmp)
                if do_check:
                    preview = preview_file(
                        con,
                        kind,
                        path,
                        gazetteer=gazetteer(),
                        display_name=upload.name,
                        waiting=waiting,
                    )
                else:
                    report = import_file(
                        con,
                        kind,
                        path,
                        source=source or None,
                        good_rows=good_rows,
                        actor=user.username or None,
                        gazetteer=gazetteer(),
                        display_name=upload.name,
                        progress=progress,
                        scope=scope,
                        waiting=waiting,
                    )
            if do_check:
                line.empty()
                bar.empty()
                st.info(
                    tr(
                        f"อ่านได้ {preview['rows']:,} แถว (การเข้ารหัส {preview['encoding']}): "
                        f"ถูกต้อง {preview['good']:,} มีปัญหา {preview['bad']:,}",
                        f"{preview['rows']:,} rows read ({preview['encoding']}): "
                        f"{preview['good']:,} good, {preview['bad']:,} with problems",
                    )
                )
                st.dataframe(
                    pd.DataFrame(
                        [
                            {
                                tr("หัวคอลัมน์ในไฟล์", "Header in the file"): c["header"],
                                tr("ใช้เป็น", "Read as"): field_label(kind, c["field"]),
                            }
                            for c in preview["columns"]
                        ]
                    ),
                    hide_index=True,
                )
                st.subheader(tr("ตัวอย่างแถวแรก", "First rows"))
                sample = pd.DataFrame(
                    preview["sample"],
                    columns=[h or f"#{i + 1}" for i, h in enumerate(preview["headers"])],
                )
                sample.insert(0, tr("แถวที่", "Row"), preview["sample_rows"])
                st.dataframe(sample, hide_index=True, width="stretch")
                if preview["refused"]:
                    st.subheader(tr("แถวที่มีปัญหา", "Rows with problems"))
                    st.dataframe(
                        refused_frame(preview["refused"]), hide_index=True, width="stretch"
                    )
            else:
                # show the report after a rerun, so the quarantine tab counts the new rows
                st.session_state["import_report"] = report.to_dict()
                st.rerun()
        except PhangError as exc:
            line.empty()
            bar.empty()
            st.error(md(exc.localized(L)))
