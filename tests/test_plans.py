"""Community plans, their items, people developed and organisation assessments.

Import files are written here with Thai headers and Buddhist-era years, onto the small
named fixture of ``tests.planning_fixture`` (six square tambons); indicator and target
values are compared with the hand counts written beside that fixture.
"""

from __future__ import annotations

import json
import math

import pytest

from analysis.monitoring import as_of_year, trend
from analysis.rollup import compute_all
from analysis.targets import list_targets, progress
from data.importers import import_file
from data.importers.plan_values import parse_bool, parse_year
from tests.conftest import empty_store
from tests.planning_fixture import EXPECTED_BY_YEAR, make_fixture


@pytest.fixture()
def fx_rw(tmp_path, store_kind, request):
    con = make_fixture(empty_store(store_kind, request, tmp_path, "fx.duckdb"))
    yield con
    con.close()


@pytest.fixture(scope="module")
def fx(tmp_path_factory, store_kind, request):
    con = make_fixture(
        empty_store(store_kind, request, tmp_path_factory.mktemp("plans"), "fx.duckdb")
    )
    yield con
    con.close()


def _csv(tmp_path, name: str, text: str):
    path = tmp_path / name
    path.write_text(text.strip() + "\n", encoding="utf-8")
    return path


# --- values -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "year", "code"),
    [
        ("2567", 2024, None),
        ("พ.ศ. 2567", 2024, None),
        ("๒๕๖๗", 2024, None),
        (2567, 2024, None),
        ("2024", 2024, None),
        ("ปี 2570", 2027, None),
        ("2800", None, "bad_year"),  # 2257 CE: out of range, never stored
        ("1985", None, "bad_year"),
        ("สองพัน", None, "bad_year"),
        ("", None, None),
    ],
)
def test_years_are_stored_in_the_christian_era(raw, year, code):
    value, problem = parse_year(raw)
    assert value == year
    assert (problem.code if problem else None) == code


@pytest.mark.parametrize(
    ("raw", "value"), [("ใช่", True), ("บรรจุแล้ว", True), ("ไม่ใช่", False), ("no", False)]
)
def test_yes_and_no(raw, value):
    assert parse_bool(raw) == (value, None)


def test_a_bad_yes_no_is_refused():
    assert parse_bool("บางส่วน")[1].code == "bad_value"


# --- importing ----------------------------------------------------------------------------

PLANS = """
รหัสแผน,รหัสตำบล,สภาองค์กรชุมชน,ปีเริ่มต้น,ปีสิ้นสุด,วันที่ประกาศใช้,สถานะแผน
X1,TH100201,สภาองค์กรชุมชนตำบลสาม,2567,2571,15/03/2567,ประกาศใช้
X2,TH300101,สภาองค์กรชุมชนตำบลหก,2568,2566,,ร่างแผน
"""

ITEMS = """
รหัสรายการ,รหัสแผน,รหัสตำบล,ชื่อโครงการ,ด้าน,งบประมาณ (บาท),เสนอต่อ,บรรจุในแผน,ชื่อแผนหน่วยงาน,ปีงบประมาณ,การสนับสนุน,เงินสนับสนุน,ละติจูด,ลองจิจูด
A1,X1,TH100201,ซ่อมบ้านผู้สูงอายุ,ด้านที่อยู่อาศัยและที่ดิน,"150,000",อบต.,ใช่,แผนพัฒนาท้องถิ่น อบต.สาม,2568,งบประมาณ,"120,000",14.05,100.25
A2,X1,TH100201,ท่องเที่ยวชุมชน,ด้านการท่องเที่ยว,"50,000",อบต.,ไม่ใช่,,,,,,
A3,X1,TH100201,โรงสีข้าวชุมชน,ด้านเศรษฐกิจ,"300,000",บริษัทเอกชน,ไม่ใช่,,,,,,
A4,X1,TH100201,สวนสาธารณะ,ด้านทรัพยากรและสิ่งแวดล้อม,"80,000",จังหวัด,ไม่ใช่,,,,,14.05,101.05
A5,X1,TH100201,ศูนย์ดูแลผู้สูงอายุ,ด้านสวัสดิการ,,จังหวัด,ไม่ใช่,,,,,,
A6,X9,TH100201,ลานกีฬา,ด้านสังคม,"20,000",อบต.,ไม่ใช่,,,,,,
A7,X1,TH100201,ถนนเข้าชุมชน,ด้านอื่น ๆ,"90,000",อำเภอ,ใช่,แผนอำเภอ,2800,,,,
"""  # noqa: E501


