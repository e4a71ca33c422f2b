"""The running app in headless Chromium, with every request off localhost blocked.

The national, a cluster, a province and a tambon view render with the expected number of
area shapes, at desktop (1280 px) and phone (390 px) widths; no request leaves localhost;
no console errors; screenshots go to the test output directory. A hostile place name and
layer field show as literal text in the tooltip and the popup.
"""

from __future__ import annotations

import time
import uuid

import pytest

from tests.conftest import ROOT, offline_page

pytestmark = pytest.mark.browser

EVIL = "<img src=x onerror=alert(1)> `x` ${1}"


def _wait_for_map(page, timeout: float = 45.0, layers: tuple[str, ...] = ()):
    """The map frame once its shapes (and the named layers, whose vector tiles arrive
    after the shapes) are drawn: (frame, state dict)."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        for frame in page.frames:
            try:
                state = frame.evaluate(
                    "window.__phang && window.__phang.ready ? "
                    "{areas: window.__phang.areas, layers: window.__phang.layers || {}} : null"
                )
            except Exception:  # frame navigating or detached
                state = None
            if state and all(k in state["layers"] for k in layers):
                return frame, state
        page.wait_for_timeout(250)
    raise AssertionError(f"the map never drew its shapes and layers {layers}")


def _village_tambon(ro_con) -> str:
    """The Chiang Mai tambon with the most 2012 villages."""
    return ro_con.execute(
        "SELECT tambon_pcode FROM village WHERE starts_with(tambon_pcode, 'TH50') "
        "GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1"
    ).fetchone()[0]


def _expected(ro_con) -> dict[str, tuple[str, int]]:
    one = lambda sql: ro_con.execute(sql).fetchone()[0]  # noqa: E731
    return {
        "national": ("level=country&show=province", one("SELECT count(*) FROM province")),
        "cluster": (
            "level=cluster&area=c10&show=province",
            one(
                "SELECT count(*) FROM grouping_province "
                "WHERE grouping = 'codi-18' AND cluster_code = 'c10'"
            ),
        ),
        "province": (
            "level=province&area=TH50&show=tambon",
            one("SELECT count(*) FROM tambon WHERE province_pcode = 'TH50'"),
        ),
        "tambon": (f"level=tambon&area={_village_tambon(ro_con)}&show=tambon&layers=villages", 1),
    }


@pytest.mark.parametrize("width", [1280, 390])
def test_views_render_offline_with_their_areas(app_server, browser, ro_con, output_dir, width):
    base, _ = app_server
    for name, (query, count) in _expected(ro_con).items():
        page, outside, errors = offline_page(browser, width=width, height=1000)
        try:
            page.goto(f"{base}/?{query}", wait_until="domcontentloaded")
            wanted = ("villages",) if "layers=villages" in query else ()
            frame, state = _wait_for_map(page, layers=wanted)
            assert state["areas"] == count, (name, state)
            if "layers=villages" in query:
                assert state["layers"].get("villages", 0) > 0, state
            # the map is visible: its frame has a real size at this width
            box = frame.frame_element().bounding_box()
            assert box and box["height"] > 300 and box["width"] <= width
            page.wait_for_timeout(600)
            page.screenshot(path=str(output_dir / f"map-{name}-{width}.png"), full_page=True)
            assert outside == [], outside
            assert errors == [], errors
        finally:
            page.context.close()


def test_national_tambon_view_draws_every_tambon(app_server, browser, ro_con):
    base, _ = app_server
    page, outside, errors = offline_page(browser)
    try:
        page.goto(
            f"{base}/?level=country&show=tambon&ind=villages_per_km2", wait_until="domcontentloaded"
        )
        _, state = _wait_for_map(page, timeout=60)
        assert state["areas"] == ro_con.execute("SELECT count(*) FROM tambon").fetchone()[0]
        assert outside == [] and errors == []
    finally:
        page.context.close()


def test_hostile_names_show_as_text_in_tooltip_and_popup(app_server, browser, con, output_dir):
    """A place name and a layer field holding markup and template syntax stay literal."""
    from geo import mapping
    from geo.layers import MapLayer, PopupField, register_layer, unregister_layer
    from geo.mapping import View

    base, _ = app_server
    con.execute("UPDATE tambon SET name_th = ?, name_en = ? WHERE pcode = 'TH500101'", [EVIL, EVIL])
    lon, lat = con.execute(
        "SELECT ST_X(p), ST_Y(p) FROM (SELECT ST_PointOnSurface(geom) p "
        "FROM tambon WHERE pcode = 'TH500101')"
    ).fetchone()
    rows = [{"lon": lon, "lat": lat, "name": EVIL, "note": EVIL}]
    register_layer(
        MapLayer(
            "xss_probe",
            EVIL,
            EVIL,
            "point",
            lambda c, s, u: rows,
            popup=(PopupField("note", EVIL, EVIL),),
            title_field="name",
            cluster=False,
        )
    )
    mapping.clear_shape_cache()
    try:
        result = mapping.build_map(
            con,
            View("tambon", "TH500101", "tambon", "codi-18"),
            "area_km2",
            layer_keys=("xss_probe",),
            basemap="none",
        )
        html_text = result.map.get_root().render()
    finally:
        unregister_layer("xss_probe")
        mapping.clear_shape_cache()
    probe = ROOT / "static" / "shapes" / f"xss-{uuid.uuid4().hex}.html"  # git-ignored
    probe.write_text(html_text, encoding="utf-8")
    page, outside, errors = offline_page(browser)
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    try:
        page.goto(f"{base}/app/static/shapes/{probe.name}")
        _, state = _wait_for_map(page)
        assert state["areas"] == 1
        # hover a point inside the tambon: its tooltip
        x, y = page.evaluate(
            "([lat, lon]) => { var p = window.__phang.map.latLngToContainerPoint([lat, lon]);"
            " var r = window.__phang.map.getContainer().getBoundingClientRect();"
            " return [p.x + r.left + 25, p.y + r.top + 25]; }",
            [lat, lon],
        )
        page.mouse.move(x, y)
        page.mouse.move(x + 2, y + 2)
        tooltip = page.locator(".leaflet-tooltip").first
        tooltip.wait_for(timeout=5000)
        assert EVIL in tooltip.inner_text()
        assert tooltip.locator("img").count() == 0
        # click the layer's point: its popup
        px, py = page.evaluate(
            "([lat, lon]) => { var p = window.__phang.map.latLngToContainerPoint([lat, lon]);"
            " var r = window.__phang.map.getContainer().getBoundingClientRect();"
            " return [p.x + r.left, p.y + r.top]; }",
            [lat, lon],
        )
        page.mouse.click(px, py)
        popup = page.locator(".leaflet-popup-content").first
        popup.wait_for(timeout=5000)
        assert popup.inner_text().count(EVIL) >= 2  # layer name, field label and value
        assert page.locator(".leaflet-popup-content img, .leaflet-tooltip img").count() == 0
        page.screenshot(path=str(output_dir / "map-xss.png"))
        assert dialogs == []
        assert outside == []
        assert errors == [], errors
    finally:
        page.context.close()
        probe.unlink(missing_ok=True)


def test_clicking_an_area_drills_down_into_it(app_server, browser, ro_con):
    """A click inside Nakhon Ratchasima on the national province map opens that province."""
    base, _ = app_server
    lon, lat = ro_con.execute(
        "SELECT ST_X(c), ST_Y(c) FROM (SELECT ST_PointOnSurface(geom) c FROM province "
        "WHERE pcode = 'TH30')"
    ).fetchone()
    amphoe = ro_con.execute("SELECT count(*) FROM amphoe WHERE province_pcode = 'TH30'").fetchone()[
        0
    ]
    page, outside, errors = offline_page(browser)
    try:
        page.goto(f"{base}/?level=country&show=province", wait_until="domcontentloaded")
        frame, _ = _wait_for_map(page)
        # a click focuses the map's frame, which scrolls it fully into view first
        frame.frame_element().scroll_into_view_if_needed()
        page.wait_for_timeout(300)
        box = frame.frame_element().bounding_box()
        x, y = frame.evaluate(
            "([lat, lon]) => { var m = window.__phang.map;"
            " var p = m.latLngToContainerPoint([lat, lon]);"
            " var r = m.getContainer().getBoundingClientRect();"
            " return [p.x + r.left, p.y + r.top]; }",
            [lat, lon],
        )
        page.mouse.click(box["x"] + x, box["y"] + y)
        page.wait_for_url("**area=TH30**", timeout=30000)
        assert "level=province" in page.url
        deadline = time.time() + 30
        state = {}
        while time.time() < deadline:  # the old map stays until the new one is drawn
            _, state = _wait_for_map(page)
            if state["areas"] == amphoe:
                break
            page.wait_for_timeout(250)
        assert state["areas"] == amphoe, state
        assert outside == [] and errors == [], (outside, errors)
    finally:
        page.context.close()


def test_every_public_layer_draws_in_a_province_view(app_server, browser):
    """All layers a public viewer may switch on, together, draw without a console error."""
    from geo.layers import layers

    class Viewer:
        role = "viewer"

    keys = [k for k, la in layers(Viewer()).items() if la.shown_at("province")]
    assert "villages" in keys
    base, _ = app_server
    page, outside, errors = offline_page(browser)
    try:
        page.goto(
            f"{base}/?level=province&area=TH10&show=amphoe&layers={','.join(keys)}",
            wait_until="domcontentloaded",
        )
        _, state = _wait_for_map(page, timeout=60, layers=tuple(keys))
        assert state["areas"] == 50
        assert set(state["layers"]) == set(keys), state
        assert outside == [] and errors == [], (outside, errors)
    finally:
        page.context.close()


def test_a_typed_map_path_opens_the_map(app_server, browser, ro_con):
    """/map (typed or bookmarked) opens the map with its view, not "Page not found"."""
    base, _ = app_server
    page, outside, errors = offline_page(browser)
    failed = []
    page.on("response", lambda r: failed.append(r.url) if r.status >= 400 else None)
    try:
        page.goto(f"{base}/map?level=province&area=TH50&show=amphoe", wait_until="domcontentloaded")
        _, state = _wait_for_map(page)
        amphoe = ro_con.execute(
            "SELECT count(*) FROM amphoe WHERE province_pcode = 'TH50'"
        ).fetchone()[0]
        assert state["areas"] == amphoe
        page.wait_for_timeout(1500)
        assert "page not found" not in page.inner_text("body").lower()
        assert "/map" in page.url
        assert outside == []
        # Streamlit's frontend first looks for its server under the page's path on any deep
        # link (/map/_stcore/health, then /_stcore/health): those 404s are expected, no other
        assert all(f"{base}/map/_stcore/" in url for url in failed), failed
        assert [e for e in errors if not e.startswith("Failed to load resource")] == []
        assert len(errors) <= len(failed)
    finally:
        page.context.close()
