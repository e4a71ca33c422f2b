"""The import page's field-survey section in headless Chromium: a coordinator downloads the
XLSForm, uploads a KoboToolbox export and reads the report, in Thai and in English.

Screenshots (1440 and 390 px wide, Thai and English) go to ``test-output/``.
"""

from __future__ import annotations

import openpyxl
import pytest

from tests.conftest import offline_page
from tests.sidebar_sign_in import open_sidebar
from tests.test_browser_import import _close_sidebar_on_phone, _sign_in_and_open_import
from tests.test_odk import KOBO_HEADERS, kobo_rows, write_csv

pytestmark = pytest.mark.browser


def _section(page, title: str):
    expander = page.get_by_test_id("stExpander").filter(has_text=title).first
    if expander.locator("details[open]").count() == 0:
        expander.get_by_text(title).first.click()
        page.wait_for_timeout(800)
    return expander


@pytest.mark.parametrize("width", [1440, 390])
def test_coordinator_downloads_the_form_and_imports_an_export(
    app_server, browser, output_dir, tmp_path, width
):
    base, _db = app_server
    path = write_csv(tmp_path / f"kobo_{width}.csv", KOBO_HEADERS, kobo_rows(f"b{width:07d}"), ";")
    page, outside, _errors = offline_page(browser, width=width, height=1400)
    page.set_default_timeout(90_000)
    _sign_in_and_open_import(page, base)
    section = _section(page, "แบบสอบถามภาคสนาม (KoboToolbox / ODK)")
    with page.expect_download() as download:
        section.get_by_role("button", name="ดาวน์โหลดแบบฟอร์ม XLSForm").click()
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    assert saved.name.startswith("phang_need_report_") and saved.suffix == ".xlsx"
    assert openpyxl.load_workbook(saved).sheetnames == ["survey", "choices", "settings"]

    section.locator("input[type=file]").set_input_files(str(path))
    section.get_by_text(path.name).first.wait_for()
    page.wait_for_timeout(1000)
    section.get_by_role("button", name="นำเข้าคำตอบ").click()
    page.get_by_text("กักไว้ 1 แถว").first.wait_for()
    page.wait_for_timeout(800)
    body = page.inner_text("body")
    assert "นำเข้า 3 แถว กักไว้ 1 แถว" in body
    assert "_submitted_by" not in body and "__version__" not in body  # the tools' own columns
    _section(page, "แบบสอบถามภาคสนาม (KoboToolbox / ODK)")
    page.screenshot(path=str(output_dir / f"import_odk_th_{width}.png"), full_page=True)

    open_sidebar(page)
    page.get_by_test_id("stSidebar").get_by_text("English", exact=True).click()
    page.get_by_role("heading", name="Import community data").wait_for()
    _close_sidebar_on_phone(page)
    section = _section(page, "Field survey form (KoboToolbox / ODK)")
    section.get_by_role("button", name="Download the XLSForm").wait_for()
    english = page.inner_text("main")
    assert "แบบสอบถาม" not in english and "ดาวน์โหลด" not in english
    page.screenshot(path=str(output_dir / f"import_odk_en_{width}.png"), full_page=True)
    assert not outside, outside
    page.context.close()
