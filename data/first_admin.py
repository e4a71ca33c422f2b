"""The first administrator (ผู้ดูแลระบบคนแรก) of a database that has none.

A plain build creates no account. The first administrator is made either from the shell::

    python -m data users add somchai --role admin --name "สมชาย"   # asks for the password

or, while the app runs, through a one-time set-up link: when the app starts and no active
administrator exists, :func:`announce` makes a random token and writes the link
(``/setup?token=...``) to the server log, which only whoever runs the server can read. The
token lives in the app's memory only (never in the database), works once, and expires
after :data:`TOKEN_HOURS` hours or when the app stops; it stops working as soon as any
active administrator exists.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
import threading

from data import accounts
from data.errors import InputError
from data.logs import logger

TOKEN_HOURS = 24
log = logger("setup")

_lock = threading.Lock()
_token: dict[str, object] = {}


class SetupError(InputError):
    """The set-up link cannot be used (wrong, used or expired token, or an admin exists)."""


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def issue_token(now: dt.datetime | None = None) -> str:
    """A new one-time token (the previous one stops working)."""
    token = secrets.token_urlsafe(32)
    now = now or dt.datetime.now(dt.UTC)
    with _lock:
        _token.clear()
        _token.update(digest=_digest(token), expires=now + dt.timedelta(hours=TOKEN_HOURS))
    return token


def token_valid(token: str | None, now: dt.datetime | None = None) -> bool:
    """Is ``token`` the current, unused, unexpired set-up token?"""
    if not token:
        return False
    now = now or dt.datetime.now(dt.UTC)
    with _lock:
        digest, expires = _token.get("digest"), _token.get("expires")
    if not isinstance(digest, str) or not isinstance(expires, dt.datetime) or now > expires:
        return False
    return hmac.compare_digest(digest, _digest(token))


def announce(con, base_url: str = "") -> str | None:
    """At app start: if no active administrator exists, issue a token and log the link;
    return the token (None when an administrator exists)."""
    if accounts.has_active_admin(con):
        with _lock:
            _token.clear()
        return None
    token = issue_token()
    log.warning(
        "No administrator account exists yet. Create the first one (link valid %d hours, "
        "once): %s/setup?token=%s  -- or stop the app and run: python -m data users add "
        "NAME --role admin",
        TOKEN_HOURS,
        base_url.rstrip("/"),
        token,
    )
    return token


def create_first_admin(
    con, token: str | None, username: str, display_name: str, password: str, password_again: str
) -> accounts.Account:
    """Create the first administrator through the set-up link (the password rule applies);
    the token is used up."""
    if not token_valid(token):
        raise SetupError(
            "this set-up link is not valid (used, expired, or the app was restarted); "
            "see the server log for the current one",
            message_th="ลิงก์ตั้งค่านี้ใช้ไม่ได้ (ใช้ไปแล้ว หมดอายุ หรือแอปเริ่มใหม่) ดูลิงก์ล่าสุดในบันทึกของเซิร์ฟเวอร์",
        )
    if password != password_again:
        raise SetupError("the two passwords differ", message_th="รหัสผ่านสองครั้งไม่ตรงกัน")
    with _lock:
        if accounts.has_active_admin(con):
            _token.clear()
            raise SetupError(
                "an administrator exists already; sign in instead",
                message_th="มีผู้ดูแลระบบอยู่แล้ว กรุณาเข้าสู่ระบบ",
            )
        account = accounts.create(
            con, username, display_name, "admin", password=password, actor="setup-link"
        )
        _token.clear()
    log.warning("The first administrator %r was created through the set-up link.", username)
    return account
