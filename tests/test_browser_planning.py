"""The planning pages in headless Chromium, offline: the cluster dashboard, the priorities
page, both report cards at desktop and phone widths, and the downloaded printable report
rendered on its own (Thai text in the DOM, a non-blank image). Screenshots go to the test
output directory."""

from __future__ import annotations

import time

import pytest

from tests.conftest import offline_page

pytestmark = pytest.mark.browser


def _wait_for_text(page, text: str, timeout: float = 60.0):
    """The first frame (page or iframe) whose body contains ``text``."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        for frame in page.frames:
            try:
                if text in (frame.inner_text("body", timeout=1000) or ""):
                    return frame
            except Exception:  # frame navigating or detached
                continue
        page.wait_for_timeout(300)
    raise AssertionError(f"{text!r} never appeared")


def _wait_until_idle(page, timeout: float = 60.0) -> None:
    """Until Streamlit's running indicator is gone (the script finished)."""
    deadline = time.time() + timeout
    page.wait_for_timeout(800)
    while time.time() < deadline:
        if page.locator('[data-testid="stStatusWidget"]').count() == 0:
            return
        page.wait_for_timeout(300)


def _wait_for_map(page, timeout: float = 45.0) -> dict:
    deadline = time.time() + timeout
    while time.time() < deadline:
        for frame in page.frames:
            try:
                state = frame.evaluate(
                    "window.__phang && window.__phang.ready ? {areas: window.__phang.areas} : null"
                )
            except Exception:
                state = None
            if state:
                return state
        page.wait_for_timeout(250)
    raise AssertionError("the dashboard map never drew its shapes")


def _open(page, base: str, path: str) -> None:
    """Open ``path`` as a deep link, the session's first request: it must come through
    app.py (its sidebar with the language switch), never straight from a page file."""
    page.goto(f"{base}{path}", wait_until="domcontentloaded")
    _wait_for_text(page, "ภาษา / Language")


