"""Sign-in sessions that survive a reload (เซสชันการเข้าสู่ระบบ), for the pages and the field app.

A session is a random token. The browser keeps it in an HttpOnly, SameSite=Lax cookie,
signed (itsdangerous, HMAC-SHA1 over the token and a timestamp) with a secret kept in the
database (``app_secret``, made on first use); the database keeps only the token's SHA-256
with its account, expiry and revocation (migration 0006). A cookie is accepted when

* its signature is right and it is younger than :data:`LIFETIME` (a forged or edited
  cookie fails here),
* its session row exists, is not revoked and not past ``expires_at`` (signing out revokes
  it, so a copied cookie stops working), and
* the account is still active.

The Streamlit sidebar checks passwords in a script run, which cannot set an HTTP cookie;
it makes a one-minute, one-time ticket (:func:`issue_ticket`) that the browser exchanges
at the sign-in route for the cookie (:func:`claim_ticket`).

Passwords are checked by :func:`data.accounts.authenticate` only; this module never reads
a password hash. Times are UTC (naive ``datetime``), passed in so tests can move the clock.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import duckdb
from itsdangerous import BadSignature, URLSafeTimedSerializer

from data import accounts
from data.store import is_constraint, with_retry

SESSION_COOKIE = "phang_session"
CSRF_COOKIE = "phang_csrf"
CSRF_HEADER = "x-csrf-token"
#: how long a sign-in lasts (``PHANG_SESSION_DAYS``, default 14 days)
LIFETIME = timedelta(days=float(os.environ.get("PHANG_SESSION_DAYS", "14")))
TICKET_LIFETIME = timedelta(seconds=60)
VIAS = ("sidebar", "field", "route")
_SALT = "phang-session-v1"


@dataclass(frozen=True)
class Session:
    """A signed-in session: the cookie value to send and when it ends."""

    cookie: str
    username: str
    expires_at: datetime
    token_hash: str


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def secret(con, name: str = "session") -> str:
    """The named app secret, made (random, 256 bits) and stored on first use."""
    row = con.execute("SELECT value FROM app_secret WHERE name = ?", [name]).fetchone()
    if row:
        return row[0]

    def make(cur):
        cur.execute(
            "INSERT INTO app_secret (name, value, created_at) VALUES (?, ?, current_timestamp)"
            " ON CONFLICT DO NOTHING",
            [name, secrets.token_hex(32)],
        )
        return cur.execute("SELECT value FROM app_secret WHERE name = ?", [name]).fetchone()[0]

    try:
        return with_retry(con, make)
    except duckdb.Error as exc:
        # another server made it at the same moment (PostgreSQL reports the unique key even
        # with ON CONFLICT when the two inserts race): theirs is the secret
        if not is_constraint(exc):
            raise
        return con.execute("SELECT value FROM app_secret WHERE name = ?", [name]).fetchone()[0]


def _serializer(con) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret(con), salt=_SALT)


def create(
    con,
    username: str,
    *,
    via: str = "route",
    user_agent: str | None = None,
    now: datetime | None = None,
    lifetime: timedelta = LIFETIME,
) -> Session:
    """Start a session for ``username`` (already authenticated) and return its cookie."""
    if via not in VIAS:
        raise ValueError(f"via must be one of {VIAS}, not {via!r}")
    now = now or utcnow()
    token = secrets.token_urlsafe(32)
    digest = _hash(token)
    expires = now + lifetime
    agent = (user_agent or "")[:300] or None

    def insert(cur):
        cur.execute(
            "INSERT INTO web_session (token_hash, username, created_at, expires_at, via, "
            "user_agent) VALUES (?, ?, ?, ?, ?, ?)",
            [digest, username, now, expires, via, agent],
        )

    with_retry(con, insert)
    return Session(_serializer(con).dumps(token), username, expires, digest)


def _token(con, cookie: str | None, now: datetime, lifetime: timedelta) -> str | None:
    if not cookie or len(cookie) > 512:
        return None
    try:
        token, signed_at = _serializer(con).loads(
            cookie, max_age=int(lifetime.total_seconds()), return_timestamp=True
        )
    except BadSignature:  # also SignatureExpired
        return None
    if not isinstance(token, str) or signed_at.replace(tzinfo=None) > now + timedelta(minutes=5):
        return None
    return token


def session_hash(con, cookie: str | None, *, now: datetime | None = None) -> str | None:
    """The stored hash of a live session's cookie, or None (forged, expired or revoked)."""
    now = now or utcnow()
    token = _token(con, cookie, now, LIFETIME)
    if token is None:
        return None
    digest = _hash(token)
    row = con.execute(
        "SELECT 1 FROM web_session WHERE token_hash = ? AND revoked_at IS NULL AND expires_at > ?",
        [digest, now],
    ).fetchone()
    return digest if row else None


def live(con, token_hash: str, *, now: datetime | None = None) -> bool:
    """Is the session with this stored hash neither revoked nor expired?"""
    row = con.execute(
        "SELECT 1 FROM web_session WHERE token_hash = ? AND revoked_at IS NULL AND expires_at > ?",
        [token_hash, now or utcnow()],
    ).fetchone()
    return row is not None


