"""Priorities, targets, the national assembly and report cards."""

from __future__ import annotations

import datetime as dt
import json

import pandas as pd
import pytest

from analysis.dashboard import (
    AssemblyRule,
    assembly_seats,
    comparison,
    grouping_differences,
    provinces_of,
    rank_among,
)
from analysis.monitoring import as_of_year
from analysis.priorities import PriorityParams, rank_priorities, score
from analysis.report_card import report_card, svg_map
from analysis.report_html import render_html
from analysis.targets import (
    Target,
    TargetError,
    add_target,
    list_targets,
    progress,
    targets_from_csv,
)
from tests.conftest import empty_store
from tests.planning_fixture import make_fixture


@pytest.fixture(scope="module")
def fx(tmp_path_factory, store_kind, request):
    """The fixture database, shared by the tests that only read."""
    con = make_fixture(empty_store(store_kind, request, tmp_path_factory.mktemp("fx"), "fx.duckdb"))
    yield con
    con.close()


@pytest.fixture()
def fx_rw(tmp_path, store_kind, request):
    """A private fixture database for a test that writes."""
    con = make_fixture(empty_store(store_kind, request, tmp_path, "fx.duckdb"))
    yield con
    con.close()


def _order(con, params: PriorityParams, grouping: str = "fx") -> list[str]:
    return rank_priorities(con, params, grouping)["pcode"].tolist()


# --- priorities ---------------------------------------------------------------------------


def test_candidates_are_the_tambons_with_unmet_need(fx):
    frame = rank_priorities(fx, PriorityParams(), "fx").set_index("pcode")
    assert sorted(frame.index) == ["TH100102", "TH200101", "TH300101"]
    assert frame.loc["TH200101", "unmet"] == 60


def test_distances_are_metres_in_utm(fx):
    frame = rank_priorities(fx, PriorityParams(), "fx").set_index("pcode")
    # tambon centre (100.15, 14.05) to the survey project at (100.06, 14.05): 0.09° of
    # longitude at 14.05°N = 0.09 * 111.32 * cos(14.05°) = 9.72 km
    assert frame.loc["TH100102", "nearest_km"] == pytest.approx(9.72, abs=0.05)
    assert frame.loc["TH200101", "nearest_km"] == pytest.approx(10.80, abs=0.05)
    assert pd.isna(frame.loc["TH300101", "nearest_km"])  # nothing within 30 km


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        # need only: 60 > 50 > 25 unmet households
        (PriorityParams(1, 0, 0, 10), ["TH200101", "TH100102", "TH300101"]),
        # readiness only: TH300101 has 3 active savings groups (0.5); ties by unmet need
        (PriorityParams(0, 0, 1, 10), ["TH300101", "TH200101", "TH100102"]),
        # gap only, 10 km: TH100102 has a project 9.7 km away, the others none
        (PriorityParams(0, 1, 0, 10), ["TH200101", "TH300101", "TH100102"]),
        # gap only, 11 km: now TH200101's project (10.8 km) counts as near too
        (PriorityParams(0, 1, 0, 11), ["TH300101", "TH200101", "TH100102"]),
    ],
)
def test_weights_and_distance_move_the_ranking(fx, params, expected):
    assert _order(fx, params) == expected


def test_scores_are_weighted_means_on_a_0_to_100_scale(fx):
    frame = rank_priorities(fx, PriorityParams(2, 1, 1, 10), "fx").set_index("pcode")
    row = frame.loc["TH300101"]
    # need log(26)/log(61), gap 1, readiness 0.5
    need = pytest.approx(0.79256, abs=1e-4)
    assert row["need_score"] == need
    assert row["score"] == pytest.approx(100 * (2 * 0.792563 + 1 + 0.5) / 4, abs=0.01)
    assert frame["rank"].tolist() == sorted(frame["rank"].tolist())


def test_within_limits_the_ranking(fx):
    only = rank_priorities(fx, PriorityParams(), "fx", within="cluster:c2")
    assert only["pcode"].tolist() == ["TH300101"]
    moved = rank_priorities(fx, PriorityParams(), "fx2", within="cluster:c2")
    assert sorted(moved["pcode"]) == ["TH200101", "TH300101"]
    assert rank_priorities(fx, PriorityParams(), "fx", within="TH10")["pcode"].tolist() == [
        "TH100102"
    ]
    with pytest.raises(ValueError, match="within"):
        rank_priorities(fx, PriorityParams(), "fx", within="north")


