"""``restore DIR``: replace the database with a backup (the app must be stopped).

Refuses a backup written by newer code and a database that another process holds; checks
every table's row count and checksum against the backup's manifest before replacing the
file, and keeps the previous file beside it.
"""

from __future__ import annotations

from pathlib import Path


def register(sub):
    p = sub.add_parser("restore", help="replace the database with the backup in DIR")
    p.add_argument("dir", type=Path, help="a folder written by `backup`")
    return p


def run(args) -> dict:
    from data.backup import restore
    from data.pg_store import refuse_file_command
    from data.settings import db_path

    refuse_file_command(args.db or db_path(), "restore")
    return restore(args.dir, Path(args.db) if args.db else db_path())
