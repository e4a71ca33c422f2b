"""API keys (กุญแจ API) that let an agency read the protected layers of the OGC API.

An admin issues a key per agency (``python -m data apikeys issue AGENCY`` or the admin
page); the token is shown once and only its SHA-256 is stored, so a copy of the database
does not leak working keys. A key may be limited to some layers (export layer keys,
:mod:`geo.export_layers`), and revoked at any time. Every use is counted on the key and
written to the audit trail (:mod:`data.audit`, action ``api_use``)::

    issued = issue(con, "กรมพัฒนาที่ดิน", layers=["organizations"], actor="admin")
    issued.token                      # give this to the agency, once
    check(con, issued.token, "organizations")   # -> ApiKey, or raises ApiKeyError
    revoke(con, issued.key.id, actor="admin")

Library code: no Streamlit, no HTTP. The routes (:mod:`ogc.routes`) call :func:`check`
and :func:`record_use`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from dataclasses import dataclass

from data.audit import record
from data.errors import InputError, PhangError
from data.store import next_id, transaction

#: tokens look like ``phk_`` + 43 URL-safe characters (256 random bits)
TOKEN_PREFIX = "phk_"  # noqa: S105 (a marker, not a secret)
_SHOWN = 8  # characters of the token kept in clear to tell keys apart


class ApiKeyError(PhangError):
    """A request's key is missing, unknown, revoked, or does not open the layer asked for.

    ``reason`` is one of ``missing``, ``unknown``, ``revoked``, ``layer``.
    """

    def __init__(self, reason: str, message: str, *, message_th: str) -> None:
        super().__init__(message, message_th=message_th)
        self.reason = reason


@dataclass(frozen=True)
class ApiKey:
    """One issued key, without its secret."""

    id: int
    agency: str
    prefix: str
    layers: tuple[str, ...] | None
    note: str
    created_by: str
    created_at: dt.datetime
    revoked_by: str | None
    revoked_at: dt.datetime | None
    use_count: int
    last_used_at: dt.datetime | None

    @property
    def active(self) -> bool:
        return self.revoked_at is None

    def opens(self, layer: str) -> bool:
        """Whether this key may read ``layer`` (an export layer key)."""
        return self.layers is None or layer in self.layers

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "agency": self.agency,
            "prefix": self.prefix,
            "layers": list(self.layers) if self.layers is not None else None,
            "note": self.note,
            "active": self.active,
            "created_by": self.created_by,
            "created_at": self.created_at,
            "revoked_by": self.revoked_by,
            "revoked_at": self.revoked_at,
            "use_count": self.use_count,
            "last_used_at": self.last_used_at,
        }


@dataclass(frozen=True)
class IssuedKey:
    """A key just issued: the only moment its ``token`` is known."""

    key: ApiKey
    token: str


_COLUMNS = (
    "id, agency, prefix, layers, note, created_by, created_at, revoked_by, revoked_at, "
    "use_count, last_used_at"
)


def token_hash(token: str) -> str:
    """The SHA-256 (hex) stored for ``token``."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _row_to_key(row) -> ApiKey:
    layers = tuple(row[3]) if row[3] is not None else None
    return ApiKey(row[0], row[1], row[2], layers, *row[4:])


def _check_layers(con, layers) -> tuple[str, ...] | None:
    if layers is None:
        return None
    from geo.export_layers import registered

    wanted = tuple(dict.fromkeys(str(x).strip() for x in layers if str(x).strip()))
    if not wanted:
        return None
    known = registered()
    unknown = [x for x in wanted if x not in known]
    if unknown:
        raise InputError(
            f"unknown layers {', '.join(unknown)}; choose from {', '.join(known)}",
            message_th=f"ไม่มีชั้นข้อมูล {', '.join(unknown)} (มี: {', '.join(known)})",
        )
    return wanted


def issue(
    con,
    agency: str,
    *,
    layers=None,
    note: str = "",
    actor: str,
) -> IssuedKey:
    """Issue a key for ``agency`` (any name, Thai welcome); ``layers`` limits it to those
    export layers (None: every layer). Returns the key and its token, shown only now."""
    agency = " ".join(str(agency or "").split())
    if not agency:
        raise InputError("give the agency's name", message_th="กรุณาระบุชื่อหน่วยงาน")
    if len(agency) > 200:
        raise InputError(
            "the agency's name is longer than 200 characters",
            message_th="ชื่อหน่วยงานยาวเกิน 200 ตัวอักษร",
        )
    chosen = _check_layers(con, layers)
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with transaction(con):
        new_id = next_id(con, "api_key_id")
        con.execute(
            "INSERT INTO api_key (id, agency, token_sha256, prefix, layers, note, created_by) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            [
                new_id,
                agency,
                token_hash(token),
                token[: len(TOKEN_PREFIX) + _SHOWN],
                list(chosen) if chosen is not None else None,
                str(note or "").strip(),
                actor,
            ],
        )
        row = con.execute(f"SELECT {_COLUMNS} FROM api_key WHERE id = ?", [new_id]).fetchone()
        key = _row_to_key(row)
        after = {k: v for k, v in key.to_dict().items() if k not in ("use_count", "last_used_at")}
        record(con, actor, "create", "api_key", key.id, None, after)
    return IssuedKey(key, token)


