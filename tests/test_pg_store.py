"""The PostgreSQL store itself: the schema the migrations make there, its rules when a
program writes to PostgreSQL directly (not through this app), and migrate-store.

The behaviour shared with the DuckDB file (import, need reports, exports, planning) is
tested once for both stores by the modules in ``tests.conftest.BOTH_STORES``.
"""

from __future__ import annotations

import json
import subprocess
import sys
import uuid

import psycopg
import pytest

from data import pg_cluster
from data.errors import SchemaTooNewError, StoreError
from data.pg_dialect import to_postgres
from data.store import connect
from tests.conftest import ROOT


@pytest.fixture()
def pg_db(pg_server, pg_template):
    """A private PostgreSQL copy of the session build: its URL."""
    name = f"s_{uuid.uuid4().hex[:10]}"
    yield pg_cluster.create_database(pg_server, name, template=pg_template)
    pg_cluster.drop_database(pg_server, name)


@pytest.fixture()
def empty_pg(pg_server):
    name = f"n_{uuid.uuid4().hex[:10]}"
    yield pg_cluster.create_database(pg_server, name)
    pg_cluster.drop_database(pg_server, name)


def test_dialect_rules():
    sql = to_postgres(
        "CREATE TABLE x (pcode VARCHAR CHECK (regexp_full_match(pcode, 'TH[0-9]{2}')),"
        " a DOUBLE, g GEOMETRY CHECK (ST_GeometryType(g) = 'POINT'), j JSON, b BLOB,"
        " p VARCHAR[] NOT NULL DEFAULT [] CHECK (len(p) >= 1 AND list_has_all(['a', 'b'], p)),"
        " d DATE CHECK (year(d) > 1900));\n"
        "CREATE OR REPLACE MACRO m(t) AS t || 'x';\n"
        "INSERT INTO new_t BY NAME SELECT * FROM old_t;"
    )
    assert "(pcode ~ '^(?:TH[0-9]{2})$')" in sql
    assert "a DOUBLE PRECISION" in sql and "g geometry(Geometry, 4326)" in sql
    assert "GeometryType(g) = 'POINT'" in sql and "ST_GeometryType" not in sql
    assert "j TEXT" in sql and "b BYTEA" in sql and "DEFAULT '{}'" in sql
    assert "cardinality(p) >= 1" in sql and "(p <@ ARRAY['a', 'b']::VARCHAR[])" in sql
    assert "extract(year FROM d)" in sql and "MACRO" not in sql
    assert "INSERT INTO new_t (%s) SELECT %s FROM old_t" in sql


def test_the_schema_matches_the_duckdb_file(pg_db, db_path):
    from data.store import connect

    def columns(con) -> dict[str, list[str]]:
        rows = con.execute(
            "SELECT table_name, column_name FROM information_schema.columns "
            "WHERE table_schema = current_schema() AND table_catalog = current_database() "
            "ORDER BY table_name, ordinal_position"
        ).fetchall()
        out: dict[str, list[str]] = {}
        for table, column in rows:
            out.setdefault(table, []).append(column)
        return out

    file_con = connect(db_path, read_only=True)
    pg_con = connect(pg_db, read_only=True)
    try:
        in_file, in_pg = columns(file_con), columns(pg_con)
    finally:
        file_con.close()
        pg_con.close()
    postgis_own = {"geography_columns", "geometry_columns", "spatial_ref_sys"}
    assert {t: c for t, c in in_pg.items() if t not in postgis_own} == in_file
    with psycopg.connect(pg_db) as pg:
        srids = pg.execute(
            "SELECT f_table_name, f_geometry_column, srid FROM geometry_columns "
            "WHERE f_table_schema = 'public'"
        ).fetchall()
    assert len(srids) >= 10 and {s for _, _, s in srids} == {4326}


BOW_TIE = "SRID=4326;POLYGON((100 13, 100.1 13.1, 100.1 13, 100 13.1, 100 13))"
SQUARE = "SRID=4326;POLYGON((100 13, 100.1 13, 100.1 13.1, 100 13.1, 100 13))"


