"""``migrate-store --to postgresql://...``: copy the DuckDB file into an empty PostgreSQL
database, checked table by table by row counts and checksums."""

from __future__ import annotations

import sys


def register(sub):
    p = sub.add_parser(
        "migrate-store",
        help="copy the DuckDB file (--db, default PHANG_DB) into an empty PostgreSQL database",
    )
    p.add_argument("--to", required=True, help="postgresql://user@host:port/database")
    return p


def run(args):
    from pathlib import Path

    from data.errors import InputError
    from data.migrate_store import migrate_store
    from data.pg_store import is_postgres
    from data.settings import db_path

    source = args.db or db_path()
    if is_postgres(source):
        raise InputError(
            "--db must be the DuckDB file to copy from",
            message_th="--db ต้องเป็นไฟล์ DuckDB ต้นทาง",
        )
    if not is_postgres(args.to):
        raise InputError(
            "--to must be a postgresql:// URL", message_th="--to ต้องเป็นที่อยู่ postgresql://"
        )

    def progress(i, n, table):
        print(f"[{i}/{n}] {table}", file=sys.stderr)

    result = migrate_store(Path(source), args.to, progress)
    result.pop("checked")
    return result
