"""Sidebar account panel: who is signed in; sign in and sign out.

* Built-in accounts (:mod:`data.accounts`, bcrypt) sign in with the sidebar form.
* Sign-ins are throttled per account and per browser address (``data.signin``); the
  message says how long to wait.
* When ``.streamlit/secrets.toml`` has an ``[auth]`` section (OpenID Connect), a button
  signs in through ``st.login``; the provider must have verified the e-mail address; the
  account is keyed by the provider's issuer and subject (never matched to a local account
  by name or e-mail), created as a member on first sign-in, and an admin gives it a role.
* :func:`dev_password_banner` warns on every page while a development password works.
* On every run the signed-in account is read again, so a disabled account or a changed
  role takes effect at once.
"""

from __future__ import annotations

import html
import json

import streamlit as st

from ui.auth import ROLE_NAMES, User, current_user, sign_in, sign_out
from ui.i18n import lang, tr
from ui.safe import md


def oidc_configured() -> bool:
    """Is OpenID Connect configured (an ``[auth]`` section in the secrets)?"""
    try:
        return "auth" in st.secrets
    except Exception:  # no secrets file at all: not configured
        return False


def _client() -> str:
    """The browser's address for sign-in throttling ("localhost" when local)."""
    from data.client_address import client_address

    try:
        address = st.context.ip_address
        forwarded = st.context.headers.get("X-Forwarded-For")
    except Exception:  # no request context
        address, forwarded = None, None
    if not isinstance(address, str) or not address:
        return "localhost"
    return client_address(address, forwarded) or "localhost"


def _user_of(account) -> User:
    return User(account.username, account.display_name, account.role, account.scope)


def _refresh(user: User) -> User:
    """The session's user as the database has it now (signed out if gone or disabled, or
    when the cookie session was ended elsewhere, e.g. signing out in the field app)."""
    from data import accounts, sessions
    from ui.resources import cursor

    cur = cursor()
    try:
        account = accounts.get(cur, user.username)
        ticket = st.session_state.get("session_ticket")
        token_hash = st.session_state.get("session_hash")
        if token_hash is None and ticket:
            token_hash = sessions.ticket_session(cur, ticket)
            if token_hash:
                st.session_state["session_hash"] = token_hash
                st.session_state.pop("session_ticket", None)
        ended = token_hash is not None and not sessions.live(cur, token_hash)
    finally:
        cur.close()
    if ended:
        sign_out()
        st.session_state["account_notice"] = tr(
            "คุณออกจากระบบแล้ว (จากหน้าอื่นหรือหมดเวลา)", "You were signed out (elsewhere, or timed out)."
        )
        return current_user()
    if account is None or not account.active:
        sign_out()
        st.session_state["account_notice"] = tr(
            "บัญชีของคุณถูกปิดการใช้งาน", "Your account has been disabled."
        )
        return current_user()
    fresh = _user_of(account)
    if fresh != user:
        sign_in(fresh)
    return fresh


def _oidc_user() -> User | None:
    """The account of the person signed in through st.login, if any."""
    if not oidc_configured() or not getattr(st.user, "is_logged_in", False):
        return None
    from data import accounts
    from data.errors import PhangError
    from ui.resources import cursor

    cur = cursor()
    try:
        account = accounts.ensure_oidc_account(
            cur,
            str(st.user.get("iss") or ""),
            str(st.user.get("sub") or ""),
            email=st.user.get("email"),
            email_verified=st.user.get("email_verified") is True,
            name=st.user.get("name"),
        )
    except PhangError as exc:  # e.g. an unverified e-mail address: not signed in
        st.session_state["account_notice"] = exc.localized(lang())
        return None
    finally:
        cur.close()
    return _user_of(account) if account.active else None


