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
    """The signed-in user: from this browser session, else from the session cookie (so a
    reload or a bookmarked page keeps the member signed in)."""
    user = st.session_state.get("user")
    if isinstance(user, User):
        return user
    return _from_cookie()


def _from_cookie() -> User:
    from data import sessions

    try:
        cookie = st.context.cookies.get(sessions.SESSION_COOKIE)
    except Exception:  # no browser behind this run (AppTest, bare mode)
        cookie = None
    # st.context.cookies are those of the page load: look each value up once per session
    if not cookie or st.session_state.get("_cookie_checked") == cookie:
        return ANONYMOUS
    st.session_state["_cookie_checked"] = cookie
    from ui.resources import cursor

    cur = cursor()
    try:
        token_hash = sessions.session_hash(cur, cookie)
        account = sessions.account_for(cur, cookie) if token_hash else None
    finally:
        cur.close()
    if account is None:
        return ANONYMOUS
    user = User(account.username, account.display_name, account.role, account.scope)
    sign_in(user, token_hash)
    return user


def sign_in(user: User, session_hash: str | None = None) -> None:
    st.session_state["user"] = user
    if session_hash:
        st.session_state["session_hash"] = session_hash


def sign_out() -> None:
    """Forget the user here and end the cookie session on the server (a copied cookie no
    longer works)."""
    st.session_state.pop("user", None)
    token_hash = st.session_state.pop("session_hash", None)
    ticket = st.session_state.pop("session_ticket", None)
    if token_hash is None and ticket is None:
        return
    from data import sessions
    from ui.resources import cursor

    cur = cursor()
    try:
        if token_hash is None:
            token_hash = sessions.ticket_session(cur, ticket)
        if token_hash:
            sessions.revoke(cur, token_hash=token_hash)
    finally:
        cur.close()


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