def _wait_for_leaflet(page, timeout: float = 120.0) -> None:
    """Until a frame holds a drawn Leaflet map (vectors on its canvas or as SVG paths)."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        for frame in page.frames:
            try:
                if frame.evaluate(
                    "document.querySelector("
                    "'.leaflet-overlay-pane canvas, .leaflet-overlay-pane svg path') !== null"
                ):
                    return
            except Exception:
                continue
        page.wait_for_timeout(300)
    raise AssertionError("the priorities map never drew")


def _no_exceptions(page) -> None:
    shown = page.locator('[data-testid="stException"]').all_inner_texts()
    assert not shown, shown


def _tambon_with_records(ro_con) -> str:
    return ro_con.execute(
        """SELECT b.tambon_pcode FROM baan_mankong_project b
           JOIN land_case l USING (tambon_pcode)
           GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1"""
    ).fetchone()[0]


@pytest.mark.parametrize("width", [1280, 390])
def test_cluster_dashboard(app_server, browser, ro_con, output_dir, width):
    base, _ = app_server
    page, outside, _errors = offline_page(browser, width=width, height=1000)
    try:
        _open(page, base, "/dashboard?area=c10")
        _wait_for_text(page, "แดชบอร์ดกลุ่มจังหวัดและภาค")
        state = _wait_for_map(page)
        provinces = ro_con.execute(
            "SELECT count(*) FROM grouping_province WHERE grouping = 'codi-18' "
            "AND cluster_code = 'c10'"
        ).fetchone()[0]
        assert state["areas"] == provinces
        _wait_until_idle(page)
        body = page.inner_text("body")
        assert "กรุงเทพมหานคร" in body and "องค์ประกอบสมัชชาระดับชาติ" in body
        assert "292" in body  # 77*3 + 18*2 + 5*5 seats
        _no_exceptions(page)
        page.set_viewport_size({"width": width, "height": 4200})
        page.wait_for_timeout(1500)
        page.screenshot(path=str(output_dir / f"planning_dashboard_{width}.png"), full_page=True)
        assert not outside, outside
    finally:
        page.context.close()


@pytest.mark.parametrize("width", [1280, 390])
def test_priorities_page(app_server, browser, output_dir, width):
    base, _ = app_server
    page, outside, _errors = offline_page(browser, width=width, height=2400)
    try:
        _open(page, base, "/priorities")
        _wait_for_text(page, "วิธีคิดคะแนน")
        _wait_until_idle(page)
        _wait_for_leaflet(page)
        page.wait_for_timeout(1000)
        _no_exceptions(page)
        page.screenshot(path=str(output_dir / f"planning_priorities_{width}.png"), full_page=True)
        assert not outside, outside
    finally:
        page.context.close()


@pytest.mark.parametrize("width", [1280, 390])
@pytest.mark.parametrize("level", ["tambon", "province"])
def test_report_cards(app_server, browser, ro_con, output_dir, level, width):
    base, _ = app_server
    code = _tambon_with_records(ro_con) if level == "tambon" else "TH50"
    name = ro_con.execute(f"SELECT name_th FROM {level} WHERE pcode = ?", [code]).fetchone()[0]
    page, outside, _errors = offline_page(browser, width=width, height=2400)
    try:
        _open(page, base, f"/report?level={level}&area={code}")
        frame = _wait_for_text(page, "การเปลี่ยนแปลง")
        assert name in frame.inner_text("body")
        assert "ข้อมูลสาธิต" in frame.inner_text("body")
        assert "2564" in frame.inner_text("body")  # the first date, 31 Dec 2021, in BE
        _wait_until_idle(page)
        _no_exceptions(page)
        page.screenshot(
            path=str(output_dir / f"planning_report_{level}_{width}.png"), full_page=True
        )
        assert not outside, outside
    finally:
        page.context.close()


def test_downloaded_report_opens_and_shows_thai(app_server, browser, ro_con, output_dir):
    from PIL import Image, ImageStat

    base, _ = app_server
    code = _tambon_with_records(ro_con)
    name = ro_con.execute("SELECT name_th FROM tambon WHERE pcode = ?", [code]).fetchone()[0]
    page, outside, _errors = offline_page(browser, width=1280, height=1200)
    try:
        _open(page, base, f"/report?level=tambon&area={code}")
        _wait_for_text(page, "การเปลี่ยนแปลง")
        _wait_until_idle(page)
        with page.expect_download(timeout=30000) as info:
            page.get_by_text("ดาวน์โหลดรายงาน").click()
        saved = output_dir / "planning_report_download.html"
        info.value.save_as(saved)
        assert not outside, outside
    finally:
        page.context.close()
    text = saved.read_text(encoding="utf-8")
    assert text.startswith("<!DOCTYPE html>") and name in text
    # open the file on its own, with every request blocked: it must need none
    viewer, blocked, _ = offline_page(browser, width=900, height=1400)
    try:
        # set_content: the routed context refuses file:// URLs like any other non-localhost
        viewer.set_content(text, wait_until="load")
        viewer.wait_for_timeout(500)
        dom = viewer.inner_text("body")
        assert "รายงานพื้นที่" in dom and name in dom and "การเปลี่ยนแปลง" in dom
        assert viewer.locator("svg path").count() > 2
        shot = output_dir / "planning_report_download.png"
        viewer.screenshot(path=str(shot), full_page=True)
        # Thai glyphs were drawn with a real font (not empty boxes): the heading is wide
        width = viewer.evaluate("document.querySelector('h1').getBoundingClientRect().width")
        assert width > 200
        assert not blocked, blocked
    finally:
        viewer.context.close()
    image = Image.open(shot).convert("L")
    stat = ImageStat.Stat(image)
    assert stat.stddev[0] > 10, "the rendered report is blank"
    dark = sum(image.histogram()[:100])
    assert dark > 2000, "no text was drawn"
