"""A planner adds a province grouping from a CSV on the dashboard, in headless Chromium.

The app runs on its own copy of the database, since storing a grouping changes what every
page offers. Sign-in goes through the cookie route (as the field app does), so a full page
load keeps the session. Screenshots go to ``test-output/``.
"""

from __future__ import annotations

import shutil

import pytest

from boundaries.groupings import DEFAULT_GROUPING, show_grouping
from data.store import connect
from tests.app_process import running_app
from tests.conftest import offline_page

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def grouping_app(built_db, tmp_path_factory):
    work = tmp_path_factory.mktemp("grouping_app")
    db = work / "phang.duckdb"
    shutil.copy(built_db[0], db)
    con = connect(db, read_only=True)
    try:
        default = show_grouping(con, DEFAULT_GROUPING)["provinces"]
    finally:
        con.close()
    with running_app(db, work / "server.log") as url:
        yield url, default


def _sign_in(page, base: str, username: str) -> None:
    """Sign in through the session route; the context keeps the cookie for page loads."""
    me = page.context.request.get(f"{base}/session/me")
    assert me.ok, me.status
    answer = page.context.request.post(
        f"{base}/session/sign-in",
        data={"username": username, "password": f"{username}-phang-dev"},
        headers={"X-CSRF-Token": me.json()["csrf"]},
    )
    assert answer.ok, answer.text()


def _two_region_csv(default, path) -> None:
    """Every province in its own cluster as today, in two regions instead of five; Chiang
    Mai is written with a one-letter typo, which the matcher still places."""
    lines = ["จังหวัด,กลุ่มจังหวัด,ภาค"]
    for p in default:
        region = "เหนือและอีสาน" if p["region"] in ("north", "northeast") else "กลางและใต้"
        name = "เชียงใหมม" if p["pcode"] == "TH50" else p["name_th"]
        lines.append(f"{name},{p['cluster_name']},{region}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _open_upload(page, base: str) -> None:
    page.goto(f"{base}/dashboard", wait_until="domcontentloaded")
    page.get_by_text("เทียบการจัดกลุ่มสองแบบ").first.wait_for(timeout=120000)
    page.get_by_text("เพิ่มการจัดกลุ่มจังหวัดจากไฟล์ CSV").first.click()
    page.get_by_label("ชื่อย่อ", exact=False).first.wait_for(timeout=30000)


def _fill_and_store(page, name: str, title_th: str, path) -> None:
    page.get_by_label("ชื่อย่อ", exact=False).first.fill(name)
    page.get_by_label("ชื่อภาษาไทย").first.fill(title_th)
    page.locator("[data-testid='stForm'] input[type=file]").set_input_files(str(path))
    page.get_by_text(path.name).first.wait_for(timeout=30000)
    page.get_by_role("button", name="ตรวจสอบและบันทึก").click()


def test_a_planner_stores_a_grouping_and_compares_it(grouping_app, browser, output_dir, tmp_path):
    base, default = grouping_app
    path = tmp_path / "two-regions.csv"
    _two_region_csv(default, path)
    page, outside, _errors = offline_page(browser, width=1440, height=1600)
    _sign_in(page, base, "analyst")
    _open_upload(page, base)
    _fill_and_store(page, "two-regions", "สองภาค", path)
    page.get_by_text("บันทึกการจัดกลุ่ม two-regions แล้ว").first.wait_for(timeout=120000)
    body = page.inner_text("body")
    assert "77 จังหวัด 18 กลุ่ม 2 ภาค" in body
    # the page offers the new grouping at once (its cache follows the database)
    page.get_by_text("เทียบกับ").first.wait_for(timeout=60000)
    page.wait_for_timeout(1500)
    page.screenshot(path=str(output_dir / "grouping_stored_1440.png"), full_page=True)
    body = page.inner_text("body")
    assert "สองภาค" in body
    assert "จังหวัดที่อยู่ต่างกลุ่มหรือต่างภาค: 77" in body  # every region name changed
    assert not outside, outside
    page.context.close()


def test_a_csv_with_a_province_missing_is_refused_with_reasons(
    grouping_app, browser, output_dir, tmp_path
):
    base, default = grouping_app
    path = tmp_path / "missing-one.csv"
    _two_region_csv([p for p in default if p["pcode"] != "TH57"], path)
    page, outside, _errors = offline_page(browser, width=390, height=1400)
    _sign_in(page, base, "coordinator")
    _open_upload(page, base)
    _fill_and_store(page, "missing-one", "ขาดหนึ่งจังหวัด", path)
    # the message names the planner's own file, and the refused rows follow in a table
    page.get_by_text("missing-one.csv: พบปัญหา 1 รายการ ยังไม่ได้บันทึก").first.wait_for(timeout=120000)
    page.get_by_test_id("stDataFrame").first.wait_for(timeout=30000)
    page.get_by_test_id("stDataFrame").first.scroll_into_view_if_needed()
    page.wait_for_timeout(800)
    page.screenshot(path=str(output_dir / "grouping_refused_390.png"), full_page=True)
    assert "บันทึกการจัดกลุ่ม" not in page.inner_text("body")
    assert not outside, outside
    page.context.close()


def test_a_viewer_is_told_to_sign_in_and_gets_no_form(grouping_app, browser):
    base, _default = grouping_app
    page, _outside, _errors = offline_page(browser, width=1440, height=1200)
    page.goto(f"{base}/dashboard", wait_until="domcontentloaded")
    page.get_by_text("เทียบการจัดกลุ่มสองแบบ").first.wait_for(timeout=120000)
    page.get_by_text("เพิ่มการจัดกลุ่มจังหวัดจากไฟล์ CSV").first.click()
    page.get_by_text("เข้าสู่ระบบเป็นผู้ประสานงานหรือนักวิเคราะห์").first.wait_for(timeout=30000)
    assert page.locator("[data-testid='stForm'] input[type=file]").count() == 0
    page.context.close()
