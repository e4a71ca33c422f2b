"""Integration: the real shared COD-AB files loaded into the real DuckDB store."""

from __future__ import annotations

import pytest


def test_counts_match_the_official_dataset(built_db):
    _, summary = built_db
    assert (summary["provinces"], summary["amphoe"], summary["tambons"]) == (77, 928, 7425)
    assert (summary["clusters"], summary["regions"]) == (18, 5)


def test_tables_hold_the_counts(ro_con):
    counts = ro_con.execute(
        "SELECT (SELECT count(*) FROM province), (SELECT count(*) FROM amphoe),"
        " (SELECT count(*) FROM tambon)"
    ).fetchone()
    assert counts == (77, 928, 7425)


def test_pcode_hierarchy_is_consistent(ro_con):
    orphans = ro_con.execute(
        """SELECT (SELECT count(*) FROM tambon t LEFT JOIN amphoe a ON a.pcode = t.amphoe_pcode
                   WHERE a.pcode IS NULL),
                  (SELECT count(*) FROM amphoe a LEFT JOIN province p ON p.pcode = a.province_pcode
                   WHERE p.pcode IS NULL),
                  (SELECT count(*) FROM amphoe a WHERE NOT EXISTS
                     (SELECT 1 FROM tambon t WHERE t.amphoe_pcode = a.pcode))"""
    ).fetchone()
    assert orphans == (0, 0, 0)


def test_thai_names_are_read_as_utf8(ro_con):
    name = ro_con.execute("SELECT name_th FROM tambon WHERE pcode = 'TH100101'").fetchone()[0]
    assert name == "พระบรมมหาราชวัง"
    bangkok = ro_con.execute(
        "SELECT name_th, name_en FROM province WHERE pcode = 'TH10'"
    ).fetchone()
    assert bangkok == ("กรุงเทพมหานคร", "Bangkok")


def test_parents_nest_exactly_and_areas_add_up(ro_con):
    # dissolved amphoe contain their tambons; areas are geodesic and additive
    row = ro_con.execute(
        """SELECT max(abs(a.area_km2 - s.area) / a.area_km2)
           FROM amphoe a JOIN (SELECT amphoe_pcode, sum(area_km2) AS area FROM tambon
                               GROUP BY 1) s ON s.amphoe_pcode = a.pcode"""
    ).fetchone()
    assert row[0] < 1e-6
    total = ro_con.execute("SELECT sum(area_km2) FROM province").fetchone()[0]
    assert 505_000 < total < 525_000  # Thailand is about 513,000 km²
    outside = ro_con.execute(
        """SELECT count(*) FROM tambon t JOIN province p ON p.pcode = t.province_pcode
           WHERE NOT ST_Covers(p.geom, ST_PointOnSurface(t.geom))"""
    ).fetchone()[0]
    assert outside == 0


def test_every_geometry_is_valid(ro_con):
    bad = ro_con.execute(
        """SELECT (SELECT count(*) FROM tambon WHERE NOT ST_IsValid(geom)),
                  (SELECT count(*) FROM amphoe WHERE NOT ST_IsValid(geom)),
                  (SELECT count(*) FROM province WHERE NOT ST_IsValid(geom)),
                  (SELECT count(*) FROM grouping_cluster WHERE NOT ST_IsValid(geom))"""
    ).fetchone()
    assert bad == (0, 0, 0, 0)


def test_source_shapes_are_kept(ro_con):
    kept = ro_con.execute(
        "SELECT count(source_geom) FROM province UNION ALL SELECT count(source_geom) FROM amphoe"
    ).fetchall()
    assert [r[0] for r in kept] == [77, 928]


def test_villages_are_reconciled_spatially_and_by_name(built_db, ro_con):
    _, s = built_db
    assert s["villages"] == 65213
    # about 99.8% of villages fall inside a current tambon
    assert s["villages_matched_spatial"] / s["villages"] > 0.995
    # most names resolve; the rest are the real work the brief talks about
    assert s["villages_matched_name"] / s["villages"] > 0.80
    statuses = dict(
        ro_con.execute("SELECT match_status, count(*) FROM village GROUP BY 1").fetchall()
    )
    assert sum(statuses.values()) == s["villages"]
    assert statuses["agree"] == s["villages_agree"]
    assert statuses["agree"] > 0.7 * s["villages"]
    mismatch = ro_con.execute(
        """SELECT count(*) FROM village WHERE
             (match_status = 'agree' AND pcode_spatial <> pcode_name)
             OR (match_status = 'disagree' AND pcode_spatial = pcode_name)
             OR (match_status = 'space_only' AND (pcode_spatial IS NULL OR pcode_name IS NOT NULL))
             OR (tambon_pcode IS DISTINCT FROM coalesce(pcode_spatial, pcode_name))"""
    ).fetchone()
    assert mismatch[0] == 0


@pytest.mark.parametrize(
    "level,table", [("tambon", "tambon"), ("amphoe", "amphoe"), ("province", "province")]
)
def test_build_records_sources(ro_con, level, table):
    row = ro_con.execute(
        "SELECT file, features FROM boundary_source WHERE level = ?", [level]
    ).fetchone()
    n = ro_con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    assert row is not None and row[1] == n
