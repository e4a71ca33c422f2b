"""The admin page's API-key section: issue a key to an agency, see every key's use, revoke.

Kept out of ``views/admin.py`` so the page stays short. The token of a new key is shown
once, right after it is issued; only its SHA-256 is stored (:mod:`data.apikeys`).
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from data import apikeys
from data.errors import PhangError
from geo.export_layers import available_layers
from ui.i18n import be_year, lang, tr
from ui.resources import cursor

_ISSUED = "apikey_issued"


def _write(change) -> None:
    cur = cursor()
    try:
        result = change(cur)
    except PhangError as exc:
        st.error(exc.localized(lang()))
        return
    finally:
        cur.close()
    if isinstance(result, apikeys.IssuedKey):
        st.session_state[_ISSUED] = (result.key.agency, result.token)
    else:
        st.session_state["admin_notice"] = tr(
            f"ยกเลิกกุญแจของ {result.agency} แล้ว", f"The key of {result.agency} is revoked."
        )
    st.rerun()


def render(con, user) -> None:
    """Draw the section (inside a tab of the admin page)."""
    st.caption(
        tr(
            "ชั้นข้อมูลสาธารณะ (ขอบเขต ตัวชี้วัด หมู่บ้าน) เปิดให้ทุกคนทาง /ogc ชั้นอื่นต้องใช้กุญแจ API "
            "ที่ออกให้หน่วยงาน ทุกครั้งที่ใช้จะถูกนับและบันทึกไว้",
            "Public layers (boundaries, indicators, villages) are open to all at /ogc; the "
            "others need an API key issued to an agency. Every use is counted and audited.",
        )
    )
    issued = st.session_state.pop(_ISSUED, None)
    if issued:
        agency, token = issued
        st.success(
            tr(
                f"ออกกุญแจให้ {agency} แล้ว คัดลอกเก็บไว้ตอนนี้: จะแสดงเพียงครั้งเดียว",
                f"Key issued to {agency}. Copy it now: it is shown only once.",
            )
        )
        st.code(token, language=None)

    layers = available_layers(con)
    keys = apikeys.list_keys(con)
    if keys:
        st.dataframe(
            pd.DataFrame(
                {
                    tr("รหัส", "Id"): [k.id for k in keys],
                    tr("หน่วยงาน", "Agency"): [k.agency for k in keys],
                    tr("ขึ้นต้นด้วย", "Starts with"): [k.prefix for k in keys],
                    tr("ชั้นข้อมูล", "Layers"): [
                        ", ".join(k.layers) if k.layers else tr("ทุกชั้น", "all") for k in keys
                    ],
                    tr("ใช้งานได้", "Active"): [k.active for k in keys],
                    tr("จำนวนครั้งที่ใช้", "Uses"): [k.use_count for k in keys],
                    tr("ใช้ล่าสุด", "Last used"): [
                        be_year(k.last_used_at) if k.last_used_at else "" for k in keys
                    ],
                    tr("ออกเมื่อ", "Issued"): [be_year(k.created_at) for k in keys],
                }
            ),
            hide_index=True,
            width="stretch",
        )
    else:
        st.info(tr("ยังไม่มีกุญแจ API", "No API keys yet."))

    st.subheader(tr("ออกกุญแจให้หน่วยงาน", "Issue a key to an agency"))
    protected = {k: s for k, s in layers.items() if not s.public}
    with st.form("apikey_issue", clear_on_submit=True):
        agency = st.text_input(tr("ชื่อหน่วยงาน", "Agency"))
        chosen = st.multiselect(
            tr("ชั้นข้อมูลที่เปิดให้ (เว้นว่าง = ทุกชั้น)", "Layers it opens (empty = all)"),
            list(protected),
            format_func=lambda k: protected[k].title(lang()),
            placeholder=tr("เลือกชั้นข้อมูล", "Choose layers"),
        )
        note = st.text_input(tr("หมายเหตุ", "Note"))
        if st.form_submit_button(tr("ออกกุญแจ", "Issue key")):
            _write(
                lambda cur: apikeys.issue(
                    cur, agency, layers=chosen or None, note=note, actor=user.username
                )
            )

    active = [k for k in keys if k.active]
    if active:
        st.subheader(tr("ยกเลิกกุญแจ", "Revoke a key"))
        with st.form("apikey_revoke"):
            target = st.selectbox(
                tr("กุญแจ", "Key"),
                [k.id for k in active],
                format_func=lambda i: next(
                    f"{k.id}: {k.agency} ({k.prefix}…)" for k in active if k.id == i
                ),
            )
            if st.form_submit_button(tr("ยกเลิก", "Revoke")):
                _write(lambda cur: apikeys.revoke(cur, target, actor=user.username))
