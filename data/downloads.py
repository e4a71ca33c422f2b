"""Export files handed out to one signed-in session for a short time (ลิงก์ดาวน์โหลดชั่วคราว).

An export made in the browser is kept in this process's memory under a random token,
bound to the session that asked for it (the stored hash of its cookie, :mod:`data.sessions`)
and to an expiry (:data:`LIFETIME`). The download route serves it only to a request that
carries a live cookie of that same session, before the expiry: a copied link is useless
to anyone else, and useless to the analyst after signing out.

Files are not written to disk; at most :data:`MAX_BYTES` are held, oldest dropped first.
"""

from __future__ import annotations

import secrets
import threading
import time
from dataclasses import dataclass

LIFETIME_SECONDS = 15 * 60
MAX_BYTES = 512 * 1024 * 1024


@dataclass(frozen=True)
class Grant:
    data: bytes
    filename: str
    media_type: str
    session_hash: str
    expires: float


_grants: dict[str, Grant] = {}
_lock = threading.Lock()


def grant(
    data: bytes,
    filename: str,
    media_type: str,
    session_hash: str,
    *,
    lifetime: float = LIFETIME_SECONDS,
    now: float | None = None,
) -> str:
    """Keep ``data`` for the session ``session_hash``; return the token of its link."""
    if not session_hash:
        raise ValueError("a download is granted to a signed-in session only")
    now = time.time() if now is None else now
    token = secrets.token_urlsafe(24)
    with _lock:
        _purge(now)
        _grants[token] = Grant(bytes(data), filename, media_type, session_hash, now + lifetime)
        while sum(len(g.data) for g in _grants.values()) > MAX_BYTES and len(_grants) > 1:
            _grants.pop(min(_grants, key=lambda k: _grants[k].expires))
    return token


def fetch(token: str, session_hash: str | None, *, now: float | None = None) -> Grant | None:
    """The grant behind ``token`` if it is live and belongs to ``session_hash``, else None."""
    now = time.time() if now is None else now
    with _lock:
        _purge(now)
        found = _grants.get(token or "")
    if (
        found is None
        or not session_hash
        or not secrets.compare_digest(found.session_hash, session_hash)
    ):
        return None
    return found


def _purge(now: float) -> None:
    for key in [k for k, g in _grants.items() if g.expires <= now]:
        del _grants[key]
