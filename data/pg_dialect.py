"""Turn the schema migrations (written for DuckDB, ``data/migrations``) into PostgreSQL +
PostGIS SQL, so one set of migration files defines both stores.

The migrations use a small, fixed subset of DuckDB that differs from PostgreSQL; each rule
below rewrites one such construct. ``tests/test_pg_store.py`` applies every migration to a
real PostgreSQL, so a new migration using something this file does not know fails there.
DuckDB macros (``CREATE MACRO``) are DuckDB-side helpers: on PostgreSQL they are created
in the DuckDB connection that attaches the database (``data.pg_store``), not in the schema.
"""

from __future__ import annotations

import re

_BY_NAME = (
    "DO $by_name$ DECLARE cols text; BEGIN "
    "SELECT string_agg(quote_ident(column_name), ', ' ORDER BY ordinal_position) INTO cols "
    "FROM information_schema.columns WHERE table_schema = current_schema() "
    "AND table_name = '\\2'; "
    "EXECUTE format('INSERT INTO \\1 (%s) SELECT %s FROM \\2', cols, cols); END $by_name$;"
)

_RULES: list[tuple[re.Pattern[str], str]] = [
    # INSERT INTO new BY NAME SELECT * FROM old: the old table's columns, named
    (
        re.compile(
            r"INSERT\s+INTO\s+([a-z_0-9]+)\s+BY\s+NAME\s+SELECT\s+\*\s+FROM\s+([a-z_0-9]+)\s*;",
            re.I,
        ),
        _BY_NAME,
    ),
    # a DuckDB macro is created in the attaching DuckDB connection instead
    (re.compile(r"CREATE\s+(?:OR\s+REPLACE\s+)?MACRO\b.*?;\s*$", re.S | re.M | re.I), ""),
    # regexp_full_match(col, 're') -> col ~ '^(?:re)$'
    (
        re.compile(r"regexp_full_match\(\s*([a-z_][a-z_0-9]*)\s*,\s*'([^']*)'\s*\)", re.I),
        r"(\1 ~ '^(?:\2)$')",
    ),
    # DuckDB: ST_GeometryType -> 'POINT'; PostGIS: GeometryType -> 'POINT'
    (re.compile(r"\bST_GeometryType\(", re.I), "GeometryType("),
    # list_has_all([...], col) -> col <@ ARRAY[...]
    (
        re.compile(r"list_has_all\(\s*\[([^\]]*)\]\s*,\s*([a-z_][a-z_0-9]*)\s*\)", re.I | re.S),
        r"(\2 <@ ARRAY[\1]::VARCHAR[])",
    ),
    # list_has(col, value) -> value = ANY(col)
    (re.compile(r"list_has\(\s*([a-z_][a-z_0-9]*)\s*,\s*([^()]+?)\)", re.I), r"(\2 = ANY(\1))"),
    (re.compile(r"\blen\(\s*([a-z_][a-z_0-9]*)\s*\)", re.I), r"cardinality(\1)"),
    (re.compile(r"DEFAULT\s+\[\]", re.I), "DEFAULT '{}'"),
    (re.compile(r"\bDOUBLE\b(?!\s+PRECISION)", re.I), "DOUBLE PRECISION"),
    (re.compile(r"\bBLOB\b", re.I), "BYTEA"),
    # geometry columns carry EPSG:4326 (a desktop GIS reading PostGIS sees the CRS);
    # PostGIS gives a geometry written without an SRID the column's
    (re.compile(r"\bGEOMETRY\b"), "geometry(Geometry, 4326)"),
    # DuckDB's JSON is text with JSON functions; the postgres extension writes it as text,
    # which PostgreSQL's json type refuses without a cast: kept as text there too
    (re.compile(r"\bJSON\b"), "TEXT"),
    (re.compile(r"\byear\(\s*([a-z_][a-z_0-9]*)\s*\)", re.I), r"extract(year FROM \1)"),
]


def to_postgres(sql: str) -> str:
    """The PostgreSQL text of one DuckDB migration."""
    for pattern, replacement in _RULES:
        sql = pattern.sub(replacement, sql)
    return sql
