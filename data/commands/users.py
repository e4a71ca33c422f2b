"""``users list|add|set-password|set-role|disable|enable``: accounts, from the shell.

Passwords are read from standard input (``--password-stdin``, one line) or asked for
without echo on a terminal; never on the command line, where ``ps`` would show them.
Every change is audited with the actor ``cli:<os user>``.
"""

from __future__ import annotations

import getpass
import sys

from data.errors import InputError

ACTIONS = ("list", "add", "set-password", "set-role", "disable", "enable")


def register(sub):
    p = sub.add_parser("users", help="list, add or change accounts and roles")
    p.add_argument("action", choices=ACTIONS)
    p.add_argument("username", nargs="?", help="the account (all actions but list)")
    p.add_argument("role", nargs="?", help="set-role: viewer|member|coordinator|analyst|admin")
    p.add_argument("--role", dest="role_opt", help="add: the role (default member)")
    p.add_argument("--name", help="add: display name")
    p.add_argument(
        "--scope", help="coordinators: TH10, cluster:codi-18:c10 or region:codi-18:north"
    )
    p.add_argument(
        "--password-stdin",
        action="store_true",
        help="read the password from the first line of standard input",
    )
    return p


def _password(args) -> str:
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    if sys.stdin.isatty():
        first = getpass.getpass("password: ")
        if getpass.getpass("again: ") != first:
            raise InputError("the two passwords differ", message_th="รหัสผ่านสองครั้งไม่ตรงกัน")
        return first
    raise InputError(
        "give the password with --password-stdin (or run in a terminal)",
        message_th="กรุณาส่งรหัสผ่านทาง --password-stdin",
    )


def _actor() -> str:
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):
        return "cli"


def run(args):
    from data import accounts
    from data.store import connect

    if args.action != "list" and not args.username:
        raise InputError(f"users {args.action} needs a username", message_th="กรุณาระบุชื่อผู้ใช้")
    if args.action == "list":
        con = connect(args.db, read_only=True)
        try:
            return accounts.list_accounts(con)
        finally:
            con.close()
    password = _password(args) if args.action in ("add", "set-password") else None
    con = connect(args.db)
    try:
        if args.action == "add":
            acc = accounts.create(
                con,
                args.username,
                args.name or args.username,
                args.role_opt or args.role or "member",
                password=password,
                scope=args.scope,
                actor=_actor(),
            )
        elif args.action == "set-password":
            acc = accounts.set_password(con, args.username, password, actor=_actor())
        elif args.action == "set-role":
            if not args.role:
                raise InputError("users set-role needs a role", message_th="กรุณาระบุบทบาท")
            acc = accounts.set_role(con, args.username, args.role, args.scope, actor=_actor())
        else:
            acc = accounts.set_active(con, args.username, args.action == "enable", actor=_actor())
        return {
            "username": acc.username,
            "display_name": acc.display_name,
            "role": acc.role,
            "scope": acc.scope,
            "active": acc.active,
            "action": args.action,
        }
    finally:
        con.close()
