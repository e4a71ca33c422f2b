"""Accounts and roles (บัญชีผู้ใช้และสิทธิ์), with passwords hashed by bcrypt.

Roles, least to most: ``viewer`` (public maps), ``member`` (marks housing need, sees own
reports), ``coordinator`` (verifies and imports within a ``scope``), ``analyst``
(exports), ``admin`` (accounts; may do everything).

No account has a password anyone else knows: a plain build creates no account. The first
administrator is made with ``python -m data users add NAME --role admin`` or through the
one-time set-up link the app prints to its log (:mod:`data.first_admin`). Only a demo build
(``build --demo``) creates the development accounts of :data:`BUILTIN_ACCOUNTS`, flagged
``dev_password`` until their password is changed; every page warns while one is active
(:func:`dev_password_accounts`).

Every password set goes through :func:`data.passwords.check_strength`; every sign-in through
:func:`sign_in`, throttled per account and per client (:mod:`data.signin`). The last
active administrator cannot be demoted or disabled.

Accounts signed in through OpenID Connect (``st.login``) are stored with ``auth='oidc'``,
no password, and keyed by the provider's issuer and subject (:func:`ensure_oidc_account`).
Every change writes an audit row.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import cache

import bcrypt

from data import audit, signin
from data.errors import AccountError
from data.need_reports import check_scope
from data.passwords import MIN_LENGTH, check_strength
from data.store import transaction

ROLES = ("viewer", "member", "coordinator", "analyst", "admin")
PASSWORD_MIN = MIN_LENGTH
BCRYPT_ROUNDS = 12
_USERNAME = re.compile(r"^[a-z0-9][a-z0-9_.@-]{1,63}$")

#: (username, display name, role, scope, development password): demo builds only (README).
BUILTIN_ACCOUNTS: tuple[tuple[str, str, str, str | None, str], ...] = (
    ("admin", "ผู้ดูแลระบบ (Admin)", "admin", None, "admin-phang-dev"),
    (
        "coordinator",
        "ผู้ประสานงานส่วนกลาง (Coordinator, whole country)",
        "coordinator",
        None,
        "coordinator-phang-dev",
    ),
    (
        "coord_bkk",
        "ผู้ประสานงานกรุงเทพฯ (Coordinator, Bangkok)",
        "coordinator",
        "TH10",
        "coord-bkk-phang-dev",
    ),
    (
        "coord_north",
        "ผู้ประสานงานภาคเหนือ (Coordinator, North region)",
        "coordinator",
        "region:codi-18:north",
        "coord-north-phang-dev",
    ),
    ("analyst", "นักวิเคราะห์ (Analyst)", "analyst", None, "analyst-phang-dev"),
    ("member", "สมาชิกชุมชน (Member)", "member", None, "member-phang-dev"),
)


class SignInThrottled(AccountError):
    """Too many failed sign-ins for this account or client: wait ``wait_seconds``."""

    def __init__(self, wait_seconds: int) -> None:
        super().__init__(
            f"too many failed attempts; wait {wait_seconds} seconds and try again",
            message_th=f"ลองผิดหลายครั้งเกินไป กรุณารอ {wait_seconds} วินาทีแล้วลองใหม่",
        )
        self.wait_seconds = wait_seconds


@dataclass(frozen=True)
class Account:
    """An account as the app uses it (never carries the password hash)."""

    username: str
    display_name: str
    role: str
    scope: str | None
    active: bool
    auth: str = "builtin"


def hash_password(password: str, rounds: int = BCRYPT_ROUNDS) -> str:
    """A bcrypt hash of ``password`` (no strength rule here: see :func:`create`)."""
    if not isinstance(password, str) or not password:
        raise AccountError("a password is needed", message_th="กรุณาระบุรหัสผ่าน")
    data = password.encode("utf-8")
    if len(data) > 72:
        raise AccountError(
            "a password may be at most 72 bytes long", message_th="รหัสผ่านยาวเกิน 72 ไบต์"
        )
    return bcrypt.hashpw(data, bcrypt.gensalt(rounds)).decode("ascii")


def check_username(username: str) -> str:
    name = (username or "").strip().lower()
    if not _USERNAME.match(name):
        raise AccountError(
            f"username {username!r} must be 2-64 lowercase letters, digits, '.', '_', '-' or '@'",
            message_th=f"ชื่อผู้ใช้ {username!r} ต้องเป็นอักษรอังกฤษตัวเล็ก ตัวเลข . _ - หรือ @ ยาว 2-64 ตัว",
        )
    return name


def check_role(role: str) -> str:
    value = (role or "").strip().lower()
    if value not in ROLES:
        raise AccountError(
            f"role must be one of {', '.join(ROLES)}, not {role!r}",
            message_th=f"บทบาทต้องเป็นหนึ่งใน {', '.join(ROLES)}",
        )
    return value


def _row(con, username: str) -> dict | None:
    row = con.execute(
        "SELECT username, display_name, role, scope, active, auth, created_at, updated_at "
        "FROM account WHERE username = ?",
        [username],
    ).fetchone()
    if row is None:
        return None
    keys = (
        "username",
        "display_name",
        "role",
        "scope",
        "active",
        "auth",
        "created_at",
        "updated_at",
    )
    return dict(zip(keys, row, strict=True))


def _account(row: dict) -> Account:
    return Account(
        row["username"], row["display_name"], row["role"], row["scope"], row["active"], row["auth"]
    )


def get(con, username: str) -> Account | None:
    row = _row(con, (username or "").strip().lower())
    return None if row is None else _account(row)


def list_accounts(con) -> list[dict]:
    """Every account (no password hashes), by username."""
    rows = con.execute(
        "SELECT username, display_name, role, scope, active, auth, created_at, updated_at "
        "FROM account ORDER BY username"
    ).fetchall()
    keys = (
        "username",
        "display_name",
        "role",
        "scope",
        "active",
        "auth",
        "created_at",
        "updated_at",
    )
    return [dict(zip(keys, r, strict=True)) for r in rows]


def create(
    con,
    username: str,
    display_name: str,
    role: str,
    *,
    password: str | None,
    scope: str | None = None,
    actor: str,
    auth: str = "builtin",
    rounds: int = BCRYPT_ROUNDS,
    dev_password: bool = False,
) -> Account:
    """Create an account; ``password`` is required for built-in (non-OIDC) accounts and
    must follow the password rule (:func:`data.passwords.check_strength`).
    ``dev_password`` (the demo build only) skips the rule and flags the account."""
    username = check_username(username)
    role = check_role(role)
    scope = check_scope(scope) if role == "coordinator" else None
    display_name = (display_name or "").strip() or username
    if auth == "builtin" and password is None:
        raise AccountError("a built-in account needs a password", message_th="บัญชีในระบบต้องมีรหัสผ่าน")
    if password is not None and not dev_password:
        check_strength(password, username=username, display_name=display_name)
    hashed = hash_password(password, rounds) if password is not None else None
    with transaction(con):
        if _row(con, username) is not None:
            raise AccountError(
                f"the account {username!r} exists already", message_th=f"มีบัญชี {username!r} อยู่แล้ว"
            )
        con.execute(
            "INSERT INTO account (username, display_name, role, scope, password_hash, auth, "
            "dev_password) VALUES (?, ?, ?, ?, ?, ?, ?)",
            [username, display_name, role, scope, hashed, auth, bool(dev_password)],
        )
        after = _row(con, username)
        audit.record(
            con, actor, "create", "account", username, None, dict(after, password_hash=hashed)
        )
    return _account(after)


def _keeps_an_admin(con, before: dict, sets: dict) -> None:
    """Refuse a change that would leave no active administrator."""
    if before["role"] != "admin" or not before["active"]:
        return
    if sets.get("role", "admin") == "admin" and sets.get("active", True):
        return
    others = con.execute(
        "SELECT count(*) FROM account WHERE role = 'admin' AND active AND username <> ?",
        [before["username"]],
    ).fetchone()[0]
    if not others:
        raise AccountError(
            f"{before['username']!r} is the last active administrator: make another account "
            "an administrator first",
            message_th=f"{before['username']} เป็นผู้ดูแลระบบคนสุดท้ายที่ใช้งานอยู่ กรุณาตั้งบัญชีอื่นเป็นผู้ดูแลระบบก่อน",
        )


def _update(con, username: str, actor: str, action: str, sets: dict) -> Account:
    username = check_username(username)
    with transaction(con):
        before = _row(con, username)
        if before is None:
            raise AccountError(f"no account {username!r}", message_th=f"ไม่พบบัญชี {username!r}")
        _keeps_an_admin(con, before, sets)
        assignments = ", ".join(f"{k} = ?" for k in sets)
        con.execute(
            f"UPDATE account SET {assignments}, updated_at = current_timestamp WHERE username = ?",
            [*sets.values(), username],
        )
        after = _row(con, username)
        audit.record(
            con,
            actor,
            action,
            "account",
            username,
            {k: before.get(k) for k in sets},
            {k: after.get(k, v) for k, v in sets.items()},
        )
    return _account(after)


def set_password(
    con, username: str, password: str, *, actor: str, rounds: int = BCRYPT_ROUNDS
) -> Account:
    """Give an account a new password (the password rule applies) and end every session
    signed in with the old one, on every server."""
    from data import sessions  # sessions builds on accounts

    current = get(con, username)
    check_strength(
        password,
        username=check_username(username),
        display_name=current.display_name if current else None,
    )
    account = _update(
        con,
        username,
        actor,
        "set_password",
        {
            "password_hash": hash_password(password, rounds),
            "auth": "builtin",
            "dev_password": False,
        },
    )
    sessions.revoke_all(con, account.username)
    return account


def set_role(con, username: str, role: str, scope: str | None = None, *, actor: str) -> Account:
    role = check_role(role)
    scope = check_scope(scope) if role == "coordinator" else None
    return _update(con, username, actor, "set_role", {"role": role, "scope": scope})


def set_active(con, username: str, active: bool, *, actor: str) -> Account:
    if not active and check_username(username) == (actor or "").strip().lower():
        raise AccountError(
            "you cannot disable your own account", message_th="ไม่สามารถปิดบัญชีของตนเองได้"
        )
    return _update(
        con, username, actor, "enable" if active else "disable", {"active": bool(active)}
    )


@dataclass(frozen=True)
class SignIn:
    """The answer to a sign-in: the account (None unless ``outcome == "ok"``), the outcome
    (``ok``, ``wrong``, ``throttled``) and the seconds to wait before the next try."""

    account: Account | None
    outcome: str
    wait_seconds: int = 0

    def message(self, lang: str = "th") -> str:
        """What to tell the person (never which of username or password was wrong)."""
        if self.outcome == "ok":
            return ""
        wait = self.wait_seconds
        if self.outcome == "throttled" or wait:
            return (
                f"ลองผิดหลายครั้งเกินไป กรุณารอ {wait} วินาทีแล้วลองใหม่"
                if lang == "th"
                else f"Too many failed attempts; wait {wait} seconds and try again."
            )
        return "ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง" if lang == "th" else "Wrong username or password."


def sign_in(con, username: str, password: str, *, client: str | None = None) -> SignIn:
    """Check a username and password, throttled per account and per ``client`` (an
    address; :mod:`data.signin`), every failure audited.

    A throttled attempt is refused before any password check. A wrong username costs the
    same bcrypt check as a wrong password, so timing does not tell which accounts exist.
    """
    name = (username or "").strip().lower()[:64]
    # without a client address (a caller that has none) only the per-account limit applies
    where = (client if isinstance(client, str) else "").strip()[:64] or signin.NO_CLIENT
    wait = signin.wait_seconds(con, name, where)
    if wait:
        signin.record(con, name, where, "throttled")
        return SignIn(None, "throttled", wait)
    row = con.execute(
        "SELECT password_hash FROM account WHERE username = ? AND active AND auth = 'builtin'",
        [name],
    ).fetchone()
    stored = row[0] if row and row[0] else _dummy_hash()
    try:
        ok = bcrypt.checkpw((password or "").encode("utf-8")[:72], stored.encode("ascii"))
    except ValueError:
        ok = False
    if not ok or row is None:
        return SignIn(None, "wrong", signin.record(con, name, where, "wrong"))
    signin.record(con, name, where, "ok")
    return SignIn(get(con, name), "ok")


def authenticate(con, username: str, password: str, *, client: str | None = None):
    """The account if ``password`` is right and the account active, else None; raises
    :class:`SignInThrottled` (a PhangError saying how long to wait) while throttled. See
    :func:`sign_in`, which answers instead of raising."""
    result = sign_in(con, username, password, client=client)
    if result.outcome == "throttled":
        raise SignInThrottled(result.wait_seconds)
    return result.account


def dev_password_accounts(con) -> list[str]:
    """Active accounts that still have their development password (demo builds): one
    indexed look-up, cheap enough for every page run."""
    rows = con.execute(
        "SELECT username FROM account WHERE dev_password AND active AND auth = 'builtin' "
        "ORDER BY username"
    ).fetchall()
    return [r[0] for r in rows]


@cache
def _dummy_hash() -> str:
    return bcrypt.hashpw(b"not-a-real-password", bcrypt.gensalt(BCRYPT_ROUNDS)).decode()


def oidc_username(issuer: str, subject: str) -> str:
    """The username of an OpenID Connect identity: derived from the issuer and subject
    only, so no e-mail address or name can make it collide with another account."""
    digest = hashlib.sha256(f"{issuer}\n{subject}".encode()).hexdigest()
    return f"oidc-{digest[:16]}"


def ensure_oidc_account(
    con,
    issuer: str,
    subject: str,
    *,
    email: str | None,
    email_verified: bool,
    name: str | None,
) -> Account:
    """The account of someone signed in by OpenID Connect, created as a member if new.

    Keyed by (issuer, subject) in ``account_identity``, never by e-mail or name: an
    identity calling itself "Admin" or sharing an e-mail with a local account gets its own
    new member account. The provider must say the e-mail address is verified.
    """
    issuer, subject = (issuer or "").strip(), (subject or "").strip()
    if not issuer or not subject:
        raise AccountError(
            "the identity provider sent no issuer or subject",
            message_th="ผู้ให้บริการยืนยันตัวตนไม่ได้ส่งข้อมูลผู้ออกและรหัสผู้ใช้",
        )
    if email_verified is not True:
        raise AccountError(
            "the identity provider has not verified this e-mail address",
            message_th="ผู้ให้บริการยืนยันตัวตนยังไม่ได้ยืนยันอีเมลนี้",
        )
    with transaction(con):
        row = con.execute(
            "SELECT username FROM account_identity WHERE issuer = ? AND subject = ?",
            [issuer, subject],
        ).fetchone()
        if row is not None:
            account = get(con, row[0])
            if account is not None:
                return account
        username = oidc_username(issuer, subject)
        display = (name or "").strip()[:200] or (email or "").strip()[:200] or username
        if _row(con, username) is not None:  # a local account took the name: refuse to join
            raise AccountError(
                f"the account name {username!r} is taken by another account",
                message_th=f"ชื่อบัญชี {username} ถูกใช้โดยบัญชีอื่นแล้ว",
            )
        account = create(
            con, username, display, "member", password=None, actor=username, auth="oidc"
        )
        con.execute(
            "INSERT INTO account_identity (issuer, subject, username, email) VALUES (?, ?, ?, ?)",
            [issuer, subject, username, email],
        )
    return account


def ensure_builtin(con, *, actor: str = "system", rounds: int = BCRYPT_ROUNDS) -> list[str]:
    """Create the missing development accounts (demo builds only; flagged
    ``dev_password``); return the usernames created."""
    made = []
    for username, display, role, scope, password in BUILTIN_ACCOUNTS:
        if _row(con, username) is None:
            create(
                con,
                username,
                display,
                role,
                password=password,
                scope=scope,
                actor=actor,
                rounds=rounds,
                dev_password=True,
            )
            made.append(username)
    return made


def has_active_admin(con) -> bool:
    return bool(
        con.execute("SELECT count(*) FROM account WHERE role = 'admin' AND active").fetchone()[0]
    )
