"""Copy a DuckDB file into PostgreSQL (``python -m data migrate-store``), checked by counts
and checksums.

The PostgreSQL database is migrated to the same schema first and must hold no data: the
copy is for moving a deployment, not for merging two. Every table of the file is copied
in one PostgreSQL transaction (through DuckDB's ``postgres`` extension, so geometry goes
over as PostGIS geometry), the sequences are moved past the copied ids, and each table is
then read back from PostgreSQL and compared with the file: the row count and a checksum
over every column (geometry as WKB) must agree, or the command fails.
"""

from __future__ import annotations

import time
from pathlib import Path

import duckdb

from data.errors import InputError, StoreError
from data.pg_store import CATALOG, connect_pg, redact

SOURCE = "src"


def _tables(con) -> list[str]:
    return [
        r[0]
        for r in con.execute(
            "SELECT table_name FROM duckdb_tables() WHERE database_name = ? "
            "AND schema_name = 'main' ORDER BY table_name",
            [SOURCE],
        ).fetchall()
    ]


def _columns(con, table: str) -> list[tuple[str, str]]:
    return [
        (r[0], r[1])
        for r in con.execute(
            "SELECT column_name, data_type FROM duckdb_columns() WHERE database_name = ? "
            "AND schema_name = 'main' AND table_name = ? ORDER BY column_index",
            [SOURCE, table],
        ).fetchall()
    ]


def _checksum_sql(catalog: str, table: str, columns: list[tuple[str, str]]) -> str:
    parts = [
        f'ST_AsWKB("{c}")' if t.upper().startswith("GEOMETRY") else f'"{c}"' for c, t in columns
    ]
    where = f"{catalog}.main" if catalog == SOURCE else catalog
    return (
        f"SELECT count(*), coalesce(sum(hash({', '.join(parts)}) % 1000000007), 0) "
        f'FROM {where}."{table}"'
    )


def _seeded_by_migrations() -> list[str]:
    """Tables the migrations themselves fill (reference lists), found by migrating an empty
    in-memory database."""
    from data.store import connect

    mem = connect(":memory:")
    try:
        names = [
            r[0]
            for r in mem.execute(
                "SELECT table_name FROM duckdb_tables() WHERE schema_name = 'main'"
            ).fetchall()
        ]
        return [
            n
            for n in names
            if n != "schema_version"
            and mem.execute(f'SELECT count(*) FROM "{n}"').fetchone()[0] > 0
        ]
    finally:
        mem.close()


def _sequences(url: str) -> list[tuple[str, str, str]]:
    """(sequence, table, column) for every column whose default draws from a sequence."""
    import psycopg

    with psycopg.connect(url) as pg:
        return pg.execute(
            """SELECT s.relname, t.relname, a.attname
               FROM pg_depend d
               JOIN pg_class s ON s.oid = d.refobjid AND s.relkind = 'S'
               JOIN pg_attrdef ad ON ad.oid = d.objid
               JOIN pg_class t ON t.oid = ad.adrelid
               JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = ad.adnum
               WHERE d.classid = 'pg_attrdef'::regclass"""
        ).fetchall()


def migrate_store(source: Path, url: str, progress=None) -> dict:
    """Copy the DuckDB file ``source`` into the empty PostgreSQL database ``url``."""
    source = Path(source)
    if not source.exists():
        raise InputError(f"no database file at {source}", message_th=f"ไม่พบไฟล์ฐานข้อมูลที่ {source}")
    started = time.perf_counter()
    con = connect_pg(url)
    try:
        con.execute(f"ATTACH '{str(source).replace(chr(39), chr(39) * 2)}' AS {SOURCE} (READ_ONLY)")
        src_version = con.execute(
            f"SELECT max(version) FROM {SOURCE}.main.schema_version"
        ).fetchone()[0]
        dst_version = con.execute("SELECT max(version) FROM schema_version").fetchone()[0]
        if src_version != dst_version:
            raise StoreError(
                f"the file has schema version {src_version} and this program {dst_version}; "
                "open the file once with this program (python -m data build) first",
                message_th="รุ่นของฐานข้อมูลในไฟล์ไม่ตรงกับโปรแกรม กรุณาเปิดไฟล์ด้วยโปรแกรมนี้ก่อน",
            )
        tables = [t for t in _tables(con) if t != "schema_version"]
        seeded = _seeded_by_migrations()
        busy = [
            t
            for t in tables
            if t not in seeded
            and con.execute(f'SELECT count(*) > 0 FROM {CATALOG}."{t}"').fetchone()[0]
        ]
        if busy:
            raise StoreError(
                f"the PostgreSQL database {redact(url)} already holds data "
                f"({', '.join(busy[:5])}); migrate into an empty database",
                message_th="ฐานข้อมูล PostgreSQL ปลายทางมีข้อมูลอยู่แล้ว กรุณาใช้ฐานข้อมูลว่าง",
            )
        copied: dict[str, int] = {}
        con.execute("BEGIN TRANSACTION")
        try:
            for table in seeded:  # the file's copy of the rows the migrations wrote
                con.execute(f'DELETE FROM {CATALOG}."{table}"')
            for i, table in enumerate(tables, 1):
                names = ", ".join(f'"{c}"' for c, _ in _columns(con, table))
                copied[table] = con.execute(
                    f'INSERT INTO {CATALOG}."{table}" ({names}) '
                    f'SELECT {names} FROM {SOURCE}.main."{table}"'
                ).fetchone()[0]
                if progress:
                    progress(i, len(tables), table)
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
        _advance_sequences(url)
        checked = {}
        for table in tables:
            cols = _columns(con, table)
            a = con.execute(_checksum_sql(SOURCE, table, cols)).fetchone()
            b = con.execute(_checksum_sql(CATALOG, table, cols)).fetchone()
            if tuple(a) != tuple(b):
                raise StoreError(
                    f"table {table} differs after the copy: file {a[0]} rows (checksum {a[1]}), "
                    f"PostgreSQL {b[0]} rows (checksum {b[1]})",
                    message_th=f"ตาราง {table} ไม่ตรงกันหลังคัดลอก",
                )
            checked[table] = {"rows": int(a[0]), "checksum": int(a[1])}
    except duckdb.Error as exc:
        raise StoreError(
            f"the copy into {redact(url)} failed: {exc}",
            message_th="คัดลอกข้อมูลเข้า PostgreSQL ไม่สำเร็จ",
        ) from exc
    finally:
        con.close()
    return {
        "from": str(source),
        "to": redact(url),
        "tables": len(checked),
        "rows": sum(v["rows"] for v in checked.values()),
        "checked": checked,
        "seconds": round(time.perf_counter() - started, 2),
    }


def _advance_sequences(url: str) -> None:
    import psycopg

    with psycopg.connect(url) as pg:
        for sequence, table, column in _sequences(url):
            pg.execute(
                f'SELECT setval(%s, coalesce((SELECT max("{column}") FROM "{table}"), 0) + 1,'
                " false)",
                [sequence],
            )
        pg.commit()