@pytest.mark.parametrize(
    "kwargs",
    [
        {"w_need": -1},
        {"w_need": 0, "w_gap": 0, "w_ready": 0},
        {"distance_km": 0},
        {"distance_km": 500},
        {"w_gap": float("nan")},
    ],
)
def test_bad_parameters_are_refused(kwargs):
    with pytest.raises(ValueError):
        PriorityParams(**kwargs)


def test_score_of_no_candidates_is_empty():
    empty = pd.DataFrame(columns=["pcode", "unmet", "nearest_km", "council", "savings_groups"])
    assert score(empty, PriorityParams()).empty


def test_real_ranking_moves_with_weights(ro_con):
    need = rank_priorities(ro_con, PriorityParams(1, 0, 0, 5), "codi-18", limit=20)
    ready = rank_priorities(ro_con, PriorityParams(0, 0, 1, 5), "codi-18", limit=20)
    assert len(need) == 20
    assert need["pcode"].tolist() != ready["pcode"].tolist()
    assert need["unmet"].is_monotonic_decreasing


# --- targets ------------------------------------------------------------------------------


def test_the_five_seed_targets_are_seeded(fx):
    targets = {t.key: t for t in list_targets(fx)}
    assert {k: t.target_value for k, t in targets.items()} == {
        "plans_linked_tambons": 3000,
        "households_housed": 176714,
        "province_networks": 77,
        "community_leaders": 15000,
        "quality_org_tambons": 6260,
    }
    assert all(t.start_year == 2017 and t.end_year == 2021 for t in targets.values())
    # every target says what the proxy counts: the one still measured by it, and the four
    # now measured from plan, training and assessment records (tests/test_plans.py)
    assert all(t.proxy_note_th and t.proxy_note_en for t in targets.values())
    assert [k for k, t in targets.items() if t.is_proxy] == ["households_housed"]


def test_progress_by_region_and_cluster(fx):
    with as_of_year(fx, 2024) as cur:
        frame = progress(cur, "fx")
    networks = frame[frame["target"] == "province_networks"].set_index(["level", "code"])
    # measured from plan items (TH10 only in 2024); the proxy kept beside it counts 2
    assert networks.loc[("nation", "TH"), "current"] == 1
    assert networks.loc[("nation", "TH"), "proxy"] == 2
    assert networks.loc[("nation", "TH"), "percent"] == pytest.approx(100 * 1 / 77)
    # apportioned by provinces: r1 has 2 of the 3 provinces
    assert networks.loc[("region", "r1"), "target_share"] == pytest.approx(77 * 2 / 3)
    assert networks.loc[("region", "r1"), "proxy"] == 2
    leaders = frame[frame["target"] == "community_leaders"].set_index(["level", "code"])
    # apportioned by tambons: c1 has 5 of 6
    assert leaders.loc[("cluster", "c1"), "target_share"] == pytest.approx(15000 * 5 / 6)
    for _key, rows in frame.groupby("target"):
        regions = rows[rows["level"] == "region"]
        nation = rows[rows["level"] == "nation"].iloc[0]
        assert regions["target_share"].sum() == pytest.approx(nation["target_share"])
        assert regions["current"].sum() == pytest.approx(nation["current"])


def test_progress_follows_the_grouping(fx):
    a = progress(fx, "fx").set_index(["target", "level", "code"])
    b = progress(fx, "fx2").set_index(["target", "level", "code"])
    key = ("province_networks", "cluster", "c2")
    assert a.loc[key, "proxy"] == 0 and b.loc[key, "proxy"] == 1


