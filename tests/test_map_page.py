"""The map page in streamlit's AppTest: drill-down, breadcrumb, search, indicator, URL."""

from __future__ import annotations

import shutil

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT


@pytest.fixture(scope="module")
def page_db(built_db, tmp_path_factory, monkeypatch_module):
    """A private copy of the session database for the app under test."""
    target = tmp_path_factory.mktemp("mapdb") / "map.duckdb"
    shutil.copy(built_db[0], target)
    monkeypatch_module.setenv("PHANG_DB", str(target))
    monkeypatch_module.setenv("PHANG_BASEMAP", "none")
    _clear_caches()
    yield target
    _clear_caches()


@pytest.fixture(scope="module")
def monkeypatch_module():
    mp = pytest.MonkeyPatch()
    yield mp
    mp.undo()


def _clear_caches() -> None:
    import streamlit as st

    st.cache_resource.clear()
    st.cache_data.clear()


def run(params: dict | None = None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    for k, v in (params or {}).items():
        at.query_params[k] = v
    at.run()
    assert not at.exception, at.exception
    return at


def qp(at: AppTest) -> dict:
    return {k: (v[0] if isinstance(v, list) else v) for k, v in at.query_params.items()}


def map_script(at: AppTest) -> str:
    """The Leaflet script the st_folium component got on the last run."""
    import json

    maps = at.get("component_instance")
    assert len(maps) == 1, "the page shows exactly one map"
    return json.loads(maps[0].proto.json_args)["script"]


def shapes_url(script: str) -> str:
    import re

    found = re.findall(r"/app/static/shapes/[0-9a-f]+\.json", script)
    assert found, "the map loads no shape file"
    return found[0]


def by_label(widgets, th_label: str):
    found = [w for w in widgets if w.label.startswith(th_label)]
    assert found, f"no widget labelled {th_label!r} in {[w.label for w in widgets]}"
    return found[0]


def test_country_view_writes_its_state_into_the_url(page_db):
    at = run()
    params = qp(at)
    assert params["level"] == "country"
    assert params["show"] == "region"
    assert params["ind"] == "unmet_need_households"
    assert params["method"] == "quantiles"
    assert params["grouping"] == "codi-18"
    assert "area" not in params
    assert at.title[0].value == "แผนที่ชุมชน"


def test_drill_down_from_country_to_tambon_and_back_up(page_db):
    at = run()
    # country -> region -> cluster -> province -> amphoe -> tambon, each from the selector
    for expected_level in ("region", "cluster", "province", "amphoe", "tambon"):
        down = by_label(at.selectbox, "เลือก")
        first = next(o for o in down.options if o != "—")
        down.select(down.options[down.options.index(first)]).run()
        assert not at.exception, at.exception
        assert qp(at)["level"] == expected_level, qp(at)
    params = qp(at)
    assert params["area"].startswith("TH") and len(params["area"]) == 8
    assert len(at.get("component_instance")) == 1  # the tambon view still shows a map
    # the breadcrumb goes straight back up to the country
    pills = at.get("button_group")
    assert pills, "no breadcrumb"
    crumbs = pills[0]
    crumbs.set_value(0).run()
    assert not at.exception
    assert qp(at)["level"] == "country"


def test_search_jumps_to_the_matched_place(page_db):
    at = run()
    at.text_input(key="map_search").input("บางรัก").run()
    assert not at.exception, at.exception
    params = qp(at)
    if params["level"] == "country":  # ambiguous: candidates are offered as buttons
        buttons = [b for b in at.button if "TH10" in b.label]
        assert buttons, [b.label for b in at.button]
        buttons[0].click().run()
        params = qp(at)
    assert params["level"] in ("amphoe", "tambon")
    assert params["area"].startswith("TH10")
    # the box is cleared, so the same search works again from elsewhere
    assert at.text_input(key="map_search").value == ""
    at.text_input(key="map_search").input("เชียงใหม่").run()
    assert qp(at)["area"] == "TH50"


def test_search_for_nonsense_says_so_and_stays(page_db):
    at = run({"level": "province", "area": "TH50", "show": "amphoe"})
    at.text_input(key="map_search").input("zzzqqq ![x](http://evil.example/x.png)").run()
    assert not at.exception
    assert qp(at)["area"] == "TH50"
    warnings = [w.value for w in at.warning]
    assert any("ไม่พบ" in w and "zzzqqq" in w for w in warnings), warnings
    assert not any("](" in w for w in warnings)  # no markdown link or image survives


def test_indicator_and_method_change_stay_in_the_url(page_db):
    at = run({"level": "country", "show": "province"})
    before = map_script(at)
    assert "พื้นที่" in before  # the area indicator's name, in the legend and tooltips
    at.selectbox(key="map_indicator").select("villages_per_km2").run()
    after = map_script(at)
    assert "ความหนาแน่นหมู่บ้าน" in after and "ความหนาแน่นหมู่บ้าน" not in before
    # only the colours changed: the map loads the very same shape file
    assert shapes_url(after) == shapes_url(before)
    at.selectbox(key="map_method").select("natural_breaks").run()
    assert not at.exception
    params = qp(at)
    assert params["ind"] == "villages_per_km2"
    assert params["method"] == "natural_breaks"
    assert params["show"] == "province"


def test_url_round_trip_reopens_the_same_view(page_db):
    wanted = {
        "level": "province",
        "area": "TH50",
        "show": "tambon",
        "ind": "villages",
        "method": "natural_breaks",
        "layers": "villages",
        "grouping": "codi-18",
    }
    at = run(wanted)
    assert qp(at) == wanted
    assert at.selectbox(key="map_indicator").value == "villages"
    crumbs = at.get("button_group")[0]
    assert crumbs.value == 3  # country, region, cluster, [province]
    # a second session opened from the link written back shows the same
    again = run(qp(at))
    assert qp(again) == wanted


def test_bad_url_falls_back_to_the_country(page_db):
    at = run({"level": "province", "area": "TH99", "ind": "nope", "layers": "x,villages"})
    params = qp(at)
    assert params["level"] == "country"
    assert params["ind"] == "unmet_need_households"
    assert "layers" not in params  # villages are not offered above the province view


def test_cluster_view_lists_its_provinces(page_db):
    at = run({"level": "cluster", "area": "c10", "show": "province"})
    down = by_label(at.selectbox, "เลือก")
    # boundaries/reference/clusters_2561.csv: Bangkok, Nakhon Pathom, Pathum Thani,
    # Nonthaburi, Samut Prakan
    assert len([o for o in down.options if o != "—"]) == 5


def test_english_interface_names_and_legend(page_db):
    at = run(
        {"lang": "en", "level": "province", "area": "TH50", "show": "amphoe", "ind": "area_km2"}
    )
    assert at.title[0].value == "Community map"
    script = map_script(at)
    assert "km²" in script and "quantiles" in script
    assert at.get("button_group")[0].options[-1].endswith("Chiang Mai")
