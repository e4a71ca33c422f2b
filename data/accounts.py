"""Accounts and roles (บัญชีผู้ใช้และสิทธิ์), with passwords hashed by bcrypt.

Roles, least to most: ``viewer`` (public maps), ``member`` (marks housing need, sees own
reports), ``coordinator`` (verifies and imports within a ``scope``), ``analyst``
(exports), ``admin`` (accounts; may do everything).

The build creates the built-in accounts in :data:`BUILTIN_ACCOUNTS` when they are missing,
with the development passwords listed there; it never overwrites an account that exists,
so a changed password survives a rebuild. Change them before real use::

    python -m data users set-password admin

Accounts signed in through OpenID Connect (``st.login``) are stored with ``auth='oidc'``
and no password (:func:`ensure_oidc_account`). Every change writes an audit row.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

import bcrypt

from data import audit
from data.errors import InputError
from data.need_reports import check_scope
from data.store import transaction

ROLES = ("viewer", "member", "coordinator", "analyst", "admin")
PASSWORD_MIN = 8
BCRYPT_ROUNDS = 12
_USERNAME = re.compile(r"^[a-z0-9][a-z0-9_.@-]{1,63}$")

#: (username, display name, role, scope, development password). Documented in the README.
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


class AccountError(InputError):
    """An account cannot be created or changed as asked."""


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
    """A bcrypt hash of ``password`` (refused when shorter than PASSWORD_MIN)."""
    if not isinstance(password, str) or len(password) < PASSWORD_MIN:
        raise AccountError(
            f"a password needs at least {PASSWORD_MIN} characters",
            message_th=f"รหัสผ่านต้องมีอย่างน้อย {PASSWORD_MIN} ตัวอักษร",
        )
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
) -> Account:
    """Create an account; ``password`` is required for built-in (non-OIDC) accounts."""
    username = check_username(username)
    role = check_role(role)
    scope = check_scope(scope) if role == "coordinator" else None
    display_name = (display_name or "").strip() or username
    if auth == "builtin" and password is None:
        raise AccountError("a built-in account needs a password", message_th="บัญชีในระบบต้องมีรหัสผ่าน")
    hashed = hash_password(password, rounds) if password is not None else None
    with transaction(con):
        if _row(con, username) is not None:
            raise AccountError(
                f"the account {username!r} exists already", message_th=f"มีบัญชี {username!r} อยู่แล้ว"
            )
        con.execute(
            "INSERT INTO account (username, display_name, role, scope, password_hash, auth) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            [username, display_name, role, scope, hashed, auth],
        )
        after = _row(con, username)
        audit.record(
            con, actor, "create", "account", username, None, dict(after, password_hash=hashed)
        )
    return _account(after)


def _update(con, username: str, actor: str, action: str, sets: dict) -> Account:
    username = check_username(username)
    with transaction(con):
        before = _row(con, username)
        if before is None:
            raise AccountError(f"no account {username!r}", message_th=f"ไม่พบบัญชี {username!r}")
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
    return _update(
        con,
        username,
        actor,
        "set_password",
        {"password_hash": hash_password(password, rounds), "auth": "builtin"},
    )


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


def authenticate(con, username: str, password: str) -> Account | None:
    """The account if ``password`` is right and the account is active, else None.

    A wrong username costs the same bcrypt check as a wrong password, so timing does not
    tell which accounts exist.
    """
    name = (username or "").strip().lower()
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
        return None
    return get(con, name)


@cache
def _dummy_hash() -> str:
    return bcrypt.hashpw(b"not-a-real-password", bcrypt.gensalt(BCRYPT_ROUNDS)).decode()


def ensure_oidc_account(con, email: str, name: str | None) -> Account:
    """The account of someone signed in by OpenID Connect, created as a member if new."""
    # e-mail addresses may hold characters a username may not ('+'): map them to '_'
    username = check_username(re.sub(r"[^a-z0-9_.@-]", "_", (email or "").strip().lower()))
    existing = get(con, username)
    if existing is not None:
        return existing
    return create(
        con, username, name or username, "member", password=None, actor=username, auth="oidc"
    )


def ensure_builtin(con, *, actor: str = "system", rounds: int = BCRYPT_ROUNDS) -> list[str]:
    """Create the built-in accounts that are missing; return the usernames created."""
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
            )
            made.append(username)
    return made