def test_a_planner_adds_a_target_with_an_audit_entry(fx_rw):
    target = Target(
        "unmet_halved",
        "ลดความต้องการที่ยังไม่ได้รับการแก้ไขลงครึ่งหนึ่ง",
        "Halve unmet need",
        70,
        "ครัวเรือน",
        "households",
        2026,
        2030,
        "unmet_need_households",
    )
    add_target(fx_rw, target, "planner1")
    assert "unmet_halved" in [t.key for t in list_targets(fx_rw)]
    audit = fx_rw.execute(
        "SELECT actor, action, after FROM audit_log WHERE table_name = 'plan_target'"
    ).fetchall()
    assert audit[0][:2] == ("planner1", "create")
    assert json.loads(audit[0][2])["target_value"] == 70
    with pytest.raises(TargetError, match="already exists"):
        add_target(fx_rw, target, "planner1")
    row = progress(fx_rw, "fx").query("target == 'unmet_halved' and level == 'nation'").iloc[0]
    assert row["current"] == 135


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"key": "Bad Key"}, "lowercase"),
        ({"target_value": 0}, "above zero"),
        ({"start_year": 2569, "end_year": 2573}, "Buddhist"),
        ({"indicator_key": "no_such"}, "catalogue"),
        ({"apportion_by": "people"}, "apportion_by"),
        ({"is_proxy": True}, "proxy"),
    ],
)
def test_bad_targets_are_refused(changes, message):
    fields = {
        "key": "ok_key",
        "name_th": "ก",
        "name_en": "A",
        "target_value": 10,
        "unit_th": "",
        "unit_en": "",
        "start_year": 2026,
        "end_year": 2027,
        "indicator_key": "tambons",
    }
    with pytest.raises(TargetError, match=message):
        Target(**{**fields, **changes})


def test_targets_from_csv_with_thai_headers_and_buddhist_years():
    text = (
        "รหัส,ชื่อ,ค่าเป้าหมาย,ตัวชี้วัด,ปีเริ่ม,ปีสิ้นสุด,หน่วย\n"
        'councils_all,สภาทุกตำบล,"7,425",tambons_with_council,2569,2573,ตำบล\n'
    )
    (target,) = targets_from_csv(text)
    assert (target.key, target.target_value, target.start_year, target.end_year) == (
        "councils_all",
        7425,
        2026,
        2030,
    )
    with pytest.raises(TargetError, match="row 2"):
        targets_from_csv("key,name_th,target_value,indicator_key\nx1,ก,5,nothing\n")


# --- dashboards and the national assembly -------------------------------------------------


def test_assembly_seats_for_the_default_grouping(ro_con):
    seats = assembly_seats(ro_con, "codi-18")
    total = seats.iloc[-1]
    assert (total["provinces"], total["clusters"]) == (77, 18)
    assert total["seats"] == 77 * 3 + 18 * 2 + 5 * 5
    regions = seats.iloc[:-1]
    assert len(regions) == 5 and regions["seats"].sum() == total["seats"]


def test_assembly_seats_follow_the_grouping_and_the_rule(fx):
    a = assembly_seats(fx, "fx").set_index("region_code")
    b = assembly_seats(fx, "fx2").set_index("region_code")
    assert a.loc["r1", "seats"] == 2 * 3 + 1 * 2 + 5
    assert b.loc["r1", "seats"] == 1 * 3 + 1 * 2 + 5
    assert a.loc["total", "seats"] == b.loc["total", "seats"] == 3 * 3 + 2 * 2 + 2 * 5
    custom = assembly_seats(fx, "fx", AssemblyRule(1, 0, 0)).set_index("region_code")
    assert custom.loc["total", "seats"] == 3
    with pytest.raises(ValueError):
        AssemblyRule(-1)


def test_dashboard_comparison_provinces_and_ranks(fx):
    table = comparison(fx, "fx", "cluster", ("unmet_need_households", "council_present"))
    assert table.set_index("code")["unmet_need_households"].to_dict() == {"c1": 110, "c2": 25}
    # more unmet need is worse: c2 (25) ranks first
    assert rank_among(table, "c2", "unmet_need_households") == (1, 2)
    assert rank_among(table, "c1", "council_present") == (1, 2)
    assert provinces_of(fx, "fx", "cluster", "c1")["pcode"].tolist() == ["TH10", "TH20"]
    assert provinces_of(fx, "fx2", "region", "r2")["pcode"].tolist() == ["TH20", "TH30"]
    moved = grouping_differences(fx, "fx", "fx2")
    assert moved["pcode"].tolist() == ["TH20"]


def test_real_dashboard_has_18_clusters_and_5_regions(ro_con):
    assert len(comparison(ro_con, "codi-18", "cluster")) == 18
    assert len(comparison(ro_con, "codi-18", "region")) == 5


# --- report cards -------------------------------------------------------------------------


