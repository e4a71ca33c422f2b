"""Thai first, English available: ``tr("แผนที่", "Map")`` picks by the session's language."""

from __future__ import annotations

import streamlit as st

from data.dates import format_date

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
    return format_date(iso_date, lang())
