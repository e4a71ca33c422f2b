"""Map shapes per zoom band, shape files, views and escaping, on the real database."""

from __future__ import annotations

import gzip
import html
import json
import re

import pytest
import shapely

from geo import mapping
from geo.layers import MapLayer, PopupField, Scope
from geo.mapping import View, encode_geometry

EVIL = "<img src=x onerror=alert(1)> `x` ${1}"


def _decode(packed_geom: list, q: int) -> shapely.Geometry:
    polys = []
    for rings in packed_geom:
        coords = []
        for flat in rings:
            x = y = 0
            ring = []
            for i in range(0, len(flat), 2):
                x += flat[i]
                y += flat[i + 1]
                ring.append((x / q, y / q))
            coords.append(ring)
        polys.append(shapely.Polygon(coords[0], coords[1:]))
    return shapely.MultiPolygon(polys)


def test_every_level_has_shapes_at_the_details_it_is_drawn_at(ro_con):
    counts = dict(
        ro_con.execute(
            "SELECT level || ':' || detail, count(*) FROM map_shape GROUP BY ALL"
        ).fetchall()
    )
    assert counts["tambon:0"] == counts["tambon:3"] == 7425
    assert counts["amphoe:2"] == 928
    assert counts["province:1"] == 77
    assert counts["cluster:1"] == 18
    assert counts["region:0"] == 5


def test_country_detail_drops_most_vertices_but_keeps_the_coverage(ro_con):
    rows = ro_con.execute(
        "SELECT detail, sum(vertices) FROM map_shape WHERE level = 'tambon' GROUP BY 1"
    ).fetchall()
    vertices = dict(rows)
    assert vertices[0] < 0.6 * vertices[3]
    texts = [
        r[0]
        for r in ro_con.execute(
            "SELECT geojson FROM map_shape WHERE level = 'province' AND detail = 0"
        ).fetchall()
    ]
    simplified = shapely.from_geojson(texts)
    whole = shapely.union_all(shapely.make_valid(simplified))
    source = shapely.from_wkb(
        ro_con.execute("SELECT ST_AsWKB(ST_Union_Agg(geom)) FROM province").fetchone()[0]
    )
    # a coverage simplification leaves no gaps: the union keeps its area within 1%
    assert abs(whole.area - source.area) / source.area < 0.01
    # and neighbours still overlap by (almost) nothing
    assert sum(shapely.area(shapely.make_valid(simplified))) == pytest.approx(whole.area, rel=0.01)


def test_encoded_geometry_decodes_to_the_same_shape():
    geom = shapely.MultiPolygon(
        [
            shapely.Polygon([(100.1234, 13.5), (100.2, 13.5), (100.2, 13.6), (100.1234, 13.5)]),
            shapely.Polygon(
                [(101, 14), (101.5, 14), (101.5, 14.5), (101, 14)],
                [[(101.1, 14.05), (101.3, 14.05), (101.3, 14.2), (101.1, 14.05)]],
            ),
        ]
    )
    packed = encode_geometry(shapely.to_geojson(geom), 4)
    assert packed[0][0][:2] == [1001234, 135000]  # absolute first vertex, then deltas
    assert packed[0][0][2:4] == [766, 0]
    assert _decode(packed, 10**4).equals(geom)


def test_shape_file_is_static_compact_and_escapes_names(con):
    con.execute("UPDATE tambon SET name_th = ?, name_en = ? WHERE pcode = 'TH100101'", [EVIL, EVIL])
    mapping.clear_shape_cache()
    try:
        shapes = mapping.shape_file(con, View("amphoe", "TH1001", "tambon", "codi-18"))
    finally:
        mapping.clear_shape_cache()
    assert shapes.url.startswith("/app/static/shapes/") and shapes.path.exists()
    packed = json.loads(shapes.path.read_text(encoding="utf-8"))
    i = packed["p"].index("TH100101")
    assert packed["n"][i] == "&lt;img src=x onerror=alert(1)&gt; `x` ${1}"
    assert "<img" not in shapes.path.read_text(encoding="utf-8")
    assert len(packed["g"]) == len(shapes.codes) == 12
    assert shapes.gzip_size == len(gzip.compress(shapes.path.read_bytes(), 6))


