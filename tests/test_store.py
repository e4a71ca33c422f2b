"""The store: spatial loaded offline, migrations versioned, constraints enforced."""

from __future__ import annotations

import duckdb
import pytest

from data.errors import SchemaTooNewError, StoreLockedError
from data.store import code_schema_version, connect, spatial_extension_path
from tests.conftest import refused_by_schema


def test_spatial_is_loaded_from_the_wheel_not_installed(tmp_path):
    path = spatial_extension_path()
    assert path.exists() and "duckdb_extension_spatial" in str(path)
    con = connect(tmp_path / "x.duckdb")
    try:
        assert con.execute("SELECT ST_AsText(ST_Point(100.5, 13.7))").fetchone()[0] == (
            "POINT (100.5 13.7)"
        )
        autoinstall = con.execute(
            "SELECT value FROM duckdb_settings() WHERE name = 'autoinstall_known_extensions'"
        ).fetchone()[0]
        assert autoinstall == "false"
    finally:
        con.close()


def test_migrations_are_recorded(tmp_path):
    con = connect(tmp_path / "m.duckdb")
    try:
        versions = [
            r[0] for r in con.execute("SELECT version FROM schema_version ORDER BY 1").fetchall()
        ]
        assert versions[0] == 1 and versions[-1] == code_schema_version()
    finally:
        con.close()
    # reopening applies nothing new
    con = connect(tmp_path / "m.duckdb")
    try:
        assert con.execute("SELECT count(*) FROM schema_version").fetchone()[0] == len(versions)
    finally:
        con.close()


def test_a_newer_database_is_refused(tmp_path):
    path = tmp_path / "new.duckdb"
    connect(path).close()
    raw = duckdb.connect(str(path))
    raw.execute("INSERT INTO schema_version (version, name) VALUES (9999, 'from_the_future')")
    raw.close()
    with pytest.raises(SchemaTooNewError, match="newer than this program"):
        connect(path)


def test_a_held_database_is_reported_clearly(tmp_path):
    import subprocess
    import sys
    import textwrap

    path = tmp_path / "held.duckdb"
    connect(path).close()
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            textwrap.dedent(f"""
            import duckdb, sys, time
            con = duckdb.connect({str(path)!r})
            print("ready", flush=True)
            sys.stdin.readline()
        """),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "ready"
        with pytest.raises(StoreLockedError, match="in use by another process"):
            connect(path)
    finally:
        holder.communicate("\n", timeout=10)


INVALID = {
    "bow-tie": "POLYGON((100 13, 101 14, 101 13, 100 14, 100 13))",
    "outside Thailand": "POLYGON((120 13, 121 13, 121 14, 120 13))",
    "empty": "POLYGON EMPTY",
}


@pytest.mark.parametrize("label", sorted(INVALID))
def test_schema_refuses_bad_geometry(con, label):
    with refused_by_schema():
        con.execute(
            "INSERT INTO tambon VALUES ('TH109901', 'TH1099', 'TH10', 'x', 'x', 1, "
            "ST_GeomFromText(?))",
            [INVALID[label]],
        )


@pytest.mark.parametrize(
    "pcode,amphoe,province",
    [
        ("TH1001", "TH1001", "TH10"),  # wrong length
        ("TX100101", "TX1001", "TX10"),  # wrong prefix
        ("TH100199", "TH1002", "TH10"),  # parent does not match
        ("TH100199", "TH1001", "TH11"),  # grandparent does not match
    ],
)
def test_schema_refuses_bad_pcodes(con, pcode, amphoe, province):
    with refused_by_schema():
        con.execute(
            "INSERT INTO tambon VALUES (?, ?, ?, 'x', 'x', 1, "
            "ST_GeomFromText('POLYGON((100 13, 100.1 13, 100.1 13.1, 100 13))'))",
            [pcode, amphoe, province],
        )
