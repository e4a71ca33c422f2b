"""``targets list|progress|import FILE``: planning targets and progress against them."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path

from data.errors import InputError


def register(sub):
    p = sub.add_parser("targets", help="list targets, show progress, or import targets from CSV")
    p.add_argument("action", choices=["list", "progress", "import"])
    p.add_argument("target", nargs="?", help="CSV file (import)")
    p.add_argument("--grouping", help="grouping for progress by region and cluster")
    p.add_argument("--replace", action="store_true", help="replace targets with the same key")
    p.add_argument("--actor", default="cli", help="who imports (recorded in the audit log)")
    return p


def run(args):
    from analysis.targets import TargetError, add_target, list_targets, progress, targets_from_csv
    from boundaries.groupings import default_grouping_name
    from data.store import connect

    if args.action == "import":
        if not args.target:
            raise InputError("targets import needs a CSV file")
        path = Path(args.target)
        if not path.exists():
            raise InputError(f"no file at {path}")
        try:
            targets = targets_from_csv(path)
        except (TargetError, UnicodeDecodeError) as exc:
            raise InputError(f"{path.name}: {exc}") from exc
        con = connect(args.db)
        try:
            for target in targets:
                try:
                    add_target(con, target, args.actor, replace=args.replace)
                except TargetError as exc:
                    raise InputError(str(exc)) from exc
        finally:
            con.close()
        return {"imported": [t.key for t in targets]}
    con = connect(args.db, read_only=True)
    try:
        targets = list_targets(con)
        if args.action == "list":
            return {"targets": [asdict(t) for t in targets]}
        grouping = args.grouping or default_grouping_name(con)
        frame = progress(con, grouping, targets)
        return {"grouping": grouping, "progress": frame.round(2).to_dict("records")}
    finally:
        con.close()