def list_keys(con, *, include_revoked: bool = True) -> list[ApiKey]:
    """Every key, newest first."""
    where = "" if include_revoked else "WHERE revoked_at IS NULL"
    rows = con.execute(f"SELECT {_COLUMNS} FROM api_key {where} ORDER BY id DESC").fetchall()
    return [_row_to_key(r) for r in rows]


def get(con, key_id: int) -> ApiKey:
    row = con.execute(f"SELECT {_COLUMNS} FROM api_key WHERE id = ?", [key_id]).fetchone()
    if row is None:
        raise InputError(f"no API key has the id {key_id}", message_th=f"ไม่พบกุญแจ API รหัส {key_id}")
    return _row_to_key(row)


def revoke(con, key_id: int, *, actor: str) -> ApiKey:
    """Revoke a key: every later request with it gets 401. Revoking twice is refused."""
    with transaction(con):
        key = get(con, key_id)
        if not key.active:
            raise InputError(
                f"API key {key_id} ({key.agency}) was already revoked on {key.revoked_at:%Y-%m-%d}",
                message_th=f"กุญแจ API {key_id} ({key.agency}) ถูกยกเลิกไปแล้ว",
            )
        con.execute(
            "UPDATE api_key SET revoked_at = current_timestamp, revoked_by = ? WHERE id = ?",
            [actor, key_id],
        )
        record(con, actor, "revoke", "api_key", key_id, {"active": True}, {"active": False})
    return get(con, key_id)


def find(con, token: str | None) -> ApiKey | None:
    """The key whose token this is (revoked or not), or None."""
    if not token:
        return None
    digest = token_hash(token.strip())
    row = con.execute(
        f"SELECT {_COLUMNS}, token_sha256 FROM api_key WHERE token_sha256 = ?", [digest]
    ).fetchone()
    # the lookup is by the hash; compare again in constant time all the same
    if row is None or not hmac.compare_digest(row[-1], digest):
        return None
    return _row_to_key(row[:-1])


def check(con, token: str | None, layer: str) -> ApiKey:
    """The key that opens ``layer`` for this request; raises :class:`ApiKeyError` otherwise."""
    if not token or not token.strip():
        raise ApiKeyError(
            "missing",
            "this layer needs an API key: send it as the X-API-Key header (or ?api_key=)",
            message_th="ชั้นข้อมูลนี้ต้องใช้กุญแจ API ส่งในส่วนหัว X-API-Key (หรือ ?api_key=)",
        )
    key = find(con, token)
    if key is None:
        raise ApiKeyError(
            "unknown",
            "this API key is not known; ask the administrator for a key",
            message_th="ไม่รู้จักกุญแจ API นี้ กรุณาขอกุญแจจากผู้ดูแลระบบ",
        )
    if not key.active:
        raise ApiKeyError(
            "revoked",
            "this API key has been revoked; ask the administrator for a new one",
            message_th="กุญแจ API นี้ถูกยกเลิกแล้ว กรุณาขอกุญแจใหม่จากผู้ดูแลระบบ",
        )
    if not key.opens(layer):
        raise ApiKeyError(
            "layer",
            f"this API key does not open the layer {layer!r}",
            message_th=f"กุญแจ API นี้ใช้กับชั้นข้อมูล {layer} ไม่ได้",
        )
    return key


def record_use(con, key: ApiKey, what: str, detail: dict | None = None) -> None:
    """Count one use of ``key`` and audit it (``what``: the path read; ``detail``: its
    query, features returned...). Call with a fresh cursor; commits on its own."""
    with transaction(con):
        con.execute(
            "UPDATE api_key SET use_count = use_count + 1, last_used_at = current_timestamp "
            "WHERE id = ?",
            [key.id],
        )
        record(
            con,
            f"api_key:{key.id}",
            "api_use",
            "api_key",
            key.id,
            None,
            {"agency": key.agency, "path": what, **(detail or {})},
        )


__all__ = [
    "ApiKey",
    "ApiKeyError",
    "IssuedKey",
    "check",
    "find",
    "get",
    "issue",
    "list_keys",
    "record_use",
    "revoke",
    "token_hash",
]
