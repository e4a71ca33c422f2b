"""``import KIND FILE``: import community data (organizations, councils, projects, land cases).

Prints the import's JSON summary (rows, taken, inserted, updated, unchanged, quarantined,
refused rows with reasons). An all-or-nothing import with bad rows stores nothing, prints
its summary and exits non-zero; ``--good-rows`` stores the good rows and quarantines the rest.
"""

from __future__ import annotations

import getpass
import json
import sys
from pathlib import Path


def register(sub):
    from data.importers.fields import KINDS

    p = sub.add_parser("import", help="import community data from CSV/XLSX/GeoJSON/SHP/GPKG")
    # need_report: a KoboToolbox / ODK Central export of the XLSForm (data.importers.odk)
    p.add_argument("kind", choices=(*KINDS, "need_report"), help="what the file holds")
    p.add_argument("file", type=Path, help="the file to import")
    p.add_argument(
        "--good-rows",
        action="store_true",
        help="store the good rows and quarantine the rest (default: all or nothing)",
    )
    p.add_argument("--source", help="source name for re-imports (default: the file's name)")
    p.add_argument("--actor", help="who imports (recorded with the batch; default cli:<user>)")
    return p


def run(args) -> dict:
    from data.importers import ImportRefused, import_file, refuse_if_needed
    from data.store import connect

    actor = args.actor or f"cli:{getpass.getuser()}"
    if args.kind == "need_report":
        return _import_submissions(args, actor)
    con = connect(args.db)
    # this process exists for the import alone: DuckDB keeps what it writes cached up to
    # its memory limit (80% of RAM by default), so give it a small one
    from data.settings import int_setting

    con.execute(f"SET memory_limit = '{int_setting('PHANG_IMPORT_DUCKDB_MB')}MB'")
    try:
        report = import_file(
            con,
            args.kind,
            args.file,
            source=args.source,
            good_rows=args.good_rows,
            actor=actor,
            progress=lambda f, m: (
                print(f"… {m}", file=sys.stderr) if m in ("reading", "writing") else None
            ),
        )
    finally:
        con.close()
    try:
        refuse_if_needed(report)
    except ImportRefused:
        print(json.dumps(report.to_dict(), ensure_ascii=False, default=str))
        raise
    return report.to_dict()


def _import_submissions(args, actor: str) -> dict:
    """Field submissions: the good ones stored, the rest quarantined (see odk_store)."""
    from data.importers.odk_store import import_submissions
    from data.store import connect

    con = connect(args.db)
    try:
        report = import_submissions(con, args.file, actor=actor, source=args.source)
    finally:
        con.close()
    if report.quarantined:
        print(
            f"{report.quarantined} submission(s) quarantined; see the import page", file=sys.stderr
        )
    return report.to_dict()
