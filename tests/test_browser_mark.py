"""End to end in headless Chromium at phone width (390 px), with the outside network blocked.

A member finds Pathum Wan, draws an area with Leaflet.draw, fills the form with XSS
payloads and sends it; the page shows the receipt and the tambon. A coordinator for
Bangkok signs in, opens the verify page from the menu, finds the report in the queue
(the payloads shown as text, nothing executed, on the page and in the map) and verifies
it. The verify page reached by URL without signing in shows no data.
"""

from __future__ import annotations

import re
import time

from tests.conftest import offline_page
from tests.sidebar_sign_in import sign_in_sidebar

NAME = 'ชุมชนทดสอบ<img src=x onerror="window.__xss=1">'
DESCRIPTION = "<script>window.__xss=2</script>ริมคลอง"
RECEIPT = re.compile(r"NR-[0-9A-Z]{4}-[0-9A-Z]{4}")


def _map_frame(page):
    element = page.wait_for_selector('iframe[title="streamlit_folium.st_folium"]')
    return element, element.content_frame()


def open_menu(page):
    """Open the sidebar (collapsed on a phone) and return it."""
    page.get_by_test_id("stExpandSidebarButton").click()
    sidebar = page.get_by_test_id("stSidebar")
    sidebar.get_by_text("ภาษา / Language").wait_for()
    return sidebar


def close_menu(page) -> None:
    time.sleep(1)
    sidebar = page.get_by_test_id("stSidebar")
    if sidebar.get_attribute("data-collapsed") == "false":
        sidebar.hover()
        page.get_by_test_id("stSidebarCollapseButton").locator("button").click()
        time.sleep(0.5)


def test_mark_on_phone_then_verify(app_server, browser, output_dir):
    base, _db = app_server
    page, outside, _errors = offline_page(browser, width=390, height=844)
    page.set_default_timeout(90_000)

    # --- a member marks an area ---------------------------------------------------------
    # Start at the root and use the menu, the way a member arrives from the front page.
    page.goto(base + "/")
    open_menu(page).get_by_role("link", name=re.compile("แจ้งความเดือดร้อน")).click()
    close_menu(page)
    search = page.get_by_label("ค้นหาสถานที่ (ตำบล อำเภอ จังหวัด)")
    search.fill("ปทุมวัน กรุงเทพ")
    search.press("Enter")
    time.sleep(2)
    element, frame = _map_frame(page)
    frame.wait_for_selector(".leaflet-draw-draw-rectangle")
    time.sleep(1)
    element, frame = _map_frame(page)  # again: the search re-rendered the map
    frame.click(".leaflet-draw-draw-rectangle")
    box = element.bounding_box()
    cx, cy = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(cx - 40, cy - 30)
    page.mouse.down()
    page.mouse.move(cx, cy, steps=5)
    page.mouse.move(cx + 40, cy + 30, steps=5)
    page.mouse.up()
    page.get_by_text("วาดพื้นที่แล้ว").wait_for()
    page.get_by_label("ชื่อชุมชน *").fill(NAME)
    page.get_by_label("จำนวนครัวเรือนที่เดือดร้อน *").fill("37")
    page.get_by_text("ปัญหา (เลือกได้หลายข้อ) *").click()
    page.locator('[data-testid="stMultiSelect"] input').click()
    page.get_by_role("option", name=re.compile("ถูกไล่รื้อ")).click()
    page.keyboard.press("Escape")
    page.get_by_label("รายละเอียด").fill(DESCRIPTION)
    page.screenshot(path=str(output_dir / "mark_form_390.png"), full_page=True)
    page.get_by_role("button", name="ส่งคำร้อง").click()
    saved = page.get_by_text("บันทึกคำร้องแล้ว")
    saved.wait_for()
    receipt = RECEIPT.search(saved.inner_text()).group(0)
    assert "ปทุมวัน" in page.get_by_text("ตำบลที่ระบบกำหนด").inner_text()
    page.screenshot(path=str(output_dir / "mark_receipt_390.png"), full_page=True)

    # --- a Bangkok coordinator verifies it ---------------------------------------------------
    sidebar = open_menu(page)
    sign_in_sidebar(page, "coord_bkk", "coord-bkk-phang-dev")
    sidebar.get_by_role("link", name=re.compile("ตรวจสอบคำร้อง")).click()
    page.get_by_text("พื้นที่รับผิดชอบ").wait_for()
    # the queue is a clickable table (oldest first); a link with the receipt opens the new one
    page.goto(f"{base}/verify?receipt={receipt}", wait_until="domcontentloaded")
    page.get_by_text("พื้นที่รับผิดชอบ").wait_for()
    close_menu(page)
    heading = page.get_by_role("heading", name=re.compile(receipt))
    heading.wait_for()
    assert NAME in heading.inner_text()  # the payload is shown as text
    time.sleep(2)
    _, frame = _map_frame(page)
    frame.wait_for_selector(".leaflet-interactive")
    page.screenshot(path=str(output_dir / "verify_390.png"), full_page=True)
    assert page.evaluate("window.__xss") is None
    assert frame.evaluate("window.__xss") is None
    assert frame.evaluate("document.querySelectorAll('img[src=\"x\"]').length") == 0
    assert page.evaluate("document.querySelectorAll('img[src=\"x\"]').length") == 0
    page.get_by_role("button", name="บันทึกการตัดสิน").click()
    page.get_by_text(f"บันทึกการตัดสินคำร้อง {receipt} แล้ว").wait_for()
    assert not outside, f"requests left the machine: {outside[:5]}"
    page.context.close()

    # --- the verify page by URL, not signed in: no data -----------------------------------
    anon, _, _ = offline_page(browser, width=390, height=844)
    anon.set_default_timeout(90_000)
    anon.goto(base + "/verify")
    anon.wait_for_selector("h1, [data-testid=stAlert]")
    time.sleep(2)
    assert receipt not in anon.content()
    assert anon.get_by_text("พื้นที่รับผิดชอบ").count() == 0  # the verify page never ran
    assert anon.get_by_role("link", name=re.compile("ตรวจสอบคำร้อง")).count() == 0
    anon.context.close()
