"""Sign-in throttling (จำกัดการเข้าสู่ระบบที่ผิดซ้ำ): a growing wait per account and per client.

:func:`data.accounts.sign_in` (and so :func:`data.accounts.authenticate`, which every
sign-in path calls: the sidebar form, HTTP sign-in routes) asks :func:`wait_seconds` first
and records every attempt with :func:`record`. Nothing here sleeps: a throttled attempt is
refused at once, without a password check, and told how long to wait.

* Per account: after :data:`ACCOUNT_FREE` wrong passwords in a row (since the last right
  one, within a day) each further failure locks the account for 30 s, then 60, 120 ...
  up to 15 minutes.
* Per client (address): after :data:`CLIENT_FREE` wrong passwords within an hour, on any
  accounts, the client waits 60 s, doubling every 5 failures, up to 15 minutes; a right
  password does not reset this (one's own account cannot be used to keep guessing).

Every failure and every refused attempt is written to the audit trail
(:mod:`data.audit`: ``sign_in_failed`` / ``sign_in_throttled`` on table ``account``, the
record id being the username tried, the actor ``client:<address>``); attempts also go to
``sign_in_attempt`` (migration 0009), kept two days.
"""

from __future__ import annotations

import datetime as dt

import duckdb

from data import audit
from data.store import is_conflict, transaction

#: the client of a caller that knows no address: only the per-account limit applies to it
NO_CLIENT = "-"
ACCOUNT_FREE = 5
CLIENT_FREE = 20
MAX_WAIT = 900
KEEP = dt.timedelta(days=2)


def now() -> dt.datetime:
    """The clock of throttling (UTC, naive as stored); tests replace it."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def account_delay(failures: int) -> int:
    """Seconds an account waits after ``failures`` wrong passwords in a row."""
    if failures < ACCOUNT_FREE:
        return 0
    return min(30 * 2 ** (failures - ACCOUNT_FREE), MAX_WAIT)


def client_delay(failures: int) -> int:
    """Seconds a client waits after ``failures`` wrong passwords within an hour."""
    if failures < CLIENT_FREE:
        return 0
    return min(60 * 2 ** ((failures - CLIENT_FREE) // 5), MAX_WAIT)


def _failures(con, username: str, client: str, at: dt.datetime):
    return con.execute(
        """WITH last_ok AS (
               SELECT max("at") AS t FROM sign_in_attempt WHERE username = $u AND outcome = 'ok')
           SELECT
             (SELECT count(*) FROM sign_in_attempt WHERE username = $u AND outcome = 'wrong'
                AND "at" > $day AND "at" > coalesce((SELECT t FROM last_ok), $day)),
             (SELECT max("at") FROM sign_in_attempt WHERE username = $u AND outcome = 'wrong'
                AND "at" > $day),
             (SELECT count(*) FROM sign_in_attempt WHERE client = $c AND outcome = 'wrong'
                AND "at" > $hour),
             (SELECT max("at") FROM sign_in_attempt WHERE client = $c AND outcome = 'wrong'
                AND "at" > $hour)""",
        {
            "u": username,
            "c": client,
            "day": at - dt.timedelta(days=1),
            "hour": at - dt.timedelta(hours=1),
        },
    ).fetchone()


def wait_seconds(con, username: str, client: str, at: dt.datetime | None = None) -> int:
    """How many seconds ``username`` from ``client`` must wait before the next try (0: none)."""
    at = at or now()
    n_account, last_account, n_client, last_client = _failures(con, username, client, at)
    wait = 0.0
    if n_account and last_account is not None:
        until = last_account + dt.timedelta(seconds=account_delay(n_account))
        wait = max(wait, (until - at).total_seconds())
    if client != NO_CLIENT and n_client and last_client is not None:
        until = last_client + dt.timedelta(seconds=client_delay(n_client))
        wait = max(wait, (until - at).total_seconds())
    return int(wait + 0.999) if wait > 0 else 0


def record(con, username: str, client: str, outcome: str, at: dt.datetime | None = None) -> int:
    """Store one attempt (``ok``, ``wrong`` or ``throttled``), audit failures and refusals;
    return the wait now in force for this account and client."""
    at = at or now()
    with transaction(con):
        con.execute(
            'INSERT INTO sign_in_attempt ("at", username, client, outcome) VALUES (?, ?, ?, ?)',
            [at, username, client, outcome],
        )
        wait = wait_seconds(con, username, client, at) if outcome != "ok" else 0
        if outcome != "ok":
            failures = _failures(con, username, client, at)
            audit.record(
                con,
                f"client:{client}",
                "sign_in_failed" if outcome == "wrong" else "sign_in_throttled",
                "account",
                username,
                None,
                {
                    "client": client,
                    "failures_in_a_row": int(failures[0]),
                    "failures_from_client_last_hour": int(failures[2]),
                    "wait_seconds": wait,
                },
            )
        else:
            audit.record(con, username, "sign_in", "account", username, None, {"client": client})
    try:  # pruning may meet another sign-in pruning the same rows: then that one did it
        with transaction(con):
            con.execute('DELETE FROM sign_in_attempt WHERE "at" < ?', [at - KEEP])
    except duckdb.Error as exc:
        if not is_conflict(exc):
            raise
    return wait