def _import_plans(con, tmp_path):
    return import_file(con, "plan", _csv(tmp_path, "แผนตำบล.csv", PLANS), good_rows=True)


def test_plans_with_buddhist_era_years_are_stored_in_ce(fx_rw, tmp_path):
    report = _import_plans(fx_rw, tmp_path)
    assert (report.rows, report.inserted, report.quarantined) == (2, 1, 1)
    row = fx_rw.execute(
        "SELECT start_year, end_year, adopted_date::VARCHAR, status, council FROM community_plan"
        " WHERE source_id = 'X1'"
    ).fetchone()
    assert row == (2024, 2028, "2024-03-15", "adopted", "สภาองค์กรชุมชนตำบลสาม")
    assert report.refused[0]["reason_code"] == "bad_period"


def test_plan_items_in_thai_quarantine_the_bad_rows_with_reasons(fx_rw, tmp_path):
    _import_plans(fx_rw, tmp_path)
    report = import_file(fx_rw, "plan_item", _csv(tmp_path, "รายการแผน.csv", ITEMS), good_rows=True)
    assert (report.rows, report.inserted, report.quarantined) == (7, 2, 5)
    reasons = {r["row"]: r for r in report.refused}
    # rows are numbered as in the file (the header is row 1)
    assert "ด้าน" in reasons[3]["reason_th"] and reasons[3]["reason_code"] == "bad_value"
    assert "เสนอต่อหน่วยงาน" in reasons[4]["reason_th"]
    assert "บริษัทเอกชน" in reasons[4]["reason"]
    assert reasons[5]["reason_code"] == "location_mismatch"
    assert reasons[7]["reason_code"] == "unknown_plan"
    assert reasons[8]["reason_code"] == "bad_year"
    stored = fx_rw.execute(
        "SELECT source_id, dimension, agency_type, in_agency_plan, agency_plan_year, "
        "support_type, support_baht, status, ST_AsText(geom) FROM plan_item "
        "WHERE source = 'รายการแผน' ORDER BY source_id"
    ).fetchall()
    assert stored == [
        ("A1", "housing_land", "local_government", True, 2025, "money", 120000.0, "supported",
         "POINT (100.25 14.05)"),
        ("A5", "welfare", "province", False, None, "none", None, "proposed", None),
    ]  # fmt: skip
    kept = fx_rw.execute(
        "SELECT row_number, reason_code, raw->>'ด้าน' FROM quarantine "
        "WHERE kind = 'plan_item' AND status = 'open' ORDER BY row_number"
    ).fetchall()
    assert [r[0] for r in kept] == [3, 4, 5, 7, 8]
    assert kept[0][2] == "ด้านการท่องเที่ยว"  # the row is kept whole


def test_reimport_updates_items_by_source_id_with_history(fx_rw, tmp_path):
    _import_plans(fx_rw, tmp_path)
    lines = ITEMS.strip().splitlines()
    good = "\n".join([*lines[:2], lines[5]])
    first = import_file(fx_rw, "plan_item", _csv(tmp_path, "items.csv", good))
    assert (first.inserted, first.status) == (2, "committed")
    changed = good.replace('"120,000"', '"130,000"')
    second = import_file(fx_rw, "plan_item", _csv(tmp_path, "items.csv", changed))
    assert (second.inserted, second.updated, second.unchanged) == (0, 1, 1)
    assert fx_rw.execute(
        "SELECT support_baht FROM plan_item WHERE source = 'items' AND source_id = 'A1'"
    ).fetchone() == (130000.0,)
    history = fx_rw.execute(
        "SELECT source_id, previous FROM record_history WHERE table_name = 'plan_item'"
    ).fetchall()
    assert len(history) == 1 and history[0][0] == "A1"
    assert json.loads(history[0][1])["support_baht"] == 120000.0