@pytest.mark.parametrize(
    ("hint", "sql", "params"),
    [
        (
            "geom_check",
            "INSERT INTO tambon VALUES ('TH109901', 'TH1099', 'TH10', 'x', 'x', 1, %s)",
            [BOW_TIE],
        ),
        (
            "geom_check",
            "INSERT INTO tambon VALUES ('TH109901', 'TH1099', 'TH10', 'x', 'x', 1, %s)",
            ["SRID=4326;POLYGON((10 13, 10.1 13, 10.1 13.1, 10 13.1, 10 13))"],
        ),
        (
            "tambon_check",
            "INSERT INTO tambon VALUES ('TH109901', 'TH1098', 'TH10', 'x', 'x', 1, %s)",
            [SQUARE],
        ),
        (
            "pcode_check",
            "INSERT INTO tambon VALUES ('TH10990', 'TH1099', 'TH10', 'x', 'x', 1, %s)",
            [SQUARE],
        ),
        (
            "registered_date_check",
            "INSERT INTO community_org (source, source_id, tambon_pcode, name, registered_date)"
            " VALUES ('t', 'x1', 'TH100101', 'กลุ่มทดสอบ', DATE '2567-01-01')",
            [],
        ),
        (
            "form_id",
            "INSERT INTO need_report (receipt, form_id, content_hash, tambon_pcode, geom, area_m2,"
            " community_name, households, problems, urgency) SELECT 'NR-ZZZZ-ZZZZ', form_id,"
            " content_hash, tambon_pcode, geom, area_m2, community_name, households, problems,"
            " urgency FROM need_report LIMIT 1",
            [],
        ),
    ],
)
def test_postgresql_itself_refuses_what_the_rules_forbid(pg_db, hint, sql, params):
    """A program writing to PostgreSQL directly (psql, QGIS, a script) meets the same rules:
    a shape that crosses itself or lies outside Thailand, a P-code of the wrong shape or
    not under its amphoe, a Buddhist-era year as CE, a form id stored twice."""
    with psycopg.connect(pg_db) as pg:
        with pytest.raises(psycopg.errors.IntegrityError) as info:
            pg.execute(sql, params)
    assert hint in str(info.value)


def test_a_newer_postgresql_schema_is_refused(pg_db):
    with psycopg.connect(pg_db) as pg:
        pg.execute("INSERT INTO schema_version (version, name) VALUES (9999, 'from_the_future')")
    with pytest.raises(SchemaTooNewError, match="newer than this program"):
        connect(pg_db)


def test_an_unreachable_postgresql_is_reported_clearly():
    with pytest.raises(StoreError, match="cannot reach") as info:
        connect("postgresql://phang:secret@127.0.0.1:1/nothing")
    assert "secret" not in str(info.value) and info.value.message_th


def test_migrate_store_copies_checks_and_refuses_a_second_copy(built_db, empty_pg):
    run = [sys.executable, "-m", "data", "migrate-store", "--db", str(built_db[0])]
    done = subprocess.run(
        [*run, "--to", empty_pg], cwd=ROOT, capture_output=True, text=True, timeout=900
    )
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout)
    file_con = connect(built_db[0], read_only=True)
    pg_con = connect(empty_pg, read_only=True)
    try:
        for table in ("tambon", "village", "need_report", "community_org", "map_shape"):
            a = file_con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            b = pg_con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            assert a == b > 0, table
        same = pg_con.execute(
            "SELECT count(*) FROM tambon WHERE ST_Area(geom) > 0 AND ST_IsValid(geom)"
        ).fetchone()[0]
        assert same == 7425
    finally:
        file_con.close()
        pg_con.close()
    assert summary["tables"] > 30 and summary["rows"] > 100_000
    # new rows take ids after the copied ones
    with psycopg.connect(empty_pg) as pg:
        top = pg.execute("SELECT max(id) FROM need_report").fetchone()[0]
        assert pg.execute("SELECT nextval('need_report_id_seq')").fetchone()[0] > top
    again = subprocess.run(
        [*run, "--to", empty_pg], cwd=ROOT, capture_output=True, text=True, timeout=900
    )
    assert again.returncode != 0 and "already holds data" in again.stderr
