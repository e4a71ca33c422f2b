"""Backups (สำรองข้อมูล) of the one DuckDB file that holds every community's reports.

:func:`backup` writes a consistent snapshot into a new folder: ``EXPORT DATABASE`` (schema
SQL and one Parquet file per table) inside one transaction, so a backup taken while the app
serves and writes is still one moment of the database. Beside it, ``manifest.json`` records
the schema version, each table's row count and checksum (``bit_xor`` of row hashes, taken
in the same transaction), and each sequence's next value (written into ``schema.sql`` so
new rows after a restore never reuse an id).

:func:`restore` rebuilds a database from such a folder into a new file, checks every
table's count and checksum against the manifest, and only then replaces the database (the
old file is kept beside it as ``<name>.before-restore-<time>.duckdb``). A backup written by
newer code (a schema version this code does not know) is refused; an older one is brought
up to date by the migrations.

Who runs it: while the app runs, it owns the file, so a backup goes through the app (the
admin page's button, or ``python -m data backup DIR``, which then asks the running app
through its local control route); with the app stopped the CLI opens the file itself.
A restore needs the app stopped.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import time
from pathlib import Path

from data.errors import PhangError, StoreLockedError
from data.store import code_schema_version, connect, database_schema_version

FORMAT = "phangchumchon-backup-1"
MANIFEST = "manifest.json"
#: the running app's local backup route (package ``backup_control``)
CONTROL_ROUTE = "/_phang/backup"
_SEQUENCE = re.compile(r"CREATE SEQUENCE (\w+)(.*?) START (\d+)")


class BackupError(PhangError):
    """A backup cannot be written or restored as asked."""


def control_file(database: str | Path) -> Path:
    """Where the running app leaves its control address and key: ``<db>.control.json``."""
    database = Path(database).resolve()
    return database.with_name(database.name + ".control.json")


def tables(con) -> list[str]:
    """The database's own tables (main schema), by name."""
    rows = con.execute(
        "SELECT table_name FROM duckdb_tables() WHERE database_name = current_database() "
        "AND schema_name = 'main' AND NOT temporary ORDER BY table_name"
    ).fetchall()
    return [r[0] for r in rows]


def checksums(con) -> dict[str, dict[str, int]]:
    """Per table: row count and an order-independent checksum of every row's values."""
    out = {}
    for table in tables(con):
        count, digest = con.execute(
            f'SELECT count(*), bit_xor(hash(t)) FROM "{table}" t'
        ).fetchone()
        out[table] = {"rows": int(count), "checksum": int(digest or 0)}
    return out


def _sequences(con) -> dict[str, int]:
    """Each sequence's next value (1 for one never used)."""
    rows = con.execute(
        "SELECT sequence_name, last_value, start_value FROM duckdb_sequences() "
        "WHERE database_name = current_database()"
    ).fetchall()
    return {name: (last + 1 if last is not None else start) for name, last, start in rows}


def _empty_target(target: Path) -> Path:
    target = Path(target).resolve()
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise BackupError(
            f"{target} exists and is not an empty folder; give a new folder for the backup",
            message_th=f"{target} มีอยู่แล้วและไม่ใช่โฟลเดอร์ว่าง กรุณาระบุโฟลเดอร์ใหม่สำหรับสำรองข้อมูล",
        )
    target.parent.mkdir(parents=True, exist_ok=True)
    return target