def test_views_breadcrumbs_and_clicks(ro_con):
    tambon = View("tambon", "TH100101", "tambon", "codi-18")
    chain = [(c.level, c.code) for c in mapping.breadcrumb(ro_con, tambon)]
    assert chain == [
        ("country", None),
        ("region", "bangkok"),
        ("cluster", "c10"),
        ("province", "TH10"),
        ("amphoe", "TH1001"),
        ("tambon", "TH100101"),
    ]
    names = [c.name_th for c in mapping.breadcrumb(ro_con, tambon)]
    assert (
        names[2]
        == "10. "
        + ro_con.execute(
            "SELECT name_th FROM grouping_cluster WHERE grouping = 'codi-18' AND code = 'c10'"
        ).fetchone()[0]
    )  # numbered, so it is not read as its region of the same name
    assert names[1] != names[2]
    # the same numbered names in the map's tooltips and drill-down list
    shapes = mapping.shape_file(ro_con, View("region", "bangkok", "cluster", "codi-18"))
    assert [th for th, _ in shapes.names] == [html.escape(names[2])]
    # a click on Bangkok's Grand Palace
    assert (
        mapping.area_at(ro_con, View("country", None, "province", "codi-18"), 100.4913, 13.7500)
        == "TH10"
    )
    assert (
        mapping.area_at(ro_con, View("country", None, "region", "codi-18"), 100.4913, 13.7500)
        == "bangkok"
    )
    assert (
        mapping.area_at(ro_con, View("province", "TH10", "tambon", "codi-18"), 100.4913, 13.7500)
        == "TH100101"
    )
    # outside the viewed province: nothing
    assert (
        mapping.area_at(ro_con, View("province", "TH50", "amphoe", "codi-18"), 100.4913, 13.7500)
        is None
    )
    scope = mapping.scope_of(ro_con, View("cluster", "c10", "province", "codi-18"))
    assert scope.provinces is not None and "TH10" in scope.provinces


@pytest.mark.parametrize(
    ("level", "code", "show"),
    [
        ("country", "TH10", "province"),
        ("province", "TH1", "amphoe"),
        ("amphoe", "TH1001", "amphoe"),
        ("nation", None, "province"),
        ("country", None, "country"),
    ],
)
def test_bad_views_are_refused(level, code, show):
    with pytest.raises(ValueError):
        View(level, code, show, "codi-18")


def test_built_map_loads_nothing_from_outside_and_escapes_layer_popups(ro_con):
    rows = [{"lon": 100.49, "lat": 13.75, "name": EVIL, "kind": EVIL}]
    layer = MapLayer(
        "xss_test",
        EVIL,
        EVIL,
        "point",
        lambda con, scope, user: rows,
        popup=(PopupField("kind", EVIL, EVIL),),
        title_field="name",
        demo_fed=True,
    )
    result = mapping.build_map(
        ro_con, View("tambon", "TH100101", "tambon", "codi-18"), "area_km2", basemap="none"
    )
    mapping._add_layer(result.map, layer, ro_con, Scope("TH100101"), None, "th")
    page = result.map.get_root().render()
    assert not re.search(r"""(src|href)=["']https?://""", page)
    assert "<img src=x" not in page
    assert "&lt;img src=x onerror=alert(1)&gt; `x` ${1}" in page
    assert "ข้อมูลสาธิต" in page  # demo layers say so in their popups


def test_ranking_lists_the_extremes_of_the_map(ro_con):
    result = mapping.build_map(
        ro_con, View("country", None, "province", "codi-18"), "area_km2", basemap="none"
    )
    top = mapping.ranking(result, 3)
    bottom = mapping.ranking(result, 3, highest=False)
    largest = ro_con.execute("SELECT pcode FROM province ORDER BY area_km2 DESC LIMIT 1")
    assert top[0]["pcode"] == largest.fetchone()[0]
    assert [r["value"] for r in top] == sorted((r["value"] for r in top), reverse=True)
    assert bottom[0]["value"] <= bottom[-1]["value"] < top[-1]["value"]


def test_a_grouping_made_after_the_build_still_maps(con):
    """Clusters of a grouping stored after the last build are simplified on the fly."""
    for table in ("grouping", "grouping_region", "grouping_cluster", "grouping_province"):
        columns = [
            r[0]
            for r in con.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_name = ? "
                "ORDER BY ordinal_position",
                [table],
            ).fetchall()
        ]
        key = "name" if table == "grouping" else "grouping"
        picked = ", ".join("'later-1'" if c == key else c for c in columns)
        con.execute(f"INSERT INTO {table} SELECT {picked} FROM {table} WHERE {key} = 'codi-18'")
    con.execute("UPDATE grouping SET is_default = false WHERE name = 'later-1'")
    assert not con.execute("SELECT count(*) FROM map_shape WHERE grouping = 'later-1'").fetchone()[
        0
    ]
    mapping.clear_shape_cache()
    try:
        shapes = mapping.shape_file(con, View("country", None, "cluster", "later-1"))
        region = mapping.shape_file(con, View("region", "north", "cluster", "later-1"))
    finally:
        mapping.clear_shape_cache()
    assert len(shapes.codes) == 18
    assert len(region.codes) == 4
    packed = json.loads(shapes.path.read_text(encoding="utf-8"))
    assert all(packed["g"])
