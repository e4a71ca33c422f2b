"""An admin issues API keys on the admin page, an agency uses one (GDAL, owslib, plain
HTTP) against the running app, the admin revokes the other, which then gets 401.

Headless Chromium with every request off localhost blocked; screenshots of the section at
1440 and 390 px, Thai and English, go to ``test-output/``.
"""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest

from tests.conftest import offline_page
from tests.sidebar_sign_in import sign_in_sidebar
from tests.test_ogc_api import export_gpkg, get, needs_gdal

pytestmark = pytest.mark.browser


def _sign_in_as_admin(page, base: str) -> None:
    page.goto(f"{base}/", wait_until="domcontentloaded")
    page.get_by_role("heading", name="แผนที่ชุมชน").wait_for(timeout=60000)
    sign_in_sidebar(page, "admin", "admin-phang-dev")
    page.get_by_role("link", name="ผู้ดูแลระบบ").click()
    page.get_by_role("heading", name="ผู้ดูแลระบบ").wait_for(timeout=60000)
    page.get_by_role("tab", name="กุญแจ API").click()


def _issue(page, agency: str) -> str:
    page.get_by_label("ชื่อหน่วยงาน").fill(agency)
    page.get_by_role("button", name="ออกกุญแจ").click()
    code = page.locator('[data-testid="stCode"] code', has_text="phk_")
    code.wait_for(timeout=60000)
    page.get_by_text(f"ออกกุญแจให้ {agency} แล้ว").wait_for(timeout=10000)
    token = code.inner_text().strip()
    assert token.startswith("phk_") and len(token) > 40
    return token


@needs_gdal
def test_admin_issues_an_agency_uses_admin_revokes(
    app_server, browser, output_dir, built_db, tmp_path
):
    base, _ = app_server
    api = f"{base}/ogc"
    page, outside, errors = offline_page(browser, width=1440, height=1100)
    try:
        try:
            _sign_in_as_admin(page, base)
            kept = _issue(page, "กรมพัฒนาที่ดิน")
            doomed = _issue(page, "สำนักงานเขต <b>ทดสอบ</b>")
        except Exception:
            page.screenshot(path=str(output_dir / "apikeys_failed.png"), full_page=True)
            raise
        page.screenshot(path=str(output_dir / "apikeys_th_1440.png"), full_page=True)
        assert page.locator("b", has_text="ทดสอบ").count() == 0  # the agency's name is text

        # the agency reads a protected layer: plain HTTP with the header, GDAL with ?api_key=
        status, _, body = get(f"{api}/collections/organizations/items?limit=3", {"X-API-Key": kept})
        assert status == 200 and len(json.loads(body)["features"]) == 3
        served = tmp_path / "served.gpkg"
        subprocess.run(
            ["ogr2ogr", "-f", "GPKG", str(served), f"OAPIF:{api}?api_key={kept}", "projects"],
            check=True,
            capture_output=True,
            timeout=600,
        )
        copy = tmp_path / "copy.duckdb"
        shutil.copy(built_db[0], copy)
        exported = export_gpkg(copy, "projects", tmp_path / "exported.gpkg")
        import pyogrio

        a, b = pyogrio.read_dataframe(served), pyogrio.read_dataframe(exported)
        assert len(a) == len(b) > 0 and list(a.columns) == list(b.columns)

        from owslib.ogcapi import REQUEST_HEADERS
        from owslib.ogcapi.features import Features

        try:
            items = Features(api, headers={"X-API-Key": kept}).collection_items(
                "land_cases", limit=5
            )
            assert items["numberReturned"] == 5
        finally:
            REQUEST_HEADERS.pop("X-API-Key", None)  # owslib keeps headers module-wide

        # the admin revokes the second key: it gets 401 at once, the first still works
        page.get_by_role("button", name="ยกเลิก", exact=True).click()
        page.get_by_text("ยกเลิกกุญแจของ สำนักงานเขต").wait_for(timeout=60000)
        status, _, body = get(f"{api}/collections/organizations/items", {"X-API-Key": doomed})
        assert status == 401 and json.loads(body)["code"] == "api_key_revoked"
        assert get(f"{api}/collections/organizations/items?api_key={doomed}")[0] == 401
        assert get(f"{api}/collections/organizations/items", {"X-API-Key": kept})[0] == 200

        page.get_by_role("tab", name="กุญแจ API").click()
        page.wait_for_timeout(1500)
        page.screenshot(path=str(output_dir / "apikeys_revoked_th_1440.png"), full_page=True)
        page.set_viewport_size({"width": 390, "height": 900})
        page.wait_for_timeout(1500)
        page.screenshot(path=str(output_dir / "apikeys_th_390.png"), full_page=True)
        page.set_viewport_size({"width": 1440, "height": 1100})
        page.wait_for_timeout(1000)
        page.get_by_text("English", exact=True).click()
        page.get_by_role("heading", name="Administration").wait_for(timeout=60000)
        page.get_by_role("tab", name="API keys").click()
        page.get_by_role("button", name="Issue key").wait_for(timeout=30000)
        page.screenshot(path=str(output_dir / "apikeys_en_1440.png"), full_page=True)
        page.set_viewport_size({"width": 390, "height": 900})
        page.wait_for_timeout(1500)
        page.screenshot(path=str(output_dir / "apikeys_en_390.png"), full_page=True)
        assert outside == []
        assert not [e for e in errors if "favicon" not in e], errors
    finally:
        page.context.close()