def test_tambon_report_card_data(fx):
    card = report_card(fx, "tambon", "TH100101", "fx", dt.date(2005, 1, 1), dt.date(2024, 1, 1))
    assert card.name_th == "ตำบลหนึ่ง"
    assert [p[0] for p in card.parents] == ["region", "cluster", "province", "amphoe"]
    values = card.indicators.set_index("key")["value"]
    assert values["community_orgs"] == 4 and values["unmet_need_households"] == 0
    assert card.indicators.set_index("key").loc["community_orgs", "province_value"] == 5
    measures = {m.key: m for m in card.measures}
    # orgs o1..o4 registered 2001-2004 (o5 dissolved): all four by 2005
    assert (measures["orgs"].at_a, measures["orgs"].at_b) == (4, 4)
    assert (measures["councils"].at_a, measures["councils"].at_b) == (0, 1)
    assert (measures["bm_completed"].at_a, measures["bm_completed"].at_b) == (0, 100)
    assert measures["bm_started"].undated == 1  # the survey project has no start date
    assert len(card.organizations) == 5 and len(card.projects) == 2
    assert card.projects["stage"].tolist() == ["completed", "survey"]
    assert len(card.land_cases) == 2 and card.needs.empty


def test_province_report_card_lists_its_tambons(fx):
    card = report_card(fx, "province", "TH10", "fx", dt.date(2020, 1, 1), dt.date(2024, 1, 1))
    assert sorted(card.tambons["pcode"]) == ["TH100101", "TH100102", "TH100201"]
    assert len(card.child_wkb) == 3
    assert card.needs["households"].tolist() == [10]  # the verified one only
    assert not {"receipt", "phone", "name", "submitted_by"} & set(card.needs.columns)


def test_report_card_refuses_bad_areas_and_dates(fx):
    with pytest.raises(ValueError):
        report_card(fx, "amphoe", "TH1001", "fx", dt.date(2020, 1, 1))
    with pytest.raises(ValueError):
        report_card(fx, "tambon", "TH10", "fx", dt.date(2020, 1, 1))
    with pytest.raises(KeyError):
        report_card(fx, "tambon", "TH999999", "fx", dt.date(2020, 1, 1))
    with pytest.raises(ValueError, match="after"):
        report_card(fx, "tambon", "TH100101", "fx", dt.date(2024, 1, 1), dt.date(2020, 1, 1))


def test_printable_report_is_self_contained_escaped_and_in_buddhist_era(fx_rw):
    fx_rw.execute(
        "UPDATE community_org SET name = '<script>alert(1)</script>' WHERE source_id = 'o1'"
    )
    card = report_card(
        fx_rw, "tambon", "TH100101", "fx", dt.date(2021, 12, 31), dt.date(2024, 1, 1)
    )
    page = render_html(card, "th")
    assert "<script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "31 ธ.ค. 2564" in page and "1 ม.ค. 2567" in page
    assert "http://" not in page.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert "https://" not in page and "<link" not in page
    assert "<svg" in page and "Loma" in page
    english = render_html(card, "en")
    assert "2021-12-31" in english and "Report card" in english


def test_demo_records_are_labelled_on_the_card(fx_rw):
    fx_rw.execute("UPDATE land_case SET is_demo = true")
    card = report_card(fx_rw, "tambon", "TH100101", "fx", dt.date(2021, 1, 1))
    assert card.has_demo
    assert "ข้อมูลสาธิต" in render_html(card, "th")
    clean = report_card(fx_rw, "tambon", "TH100201", "fx", dt.date(2021, 1, 1))
    assert not clean.has_demo and "ข้อมูลสาธิต" not in render_html(clean, "th")


def test_svg_map_draws_the_area_and_markers(fx):
    from analysis.report_card import SvgMarker

    wkb = fx.execute("SELECT ST_AsWKB(geom) FROM tambon WHERE pcode = 'TH100101'").fetchone()[0]
    svg = svg_map(bytes(wkb), [], [SvgMarker(100.05, 14.05, "project")], title="<x>")
    assert svg.startswith("<svg") and svg.count("<path") >= 3  # area, marker, north arrow
    assert 'aria-label="&lt;x&gt;"' in svg


