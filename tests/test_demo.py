"""The demo dataset: deterministic, calibrated on the public figures, every row marked demo."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.catalogue import compute
from data.demo import RAILWAY_PROVINCES, generate

TABLES = ("community_org", "tambon_council", "baan_mankong_project", "land_case")


def test_build_summary_counts_demo_rows(built_db, ro_con):
    summary = built_db[1]["demo"]
    for table in TABLES:
        assert (
            summary[table]
            == ro_con.execute(f"SELECT count(*) FROM {table} WHERE is_demo").fetchone()[0]
            > 0
        )


def test_every_demo_row_is_marked(ro_con):
    for table in TABLES:
        unmarked = ro_con.execute(
            f"SELECT count(*) FROM {table} WHERE source = 'demo' AND NOT is_demo"
            f" OR is_demo AND source <> 'demo'"
        ).fetchone()[0]
        assert unmarked == 0, table


def test_demo_is_deterministic(ro_con):
    first, second = generate(ro_con), generate(ro_con)
    for kind in first:
        pd.testing.assert_frame_equal(first[kind], second[kind])
    stored = ro_con.execute(
        "SELECT source_id, name, members, capital_baht FROM community_org"
        " WHERE is_demo ORDER BY source_id"
    ).df()
    regenerated = first["organization"][["source_id", "name", "members", "capital_baht"]]
    pd.testing.assert_frame_equal(
        stored.reset_index(drop=True),
        regenerated.sort_values("source_id").reset_index(drop=True),
        check_dtype=False,
    )


def test_calibrated_on_public_figures(ro_con):
    q = ro_con.execute
    tambons = q("SELECT count(*) FROM tambon").fetchone()[0]
    orgs = q("SELECT count(*) FROM community_org WHERE is_demo").fetchone()[0]
    assert 5_000 <= orgs <= 50_000  # thousands of organizations
    councils = q(
        "SELECT count(DISTINCT tambon_pcode) FROM tambon_council WHERE is_demo"
    ).fetchone()[0]
    assert 0.75 <= councils / tambons <= 0.95  # a council in most tambons
    projects, households = q(
        "SELECT count(*), sum(households) FROM baan_mankong_project WHERE is_demo"
    ).fetchone()
    assert 800 <= projects <= 1_600  # on the order of a thousand
    assert 60 <= households / projects <= 150  # ~60 households per community, 1-3 communities
    rail = q("""SELECT count(*), count(DISTINCT substr(tambon_pcode, 1, 4)), sum(households)
                FROM land_case WHERE is_demo AND landowner_type = 'state_railway'""").fetchone()
    assert rail[0] == 300 and rail[1] == len(RAILWAY_PROVINCES) == 35
    assert rail[2] == pytest.approx(27_084, rel=0.03)


def test_spread_unevenly_and_clustered_in_cities(ro_con):
    q = ro_con.execute
    per_province = (
        q("SELECT count(*) FROM community_org WHERE is_demo GROUP BY substr(tambon_pcode, 1, 4)")
        .df()
        .iloc[:, 0]
    )
    assert per_province.std() / per_province.mean() > 0.3
    city_share = q("""SELECT avg(CASE WHEN tambon_pcode LIKE 'TH10%'
                                   OR substr(tambon_pcode, 5, 2) = '01' THEN 1 ELSE 0 END)
                      FROM baan_mankong_project WHERE is_demo""").fetchone()[0]
    tambon_city_share = q("""SELECT avg(CASE WHEN pcode LIKE 'TH10%'
                                   OR substr(pcode, 5, 2) = '01' THEN 1 ELSE 0 END)
                             FROM tambon""").fetchone()[0]
    assert city_share > 0.5 > tambon_city_share


def test_demo_locations_are_real_village_points(ro_con):
    at_village = ro_con.execute("""
        SELECT avg(CASE WHEN ST_Equals(o.geom, v.geom) THEN 1 ELSE 0 END)
        FROM community_org o JOIN village v ON v.id = o.village_id
        WHERE o.is_demo""").fetchone()[0]
    assert at_village == 1.0
    inside = ro_con.execute("""
        SELECT avg(CASE WHEN v.tambon_pcode = o.tambon_pcode THEN 1 ELSE 0 END)
        FROM community_org o JOIN village v ON v.id = o.village_id WHERE o.is_demo""").fetchone()[0]
    assert inside == 1.0


def test_indicators_add_up_to_the_tables(ro_con):
    grouping = ro_con.execute("SELECT name FROM grouping WHERE is_default").fetchone()[0]
    orgs = compute(ro_con, "community_orgs", "region", grouping)["num"].sum()
    assert (
        orgs
        == ro_con.execute(
            "SELECT count(*) FROM community_org WHERE status <> 'dissolved'"
        ).fetchone()[0]
    )
    by_stage = sum(
        compute(ro_con, f"baan_mankong_households_{s}", "province", grouping)["num"].sum()
        for s in (
            "survey",
            "savings",
            "land_negotiation",
            "loan_approved",
            "construction",
            "completed",
        )
    )
    total = compute(ro_con, "baan_mankong_households", "province", grouping)["num"].sum()
    assert by_stage == total > 0
    share = compute(ro_con, "council_present", "region", grouping)["value"]
    assert share.between(30, 100).all()


def test_map_layers_return_escaped_ready_rows(ro_con):
    from geo.layers import Scope, layers

    registered = layers()
    for key in ("community_orgs", "baan_mankong", "land_cases", "land_case_areas"):
        rows = registered[key].query(ro_con, Scope("TH10"), None)
        assert len(rows) > 0, key
        assert (rows["data_note"] == "ข้อมูลสาธิต · Demo data").all()


def test_demo_places_lie_in_their_own_tambon(ro_con):
    """A demo point (or a land case's disc centre) is inside the tambon it is filed under, so
    a report card never shows a tambon's projects scattered over its neighbours."""
    for table in ("community_org", "baan_mankong_project", "land_case"):
        total, outside = ro_con.execute(f"""
            SELECT count(*), count(*) FILTER (WHERE NOT ST_Intersects(t.geom, ST_Centroid(x.geom)))
            FROM {table} x JOIN tambon t ON t.pcode = x.tambon_pcode
            WHERE x.is_demo AND x.geom IS NOT NULL""").fetchone()
        assert total > 500, table
        assert outside == 0, (table, outside, total)
