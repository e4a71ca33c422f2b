"""The choropleth in headless Chromium: a phone tap reads the value before drilling down,
areas carry name labels, the legend shows ranges, a tambon shows its neighbours."""

from __future__ import annotations

import re
import time

import pytest

from tests.conftest import offline_page

pytestmark = pytest.mark.browser


def _map_frame(page, timeout: float = 60.0):
    deadline = time.time() + timeout
    while time.time() < deadline:
        for frame in page.frames:
            try:
                ready = frame.evaluate("!!(window.__phang && window.__phang.ready)")
            except Exception:  # navigating or detached
                ready = False
            if ready:
                return frame
        page.wait_for_timeout(250)
    raise AssertionError("the map never drew its shapes")


def _phone(browser):
    """A touch phone (390 px): requests outside localhost are blocked and recorded."""
    outside: list[str] = []
    ctx = browser.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True, locale="th-TH"
    )

    def route(r):
        if r.request.url.split("/")[2].split(":")[0] in ("127.0.0.1", "localhost"):
            r.continue_()
        else:
            outside.append(r.request.url)
            r.abort()

    ctx.route("**/*", route)
    return ctx.new_page(), outside


def test_a_tap_on_a_phone_shows_the_value_then_opens_the_area(
    app_server, browser, ro_con, output_dir
):
    base, _ = app_server
    lon, lat = ro_con.execute(
        "SELECT ST_X(c), ST_Y(c) FROM (SELECT ST_PointOnSurface(geom) c FROM amphoe "
        "WHERE pcode = 'TH3001')"
    ).fetchone()
    page, outside = _phone(browser)
    try:
        page.goto(f"{base}/?level=province&area=TH30&show=amphoe", wait_until="domcontentloaded")
        frame = _map_frame(page)
        frame.frame_element().scroll_into_view_if_needed()
        page.wait_for_timeout(500)
        box = frame.frame_element().bounding_box()
        x, y = frame.evaluate(
            "([lat, lon]) => { var m = window.__phang.map;"
            " var p = m.latLngToContainerPoint([lat, lon]);"
            " var r = m.getContainer().getBoundingClientRect();"
            " return [p.x + r.left, p.y + r.top]; }",
            [lat, lon],
        )
        url_before = page.url
        page.touchscreen.tap(box["x"] + x, box["y"] + y)
        popup = frame.locator(".phang-tap").first
        popup.wait_for(timeout=10000)
        text = popup.inner_text()
        assert "TH3001" in text and "ครัวเรือน" in text  # name, code, value and unit
        page.wait_for_timeout(1500)
        assert page.url == url_before  # the tap did not drill down
        page.screenshot(path=str(output_dir / "map_tap_th_390.png"))
        frame.locator(".phang-tap button").tap()
        page.wait_for_url("**area=TH3001**", timeout=30000)
        assert "level=amphoe" in page.url
        assert outside == []
    finally:
        page.context.close()


def test_labels_ranges_and_neighbours(app_server, browser, ro_con, output_dir):
    base, _ = app_server
    page, outside, errors = offline_page(browser, width=1440, height=1000)
    try:
        page.goto(f"{base}/?level=province&area=TH50&show=amphoe", wait_until="domcontentloaded")
        frame = _map_frame(page)
        areas = frame.evaluate("window.__phang.areas")
        labels = frame.locator(".phang-label span")
        assert 0 < labels.count() <= areas == 25
        shown = [t for t in labels.all_inner_texts() if t.strip()]
        names = [
            r[0]
            for r in ro_con.execute(
                "SELECT name_th FROM amphoe WHERE province_pcode = 'TH50' ORDER BY area_km2 DESC"
            ).fetchall()
        ]
        assert set(shown) <= set(names) and names[0] in shown  # the largest is never hidden
        legend = frame.locator(".phang-legend").inner_text()
        ranges = re.findall(r"[\d,.]+ – [\d,.]+", legend)
        assert len(ranges) >= 2, legend  # classes read as ranges, not single values
        # a tambon view: the tambon coloured, its amphoe's other tambons greyed around it
        page.goto(f"{base}/?level=tambon&area=TH500101&show=tambon", wait_until="domcontentloaded")
        deadline = time.time() + 30
        frame, context = _map_frame(page), 0
        while time.time() < deadline and not context:
            context = frame.evaluate("window.__phang.context || 0")
            page.wait_for_timeout(250)
        siblings = 16 - 1  # Mueang Chiang Mai has 16 tambons
        assert context == siblings
        assert frame.evaluate("window.__phang.areas") == 1
        page.screenshot(path=str(output_dir / "map_tambon_neighbours_1440.png"))
        assert outside == [] and errors == [], (outside, errors)
    finally:
        page.context.close()
