"""Point layers from vector tiles in headless Chromium, offline.

The real app draws a province's organizations from ``/tiles`` with the layer legend (Thai
and English, 1440 and 390 px; screenshots in the test output directory) and counts every
organization of the province once. A hostile organization name in a tile property shows as
text in the tooltip and the popup (a tile server in the test process, on a database copy
holding that name).
"""

from __future__ import annotations

import shutil
import time
import uuid

import pytest

from tests.conftest import ROOT, offline_page
from tests.test_browser_map import _wait_for_map
from tests.tile_server import tile_server

pytestmark = pytest.mark.browser

EVIL = "<img src=x onerror=alert(1)> `x` ${1}"
LAYERS = ("community_orgs", "baan_mankong", "land_cases")


def _count(ro_con, sql: str) -> int:
    return ro_con.execute(sql).fetchone()[0]


@pytest.mark.parametrize("lang", ["th", "en"])
@pytest.mark.parametrize("width", [1440, 390])
def test_province_points_come_from_tiles_with_a_legend(
    app_server, browser, ro_con, output_dir, width, lang
):
    base, _ = app_server
    orgs = _count(
        ro_con,
        "SELECT count(*) FROM community_org o LEFT JOIN village v ON v.id = o.village_id "
        "WHERE starts_with(o.tambon_pcode, 'TH50') AND o.status <> 'dissolved' "
        "AND coalesce(o.geom, v.geom) IS NOT NULL",
    )
    projects = _count(
        ro_con,
        "SELECT count(*) FROM baan_mankong_project "
        "WHERE starts_with(tambon_pcode, 'TH50') AND geom IS NOT NULL",
    )
    page, outside, errors = offline_page(browser, width=width, height=1100)
    tiles_fetched: list[str] = []
    page.on("request", lambda r: tiles_fetched.append(r.url) if "/tiles/" in r.url else None)
    try:
        page.goto(
            f"{base}/?level=province&area=TH50&show=amphoe&layers={','.join(LAYERS)}&lang={lang}",
            wait_until="domcontentloaded",
        )
        frame, state = _wait_for_map(page, timeout=150, layers=LAYERS)
        deadline = time.time() + 30
        while state["layers"]["community_orgs"] != orgs and time.time() < deadline:
            page.wait_for_timeout(300)  # tiles of the final zoom still arriving
            _, state = _wait_for_map(page, layers=LAYERS)
        # every organization of the province, once (clusters carry their counts)
        assert state["layers"]["community_orgs"] == orgs, state
        assert state["layers"]["baan_mankong"] == projects, state
        assert tiles_fetched and all("in=TH50" in u for u in tiles_fetched)
        box = frame.locator(".phang-layer-legend details")
        if width < 500:  # a phone: the legend starts closed, its heading opens it
            assert box.get_attribute("open") is None
            assert frame.locator(".phang-layer-legend").inner_text().strip() in (
                "ชั้นข้อมูล",
                "Map layers",
            )
            page.screenshot(path=str(output_dir / f"map-tiles-{lang}-{width}-legend-closed.png"))
            frame.locator(".phang-layer-legend summary").click()
        assert box.get_attribute("open") is not None
        legend = frame.locator(".phang-layer-legend").inner_text()
        names = {
            "th": ("กลุ่ม/องค์กรชุมชน", "โครงการบ้านมั่นคง", "วงใหญ่"),
            "en": ("Community organizations", "Baan Mankong projects", "Larger circle"),
        }[lang]
        assert all(n in legend for n in names), legend
        if lang == "th":
            assert "Community" not in legend
        page.wait_for_timeout(800)
        page.screenshot(path=str(output_dir / f"map-tiles-{lang}-{width}.png"), full_page=True)
        assert outside == [], outside
        assert errors == [], errors
    finally:
        page.context.close()


@pytest.fixture()
def hostile_con(built_db, tmp_path):
    """A database copy where one Chiang Mai organization is called ``EVIL`` and stands on a
    point of its own (so it is not merged with a neighbour)."""
    from data.store import connect
    from geo import tiles

    target = tmp_path / "hostile.duckdb"
    shutil.copy(built_db[0], target)
    con = connect(target)
    org, pcode = con.execute(
        "SELECT id, tambon_pcode FROM community_org WHERE starts_with(tambon_pcode, 'TH5001') "
        "AND status <> 'dissolved' ORDER BY id LIMIT 1"
    ).fetchone()
    con.execute(
        "UPDATE community_org SET name = ?, products = ?, geom = ("
        "SELECT ST_Translate(ST_PointOnSurface(geom), 0.0007, 0.0004) FROM tambon "
        "WHERE pcode = ?), "
        "imported_at = current_timestamp WHERE id = ?",
        [EVIL, EVIL, pcode, org],
    )
    tiles.clear_cache()
    yield con, pcode
    con.close()
    tiles.clear_cache()


def test_hostile_name_in_a_tile_shows_as_text(browser, hostile_con, output_dir):
    from geo import mapping
    from geo.mapping import View

    con, pcode = hostile_con
    lon, lat = con.execute(
        "SELECT ST_X(geom), ST_Y(geom) FROM community_org WHERE name = ?", [EVIL]
    ).fetchone()
    result = mapping.build_map(
        con,
        View("tambon", pcode, "tambon", "codi-18"),
        "area_km2",
        layer_keys=("community_orgs",),
        basemap="none",
    )
    page_html = result.map.get_root().render()
    assert EVIL not in page_html and "&lt;img" not in page_html  # the name is not in the page
    probe = ROOT / "static" / "shapes" / f"tiles-xss-{uuid.uuid4().hex}.html"  # git-ignored
    probe.write_text(page_html, encoding="utf-8")
    page, outside, errors = offline_page(browser)
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    try:
        with tile_server(con) as base:
            page.goto(f"{base}/app/static/shapes/{probe.name}")
            _wait_for_map(page, layers=("community_orgs",))
            # zoom in where no point is merged with another, and wait for those tiles
            page.evaluate(
                "([lat, lon]) => { window.__phang.layers.community_orgs = -1;"
                " window.__phang.map.setView([lat, lon], 17, {animate: false}); }",
                [lat, lon],
            )
            page.wait_for_function("window.__phang.layers.community_orgs >= 1", timeout=30000)
            x, y = page.evaluate(
                "([lat, lon]) => { var m = window.__phang.map;"
                " var p = m.latLngToContainerPoint([lat, lon]);"
                " var r = m.getContainer().getBoundingClientRect();"
                " return [p.x + r.left, p.y + r.top]; }",
                [lat, lon],
            )
            page.mouse.move(x + 20, y + 20)
            page.mouse.move(x + 1, y + 1)
            tooltip = page.locator(".phang-point-tip")
            tooltip.wait_for(timeout=5000)
            assert tooltip.inner_text().strip() == EVIL
            page.mouse.click(x, y)
            popup = page.locator(".leaflet-popup-content").first
            popup.wait_for(timeout=5000)
            text = popup.inner_text()
            assert text.count(EVIL) == 2, text  # name and products
            assert "ข้อมูลสาธิต" in text
            assert page.locator(".leaflet-popup-content img, .leaflet-tooltip img").count() == 0
            page.screenshot(path=str(output_dir / "map-tiles-xss.png"))
        assert dialogs == []
        assert outside == []
        assert errors == [], errors
    finally:
        page.context.close()
        probe.unlink(missing_ok=True)
