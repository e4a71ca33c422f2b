"""The import page's quarantine tab: the open refused rows, fixed by picking the right
tambon among the candidates or editing cells and re-submitting, or discarded with a reason."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from data.errors import PhangError
from data.importers import KINDS, discard, list_quarantine, resubmit
from ui.auth import User
from ui.i18n import be_year, lang, tr
from ui.import_report import kind_label, reason_text
from ui.resources import gazetteer
from ui.safe import md


def quarantine_tab(con, user: User, scope: str | None) -> None:
    """The quarantine tab's body; with a ``scope`` only the user's own rows are listed."""
    L = lang()
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
