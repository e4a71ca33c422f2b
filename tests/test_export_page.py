"""The export page (issue 7), driven with Streamlit's AppTest: for analysts only, exports
through the app with metadata and a demo warning, bad input told in Thai, English and UTM.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import pages_store
from tests.export_data import KHON_KAEN

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def page_env(built_db, tmp_path_factory, store_kind, request):
    """The app on a private copy of the session database, on the module's store."""
    folder = tmp_path_factory.mktemp("exportpage")
    with pages_store(store_kind, request, built_db, folder) as target:
        yield target


def _page(user=None):
    from streamlit.testing.v1 import AppTest

    from ui.auth import User

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    if user is not None:
        at.session_state["user"] = User(*user)
    at.switch_page("views/export.py")
    at.run()
    assert not at.exception, at.exception
    return at


def test_page_is_for_analysts_only(page_env):
    at = _page()
    # a viewer sees a sign-in message and the sidebar's sign-in form, no export controls
    assert at.warning and all(b.form_id == "sign_in_form" for b in at.button)
    assert not at.main.button and not at.main.selectbox
    assert "นักวิเคราะห์" in at.warning[0].value


def test_page_exports_through_the_app_with_metadata_and_demo_warning(page_env):
    at = _page(("analyst", "นักวิเคราะห์ (Analyst)", "analyst"))
    assert at.title[0].value == "ส่งออกข้อมูล"
    at.selectbox(key="export_layer").select("organizations").run()
    at.text_input(key="export_area").input("จ.ขอนแก่น").run()
    at.button(key="export_go").click().run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    data, metadata, name = at.session_state["export_result"]
    assert name == "organizations_TH40.geojson"
    doc = json.loads(data)
    assert metadata["record_count"] == len(doc["features"]) > 0
    assert metadata["filters"]["area"]["code"] == KHON_KAEN
    assert metadata["demo_data_included"] is True
    assert any("ข้อมูลสาธิต" in w.value for w in at.warning)  # said on the page


def test_page_shows_bad_input_in_thai(page_env):
    at = _page(("analyst", "นักวิเคราะห์ (Analyst)", "analyst"))
    at.text_input(key="export_area").input("ไม่มีที่นี่แน่นอน").run()
    at.button(key="export_go").click().run()
    assert at.error and "พื้นที่" in at.error[0].value


def test_page_in_english_exports_a_gpkg_in_utm(page_env):
    from streamlit.testing.v1 import AppTest

    from ui.auth import User

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    at.query_params["lang"] = "en"
    at.session_state["user"] = User("analyst", "นักวิเคราะห์ (Analyst)", "analyst")
    at.switch_page("views/export.py")
    at.run()
    assert at.title[0].value == "Export layers"
    at.selectbox(key="export_level").select("province").run()
    at.radio(key="export_format").set_value("gpkg").run()
    at.selectbox(key="export_crs_gpkg_en").select(32647).run()
    at.button(key="export_go").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    data, metadata, name = at.session_state["export_result"]
    assert name == "boundaries_province.gpkg" and data[:15] == b"SQLite format 3"
    assert metadata["crs"] == "EPSG:32647" and metadata["record_count"] == 77
