"""The PostgreSQL + PostGIS store: ``PHANG_DB=postgresql://...``.

The application's SQL is written once, for DuckDB. On PostgreSQL the same SQL runs in an
in-memory DuckDB that attaches the PostgreSQL database through DuckDB's ``postgres``
extension (loaded from the ``duckdb-extension-postgres`` wheel, never downloaded) and makes
it the default catalog: reads scan PostgreSQL tables, writes go into PostgreSQL inside
PostgreSQL transactions, and PostgreSQL's own constraints (valid geometry inside Thailand,
P-code shape and nesting, unique form ids) refuse what the rules forbid, whichever program
writes. The schema is the same numbered migrations as the DuckDB file, turned into
PostgreSQL by ``data.pg_dialect`` and applied with psycopg under an advisory lock, so two
servers starting together migrate once.

Two things DuckDB cannot do against PostgreSQL, which the shared code avoids: ``RETURNING``
(take the id first with ``data.store.next_id``; read an UPDATE's or DELETE's row count),
and column defaults in ``INSERT ... ON CONFLICT`` (write every NOT NULL column out).

What lives only in memory here is rebuilt from the database by each process (the
gazetteer and the map shapes are stored in tables), so several servers agree.
"""

from __future__ import annotations

import re
import tempfile
from functools import cache
from pathlib import Path

import duckdb

from data.errors import InputError, SchemaTooNewError, StoreError
from data.pg_dialect import to_postgres
from data.settings import is_postgres_url

CATALOG = "pg"
_MIGRATION_LOCK = 72_617_001  # pg_advisory_lock key: one migrator at a time
_MACRO = re.compile(r"CREATE\s+(?:OR\s+REPLACE\s+)?MACRO\b.*?;\s*$", re.S | re.M | re.I)


def is_postgres(target: object) -> bool:
    return is_postgres_url(target)


def refuse_file_command(target: object, command: str) -> None:
    """Commands about the DuckDB file (backup, restore) say what to use on PostgreSQL."""
    if is_postgres(target):
        raise InputError(
            f"`{command}` works on the DuckDB file; on PostgreSQL use its own tools "
            "(pg_dump -Fc URL > file.dump, pg_restore), or replicas",
            message_th=(
                f"คำสั่ง {command} ใช้กับไฟล์ DuckDB สำหรับ PostgreSQL กรุณาใช้ pg_dump / pg_restore"
            ),
        )


def redact(url: str) -> str:
    """The URL without its password, for messages."""
    return re.sub(r"(://[^:/@]+):[^@]*@", r"\1:***@", url)


@cache
def postgres_extension_path() -> Path:
    """The ``postgres`` extension from its wheel, under the file name DuckDB expects.

    The wheel ships ``postgres.duckdb_extension`` whose entry point is named after
    ``postgres_scanner``; DuckDB derives the entry point from the file name, so it is
    loaded through a link with that name.
    """
    try:
        import duckdb_extension_postgres
    except ImportError as exc:
        raise StoreError(
            "the duckdb-extension-postgres package is missing; `pip install -r requirements.txt`",
            message_th="ไม่พบส่วนขยาย postgres ของ DuckDB กรุณาติดตั้งใหม่ด้วย make run",
        ) from exc
    root = Path(duckdb_extension_postgres.__file__).resolve().parent / "extensions"
    wanted = root / f"v{duckdb.__version__}" / "postgres.duckdb_extension"
    if not wanted.exists():
        raise StoreError(
            f"duckdb {duckdb.__version__} and duckdb-extension-postgres differ; pin both to "
            "the same version",
            message_th="รุ่นของ duckdb กับ duckdb-extension-postgres ไม่ตรงกัน",
        )
    link_dir = Path(tempfile.gettempdir()) / f"phang-duckdb-ext-v{duckdb.__version__}"
    link_dir.mkdir(exist_ok=True)
    link = link_dir / "postgres_scanner.duckdb_extension"
    if not link.exists() or link.resolve() != wanted:
        tmp = link_dir / f".link-{id(link)}"
        tmp.unlink(missing_ok=True)
        tmp.symlink_to(wanted)
        tmp.replace(link)
    return link


def _pg(url: str):
    import psycopg

    try:
        return psycopg.connect(url, connect_timeout=10)
    except psycopg.OperationalError as exc:
        raise StoreError(
            f"cannot reach the PostgreSQL database {redact(url)}: {str(exc).strip()}",
            message_th=f"เชื่อมต่อฐานข้อมูล PostgreSQL {redact(url)} ไม่ได้",
        ) from exc


