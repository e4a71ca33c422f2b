"""A coordinator's pages and the phone chrome in headless Chromium.

* The verify queue with its filters: a row clicked opens that report; screenshots.
* The import page with its header list and blank template; screenshots. Streamlit's own
  uploader text ("Upload", "200MB per file") reads in Thai on a Thai page and back in
  English after switching.
* On a phone (390 px): the sidebar closes after choosing a page; a wrong password is
  said where it can be seen.

Screenshots (Thai and English, 1440 and 390 px) go to ``test-output/``.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests.conftest import offline_page
from tests.sidebar_sign_in import open_sidebar, wait_idle
from tests.test_browser_language import close_sidebar_on_phone, settle, sign_in

pytestmark = pytest.mark.browser


def _switch_language(page, lang: str) -> None:
    open_sidebar(page)
    page.locator(".st-key-lang_radio label").filter(
        has_text="English" if lang == "en" else "ไทย"
    ).first.click()
    page.wait_for_timeout(800)
    settle(page)
    close_sidebar_on_phone(page)


@pytest.mark.parametrize("width", [1440, 390])
def test_verify_queue_filters_and_rows(app_server, browser, output_dir, width):
    base, _ = app_server
    page, outside, _errors = offline_page(browser, width=width, height=1100)
    try:
        sign_in(page, base, "coordinator")
        for lang in ("th", "en"):
            page.goto(f"{base}/verify?lang={lang}", wait_until="domcontentloaded")
            settle(page)
            close_sidebar_on_phone(page)
            body = page.inner_text("body")
            labels = (
                ("สถานะ", "จังหวัด", "ความเร่งด่วน", "แจ้งเมื่อ")
                if lang == "th"
                else ("Status", "Province", "Urgency", "Reported")
            )
            for label in labels:
                assert label in body, label
            assert "Choose options" not in body and "Select all" not in body
            # the queue's second row, clicked (its row marker), opens that report
            grid = page.locator('[data-testid="stDataFrame"]').first
            box = grid.bounding_box()
            heading = page.locator("h3").first.inner_text()
            page.mouse.click(box["x"] + 12, box["y"] + 35 + 35 + 17)
            page.wait_for_timeout(1500)
            settle(page)
            assert page.locator("h3").first.inner_text() != heading
            page.screenshot(
                path=str(output_dir / f"verify_queue_{lang}_{width}.png"), full_page=True
            )
        assert not outside, outside
    finally:
        page.context.close()


@pytest.mark.parametrize("width", [1440, 390])
def test_import_page_offers_headers_and_templates(app_server, browser, output_dir, width):
    base, _ = app_server
    page, outside, _errors = offline_page(browser, width=width, height=1100)
    try:
        sign_in(page, base, "coordinator")
        page.goto(f"{base}/import?lang=th", wait_until="domcontentloaded")
        settle(page)
        close_sidebar_on_phone(page)
        uploader = page.locator('[data-testid="stFileUploaderDropzone"]:visible').first
        uploader.wait_for()
        page.wait_for_timeout(500)
        text = uploader.inner_text()
        assert "เลือกไฟล์" in text and "ต่อไฟล์" in text, text
        assert "Upload" not in text and "per file" not in text, text
        for lang in ("th", "en"):
            if lang == "en":
                _switch_language(page, "en")
                text = page.locator(
                    '[data-testid="stFileUploaderDropzone"]:visible'
                ).first.inner_text()
                assert "Upload" in text and "per file" in text, text  # nothing Thai left
                assert "เลือกไฟล์" not in text
            title = "หัวคอลัมน์และแบบฟอร์มเปล่า" if lang == "th" else "Column headers and a blank"
            page.get_by_text(title).first.click()
            page.wait_for_timeout(1200)
            buttons = page.locator('[data-testid="stDownloadButton"] button:visible')
            assert buttons.count() >= 2
            with page.expect_download() as got:
                buttons.first.click()
            assert got.value.suggested_filename == f"template_organization_{lang}.xlsx"
            page.screenshot(
                path=str(output_dir / f"import_template_{lang}_{width}.png"), full_page=True
            )
            page.get_by_text(title).first.click()  # closed again
            page.wait_for_timeout(500)
        assert not outside, outside
    finally:
        page.context.close()


def test_phone_sidebar_closes_and_sign_in_error_shows(app_server, browser, output_dir):
    base, _ = app_server
    page, outside, _errors = offline_page(browser, width=390, height=844)
    try:
        page.goto(f"{base}/", wait_until="domcontentloaded")
        settle(page)
        open_sidebar(page)
        sidebar = page.locator('[data-testid="stSidebar"]')
        assert sidebar.bounding_box()["x"] >= -1  # open, over the page
        page.get_by_role("link", name="รายงานพื้นที่").click()
        page.get_by_role("heading", name="รายงานพื้นที่").first.wait_for(timeout=60000)
        page.wait_for_timeout(1200)
        box = sidebar.bounding_box()
        assert box is None or box["x"] + box["width"] <= 1, box  # closed after choosing
        # a wrong password: said in view, above the fields, and in a toast
        open_sidebar(page)
        page.get_by_text("เข้าสู่ระบบ", exact=True).first.click()
        message = page.get_by_text("ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง")
        for attempt in range(3):  # a rerun in flight on a loaded machine may eat the press
            wait_idle(page)
            page.get_by_label("ชื่อผู้ใช้").fill("member")
            page.get_by_label("รหัสผ่าน").fill("not-the-password")
            page.locator('[data-testid="stFormSubmitButton"] button').click()
            try:
                message.first.wait_for(timeout=20000)
                break
            except PlaywrightTimeout:
                if attempt == 2:
                    raise
        page.wait_for_timeout(800)
        seen = [m.bounding_box() for m in message.all() if m.is_visible()]
        assert any(b and 0 <= b["y"] and b["y"] + b["height"] <= 844 for b in seen), seen
        page.screenshot(path=str(output_dir / "sign_in_error_th_390.png"))
        assert not outside, outside
    finally:
        page.context.close()
