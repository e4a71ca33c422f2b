"""The export page in headless Chromium: an analyst signs in, exports, downloads the file.

Every request off localhost is blocked; the downloaded GeoJSON (a link for the signed-in
session only) is parsed and checked;
screenshots at 1280 px and 390 px go to the test output directory.
"""

from __future__ import annotations

import json

import pytest

from tests.conftest import offline_page
from tests.sidebar_sign_in import sign_in_sidebar

pytestmark = pytest.mark.browser


def _sign_in_and_open_export(page, base: str) -> None:
    page.goto(f"{base}/", wait_until="domcontentloaded")
    page.get_by_role("heading", name="แผนที่ชุมชน").wait_for(timeout=60000)
    sign_in_sidebar(page, "analyst", "analyst-phang-dev")
    # a full page load would start a new session: follow the menu link instead
    page.get_by_role("link", name="ส่งออกข้อมูล").click()
    page.get_by_role("heading", name="ส่งออกข้อมูล").wait_for(timeout=60000)


def test_analyst_exports_and_downloads_offline(app_server, browser, output_dir):
    base, _ = app_server
    page, outside, errors = offline_page(browser, width=1280, height=1100)
    try:
        try:
            _sign_in_and_open_export(page, base)
        except Exception:
            page.screenshot(path=str(output_dir / "export_sign_in_failed.png"))
            raise
        area = page.get_by_label("เฉพาะพื้นที่ (ไม่บังคับ)")
        area.fill("จ.ขอนแก่น")
        area.press("Enter")
        page.wait_for_timeout(1000)
        page.screenshot(path=str(output_dir / "export_form_1280.png"))
        page.get_by_role("button", name="สร้างไฟล์").click()
        # the download is a link for this signed-in session only, that expires
        link = page.get_by_role("link", name="ดาวน์โหลด boundaries_tambon_TH40.geojson")
        link.wait_for(timeout=60000)
        link.scroll_into_view_if_needed()
        page.wait_for_timeout(500)
        page.screenshot(path=str(output_dir / "export_result_1280.png"))
        href = link.get_attribute("href")
        assert href.startswith("/download/")
        response = page.context.request.get(base + href)
        assert response.status == 200
        assert "boundaries_tambon_TH40.geojson" in response.headers["content-disposition"]
        doc = json.loads(response.body())
        stranger = browser.new_context()  # no session cookie, or another one: refused
        try:
            assert stranger.request.get(base + href).status == 403
        finally:
            stranger.close()
        assert doc["type"] == "FeatureCollection" and "crs" not in doc
        assert doc["features"] and all(
            f["properties"]["province_pcode"] == "TH40" for f in doc["features"]
        )
        page.set_viewport_size({"width": 390, "height": 900})
        page.wait_for_timeout(800)
        page.get_by_text("จำนวนระเบียน").first.scroll_into_view_if_needed()
        page.screenshot(path=str(output_dir / "export_result_390.png"))
        assert outside == []
        assert not [e for e in errors if "favicon" not in e], errors
    finally:
        page.context.close()
