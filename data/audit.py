"""The audit trail (บันทึกการเปลี่ยนแปลง): who changed what, when, with before and after values.

Every create, update, delete and decision calls :func:`record` with the same cursor, inside
the same transaction as the change itself, so the change and its audit row are committed
together or not at all::

    with transaction(cur):
        before = row_as_dict(cur, "need_report", report_id)
        cur.execute("UPDATE need_report SET status = 'verified' WHERE id = ?", [report_id])
        record(cur, actor, "verify", "need_report", report_id, before, {"status": "verified"})

Values are stored as JSON. Secrets never reach the log: keys named in :data:`REDACTED_KEYS`
(password hashes, private contact details) are replaced by a marker saying whether a
value was present.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from decimal import Decimal
from typing import Any

from data.errors import InputError
from data.store import next_id, transaction

#: keys whose values are never written to the audit log
REDACTED_KEYS = frozenset({"password_hash", "password", "name", "phone", "note"})
#: tables whose rows hold private details: their listed keys are redacted
PRIVATE_TABLES = {"need_contact": REDACTED_KEYS, "account": frozenset({"password_hash"})}
REDACTED = "[redacted]"


def _plain(value: Any) -> Any:
    """A JSON-safe copy of ``value`` (dates as ISO text, NaN as null, sets as lists)."""
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float):
        return None if math.isnan(value) or math.isinf(value) else value
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [_plain(v) for v in value]
    if isinstance(value, bytes):
        return f"<{len(value)} bytes>"
    return str(value)


def _redact(table: str, values: dict | None) -> dict | None:
    if values is None:
        return None
    private = PRIVATE_TABLES.get(table, frozenset({"password_hash", "password"}))
    return {
        k: (REDACTED if v is not None else None) if k in private else v for k, v in values.items()
    }


def to_json(table: str, values: dict | None) -> str | None:
    """The JSON text stored for ``values`` of a row of ``table`` (secrets redacted)."""
    if values is None:
        return None
    if not isinstance(values, dict):
        raise TypeError(f"audit values must be a dict or None, not {type(values).__name__}")
    return json.dumps(_redact(table, _plain(values)), ensure_ascii=False, sort_keys=True)


def record(
    con,
    actor: str,
    action: str,
    table: str,
    record_id: Any,
    before: dict | None,
    after: dict | None,
) -> int:
    """Write one audit row in the caller's transaction; return its id.

    Parameters
    ----------
    con
        The cursor that made the change; call this inside the same
        :func:`data.store.transaction` so both commit or roll back together.
    actor
        Username of who did it (``"system"`` for the build, ``"cli"`` for the shell).
    action
        What was done, lowercase: ``create``, ``update``, ``delete``, ``verify``,
        ``reject``, ``merge``, ``set_password``...
    table, record_id
        Which record: the table name and the row's key (stored as text).
    before, after
        The values before and after the change as dicts; ``None`` before a create and
        after a delete.
    """
    if not actor or not str(actor).strip():
        raise InputError(
            "an audit row needs an actor (who made the change)",
            message_th="บันทึกการเปลี่ยนแปลงต้องระบุผู้กระทำ",
        )
    with transaction(con):
        new_id = next_id(con, "audit_log_id_seq")
        con.execute(
            "INSERT INTO audit_log (id, actor, action, table_name, record_id, before, after) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            [
                new_id,
                str(actor),
                action,
                table,
                str(record_id),
                to_json(table, before),
                to_json(table, after),
            ],
        )
    return int(new_id)


def history(con, table: str, record_id: Any) -> list[dict]:
    """Every audit row of one record, oldest first, with ``before``/``after`` as dicts."""
    rows = con.execute(
        "SELECT id, logged_at, actor, action, table_name, record_id, before, after "
        "FROM audit_log WHERE table_name = ? AND record_id = ? ORDER BY id",
        [table, str(record_id)],
    ).fetchall()
    out = []
    for id_, at, actor, action, tbl, rid, before, after in rows:
        out.append(
            {
                "id": id_,
                "at": at,
                "actor": actor,
                "action": action,
                "table": tbl,
                "record_id": rid,
                "before": json.loads(before) if before is not None else None,
                "after": json.loads(after) if after is not None else None,
            }
        )
    return out


def changes(before: dict | None, after: dict | None) -> dict[str, tuple[Any, Any]]:
    """The keys whose values differ between ``before`` and ``after``: key -> (old, new)."""
    before, after = before or {}, after or {}
    keys = sorted(set(before) | set(after))
    return {k: (before.get(k), after.get(k)) for k in keys if before.get(k) != after.get(k)}