def test_real_report_cards(ro_con):
    tambon = ro_con.execute(
        "SELECT tambon_pcode FROM baan_mankong_project GROUP BY 1 ORDER BY count(*) DESC LIMIT 1"
    ).fetchone()[0]
    card = report_card(ro_con, "tambon", tambon, "codi-18", dt.date(2021, 12, 31))
    expected = ro_con.execute(
        "SELECT count(*) FROM baan_mankong_project WHERE tambon_pcode = ?", [tambon]
    ).fetchone()[0]
    assert len(card.projects) == expected and card.has_demo
    province = report_card(ro_con, "province", "TH50", "codi-18", dt.date(2021, 12, 31))
    assert (
        len(province.tambons)
        == ro_con.execute("SELECT count(*) FROM tambon WHERE province_pcode = 'TH50'").fetchone()[0]
    )
    assert "เชียงใหม่" in render_html(province, "th")


def test_priority_layer_for_the_map_explorer(fx):
    from geo.layers import Scope, get_layer, rows_of

    layer = get_layer("priority_tambons")
    rows = rows_of(layer, fx, Scope(), None)
    assert [r["pcode"] for r in rows] == rank_priorities(fx, PriorityParams(), "fx")[
        "pcode"
    ].tolist()
    assert all(json.loads(r["geojson"])["type"] == "Polygon" for r in rows)
    assert [r["pcode"] for r in rows_of(layer, fx, Scope("TH10"), None)] == ["TH100102"]
    assert [r["pcode"] for r in rows_of(layer, fx, Scope("", ("TH30",)), None)] == ["TH300101"]


def test_targets_command_line(fx_rw, tmp_path):
    from data.__main__ import main

    path = fx_rw.execute(
        "SELECT path FROM duckdb_databases() WHERE database_name = current_database()"
    ).fetchone()[0]
    fx_rw.close()
    good = tmp_path / "targets.csv"
    good.write_text(
        "key,name_th,target_value,indicator_key,end_year\nall_councils,สภาทุกตำบล,6,tambons_with_council,2573\n",
        encoding="utf-8",
    )
    assert main(["targets", "import", str(good), "--db", path]) == 0
    bad = tmp_path / "bad.csv"
    bad.write_text("key,name_th,target_value,indicator_key\nx1,ก,5,nothing\n", encoding="utf-8")
    assert main(["targets", "import", str(bad), "--db", path]) == 2
    assert main(["targets", "progress", "--db", path, "--grouping", "fx2"]) == 0
    from data.store import connect

    con = connect(path, read_only=True)
    try:
        keys = [r[0] for r in con.execute("SELECT key FROM plan_target").fetchall()]
        assert "all_councils" in keys and "x1" not in keys
    finally:
        con.close()


# --- the records' version that keys the cached figures -------------------------------------


def test_the_records_version_moves_with_imports_decisions_and_targets(con, db_copy, tmp_path):
    """Pages and the OGC API key their cached figures by it: an import, a coordinator's
    decision and a new target each change it; reading changes nothing."""
    import time

    from analysis.records_version import recent_records_version, records_version
    from data import need_reports as nr
    from data.importers import import_file

    started = time.perf_counter()
    first = records_version(con)
    took = time.perf_counter() - started
    assert records_version(con) == first
    assert len(first) == 24 and all(v is not None for v in first[::2])
    print(f"records_version: {took * 1000:.1f} ms")  # a figure, not a limit

    csv = tmp_path / "councils.csv"
    csv.write_text(
        "ชื่อสภา,ตำบล,อำเภอ,จังหวัด,วันที่จัดตั้ง\n"
        "สภาองค์กรชุมชนตำบลท่าถ่าน ใหม่,ท่าถ่าน,พนมสารคาม,ฉะเชิงเทรา,15/03/2567\n",
        encoding="utf-8",
    )
    import_file(con, "council", csv)
    after_import = records_version(con)
    assert after_import != first

    pending = con.execute(
        "SELECT id FROM need_report WHERE status = 'pending' ORDER BY id LIMIT 1"
    ).fetchone()[0]
    nr.decide(con, pending, "verify", nr.Actor("admin", "admin"), expected_status="pending")
    after_decision = records_version(con)
    assert after_decision != after_import

    target = Target(
        "version_probe", "ทดสอบ", "Probe", 10, "ตำบล", "tambons", 2026, 2030, "tambons_with_council"
    )
    key, remembered = recent_records_version(con)
    add_target(con, target, "planner1")
    assert records_version(con) != after_decision
    # the remembered version is reused for a few seconds, and is per database
    assert recent_records_version(con) == (key, remembered)
    assert recent_records_version(con, max_age=0) == (key, records_version(con))
    assert str(db_copy).rsplit("/", 1)[-1] in key
