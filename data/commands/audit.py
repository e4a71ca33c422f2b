"""``audit TABLE RECORD_ID``: the history of one record (who, when, what, before, after)."""

from __future__ import annotations


def register(sub):
    p = sub.add_parser("audit", help="list the audit history of one record")
    p.add_argument("table", help="table name, e.g. need_report, account, decision")
    p.add_argument("record_id", help="the record's key, e.g. 12 or a username")
    return p


def run(args):
    from data.audit import history
    from data.store import connect

    con = connect(args.db, read_only=True)
    try:
        return history(con, args.table, args.record_id)
    finally:
        con.close()
