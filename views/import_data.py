"""นำเข้าข้อมูล / Import data: coordinators upload registries, read the report, fix the rest.

Three tabs: upload (check first, then import all-or-nothing or the good rows), the import
log, and the quarantine (pick the right tambon among the candidates or edit a cell, then
re-submit; or discard). User-supplied text is shown only in tables or escaped with ``md``.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import streamlit as st

from data.errors import PhangError
from data.importers import (
    KIND_NAMES,
    KINDS,
    discard,
    import_file,
    list_quarantine,
    preview_file,
    quarantine_counts,
    resubmit,
)
from data.importers.fields import fields_for
from data.importers.geometry import repair_text
from data.importers.tempfiles import save_upload, sweep, work_dir
from data.importers.template import file_name, template, template_fields
from ui.auth import require_role
from ui.field_survey import field_survey_section
from ui.i18n import be_year, lang, tr
from ui.resources import cursor, gazetteer
from ui.safe import md

user = require_role("coordinator")
L = lang()
sweep()  # work files left by a crashed import go now, not at the next import
con = cursor()
# a coordinator with an area imports and fixes rows inside it only; admins everywhere
scope = user.scope if user.role == "coordinator" else None


def kind_label(kind: str) -> str:
    th, en = KIND_NAMES[kind]
    return th if L == "th" else en


def reason_text(row: dict) -> str:
    return row.get("reason_th") if L == "th" else row.get("reason")


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
            return f.label_th if L == "th" else f.label_en
    return "–" if not name else name


def headers_and_template(kind: str) -> None:
    """The headers a file of ``kind`` may carry, and blank templates to download."""
    with st.expander(tr("หัวคอลัมน์และแบบฟอร์มเปล่า", "Column headers and a blank template")):
        cols = template_fields(kind, L)
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
                template(kind, fmt, L),
                file_name=file_name(kind, fmt, L),
                mime=mime,
                key=f"template_{kind}_{fmt}",
                width="stretch",
            )


def show_report(report: dict) -> None:
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


st.title(tr("นำเข้าข้อมูลชุมชน", "Import community data"))
st.caption(
    tr(
        "องค์กรชุมชน สภาองค์กรชุมชนตำบล โครงการบ้านมั่นคง และกรณีที่ดิน จากไฟล์ CSV, XLSX, "
        "GeoJSON, Shapefile (.zip) หรือ GeoPackage หัวคอลัมน์ภาษาไทยหรืออังกฤษ "
        "วันที่เป็น พ.ศ. หรือ ค.ศ. ก็ได้",
        "Organizations, tambon councils, Baan Mankong projects and land cases from CSV, "
        "XLSX, GeoJSON, zipped Shapefile or GeoPackage; Thai or English headers; "
        "Buddhist-era or CE dates.",
    )
)

field_survey_section(con, user.username or None, scope)

open_counts = quarantine_counts(con, actor=user.username if scope else None)
tab_upload, tab_quarantine, tab_log = st.tabs(
    [
        tr("อัปโหลดไฟล์", "Upload"),
        tr(
            f"แถวที่ถูกกักไว้ ({sum(open_counts.values()):,})",
            f"Quarantine ({sum(open_counts.values()):,})",
        ),
        tr("ประวัติการนำเข้า", "Import log"),
    ]
)

with tab_upload:
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

with tab_quarantine:
    fixed_note = st.session_state.pop("quarantine_notice", None)
    if fixed_note:
        st.success(md(fixed_note))
    q_kind = st.selectbox(
        tr("ประเภทข้อมูล", "Kind"),
        [None, *KINDS],
        key="q_kind",
        format_func=lambda k: tr("ทั้งหมด", "All") if k is None else kind_label(k),
    )
    rows = list_quarantine(
        con, status="open", kind=q_kind, limit=500, actor=user.username if scope else None
    )
    if rows.empty:
        st.info(tr("ไม่มีแถวที่รอแก้ไข", "No rows waiting to be fixed"))
    else:
        table = pd.DataFrame(
            {
                tr("เลขที่", "No."): rows["id"],
                tr("ไฟล์", "File"): rows["file_name"],
                tr("แถวที่", "Row"): rows["row_number"],
                tr("ประเภท", "Kind"): rows["kind"].map(kind_label),
                tr("เหตุผล", "Reason"): rows["reason_th"] if L == "th" else rows["reason"],
                tr("เมื่อ", "When"): rows["created_at"].map(be_year),
            }
        )
        st.dataframe(table, hide_index=True, width="stretch")
        picked = st.selectbox(
            tr("เลือกแถวที่จะแก้", "Row to fix"),
            rows["id"].tolist(),
            key="q_pick",
            format_func=lambda i: (
                f"#{i} · {rows.set_index('id').at[i, 'file_name']} "
                f"{tr('แถว', 'row')} {rows.set_index('id').at[i, 'row_number']}"
            ),
        )
        item = rows.set_index("id").loc[picked]
        st.markdown(
            "**"
            + tr("เหตุผล:", "Reason:")
            + "** "
            + md(item["reason_th"] if L == "th" else item["reason"])
        )

        places = [c for c in item["candidates"] if isinstance(c, dict) and c.get("pcode")]
        hints = [c for c in item["candidates"] if isinstance(c, dict) and "value" in c]
        with st.form(f"fix_{picked}"):
            choice = None
            if places:
                options = [None] + [c["pcode"] for c in places]
                paths = {c["pcode"]: f"{c['path_th']} ({c['pcode']})" for c in places}
                choice = st.radio(
                    tr("ตำบลที่ถูกต้อง", "The right tambon"),
                    options,
                    format_func=lambda p: (
                        tr("(ตามไฟล์)", "(as in the file)") if p is None else paths[p]
                    ),
                )
            typed = st.text_input(
                tr("หรือพิมพ์รหัสตำบล (TH + 6 หลัก)", "Or type a tambon P-code"), max_chars=8
            )
            st.caption(tr("แก้ค่าในแถวได้ตามต้องการ", "Edit cells as needed"))
            raw = {k: v for k, v in item["raw"].items() if not k.startswith("_")}
            edits = {}
            for i, (header, value) in enumerate(raw.items()):
                hint = next((h["value"] for h in hints if h.get("header") == header), None)
                new = st.text_input(
                    header or f"#{i + 1}",
                    value=str(value),
                    key=f"edit_{picked}_{i}",
                    help=tr(f"อาจหมายถึง {hint}", f"May mean {hint}") if hint else None,
                )
                if new != str(value):
                    edits[header] = new
            fix = st.form_submit_button(tr("ส่งตรวจใหม่และบันทึก", "Re-check and save"), type="primary")
        if fix:
            try:
                result = resubmit(
                    con,
                    int(picked),
                    tambon_pcode=(typed.strip() or choice),
                    edits=edits,
                    actor=user.username or None,
                    gazetteer=gazetteer(),
                    scope=scope,
                )
                if result.status == "committed":
                    st.session_state["quarantine_notice"] = tr(
                        f"แก้แถวที่ {item['row_number']} ของ {item['file_name']} และบันทึกแล้ว",
                        f"Row {item['row_number']} of {item['file_name']} fixed and saved.",
                    )
                    st.rerun()
                else:
                    st.error(md(reason_text(result.refused[0])))
            except PhangError as exc:
                st.error(md(exc.localized(L)))
        with st.expander(tr("ทิ้งแถวนี้ (ไม่นำเข้า)", "Discard this row")):
            note = st.text_input(tr("เหตุผลที่ทิ้ง", "Why"), key=f"discard_note_{picked}", max_chars=300)
            if st.button(
                tr("ทิ้งแถวนี้", "Discard"), key=f"discard_{picked}", disabled=not note.strip()
            ):
                discard(con, int(picked), actor=user.username or None, note=note.strip())
                st.session_state["quarantine_notice"] = tr(
                    f"ทิ้งแถวที่ {item['row_number']} ของ {item['file_name']} แล้ว",
                    f"Row {item['row_number']} of {item['file_name']} discarded.",
                )
                st.rerun()

with tab_log:
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
