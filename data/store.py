"""Open the DuckDB store with the spatial extension loaded offline, and migrate its schema.

The spatial extension is loaded from the file shipped in the ``duckdb-extension-spatial``
wheel; ``INSTALL`` (which needs the network) is never used, and DuckDB's automatic
extension download is switched off so no code path can reach for it by accident.

Schema changes are numbered SQL files in ``data/migrations`` (``0001_boundaries.sql``...).
A ``schema_version`` table records what was applied. A database written by newer code
than this one is refused rather than misread.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import TypeVar

import duckdb

from data.errors import SchemaTooNewError, StoreError, StoreLockedError
from data.settings import db_path

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
_MIGRATION_NAME = re.compile(r"^(\d{4})_([a-z0-9_]+)\.sql$")

T = TypeVar("T")


@cache
def spatial_extension_path() -> Path:
    """Path of the spatial extension binary inside the installed wheel."""
    import duckdb_extension_spatial

    root = Path(duckdb_extension_spatial.__file__).resolve().parent / "extensions"
    wanted = root / f"v{duckdb.__version__}" / "spatial.duckdb_extension"
    if wanted.exists():
        return wanted
    found = sorted(root.glob("*/spatial.duckdb_extension"))
    if not found:
        raise StoreError(
            f"the spatial extension file is missing under {root}; "
            "reinstall with `pip install -r requirements.txt`",
            message_th="ไม่พบไฟล์ส่วนขยาย spatial ของ DuckDB กรุณาติดตั้งใหม่ด้วย make run",
        )
    raise StoreError(
        f"duckdb {duckdb.__version__} and duckdb-extension-spatial "
        f"{found[0].parent.name} differ; pin both to the same version",
        message_th="รุ่นของ duckdb กับ duckdb-extension-spatial ไม่ตรงกัน",
    )


def load_spatial(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(f"LOAD '{spatial_extension_path()}'")


def migrations() -> list[tuple[int, str, Path]]:
    """The known migrations, in order: (version, name, file)."""
    found = []
    for path in MIGRATIONS_DIR.glob("*.sql"):
        m = _MIGRATION_NAME.match(path.name)
        if m:
            found.append((int(m.group(1)), m.group(2), path))
    found.sort()
    versions = [v for v, _, _ in found]
    if len(set(versions)) != len(versions):
        raise StoreError(f"two migrations share a number in {MIGRATIONS_DIR}: {versions}")
    return found


def code_schema_version() -> int:
    known = migrations()
    return known[-1][0] if known else 0


def connect(
    path: str | Path | None = None,
    *,
    read_only: bool = False,
    migrate: bool = True,
    spatial: bool = True,
):
    """Open the database at ``path`` (default: the ``PHANG_DB`` setting), spatial loaded
    (``spatial=False`` skips it for read-only work on names and numbers: half a second less).

    Raises StoreLockedError when another process holds the file, and SchemaTooNewError when
    the file was written by newer code. With ``migrate`` the schema is brought up to date.
    """
    from data.pg_store import connect_pg, is_postgres

    target = path if path is not None else db_path()
    if is_postgres(target):
        return connect_pg(str(target), read_only=read_only, migrate_schema=migrate)
    target = Path(target)
    if str(target) != ":memory:":
        if read_only and not target.exists():
            raise StoreError(
                f"no database at {target}; build it first with `python -m data build`",
                message_th=f"ไม่พบฐานข้อมูลที่ {target} กรุณาสร้างก่อนด้วย python -m data build",
            )
        target.parent.mkdir(parents=True, exist_ok=True)
    config = {"autoinstall_known_extensions": False, "autoload_known_extensions": False}
    try:
        con = duckdb.connect(str(target), read_only=read_only, config=config)
    except duckdb.IOException as exc:
        if "lock" in str(exc).lower():
            raise StoreLockedError(
                f"the database {target} is in use by another process (is the app running?); "
                "stop it or run this through the app",
                message_th=f"ฐานข้อมูล {target} กำลังถูกใช้งานโดยโปรแกรมอื่น (แอปเปิดอยู่หรือไม่)",
            ) from exc
        raise StoreError(f"cannot open the database {target}: {exc}") from exc
    try:
        if spatial or not read_only:
            # names-only readers (match) skip the extension (phang_mask is a SQL macro stored in
            # the database: migration 0009)
            load_spatial(con)
        check_version(con)
        if migrate and not read_only:
            apply_migrations(con)
    except BaseException:
        con.close()
        raise
    return con


_process_lock = threading.Lock()
_process_connections: dict[str, duckdb.DuckDBPyConnection] = {}


def process_connection(path: str | Path | None = None) -> duckdb.DuckDBPyConnection:
    """The one connection this process keeps on ``path`` (default: ``PHANG_DB``).

    The app's process owns the database file: Streamlit pages (``ui.resources``) and the
    HTTP routes served beside them (``serve.py``) share this connection and take a cursor
    per request or script run (``process_connection().cursor()``).
    """
    from data.pg_store import is_postgres

    target = path if path is not None else db_path()
    key = str(target if is_postgres(target) else Path(target))
    with _process_lock:
        con = _process_connections.get(key)
        if con is None:
            con = connect(key)
            _process_connections[key] = con
        return con


def applied_versions(con: duckdb.DuckDBPyConnection) -> set[int]:
    exists = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'schema_version'"
    ).fetchone()[0]
    if not exists:
        return set()
    return {row[0] for row in con.execute("SELECT version FROM schema_version").fetchall()}


def database_schema_version(con: duckdb.DuckDBPyConnection) -> int:
    return max(applied_versions(con), default=0)


def check_version(con: duckdb.DuckDBPyConnection) -> None:
    """Refuse a database holding migrations this code does not know (written by newer code)."""
    unknown = sorted(applied_versions(con) - {v for v, _, _ in migrations()})
    if unknown:
        have, know = max(unknown), code_schema_version()
        raise SchemaTooNewError(
            f"this database has schema version {have}, newer than this program knows ({know}); "
            "update the program (git pull && make run) before opening it",
            message_th=(f"ฐานข้อมูลนี้เป็นรุ่น {have} ใหม่กว่าที่โปรแกรมรู้จัก ({know}) กรุณาปรับปรุงโปรแกรมก่อนเปิด"),
        )


def apply_migrations(con: duckdb.DuckDBPyConnection) -> list[int]:
    """Apply every migration the database lacks, in order, each in its own transaction."""
    con.execute(
        "CREATE TABLE IF NOT EXISTS schema_version ("
        " version INTEGER PRIMARY KEY, name VARCHAR NOT NULL,"
        " applied_at TIMESTAMP NOT NULL DEFAULT current_timestamp)"
    )
    have = applied_versions(con)
    applied = []
    for version, name, path in migrations():
        if version in have:
            continue
        con.execute("BEGIN TRANSACTION")
        try:
            con.execute(path.read_text(encoding="utf-8"))
            con.execute("INSERT INTO schema_version (version, name) VALUES (?, ?)", [version, name])
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
        applied.append(version)
    if applied:
        # write the new schema into the file now: DuckDB 1.5 cannot replay a log holding
        # some migrations' DDL (0011's spatial checks and sequence defaults on a database
        # with data), so a server killed before its first checkpoint left a file that
        # would not open again ("Failure while replaying WAL file")
        try:
            con.execute("CHECKPOINT")
        except duckdb.Error:
            pass  # another connection is writing: the next checkpoint will do it
    return applied


# What DuckDB's postgres extension reports for PostgreSQL's errors (it raises a plain
# duckdb.Error carrying PostgreSQL's message); DuckDB's own file raises typed exceptions.
_PG_CONFLICT = ("could not serialize access", "deadlock detected")
_PG_CONSTRAINT = (
    "violates check constraint",
    "violates unique constraint",
    "violates not-null constraint",
    "violates foreign key constraint",
    "duplicate key value",
)


def is_conflict(exc: BaseException) -> bool:
    """A write-write conflict (retry the transaction), on either store."""
    return isinstance(exc, duckdb.TransactionException) or (
        isinstance(exc, duckdb.Error) and any(s in str(exc) for s in _PG_CONFLICT)
    )


def met_another_writer(exc: BaseException) -> bool:
    """A write conflict, or a duplicate key that a concurrent transaction committed first
    (an upsert decided "insert" before it could see that row): the transaction was rolled
    back, and trying it again sees the other writer's rows."""
    return is_conflict(exc) or (
        isinstance(exc, duckdb.Error) and "duplicate key" in str(exc).lower()
    )


