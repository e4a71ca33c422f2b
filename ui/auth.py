"""Who is signed in, and what they may do. Every page calls ``require_role`` on every run.

Roles, least to most: ``viewer`` (public maps), ``member`` (marks housing need, sees own
reports), ``coordinator`` (verifies and imports, within a scope), ``analyst`` (exports),
``admin`` (accounts; may do everything). Anyone not signed in is a ``viewer``.
"""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from ui.i18n import tr

ROLES = ("viewer", "member", "coordinator", "analyst", "admin")
ROLE_NAMES = {
    "viewer": ("ผู้เยี่ยมชม", "Public viewer"),
    "member": ("สมาชิกชุมชน", "Community member"),
    "coordinator": ("ผู้ประสานงาน", "Coordinator"),
    "analyst": ("นักวิเคราะห์", "Analyst"),
    "admin": ("ผู้ดูแลระบบ", "Administrator"),
}


@dataclass(frozen=True)
class User:
    username: str
    display_name: str
    role: str
    scope: str | None = None  # coordinators: a province P-code, or "cluster:<grouping>:<code>"

    def has(self, *roles: str) -> bool:
        return self.role == "admin" or self.role in roles


ANONYMOUS = User("", "", "viewer")


def current_user() -> User:
    user = st.session_state.get("user")
    return user if isinstance(user, User) else ANONYMOUS


def sign_in(user: User) -> None:
    st.session_state["user"] = user


def sign_out() -> None:
    st.session_state.pop("user", None)


def require_role(*roles: str) -> User:
    """Stop the page with a message (never data) unless the user has one of ``roles``."""
    user = current_user()
    if "viewer" in roles or user.has(*roles):
        return user
    names = ", ".join(tr(*ROLE_NAMES[r]) for r in roles)
    if user is ANONYMOUS or not user.username:
        st.warning(
            tr(
                f"หน้านี้สำหรับ {names} กรุณาเข้าสู่ระบบจากแถบด้านข้าง",
                f"This page is for: {names}. Please sign in from the sidebar.",
            )
        )
    else:
        st.error(
            tr(
                f"บัญชีของคุณไม่มีสิทธิ์เข้าหน้านี้ (ต้องเป็น {names})",
                f"Your account may not open this page (needs: {names}).",
            )
        )
    st.stop()
    raise RuntimeError("unreachable")  # st.stop raises; this line keeps type checkers honest