PEOPLE = """
ชื่อ-สกุล,รหัสตำบล,หลักสูตร/กิจกรรม,วันที่อบรม
นางสมศรี ทองดี,TH100201,ผู้นำการเปลี่ยนแปลง,12 ม.ค. 2566
นางสมศรี  ทองดี,TH100201,การจัดทำแผนชุมชน,3/7/2567
นายสมชาย ใจงาม,TH100201,การจัดทำแผนชุมชน,31/02/2567
"""


def test_people_developed_keep_names_private(fx_rw, tmp_path):
    report = import_file(
        fx_rw, "person_developed", _csv(tmp_path, "ผู้ผ่านการอบรม.csv", PEOPLE), good_rows=True
    )
    assert (report.inserted, report.quarantined) == (2, 1)
    assert report.refused[0]["reason_code"] == "bad_date"
    columns = {r[0] for r in fx_rw.execute("DESCRIBE person_developed").fetchall()}
    assert not any("name" in c for c in columns)
    keys = fx_rw.execute(
        "SELECT DISTINCT person_key FROM person_developed WHERE tambon_pcode = 'TH100201'"
    ).fetchall()
    assert len(keys) == 1  # the same person twice (spaces differ): one key
    assert fx_rw.execute(
        "SELECT name FROM person_private WHERE person_key = ?", [keys[0][0]]
    ).fetchone() == ("นางสมศรี ทองดี",)


ASSESSMENTS = """
ชื่อองค์กร,รหัสตำบล,วันที่ประเมิน,แบบประเมิน,คะแนนรายเกณฑ์
กลุ่มออมทรัพย์ตำบลสาม,TH100201,1/6/2567,org_quality,"ธรรมาภิบาลและการบริหาร=4; members=3; finance=4; plan=2; network=3"
กลุ่มสตรีตำบลสาม,TH100201,2/6/2567,org_quality,"governance=2; members=3; finance=2; plan=2; network=3"
กลุ่มอาชีพตำบลสาม,TH100201,3/6/2567,org_quality,"governance=6; members=3; finance=2; plan=2"
กลุ่มเก่า,TH100201,3/6/2555,org_quality,"governance=5; members=5; finance=5; plan=5; network=5"
"""  # noqa: E501


def test_assessments_are_scored_on_the_form_in_force(fx_rw, tmp_path):
    report = import_file(
        fx_rw, "org_assessment", _csv(tmp_path, "ประเมิน.csv", ASSESSMENTS), good_rows=True
    )
    assert (report.inserted, report.quarantined) == (2, 2)
    assert [r["reason_code"] for r in report.refused] == ["bad_scores", "unknown_form"]
    rows = fx_rw.execute(
        "SELECT organization, form_version, total_score, passed FROM org_assessment "
        "WHERE source = 'ประเมิน' ORDER BY organization"
    ).fetchall()
    assert rows == [
        ("กลุ่มสตรีตำบลสาม", 1, 12.0, False),
        ("กลุ่มออมทรัพย์ตำบลสาม", 1, 16.0, True),
    ]


def test_a_new_form_version_is_data(fx_rw, tmp_path):
    fx_rw.execute(
        "INSERT INTO assessment_form VALUES ('org_quality', 2, 'ฉบับ 2', 'Version 2', 6, "
        "DATE '2024-01-01')"
    )
    fx_rw.execute(
        "INSERT INTO assessment_criterion VALUES "
        "('org_quality', 2, 'governance', 1, 'ธรรมาภิบาล', 'Governance', 5), "
        "('org_quality', 2, 'digital', 2, 'ข้อมูลดิจิทัล', 'Digital data', 5)"
    )
    text = "ชื่อองค์กร,รหัสตำบล,วันที่ประเมิน,คะแนน\nกลุ่ม ก,TH100201,1/6/2567,governance=3; digital=4\n"
    report = import_file(fx_rw, "org_assessment", _csv(tmp_path, "v2.csv", text))
    assert report.inserted == 1
    assert fx_rw.execute(
        "SELECT form_version, passed FROM org_assessment WHERE source = 'v2'"
    ).fetchone() == (2, True)


# --- indicators and targets from the records ----------------------------------------------


