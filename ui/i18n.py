"""Thai first, English available: ``tr("แผนที่", "Map")`` picks by the session's language."""

from __future__ import annotations

import streamlit as st

LANGS = {"th": "ไทย", "en": "English"}


def lang() -> str:
    value = st.session_state.get("lang")
    if value not in LANGS:
        value = st.query_params.get("lang", "th")
        value = value if value in LANGS else "th"
        st.session_state["lang"] = value
    return value


def tr(th: str, en: str) -> str:
    return th if lang() == "th" else en


def be_year(iso_date) -> str:
    """Show a stored ISO/CE date in Thai views as Buddhist Era (พ.ศ. = ค.ศ. + 543)."""
    if iso_date is None or str(iso_date) in ("", "NaT", "None", "nan"):
        return "–"
    text = str(iso_date)[:10]
    y, _, rest = text.partition("-")
    if lang() != "th" or not y.isdigit():
        return text
    months = [
        "ม.ค.",
        "ก.พ.",
        "มี.ค.",
        "เม.ย.",
        "พ.ค.",
        "มิ.ย.",
        "ก.ค.",
        "ส.ค.",
        "ก.ย.",
        "ต.ค.",
        "พ.ย.",
        "ธ.ค.",
    ]
    parts = rest.split("-")
    if len(parts) == 2 and all(p.isdigit() for p in parts):
        return f"{int(parts[1])} {months[int(parts[0]) - 1]} {int(y) + 543}"
    return str(int(y) + 543)