def is_constraint(exc: BaseException) -> bool:
    """A rule of the schema refused the write, on either store."""
    return isinstance(exc, duckdb.ConstraintException) or (
        isinstance(exc, duckdb.Error) and any(s in str(exc) for s in _PG_CONSTRAINT)
    )


def next_id(con: duckdb.DuckDBPyConnection, sequence: str) -> int:
    """The next value of ``sequence``, on either store (an id taken before the insert
    stands in for ``RETURNING id``, which DuckDB cannot run against PostgreSQL)."""
    from data.pg_store import is_attached_postgres
    from data.pg_store import next_id as pg_next_id

    if is_attached_postgres(con):
        return pg_next_id(con, sequence)
    return con.execute(f"SELECT nextval('{sequence}')").fetchone()[0]


_open_transactions: dict[int, int] = {}


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    """``BEGIN ... COMMIT``, rolled back on any error so nothing is half-written.

    Nested use on the same connection joins the outer transaction, so a function that
    writes atomically on its own also composes into a larger all-or-nothing change.
    """
    key = id(con)
    if _open_transactions.get(key):
        _open_transactions[key] += 1
        try:
            yield con
        finally:
            _open_transactions[key] -= 1
        return
    con.execute("BEGIN TRANSACTION")
    _open_transactions[key] = 1
    try:
        yield con
    except BaseException:
        _open_transactions.pop(key, None)
        con.execute("ROLLBACK")
        raise
    _open_transactions.pop(key, None)
    con.execute("COMMIT")


def with_retry(
    con: duckdb.DuckDBPyConnection,
    work: Callable[[duckdb.DuckDBPyConnection], T],
    attempts: int = 5,
) -> T:
    """Run ``work(cursor)`` in a transaction, retrying on write-write conflicts."""
    for attempt in range(attempts):
        cur = con.cursor()
        try:
            with transaction(cur):
                return work(cur)
        except duckdb.Error as exc:
            if not is_conflict(exc) or attempt == attempts - 1:
                raise
            time.sleep(0.02 * (2**attempt))
        finally:
            cur.close()
    raise AssertionError("unreachable")
