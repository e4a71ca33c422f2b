"""``apikeys issue|list|revoke``: API keys for agencies reading the OGC API - Features.

    python -m data apikeys issue "กรมพัฒนาที่ดิน" --layers organizations,projects
    python -m data apikeys list
    python -m data apikeys revoke 3

``issue`` prints the token once (only its SHA-256 is stored); give it to the agency. A key
without ``--layers`` opens every layer. Every change is audited as ``cli:<os user>``; every
use of a key is counted and audited by the server.
"""

from __future__ import annotations

from data.errors import InputError

ACTIONS = ("issue", "list", "revoke")


def register(sub):
    p = sub.add_parser(
        "apikeys",
        help="issue, list or revoke API keys for agencies (OGC API - Features)",
        description="API keys for agencies: the protected layers of /ogc need one.",
    )
    p.add_argument("action", choices=ACTIONS)
    p.add_argument("target", nargs="?", help="issue: the agency's name; revoke: the key id")
    p.add_argument(
        "--layers",
        help="issue: comma-separated layer keys the key opens (default: every layer)",
    )
    p.add_argument("--note", default="", help="issue: a note for admins (contact kept elsewhere)")
    p.add_argument("--active", action="store_true", help="list: only keys not revoked")
    return p


def run(args):
    from data import apikeys
    from data.commands.users import _actor
    from data.store import connect

    if args.action == "list":
        con = connect(args.db, read_only=True)
        try:
            if "api_key" not in {
                r[0]
                for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()
            }:
                return []
            return [k.to_dict() for k in apikeys.list_keys(con, include_revoked=not args.active)]
        finally:
            con.close()
    if not args.target:
        what = "the agency's name" if args.action == "issue" else "the key id"
        raise InputError(
            f"apikeys {args.action} needs {what}", message_th="กรุณาระบุหน่วยงานหรือรหัสกุญแจ"
        )
    con = connect(args.db)
    try:
        if args.action == "issue":
            layers = args.layers.split(",") if args.layers else None
            issued = apikeys.issue(con, args.target, layers=layers, note=args.note, actor=_actor())
            return {**issued.key.to_dict(), "token": issued.token}
        try:
            key_id = int(args.target)
        except ValueError:
            raise InputError(
                f"the key id must be a number (see apikeys list), not {args.target!r}",
                message_th="รหัสกุญแจต้องเป็นตัวเลข (ดูจาก apikeys list)",
            ) from None
        return apikeys.revoke(con, key_id, actor=_actor()).to_dict()
    finally:
        con.close()