@pytest.mark.parametrize(("key", "level", "area", "grouping", "year", "value"), EXPECTED_BY_YEAR)
def test_plan_indicators_equal_the_hand_count(fx, key, level, area, grouping, year, value):
    with as_of_year(fx, year) as cur:
        frame = compute_all(cur, grouping, [key], levels=(level,))
    got = frame.set_index("pcode").loc[area, "value"]
    assert got == pytest.approx(value)


def test_targets_are_measured_from_records_with_the_proxy_kept(fx):
    targets = {t.key: t for t in list_targets(fx)}
    measured = {k: t for k, t in targets.items() if not t.is_proxy}
    assert set(measured) == {
        "plans_linked_tambons",
        "province_networks",
        "community_leaders",
        "quality_org_tambons",
    }
    for t in measured.values():
        assert t.proxy_indicator_key and t.proxy_note_th and t.proxy_note_en
        assert t.definition("th") and t.definition("en")
    assert targets["households_housed"].is_proxy


@pytest.mark.parametrize(
    ("target", "level", "code", "grouping", "year", "current", "proxy"),
    [
        # plans linked and supported: TH100101 in 2024; TH100101 and TH200102 in 2025
        ("plans_linked_tambons", "nation", "TH", "fx", 2024, 1, 2),
        ("plans_linked_tambons", "region", "r1", "fx", 2025, 2, 2),
        ("plans_linked_tambons", "cluster", "c2", "fx2", 2025, 1, 1),
        # people developed: 4 by 2024, 5 by 2025 (the proxy: named chairs of active orgs)
        ("community_leaders", "nation", "TH", "fx", 2024, 4, 4),
        ("community_leaders", "nation", "TH", "fx", 2025, 5, 4),
        ("community_leaders", "cluster", "c2", "fx", 2024, 2, 0),
        ("quality_org_tambons", "region", "r1", "fx", 2023, 2, 1),
        ("province_networks", "nation", "TH", "fx", 2024, 1, 2),
    ],
)
def test_target_progress_equals_the_hand_count(
    fx, target, level, code, grouping, year, current, proxy
):
    with as_of_year(fx, year) as cur:
        frame = progress(cur, grouping)
    row = frame[(frame["target"] == target) & (frame["code"] == code)].iloc[0]
    assert row["level"] == level
    assert row["current"] == pytest.approx(current)
    assert row["proxy"] == pytest.approx(proxy)


def test_looking_back_leaves_other_cursors_alone(fx):
    with as_of_year(fx, 2005) as cur:
        assert cur.execute("SELECT year FROM as_of").fetchone() == (2005,)
        # organisations o1..o11 were registered on 1 January 2001..2011
        assert cur.execute("SELECT count(*) FROM community_org").fetchone() == (5,)
    assert fx.execute("SELECT count(*) FROM community_org").fetchone() == (11,)
    with pytest.raises(ValueError, match="CE year"):
        with as_of_year(fx, 2567):
            pass


def test_trend_per_region_and_cluster(fx):
    frame = trend(fx, "fx", ["plans_linked_tambons", "leaders_developed"], [2019, 2024, 2025])
    r1 = frame[(frame["level"] == "region") & (frame["pcode"] == "r1")]
    linked = r1[r1["key"] == "plans_linked_tambons"].set_index("year")["value"]
    assert linked.to_dict() == {2019: 0, 2024: 1, 2025: 2}
    assert not math.isnan(frame["value"].sum())


# --- need without a plan, map layers --------------------------------------------------------


def test_need_without_a_plan_is_ranked_by_households_at_stake(fx):
    from analysis.plan_gaps import need_without_plan

    # in 2025 (the fixture's need reports were filed today, so only land cases count then):
    # TH100102 40 unmet + 40 under eviction, a draft plan only; TH300101 25 unmet, no plan;
    # TH100101 and TH200102 have current plans; TH200101's plan ended in 2024 but its need
    # is a report filed later
    with as_of_year(fx, 2025) as cur:
        frame = need_without_plan(cur, "fx")
    assert frame[["rank", "pcode", "at_stake", "plan_status"]].values.tolist() == [
        [1, "TH100102", 80, "draft"],
        [2, "TH300101", 25, "none"],
    ]
    with as_of_year(fx, 2025) as cur:
        assert need_without_plan(cur, "fx", within="cluster:c2")["pcode"].tolist() == ["TH300101"]


