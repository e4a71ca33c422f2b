"""The admin page's accounts tab: the list of accounts, adding one, and changing one's
role, area, password or whether it is active. Every change is made by ``data.accounts``
(which audits it); the page reruns with a notice, or shows the refusal."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from data import accounts
from data.errors import PhangError
from data.need_reports import scope_options
from ui.auth import ROLE_NAMES, User
from ui.i18n import be_year, lang, tr
from ui.resources import connection


def run(change) -> None:
    """Apply an account change, show its error or rerun with a notice."""
    try:
        done = change()
    except PhangError as exc:
        st.error(exc.localized(lang()))
    else:
        st.session_state["admin_notice"] = tr(
            f"บันทึกบัญชี {done.username} แล้ว", f"Account {done.username} saved."
        )
        st.rerun()


SIGN_IN = {
    "builtin": ("รหัสผ่าน", "Password"),
    "oidc": ("บัญชีองค์กร (OpenID)", "Organisation (OpenID)"),
}


def scope_name(scopes: dict, scope: str | None) -> str:
    return tr(*scopes.get(scope, (scope or "", scope or "")))


def scope_picker(scopes: dict, label: str, current: str | None, key: str) -> str | None:
    """A coordinator's area: the whole country, a region, a cluster or a province."""
    options = list(scopes) if current in scopes else [current, *scopes]
    return st.selectbox(
        label,
        options,
        index=options.index(current),
        format_func=lambda s: scope_name(scopes, s),
        key=key,
        help=tr(
            "ใช้กับผู้ประสานงานเท่านั้น: ตรวจสอบและนำเข้าได้เฉพาะในพื้นที่นี้ พิมพ์เพื่อค้นหา",
            "For coordinators only: they verify and import inside this area. Type to search.",
        ),
    )


def accounts_tab(con, user: User) -> None:
    """The accounts tab's body."""
    scopes = scope_options(con)
    rows = accounts.list_accounts(con)
    st.dataframe(
        pd.DataFrame(
            {
                tr("ชื่อผู้ใช้", "Username"): [r["username"] for r in rows],
                tr("ชื่อที่แสดง", "Display name"): [r["display_name"] for r in rows],
                tr("บทบาท", "Role"): [tr(*ROLE_NAMES[r["role"]]) for r in rows],
                tr("ขอบเขต", "Scope"): [
                    scope_name(scopes, r["scope"]) if r["role"] == "coordinator" else ""
                    for r in rows
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
        scope = scope_picker(scopes, tr("พื้นที่รับผิดชอบ", "Area"), None, "admin_add_scope")
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
            scopes, tr("พื้นที่รับผิดชอบ", "Area"), current["scope"], f"admin_scope_{target}"
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