def account_for(con, cookie: str | None, *, now: datetime | None = None):
    """The active :class:`data.accounts.Account` a cookie belongs to, or None."""
    now = now or utcnow()
    token = _token(con, cookie, now, LIFETIME)
    if token is None:
        return None
    row = con.execute(
        "SELECT username FROM web_session WHERE token_hash = ? AND revoked_at IS NULL "
        "AND expires_at > ?",
        [_hash(token), now],
    ).fetchone()
    if row is None:
        return None
    account = accounts.get(con, row[0])
    return account if account is not None and account.active else None


def revoke(con, cookie: str | None = None, *, token_hash: str | None = None) -> bool:
    """End a session (by its cookie, or its stored hash); True if one was live."""
    if token_hash is None:
        token = _token(con, cookie, utcnow(), LIFETIME)
        if token is None:
            return False
        token_hash = _hash(token)
    now = utcnow()

    def update(cur):
        return _changed(
            cur,
            "UPDATE web_session SET revoked_at = ? WHERE token_hash = ? AND revoked_at IS NULL",
            [now, token_hash],
        )

    return bool(with_retry(con, update))


def _changed(cur, sql: str, params: list) -> int:
    """Run an UPDATE or DELETE and return how many rows it changed (both stores report
    the count as the statement's one row; RETURNING does not reach PostgreSQL)."""
    row = cur.execute(sql, params).fetchone()
    return int(row[0]) if row else 0


def revoke_all(con, username: str) -> int:
    """End every session of an account (password change, account disabled)."""
    now = utcnow()

    def update(cur):
        return _changed(
            cur,
            "UPDATE web_session SET revoked_at = ? WHERE username = ? AND revoked_at IS NULL",
            [now, username],
        )

    return with_retry(con, update)


def issue_ticket(con, username: str, *, now: datetime | None = None) -> str:
    """A one-time ticket, valid for :data:`TICKET_LIFETIME`, that the browser exchanges
    for a session cookie (:func:`claim_ticket`). ``username`` is already authenticated."""
    now = now or utcnow()
    ticket = secrets.token_urlsafe(32)

    def insert(cur):
        cur.execute(
            "INSERT INTO session_ticket (ticket_hash, username, expires_at) VALUES (?, ?, ?)",
            [_hash(ticket), username, now + TICKET_LIFETIME],
        )

    with_retry(con, insert)
    return ticket


def claim_ticket(
    con, ticket: str, *, user_agent: str | None = None, now: datetime | None = None
) -> Session | None:
    """Exchange a live, unused ticket for a new session; None if it is unknown, used or old."""
    if not isinstance(ticket, str) or not 20 <= len(ticket) <= 100:
        return None
    now = now or utcnow()
    digest = _hash(ticket)

    def take(cur):
        row = cur.execute(
            "SELECT username FROM session_ticket WHERE ticket_hash = ? AND used_at IS NULL "
            "AND expires_at > ?",
            [digest, now],
        ).fetchone()
        if row is None:
            return None
        taken = _changed(
            cur,
            "UPDATE session_ticket SET used_at = ? WHERE ticket_hash = ? AND used_at IS NULL "
            "AND expires_at > ?",
            [now, digest, now],
        )
        return row[0] if taken == 1 else None

    username = with_retry(con, take)
    if username is None:
        return None
    account = accounts.get(con, username)
    if account is None or not account.active:
        return None
    session = create(con, username, via="sidebar", user_agent=user_agent, now=now)

    def link(cur):
        cur.execute(
            "UPDATE session_ticket SET session_hash = ? WHERE ticket_hash = ?",
            [session.token_hash, digest],
        )

    with_retry(con, link)
    return session


def ticket_session(con, ticket: str) -> str | None:
    """The session hash a claimed ticket led to (the sidebar signs that session out)."""
    row = con.execute(
        "SELECT session_hash FROM session_ticket WHERE ticket_hash = ?", [_hash(ticket)]
    ).fetchone()
    return row[0] if row else None


def purge(con, *, now: datetime | None = None) -> int:
    """Remove sessions and tickets that ended more than a day ago; return how many."""
    cutoff = (now or utcnow()) - timedelta(days=1)

    def delete(cur):
        a = _changed(
            cur, "DELETE FROM web_session WHERE expires_at < ? OR revoked_at < ?", [cutoff, cutoff]
        )
        b = _changed(cur, "DELETE FROM session_ticket WHERE expires_at < ?", [cutoff])
        return a + b

    return with_retry(con, delete)


# --- CSRF: a signed double-submit token ------------------------------------------------------


def new_csrf(con) -> str:
    """A CSRF token: random, signed with the app secret (kept in a script-readable cookie and
    echoed in the ``X-CSRF-Token`` header of every POST)."""
    nonce = secrets.token_urlsafe(18)
    mac = hmac.new(secret(con, "csrf").encode(), nonce.encode(), hashlib.sha256).hexdigest()
    return f"{nonce}.{mac[:32]}"


def csrf_ok(con, cookie_value: str | None, header_value: str | None) -> bool:
    """Is the header the same as the cookie, and the cookie a token this server signed?"""
    if not cookie_value or not header_value or len(cookie_value) > 100:
        return False
    if not hmac.compare_digest(cookie_value, header_value):
        return False
    nonce, _, mac = cookie_value.partition(".")
    want = hmac.new(secret(con, "csrf").encode(), nonce.encode(), hashlib.sha256).hexdigest()
    return hmac.compare_digest(mac, want[:32])