def migrate(url: str, *, apply: bool = True) -> list[int]:
    """Bring the PostgreSQL schema up to date (or, without ``apply``, only check it)."""
    from data.store import migrations

    known = migrations()
    with _pg(url) as pg:
        pg.execute("SELECT pg_advisory_lock(%s)", [_MIGRATION_LOCK])
        try:
            pg.execute(
                "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY,"
                " name VARCHAR NOT NULL, applied_at TIMESTAMP NOT NULL DEFAULT current_timestamp)"
            )
            pg.commit()
            have = {r[0] for r in pg.execute("SELECT version FROM schema_version").fetchall()}
            unknown = sorted(have - {v for v, _, _ in known})
            if unknown:
                raise SchemaTooNewError(
                    f"the database {redact(url)} has schema version {max(unknown)}, newer than "
                    f"this program knows ({known[-1][0]}); update the program first",
                    message_th=(
                        f"ฐานข้อมูลนี้เป็นรุ่น {max(unknown)} ใหม่กว่าที่โปรแกรมรู้จัก กรุณาปรับปรุงโปรแกรมก่อน"
                    ),
                )
            applied = []
            if not apply:
                return applied
            if not have:
                pg.execute("CREATE EXTENSION IF NOT EXISTS postgis")
                pg.commit()
            for version, name, path in known:
                if version in have:
                    continue
                pg.execute(to_postgres(path.read_text(encoding="utf-8")))
                pg.execute(
                    "INSERT INTO schema_version (version, name) VALUES (%s, %s)", [version, name]
                )
                pg.commit()
                applied.append(version)
            return applied
        finally:
            pg.rollback()
            pg.execute("SELECT pg_advisory_unlock(%s)", [_MIGRATION_LOCK])
            pg.commit()


@cache
def _macros() -> tuple[str, ...]:
    """The DuckDB macros the migrations define, as temporary macros of the attaching DuckDB."""
    from data.store import migrations

    found = []
    for _, _, path in migrations():
        for m in _MACRO.finditer(path.read_text(encoding="utf-8")):
            found.append(re.sub(r"MACRO", "TEMP MACRO", m.group(0), count=1, flags=re.I))
    return tuple(found)


class PgConnection:
    """A DuckDB connection on the attached PostgreSQL database, standing in for
    ``duckdb.DuckDBPyConnection`` (every method is the DuckDB connection's own).

    ``USE pg`` and temporary macros are per connection in DuckDB and a cursor is a new
    connection, so :meth:`cursor` repeats them: pages and routes take a cursor per request
    from the one process connection and must land on PostgreSQL, not on DuckDB's memory.
    """

    __slots__ = ("_con",)

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self._con = con

    def __getattr__(self, name: str):
        return getattr(self._con, name)

    def cursor(self) -> PgConnection:
        cur = self._con.cursor()
        _prepare(cur)
        return PgConnection(cur)

    def __enter__(self) -> PgConnection:
        return self

    def __exit__(self, *exc) -> None:
        self._con.close()


def _prepare(con) -> None:
    """Per DuckDB connection (a cursor is one): PostgreSQL as the default catalog, and the
    schema's macros, which live in the connection's own temporary catalog."""
    con.execute(f"USE {CATALOG}")
    for macro in _macros():
        con.execute(macro)


def connect_pg(url: str, *, read_only: bool = False, migrate_schema: bool = True):
    """An in-memory DuckDB with spatial loaded and the PostgreSQL database attached as the
    default catalog; the schema is migrated first (unless read-only)."""
    from data.store import load_spatial

    migrate(url, apply=migrate_schema and not read_only)
    config = {"autoinstall_known_extensions": False, "autoload_known_extensions": False}
    con = duckdb.connect(":memory:", config=config)
    try:
        load_spatial(con)
        con.execute(f"LOAD '{postgres_extension_path()}'")
        options = "TYPE postgres, READ_ONLY" if read_only else "TYPE postgres"
        quoted = url.replace("'", "''")
        con.execute(f"ATTACH '{quoted}' AS {CATALOG} ({options})")
        _prepare(con)
        return PgConnection(con)
    except duckdb.Error as exc:
        con.close()
        raise StoreError(
            f"cannot attach the PostgreSQL database {redact(url)}: {exc}",
            message_th=f"เปิดฐานข้อมูล PostgreSQL {redact(url)} ไม่ได้",
        ) from exc


def next_id(con, sequence: str) -> int:
    """The next value of a PostgreSQL sequence (DuckDB cannot call PostgreSQL's nextval)."""
    if not re.fullmatch(r"[a-z_][a-z0-9_]*", sequence):
        raise ValueError(sequence)
    return con.execute(
        f"SELECT * FROM postgres_query('{CATALOG}', 'SELECT nextval(''{sequence}'')::BIGINT')"
    ).fetchone()[0]


def is_attached_postgres(con) -> bool:
    """Whether ``con`` (a connection or cursor) is on a PostgreSQL store."""
    return isinstance(con, PgConnection)