def test_plan_layers_are_registered_and_escape_nothing_themselves(fx):
    from geo.layers import Scope, get_layer, rows_of

    by_dimension = rows_of(get_layer("plan_items_housing_land"), fx, Scope(), None)
    assert sorted(r["title"] for r in by_dimension) == ["บ้านมั่นคงชนบท", "ปรับปรุงบ้าน"]
    supported = rows_of(get_layer("plan_uptake_supported"), fx, Scope(prefix="TH20"), None)
    assert [r["title"] for r in supported] == ["ฝายชะลอน้ำ", "บ้านมั่นคงชนบท"]
    assert all("Demo" not in r["data_note"] for r in supported)  # fixture rows are not demo
    gaps = rows_of(get_layer("need_without_plan"), fx, Scope(prefix="TH30"), None)
    assert [r["pcode"] for r in gaps] == ["TH300101"] and gaps[0]["geojson"].startswith("{")


# --- report cards -------------------------------------------------------------------------


def test_tambon_card_lists_its_plan_items_uptake_and_people(fx):
    import datetime as dt

    from analysis.report_card import report_card
    from analysis.report_html import render_html

    with as_of_year(fx, 2024) as cur:
        card = report_card(cur, "tambon", "TH100101", "fx", dt.date(2020, 1, 1))
    section = card.plans
    assert section.plans[["council", "current", "items"]].values.tolist() == [
        ["สภาองค์กรชุมชนตำบลหนึ่ง", True, 4]
    ]
    assert sorted(section.items["title"]) == ["ตลาดชุมชน", "ปรับปรุงบ้าน", "ป่าชุมชน", "ศูนย์เด็กเล็ก"]
    uptake = section.uptake.set_index("agency_type")
    assert uptake.loc["local_government", ["items", "included", "supported"]].tolist() == [1, 1, 1]
    assert uptake.loc["ministry", "included"] == 0
    assert section.people_total == 2  # กานดา (twice) and ขจร
    page = render_html(card, "th")
    assert "แผนพัฒนาชุมชนท้องถิ่น" in page and "2566–2570" in page  # the period in BE
    assert "ปรับปรุงบ้าน" in page and "นางกานดา" not in page  # people counted, never named
    assert "2023–2027" in render_html(card, "en")


def test_province_and_cluster_cards_roll_the_plans_up(fx):
    import datetime as dt

    from analysis.report_card import report_card
    from analysis.report_plans import plan_section

    with as_of_year(fx, 2024) as cur:
        card = report_card(cur, "province", "TH10", "fx", dt.date(2020, 1, 1))
        cluster = plan_section(cur, "cluster", "c1", "fx")
    tambons = card.plans.children.set_index("pcode")
    assert tambons.loc["TH100101", "plan_stage"] == 4 and tambons.loc["TH100102", "plan_stage"] == 1
    assert card.plans.people_total == 2
    provinces = cluster.children.set_index("pcode")
    assert provinces.loc["TH10", "plans_linked_tambons"] == 1
    assert provinces.loc["TH20", "plans_current_tambons"] == 1
    assert provinces.loc["TH20", "plan_item_uptake"] == 50.0
    assert cluster.uptake["items"].sum() == 6 and cluster.people_total == 2


def test_names_of_people_developed_can_never_be_exported():
    from geo.export_layers import LayerSpecError, check_sql_privacy

    with pytest.raises(LayerSpecError, match="person_private"):
        check_sql_privacy("SELECT name FROM person_private", "a test layer")


