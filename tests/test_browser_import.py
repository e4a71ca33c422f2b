"""The import page in headless Chromium: a coordinator uploads a cp874 CSV and reads the report.

Screenshots (1280 and 390 px wide) go to ``test-output/``.
"""

from __future__ import annotations

import pytest

from tests.conftest import offline_page
from tests.sidebar_sign_in import open_sidebar, sign_in_sidebar

pytestmark = pytest.mark.browser

CSV = (
    "ลำดับ,ชื่อกลุ่ม,ประเภท,ประธาน,จำนวนสมาชิก,เงินทุน (บาท),วันที่จัดตั้ง,ตำบล,อำเภอ,จังหวัด\n"
    '1,กลุ่มออมทรัพย์บ้านท่าถ่าน,ออมทรัพย์,นายสมชาย,120,"150,000",15/03/2551,'
    "ท่าถ่าน,พนมสารคาม,ฉะเชิงเทรา\n"
    "2,<b>กลุ่มสตรี</b>,กลุ่มสตรี,นางสมศรี,45,25000,01/02/67,ท่าถ่าน,พนมสารคาม,ฉะเชิงเทรา\n"
    "3,กลุ่มในเมือง,กลุ่มอาชีพ,นายเอ,30,5000,1/1/2560,ในเมือง,,\n"
)


def _close_sidebar_on_phone(page) -> None:
    if page.viewport_size["width"] < 700:
        close = page.locator('[data-testid="stSidebarCollapseButton"] button')
        if close.count() and close.first.is_visible():
            close.first.click()
            page.wait_for_timeout(500)


def _sign_in_and_open_import(page, base: str) -> None:
    page.goto(f"{base}/", wait_until="domcontentloaded")
    page.get_by_text("ภาษา / Language").first.wait_for(state="attached", timeout=60000)
    sign_in_sidebar(page, "coordinator", "coordinator-phang-dev")
    # a full page load would start a new session: follow the menu link instead
    open_sidebar(page)
    page.get_by_role("link", name="นำเข้าข้อมูล").click()
    page.get_by_role("heading", name="นำเข้าข้อมูลชุมชน").wait_for(timeout=60000)
    _close_sidebar_on_phone(page)


@pytest.mark.parametrize("width", [1280, 390])
def test_coordinator_uploads_and_reads_the_report(app_server, browser, output_dir, tmp_path, width):
    base, _db = app_server
    path = tmp_path / f"orgs_{width}.csv"
    path.write_bytes(CSV.encode("cp874"))
    page, outside, _errors = offline_page(browser, width=width, height=1400)
    _sign_in_and_open_import(page, base)
    # the upload tab's own uploader (the field-survey section above the tabs has another)
    page.get_by_test_id("stTabs").locator("input[type=file]").set_input_files(str(path))
    page.get_by_text(path.name).first.wait_for(timeout=30000)
    page.wait_for_timeout(1000)
    page.get_by_role("button", name="นำเข้า", exact=True).click()
    page.get_by_text("ยังไม่นำเข้า").first.wait_for(timeout=90000)
    page.wait_for_timeout(800)
    page.screenshot(path=str(output_dir / f"import_report_{width}.png"), full_page=True)
    body = page.inner_text("body")
    assert "มีปัญหา 2 จาก 3 แถว" in body  # the table itself is drawn on a canvas
    assert page.locator("main b").count() == 0  # the <b> in a group name stays text
    page.get_by_role("tab", name="แถวที่ถูกกักไว้").first.click()
    page.wait_for_timeout(1500)
    page.screenshot(path=str(output_dir / f"import_quarantine_{width}.png"), full_page=True)
    assert not outside, outside
    page.context.close()