def backup(con, target: str | Path) -> dict:
    """Write a consistent snapshot of the database behind ``con`` (a connection or a
    cursor of the app's connection) into the new or empty folder ``target``; return the
    manifest (also written as ``manifest.json``)."""
    target = _empty_target(Path(target))
    partial = target.with_name(f".{target.name}.partial")
    shutil.rmtree(partial, ignore_errors=True)
    started = time.perf_counter()
    con.execute("BEGIN TRANSACTION")
    try:
        sums = checksums(con)
        sequences = _sequences(con)
        version = database_schema_version(con)
        con.execute(f"EXPORT DATABASE '{_sql_path(partial)}' (FORMAT parquet, COMPRESSION zstd)")
    finally:
        con.execute("ROLLBACK")  # read only: nothing to keep
    schema = partial / "schema.sql"
    schema.write_text(
        _SEQUENCE.sub(
            lambda m: (
                f"CREATE SEQUENCE {m.group(1)}{m.group(2)} START "
                f"{max(int(m.group(3)), sequences.get(m.group(1), 1))}"
            ),
            schema.read_text(encoding="utf-8"),
        ),
        encoding="utf-8",
    )
    manifest = {
        "format": FORMAT,
        "created_at": dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
        "schema_version": version,
        "tables": sums,
        "sequences": sequences,
        "seconds": round(time.perf_counter() - started, 2),
    }
    manifest["bytes"] = sum(p.stat().st_size for p in partial.iterdir())
    (partial / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    if target.exists():
        target.rmdir()
    os.replace(partial, target)
    return dict(manifest, path=str(target))


def _sql_path(path: Path) -> str:
    text = str(path)
    if "'" in text:
        raise BackupError(f"a backup folder may not contain a quote: {text}")
    return text


def read_manifest(source: str | Path) -> dict:
    source = Path(source)
    try:
        manifest = json.loads((source / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise BackupError(
            f"{source} is not a backup of this program (no readable {MANIFEST})",
            message_th=f"{source} ไม่ใช่ข้อมูลสำรองของโปรแกรมนี้",
        ) from exc
    if manifest.get("format") != FORMAT:
        raise BackupError(f"{source} has an unknown backup format {manifest.get('format')!r}")
    return manifest


def restore(source: str | Path, db_path: str | Path) -> dict:
    """Replace the database at ``db_path`` with the backup in ``source`` (app stopped)."""
    source, db_path = Path(source).resolve(), Path(db_path).resolve()
    manifest = read_manifest(source)
    have, know = int(manifest.get("schema_version", 0)), code_schema_version()
    if have > know:
        raise BackupError(
            f"the backup has schema version {have}, newer than this program knows ({know}); "
            "update the program before restoring it",
            message_th=f"ข้อมูลสำรองเป็นรุ่น {have} ใหม่กว่าที่โปรแกรมรู้จัก ({know}) กรุณาปรับปรุงโปรแกรมก่อน",
        )
    if db_path.exists():
        try:  # refuse while the app (or anything) holds the file
            connect(db_path, migrate=False).close()
        except StoreLockedError as exc:
            raise StoreLockedError(
                f"the database {db_path} is in use (is the app running?); stop the app, then "
                "restore",
                message_th=f"ฐานข้อมูล {db_path} กำลังถูกใช้งาน (แอปเปิดอยู่หรือไม่) กรุณาหยุดแอปก่อนกู้คืน",
            ) from exc
    started = time.perf_counter()
    fresh = db_path.with_name(f".{db_path.name}.restoring")
    for leftover in (fresh, fresh.with_name(fresh.name + ".wal")):
        leftover.unlink(missing_ok=True)
    con = connect(fresh, migrate=False)
    try:
        con.execute(f"IMPORT DATABASE '{_sql_path(source)}'")
        got = checksums(con)
        con.execute("CHECKPOINT")
    except BaseException:
        con.close()
        fresh.unlink(missing_ok=True)
        raise
    con.close()
    differ = sorted(t for t, v in manifest["tables"].items() if got.get(t) != v)
    if differ:
        fresh.unlink(missing_ok=True)
        raise BackupError(
            f"the restored tables differ from the backup's checksums: {', '.join(differ)}",
            message_th="ข้อมูลที่กู้คืนไม่ตรงกับค่าตรวจสอบของข้อมูลสำรอง",
        )
    kept = None
    if db_path.exists():
        stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
        kept = db_path.with_name(f"{db_path.stem}.before-restore-{stamp}{db_path.suffix}")
        os.replace(db_path, kept)
    db_path.with_name(db_path.name + ".wal").unlink(missing_ok=True)
    os.replace(fresh, db_path)
    con = connect(db_path)  # newer migrations of this code apply to an older backup
    con.close()
    return {
        "restored": str(db_path),
        "from": str(source),
        "schema_version": have,
        "tables": len(got),
        "rows": sum(v["rows"] for v in got.values()),
        "previous_database_kept_as": str(kept) if kept else None,
        "seconds": round(time.perf_counter() - started, 2),
    }


def new_backup_folder(root: str | Path, now: dt.datetime | None = None) -> Path:
    """A new folder name under ``root`` for a backup made now: ``phang-20250102T030405Z``."""
    now = now or dt.datetime.now(dt.UTC)
    return Path(root) / f"phang-{now.strftime('%Y%m%dT%H%M%SZ')}"


def list_backups(root: str | Path) -> list[dict]:
    """The backups under ``root``, newest first: folder, created_at, schema version, rows,
    bytes."""
    found = []
    root = Path(root)
    if not root.is_dir():
        return found
    for folder in root.iterdir():
        try:
            manifest = read_manifest(folder)
        except BackupError:
            continue
        found.append(
            {
                "folder": str(folder),
                "created_at": manifest.get("created_at"),
                "schema_version": manifest.get("schema_version"),
                "rows": sum(t["rows"] for t in manifest.get("tables", {}).values()),
                "bytes": manifest.get("bytes"),
            }
        )
    return sorted(found, key=lambda b: b["created_at"] or "", reverse=True)