def test_two_imports_of_the_same_people_at_once_both_land(fx_rw, tmp_path, monkeypatch):
    """Two app servers import files naming the same people at the same moment (two import
    slots stand for the two servers' queues): the later transaction meets the earlier one's
    rows (a write conflict on either store) and is tried again, so both imports land and
    each name is kept once."""
    import threading

    from data.importers import queue

    monkeypatch.setattr(queue, "_QUEUE", queue.ImportQueue(2))
    names_before = fx_rw.execute("SELECT count(*) FROM person_private").fetchone()[0]
    files = [_csv(tmp_path, f"อบรม{k}.csv", PEOPLE) for k in (1, 2)]
    for _round in range(3):
        start = threading.Barrier(2)
        reports, errors = [], []

        def run(path):
            cur = fx_rw.cursor()
            try:
                start.wait()
                reports.append(import_file(cur, "person_developed", path, good_rows=True))
            except Exception as exc:
                errors.append(exc)
            finally:
                cur.close()

        threads = [threading.Thread(target=run, args=(f,)) for f in files]
        for t in threads:
            t.start()
        for t in threads:
            t.join(120)
        assert not errors, errors
        assert [r.status for r in reports] == ["partial", "partial"]
    assert fx_rw.execute("SELECT count(*) FROM person_private").fetchone()[0] == names_before + 1
    assert fx_rw.execute(
        "SELECT count(*) FROM person_private WHERE name = 'นางสมศรี ทองดี'"
    ).fetchone() == (1,)


def test_cluster_plans_card_is_printable_in_both_languages_and_escapes_names(fx):
    import re

    from analysis.report_html_plans import plans_card_file_name, render_plans_card
    from analysis.report_plans import plan_section

    with as_of_year(fx, 2024) as cur:
        cluster = plan_section(cur, "cluster", "c1", "fx")
    hostile = ('<img src=x onerror="window.__x=1">กลุ่ม', "<script>alert(1)</script>")
    th = render_plans_card(cluster, hostile, "fx", "th")
    en = render_plans_card(cluster, hostile, "fx", "en")
    assert th.startswith("<!DOCTYPE html>") and '<html lang="th">' in th
    assert "<img" not in th and "<script>" not in en  # the names are shown as text
    assert "&lt;img src=x" in th and "&lt;script&gt;" in en
    assert "รายงานแผนพัฒนาชุมชน · กลุ่มจังหวัด" in th and "Community plans report · Cluster" in en
    # the same roll-up as on the page: both provinces, uptake and people
    from html import escape

    assert len(cluster.children) == 2
    assert all(escape(n) in th for n in cluster.children["name_th"])
    assert all(escape(n) in en for n in cluster.children["name_en"])
    assert th.count("<tr>") == en.count("<tr>") > 3
    # no Thai in the English card outside data values (names of places, councils, courses)
    data = set(hostile) | {
        str(v)
        for frame, col in (
            (cluster.children, "name_th"),
            (cluster.plans, "council"),
            (cluster.plans, "tambon_th"),
            (cluster.people, "course"),
        )
        for v in frame[col]
    }
    text = re.sub(r"<[^>]+>", " ", en)
    for value in sorted(data, key=len, reverse=True):  # a council's name holds its tambon's
        text = text.replace(value, " ")
    leftover = [w for w in re.findall(r"[\u0e00-\u0e7f]+", text) if w not in ("ผังชุมชน",)]
    assert not leftover, leftover[:10]
    assert plans_card_file_name(cluster) == "plans-cluster-c1-2024.html"


def test_region_plans_card_names_the_region_once(fx):
    """A region's card: Thai region names already begin with ภาค, so the title does not
    repeat it; the roll-up is the region's (both clusters' tambons of the fixture)."""
    from analysis.report_html_plans import plans_card_file_name, render_plans_card
    from analysis.report_plans import plan_section

    with as_of_year(fx, 2024) as cur:
        region = plan_section(cur, "region", "r1", "fx")
        cluster = plan_section(cur, "cluster", "c1", "fx")
    th = render_plans_card(region, ("ภาคเหนือ", "North"), "fx", "th")
    en = render_plans_card(region, ("ภาคเหนือ", "North"), "fx", "en")
    assert "<h1>รายงานแผนพัฒนาชุมชน · ภาคเหนือ</h1>" in th and "ภาคภาคเหนือ" not in th
    assert "<h1>Community plans report · Region North</h1>" in en
    # a name without the word gets it: กลุ่มจังหวัด is said before a cluster's name
    assert "· กลุ่มจังหวัดที่ 1" in render_plans_card(cluster, ("ที่ 1", "1"), "fx", "th")
    assert len(region.plans) >= len(cluster.plans) > 0
    assert plans_card_file_name(region) == "plans-region-r1-2024.html"
