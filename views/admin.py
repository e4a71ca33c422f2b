"""ผู้ดูแลระบบ / Administration: accounts and roles, and the audit history of any record."""

from __future__ import annotations

import streamlit as st

from ui import admin_apikeys
from ui.admin_accounts import accounts_tab
from ui.admin_audit import audit_tab
from ui.auth import require_role
from ui.backup_panel import backup_panel
from ui.i18n import tr
from ui.resources import cursor

user = require_role("admin")
con = cursor()

st.title(tr("ผู้ดูแลระบบ", "Administration"))
notice = st.session_state.pop("admin_notice", None)
if notice:
    st.success(notice)

tab_accounts, tab_keys, tab_audit, tab_backup = st.tabs(
    [
        tr("บัญชีผู้ใช้", "Accounts"),
        tr("กุญแจ API", "API keys"),
        tr("ประวัติการแก้ไข", "Audit"),
        tr("สำรองข้อมูล", "Backups"),
    ]
)

with tab_accounts:
    accounts_tab(con, user)

with tab_keys:
    admin_apikeys.render(con, user)

with tab_audit:
    audit_tab(con)

with tab_backup:
    backup_panel()
