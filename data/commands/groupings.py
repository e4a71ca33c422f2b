"""``groupings list|show NAME|import FILE``: province clusters and regions."""

from __future__ import annotations

from pathlib import Path

from data.errors import InputError


def register(sub):
    p = sub.add_parser("groupings", help="list, show or import province groupings")
    p.add_argument("action", choices=["list", "show", "import"])
    p.add_argument("target", nargs="?", help="grouping name (show) or CSV file (import)")
    p.add_argument("--name", help="name for an imported grouping (default: the file's name)")
    p.add_argument("--replace", action="store_true", help="replace a grouping of that name")
    return p


def run(args):
    from boundaries.gazetteer_store import load_gazetteer
    from boundaries.groupings import (
        default_grouping_name,
        grouping_from_csv,
        list_groupings,
        show_grouping,
        store_grouping,
    )
    from data.store import connect

    if args.action == "import":
        if not args.target:
            raise InputError("groupings import needs a CSV file")
        con = connect(args.db)
        try:
            gazetteer = load_gazetteer(con)
            provinces = {r[0] for r in con.execute("SELECT pcode FROM province").fetchall()}
            grouping = grouping_from_csv(Path(args.target), gazetteer, args.name, provinces)
            return store_grouping(con, grouping, replace=args.replace)
        finally:
            con.close()
    con = connect(args.db, read_only=True)
    try:
        if args.action == "list":
            return {"groupings": list_groupings(con)}
        return show_grouping(con, args.target or default_grouping_name(con))
    finally:
        con.close()
