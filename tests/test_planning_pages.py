"""The planning pages in Streamlit's AppTest, on both stores: the ranking moves with the
sliders, the dashboard follows the level, area and grouping, the report card and monitoring
pages render."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT, pages_store


@pytest.fixture(scope="module")
def page_db(built_db, tmp_path_factory, store_kind, request):
    """The session build for the pages, on the module's store (conftest's BOTH_STORES)."""
    folder = tmp_path_factory.mktemp("planningdb")
    with pages_store(store_kind, request, built_db, folder) as target:
        yield target


def run(page: str, params: dict | None = None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "views" / page), default_timeout=90)
    for k, v in (params or {}).items():
        at.query_params[k] = v
    at.run()
    assert not at.exception, at.exception
    return at


def _ranking(at: AppTest) -> list[str]:
    return at.dataframe[0].value["tambon"].head(10).tolist()


def test_priority_ranking_moves_with_the_weights(page_db):
    at = run("priorities.py")
    before = _ranking(at)
    assert len(before) == 10
    sliders = {s.label: s for s in at.slider}
    sliders["น้ำหนัก: ความต้องการ"].set_value(0.0)
    sliders["น้ำหนัก: ไม่มีโครงการใกล้"].set_value(0.0)
    sliders["น้ำหนัก: ความพร้อม"].set_value(10.0)
    at.run()
    assert not at.exception
    assert _ranking(at) != before
    assert any("วิธีคิดคะแนน" in e.label for e in at.expander)


def test_priority_page_refuses_all_zero_weights(page_db):
    at = run("priorities.py")
    for s in at.slider:
        if s.label.startswith("น้ำหนัก"):
            s.set_value(0.0)
    at.run()
    assert any("อย่างน้อยหนึ่งด้าน" in w.value for w in at.warning)


def test_dashboard_follows_level_and_area(page_db):
    at = run("dashboard.py", {"area": "c10"})
    assert "กรุงเทพมหานคร" in " ".join(m.value for m in at.markdown)
    # the national assembly table: 77*3 + 18*2 + 5*5 seats
    assert any("292" in t.value.to_string() for t in at.table)
    at.radio(key="dash_level").set_value("region").run()
    assert not at.exception
    assert any(h.value.startswith("ภาค") for h in at.header)


def test_report_page_renders_a_tambon_card(page_db):
    at = run("report.py", {"level": "tambon", "area": "TH100401"})
    assert not at.exception
    assert at.selectbox(key="report_tambon_TH1004").value == "TH100401"
    assert at.get("download_button")


def test_monitoring_page_shows_every_target_at_a_chosen_year(page_db):
    at = run("monitoring.py")
    assert [s.value for s in at.subheader][:3] == [
        f"เป้าหมาย ณ สิ้นปี พ.ศ. {at.select_slider[0].value + 543}",
        "ตัวชี้วัดทั้งหมด",
        "แนวโน้มรายภาคและกลุ่มจังหวัด",
    ]
    targets = at.dataframe[0].value
    now = targets.set_index("เป้าหมาย")["ค่าที่วัดได้"].to_dict()
    at.select_slider[0].set_value(2018).run()
    assert not at.exception, at.exception
    assert at.subheader[0].value == "เป้าหมาย ณ สิ้นปี พ.ศ. 2561"
    then = at.dataframe[0].value.set_index("เป้าหมาย")["ค่าที่วัดได้"].to_dict()
    assert then != now and set(then) == set(now) and len(now) == 5
    assert len(at.get("vega_lite_chart")) == 2  # trend per region and per cluster
    buttons = at.get("download_button")
    assert [b.proto.label for b in buttons] == ["ดาวน์โหลดรายงานแผนของกลุ่มจังหวัด (HTML พิมพ์ได้)"]
    # the plans of a region instead: the list and the card follow the level
    at.radio(key="monitor_plan_level").set_value("region").run()
    assert not at.exception, at.exception
    assert at.selectbox(key="monitor_region").options[0] == "ภาคเหนือ"
    buttons = at.get("download_button")
    assert [b.proto.label for b in buttons] == ["ดาวน์โหลดรายงานแผนของภาค (HTML พิมพ์ได้)"]


def test_priorities_page_ranks_need_without_a_plan(page_db):
    at = run("priorities.py", {"lang": "en"})
    assert "Need without a plan" in [s.value for s in at.subheader]
    gaps = at.dataframe[1].value
    assert len(gaps) == 50 and gaps["rank"].tolist()[:3] == [1, 2, 3]
    assert gaps["at_stake"].is_monotonic_decreasing
    assert set(gaps["plan"]) <= {"no plan", "draft only", "plan ended"}
