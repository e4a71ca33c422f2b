"""นำเข้าข้อมูล / Import data: coordinators upload registries, read the report, fix the rest.

Three tabs: upload (check first, then import all-or-nothing or the good rows), the import
log, and the quarantine (pick the right tambon among the candidates or edit a cell, then
re-submit; or discard). User-supplied text is shown only in tables or escaped with ``md``.
"""

from __future__ import annotations

import streamlit as st

from data.importers import quarantine_counts
from data.importers.tempfiles import sweep
from ui.auth import require_role
from ui.field_survey import field_survey_section
from ui.i18n import tr
from ui.import_log import log_tab
from ui.import_quarantine import quarantine_tab
from ui.import_upload import upload_tab
from ui.resources import cursor

user = require_role("coordinator")
sweep()  # work files left by a crashed import go now, not at the next import
con = cursor()
# a coordinator with an area imports and fixes rows inside it only; admins everywhere
scope = user.scope if user.role == "coordinator" else None

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
    upload_tab(con, user, scope)

with tab_quarantine:
    quarantine_tab(con, user, scope)

with tab_log:
    log_tab(con)