def _password_form() -> None:
    from data import accounts
    from ui.resources import cursor

    box = st.sidebar.expander(tr("เข้าสู่ระบบ", "Sign in"), expanded=False)
    # the error goes above the fields, where the eye is (below the button it fell under a
    # phone's keyboard), and in a toast that shows whatever is scrolled into view
    slot = box.empty()
    with box.form("sign_in_form", clear_on_submit=False):
        username = st.text_input(tr("ชื่อผู้ใช้", "Username"), key="sign_in_username")
        password = st.text_input(tr("รหัสผ่าน", "Password"), type="password", key="sign_in_password")
        pressed = st.form_submit_button(tr("เข้าสู่ระบบ", "Sign in"))
    if not pressed:
        # a refusal stays until the next press: a rerun the page starts by itself (a map
        # reporting its view) must not wipe it before it is read
        refusal = st.session_state.get("sign_in_refusal")
        if refusal:
            slot.error(tr(*refusal))
        return
    st.session_state.pop("sign_in_refusal", None)
    cur = cursor()
    try:
        # throttled per account and per address (data.signin); failures are audited
        result = accounts.sign_in(cur, username, password, client=_client())
    finally:
        cur.close()
    account = result.account
    if account is None:
        message = result.message(lang())
        st.session_state["sign_in_refusal"] = (result.message("th"), result.message("en"))
        slot.error(message)
        st.toast(message, icon="⚠️")
        return
    sign_in(_user_of(account))
    _start_cookie_session(account.username)
    st.session_state.pop("sign_in_password", None)
    st.rerun()


def _start_cookie_session(username: str) -> None:
    """A one-time ticket the browser exchanges for the session cookie (:func:`_claim_cookie`)."""
    from data import sessions
    from ui.resources import cursor

    cur = cursor()
    try:
        st.session_state["session_ticket"] = sessions.issue_ticket(cur, username)
    finally:
        cur.close()


def _claim_cookie() -> None:
    """After a sidebar sign-in: the browser exchanges the one-time ticket for the session
    cookie (a script run cannot set an HttpOnly cookie), so a reload keeps the user."""
    ticket = st.session_state.get("session_ticket")
    if not ticket:
        return
    script = (
        "<script>fetch('/session/claim',{method:'POST',credentials:'same-origin',"
        "headers:{'Content-Type':'application/json'},body:JSON.stringify({ticket:"
        + json.dumps(ticket)
        + "})});</script>"
    )
    st.sidebar.html(script, unsafe_allow_javascript=True)


def sidebar() -> None:
    user = current_user()
    if user.username:
        user = _refresh(user)
    elif oidc_configured():
        oidc = _oidc_user()
        if oidc is not None:
            sign_in(oidc)
            _start_cookie_session(oidc.username)
            user = oidc
    notice = st.session_state.pop("account_notice", None)
    if notice:
        st.sidebar.warning(notice)
    if user.username:
        _claim_cookie()
        st.sidebar.caption(
            tr("เข้าสู่ระบบเป็น ", "Signed in as ")
            + f"{md(user.display_name)} ({md(user.username)}) · "
            + tr(*ROLE_NAMES[user.role])
        )
        if st.sidebar.button(tr("ออกจากระบบ", "Sign out"), key="sign_out_button"):
            sign_out()
            if oidc_configured() and getattr(st.user, "is_logged_in", False):
                st.logout()
            st.rerun()
        return
    st.sidebar.caption(tr("สิทธิ์: ", "Role: ") + tr(*ROLE_NAMES[user.role]))
    _password_form()
    if oidc_configured() and st.sidebar.button(
        tr("เข้าสู่ระบบด้วยบัญชีองค์กร (OpenID)", "Sign in with your organisation (OpenID)"),
        key="oidc_sign_in",
    ):
        st.login()


def dev_password_banner() -> None:
    """Every page, while an active account still has its development password (a demo
    build): a warning. One small indexed query per run, no password check."""
    from data import accounts
    from ui.resources import cursor

    cur = cursor()
    try:
        names = accounts.dev_password_accounts(cur)
    finally:
        cur.close()
    if not names:
        return
    admin = current_user().role == "admin"
    listed = (" (" + ", ".join(names) + ")") if admin else ""
    text = tr(
        f"ระบบสาธิต: บัญชีทดลอง{listed} ยังใช้รหัสผ่านสำหรับพัฒนาที่เผยแพร่ไว้ "
        "ห้ามใช้กับข้อมูลจริง ผู้ดูแลระบบต้องเปลี่ยนรหัสผ่านหรือปิดบัญชีเหล่านี้ก่อน",
        f"Demo system: development accounts{listed} still have their published "
        "passwords. Do not use it for real data; an administrator must change those "
        "passwords or disable the accounts first.",
    )
    # st.html, not st.warning: the page's own messages stay the page's first warning
    st.html(
        f'<div role="alert" data-testid="phang-dev-password-banner" style="background:#fff4d6;'
        f"border:1px solid #e0a800;border-radius:.5rem;padding:.5rem .75rem;color:#5c4400;"
        f'font-size:.9rem">⚠ {html.escape(text)}</div>'
    )
