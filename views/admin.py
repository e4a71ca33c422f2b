"""ผู้ดูแลระบบ / Administration: accounts and roles, and the audit history of any record."""

from __future__ import annotations

import json

import pandas as pd
import streamlit as st

from data import accounts
from data.audit import history
from data.errors import PhangError
from data.need_reports import scope_options
from ui import admin_apikeys
from ui.auth import ROLE_NAMES, require_role
from ui.backup_panel import backup_panel
from ui.i18n import be_year, lang, tr
from ui.resources import connection, cursor

user = require_role("admin")
L = lang()
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


def run(change) -> None:
    """Apply an account change, show its error or rerun with a notice."""
    try:
        done = change()
    except PhangError as exc:
        st.error(exc.localized(L))
    else:
        st.session_state["admin_notice"] = tr(
            f"บันทึกบัญชี {done.username} แล้ว", f"Account {done.username} saved."
        )
        st.rerun()


SIGN_IN = {
    "builtin": ("รหัสผ่าน", "Password"),
    "oidc": ("บัญชีองค์กร (OpenID)", "Organisation (OpenID)"),
}
scopes = scope_options(con)


def scope_name(scope: str | None) -> str:
    return tr(*scopes.get(scope, (scope or "", scope or "")))


def scope_picker(label: str, current: str | None, key: str) -> str | None:
    """A coordinator's area: the whole country, a region, a cluster or a province."""
    options = list(scopes) if current in scopes else [current, *scopes]
    return st.selectbox(
        label,
        options,
        index=options.index(current),
        format_func=scope_name,
        key=key,
        help=tr(
            "ใช้กับผู้ประสานงานเท่านั้น: ตรวจสอบและนำเข้าได้เฉพาะในพื้นที่นี้ พิมพ์เพื่อค้นหา",
            "For coordinators only: they verify and import inside this area. Type to search.",
        ),
    )


with tab_accounts:
    rows = accounts.list_accounts(con)
    st.dataframe(
        pd.DataFrame(
            {
                tr("ชื่อผู้ใช้", "Username"): [r["username"] for r in rows],
                tr("ชื่อที่แสดง", "Display name"): [r["display_name"] for r in rows],
                tr("บทบาท", "Role"): [tr(*ROLE_NAMES[r["role"]]) for r in rows],
                tr("ขอบเขต", "Scope"): [
                    scope_name(r["scope"]) if r["role"] == "coordinator" else "" for r in rows
                ],
                tr("ใช้งาน", "Active"): [r["active"] for r in rows],
                tr("วิธีเข้าระบบ", "Sign-in"): [
                    tr(*SIGN_IN.get(r["auth"], (r["auth"], r["auth"]))) for r in rows
                ],
                tr("สร้างเมื่อ", "Created"): [be_year(r["created_at"]) for r in rows],
            }
        ),
        hide_index=True,
        width="stretch",
    )
    role_label = {r: tr(*ROLE_NAMES[r]) for r in accounts.ROLES}

    st.subheader(tr("เพิ่มบัญชี", "Add an account"))
    with st.form("admin_add"):
        username = st.text_input(tr("ชื่อผู้ใช้", "Username"))
        display = st.text_input(tr("ชื่อที่แสดง", "Display name"))
        role = st.selectbox(
            tr("บทบาท", "Role"), accounts.ROLES, index=1, format_func=role_label.get
        )
        scope = scope_picker(tr("พื้นที่รับผิดชอบ", "Area"), None, "admin_add_scope")
        password = st.text_input(tr("รหัสผ่าน", "Password"), type="password")
        if st.form_submit_button(tr("เพิ่ม", "Add")):
            run(
                lambda: accounts.create(
                    connection(),
                    username,
                    display,
                    role,
                    password=password,
                    scope=scope if role == "coordinator" else None,
                    actor=user.username,
                )
            )

    names = [r["username"] for r in rows]
    st.subheader(tr("แก้ไขบัญชี", "Change an account"))
    target = st.selectbox(tr("บัญชี", "Account"), names, key="admin_target")
    current = next(r for r in rows if r["username"] == target)
    with st.form("admin_role"):
        new_role = st.selectbox(
            tr("บทบาท", "Role"),
            accounts.ROLES,
            index=accounts.ROLES.index(current["role"]),
            format_func=role_label.get,
        )
        new_scope = scope_picker(
            tr("พื้นที่รับผิดชอบ", "Area"), current["scope"], f"admin_scope_{target}"
        )
        if st.form_submit_button(tr("บันทึกบทบาท", "Save role")):
            run(
                lambda: accounts.set_role(
                    connection(),
                    target,
                    new_role,
                    new_scope if new_role == "coordinator" else None,
                    actor=user.username,
                )
            )
    with st.form("admin_password"):
        new_password = st.text_input(tr("รหัสผ่านใหม่", "New password"), type="password")
        if st.form_submit_button(tr("ตั้งรหัสผ่าน", "Set password")):
            run(
                lambda: accounts.set_password(
                    connection(), target, new_password, actor=user.username
                )
            )
    active_label = tr("ปิดการใช้งาน", "Disable") if current["active"] else tr("เปิดใช้งาน", "Enable")
    if st.button(active_label, key="admin_toggle"):
        run(
            lambda: accounts.set_active(
                connection(), target, not current["active"], actor=user.username
            )
        )

with tab_keys:
    admin_apikeys.render(con, user)

with tab_audit:
    st.caption(
        tr(
            "ประวัติของระเบียนใดก็ได้: ใคร ทำอะไร เมื่อไร ค่าก่อนและหลัง",
            "The history of any record: who, what, when, before and after",
        )
    )
    tables = [
        r[0] for r in con.execute("SELECT DISTINCT table_name FROM audit_log ORDER BY 1").fetchall()
    ]
    table = st.selectbox(tr("ตาราง", "Table"), tables or ["need_report"], key="audit_table")
    record_id = st.text_input(tr("รหัสระเบียน", "Record id"), key="audit_record")
    if record_id.strip():
        rows = history(con, table, record_id.strip())
        if not rows:
            st.info(tr("ไม่มีประวัติของระเบียนนี้", "No history for this record."))
        else:
            st.dataframe(
                pd.DataFrame(
                    {
                        tr("เมื่อ", "When"): [str(r["at"])[:19] for r in rows],
                        tr("โดย", "By"): [r["actor"] for r in rows],
                        tr("การกระทำ", "Action"): [r["action"] for r in rows],
                        tr("ก่อน", "Before"): [
                            json.dumps(r["before"], ensure_ascii=False)
                            if r["before"] is not None
                            else ""
                            for r in rows
                        ],
                        tr("หลัง", "After"): [
                            json.dumps(r["after"], ensure_ascii=False)
                            if r["after"] is not None
                            else ""
                            for r in rows
                        ],
                    }
                ),
                hide_index=True,
                width="stretch",
            )

with tab_backup:
    backup_panel()
