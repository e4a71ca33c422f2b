"""The import page's field-survey section: the XLSForm to download, and the exports of
KoboToolbox / ODK Central to upload (Streamlit glue over :mod:`data.forms.xlsform` and
:mod:`data.importers.odk_store`)."""

from __future__ import annotations

import tempfile
from pathlib import Path

import streamlit as st

from data.errors import PhangError
from data.forms.xlsform import file_name, xlsform_bytes
from data.importers.odk_store import import_submissions
from ui.i18n import lang, tr
from ui.safe import md


@st.cache_data(show_spinner=False)
def _form_file() -> tuple[bytes, str]:
    return xlsform_bytes("need_report"), file_name("need_report")


def field_survey_section(con, actor: str | None, scope: str | None) -> None:
    """An expander: download the XLSForm; import an export of its submissions.

    The import's report is left in ``st.session_state["import_report"]`` for the page to
    show after the rerun, like an upload of a registry file."""
    with st.expander(
        tr("แบบสอบถามภาคสนาม (KoboToolbox / ODK)", "Field survey form (KoboToolbox / ODK)")
    ):
        st.markdown(
            tr(
                "1. ดาวน์โหลดแบบฟอร์ม XLSForm แล้วอัปโหลดเข้า KoboToolbox หรือ ODK Central  \n"
                "2. ทีมสำรวจเก็บข้อมูลด้วย KoboCollect หรือ ODK Collect  \n"
                "3. ส่งออกคำตอบเป็น CSV, XLSX หรือ GeoJSON แล้วนำเข้าที่นี่ "
                "(นำเข้าซ้ำได้ คำตอบเดิมจะไม่ถูกเพิ่มซ้ำ)",
                "1. Download the XLSForm and upload it to KoboToolbox or ODK Central.  \n"
                "2. The survey team collects with KoboCollect or ODK Collect.  \n"
                "3. Export the submissions as CSV, XLSX or GeoJSON and import them here "
                "(imports can be repeated: a submission is stored once).",
            )
        )
        data, name = _form_file()
        st.download_button(
            tr("ดาวน์โหลดแบบฟอร์ม XLSForm", "Download the XLSForm"),
            data=data,
            file_name=name,
            mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            key="odk_form_download",
        )
        upload = st.file_uploader(
            tr(
                "ไฟล์คำตอบที่ส่งออกจาก KoboToolbox / ODK Central",
                "Export from KoboToolbox / ODK Central",
            ),
            type=["csv", "xlsx", "geojson", "json"],
            key="odk_file",
        )
        if st.button(
            tr("นำเข้าคำตอบ", "Import the submissions"),
            type="primary",
            disabled=upload is None,
            key="odk_import",
        ):
            _import(con, upload, actor, scope)


def _import(con, upload, actor: str | None, scope: str | None) -> None:
    suffix = Path(upload.name).suffix.lower()[:10]
    handle = tempfile.NamedTemporaryFile(prefix="phang_odk_", suffix=suffix, delete=False)
    with handle:
        handle.write(upload.getbuffer())
    path = Path(handle.name)
    try:
        with st.spinner(tr("กำลังนำเข้า…", "Importing…")):
            report = import_submissions(
                con, path, actor=actor, display_name=upload.name, scope=scope
            )
    except PhangError as exc:
        st.error(md(exc.localized(lang())))
        return
    finally:
        path.unlink(missing_ok=True)
    st.session_state["import_report"] = report.to_dict()
    st.rerun()
