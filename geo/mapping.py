"""Folium maps for the map explorer: a view of an area, its child areas coloured by an
indicator, a legend, escaped tooltips and the registered point/polygon layers.

How a map stays small and fast (the figures are in ``docs/design-map.md``):

- The shapes of a view (say, all 7,425 tambons at country detail) are a static
  GeoJSON file under ``static/shapes/`` named by the hash of its content, written once from
  the coverage-simplified shapes of ``map_shape`` (``geo.simplify``) and served by
  Streamlit's static file serving, gzip-compressed; the browser fetches it once per view.
- The map sent to the browser holds only the colour class and value of each area, aligned
  with the file's feature order. Changing the indicator resends that lookup, not shapes.
- Leaflet draws on a canvas (``prefer_canvas``): thousands of polygons stay fluid.

Escaping: folium does not escape tooltips or popups. Every text that reaches the map here
(place names, layer fields, indicator names, units) passes through ``html.escape`` on the
server, and the browser inserts only those escaped strings, concatenated (never evaluated
as template literals), so ``<img onerror>``, backticks and ``${...}`` show as text.

The parts live beside this module, and every name is importable from here:

* :mod:`geo.map_views`: :class:`View`, levels, breadcrumb, bounds, the area under a click;
* :mod:`geo.shape_files`: :class:`ShapeFile`, :func:`shape_file`, :func:`encode_geometry`;
* :mod:`geo.map_choropleth`: :class:`Choropleth`, :func:`choropleth`, the legend;
* :mod:`geo.map_elements`: the legend control, point/polygon layers, :func:`popup_html`.

This module builds the map (:func:`build_map`) and what the page shows beside it.
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass, field
from typing import Any

import folium

from data.settings import setting
from geo.area_layer import AreaChoropleth, ContextAreas, MetricScale
from geo.classify import NO_DATA_COLOR
from geo.layers import MapLayer, Scope, get_layer, layers, rows_of
from geo.map_choropleth import Choropleth, choropleth, format_number, legend_html, legend_rows
from geo.map_elements import Legend, PointLayer, PolygonLayer, _js_json, _popup_value, popup_html
from geo.map_views import (
    _AREA_NAMES,
    AREA_LEVELS,
    LEVEL_NAMES,
    THAILAND_BOUNDS,
    Crumb,
    View,
    _member_sql,
    _name_of,
    _run,
    area_at,
    bounds_of,
    breadcrumb,
    child_level,
    level_name,
    scope_of,
    showable_levels,
    view_of,
    with_show,
)
from geo.shape_files import (
    DETAIL_DECIMALS,
    NAMES_INLINE_MAX,
    SHAPES_DIR,
    SHAPES_URL,
    ShapeFile,
    _shape_cache,
    _shape_lock,
    _shape_rows,
    _write_static,
    clear_shape_cache,
    encode_geometry,
    shape_file,
)
from geo.static_assets import use_local_assets
from geo.tile_layers import LayerLegend, TileLayer, layer_legend_html, tile_layer_data

# ---------------------------------------------------------------------------------------
# The map


@dataclass
class MapResult:
    """A built map and what the page shows beside it."""

    map: folium.Map
    view: View
    shapes: ShapeFile
    choropleth: Choropleth
    # features drawn per layer; None for a layer drawn from vector tiles (the browser
    # fetches what it shows, the server does not count it)
    layers_drawn: dict[str, int | None] = field(default_factory=dict)
    layers_cut: dict[str, int] = field(default_factory=dict)


def build_map(
    con,
    view: View,
    indicator_key: str,
    *,
    method: str = "quantiles",
    k: int = 5,
    lang: str = "th",
    layer_keys: tuple[str, ...] = (),
    user: Any = None,
    basemap: str | None = None,
    height: int = 560,
    points_in_page: bool = False,
) -> MapResult:
    """The folium map of ``view`` coloured by ``indicator_key``, with the chosen layers.

    ``basemap`` is ``"none"`` (default: no request leaves the server) or ``"osm"``;
    unknown values fall back to none. Layers the user may not see are skipped. Public
    layers with a source are drawn from vector tiles (``geo.tile_layers``); the others, and
    all of them with ``points_in_page=True`` (the way before tiles, kept for comparison),
    carry their features in the page.
    """
    use_local_assets()
    shapes = shape_file(con, view)
    ch = choropleth(con, view, shapes, indicator_key, method, k)
    west, south, east, north = bounds_of(con, view)
    basemap = (basemap or setting("PHANG_BASEMAP")).strip().lower()
    m = folium.Map(
        location=[(south + north) / 2, (west + east) / 2],
        zoom_start=6,
        tiles=None,
        prefer_canvas=True,
        control_scale=False,  # MetricScale: kilometres only
        height=height,
        zoom_snap=0.25,
    )
    if basemap == "osm":
        folium.TileLayer("OpenStreetMap", name="OpenStreetMap").add_to(m)
    m.fit_bounds([[south, west], [north, east]])
    classes = "".join(chr(48 + c) if c >= 0 else "/" for c in ch.classes.labels)
    lookup = {
        "url": shapes.url,
        "classes": classes,
        "values": list(ch.values),
        "colors": list(ch.classes.colors),
        "nodataColor": NO_DATA_COLOR,
        "decimals": ch.indicator.decimals,
        "locale": "th-TH" if lang == "th" else "en-US",
        # plain text: the map script escapes every string it puts on the page
        "label": ch.indicator.name(lang),
        "unit": ch.indicator.unit(lang),
        "nodata": "ไม่มีข้อมูล" if lang == "th" else "no data",
        "weight": 0.3 if len(shapes.codes) > 2000 else (0.6 if len(shapes.codes) > 300 else 1),
        "lang": lang,
        # a tap on a phone shows the value; this button then opens the area
        "open": None
        if view.level == "tambon"
        else ("เปิดพื้นที่นี้ ›" if lang == "th" else "Open this area ›"),
    }
    MetricScale().add_to(m)
    if view.level == "tambon":  # the tambon among its amphoe's other tambons, greyed
        around = shape_file(con, view_of("amphoe", view.code[:6], view.grouping, "tambon"))
        ContextAreas(around.url, view.code, lang).add_to(m)
    AreaChoropleth(lookup).add_to(m)
    Legend(legend_html(ch, lang)).add_to(m)
    result = MapResult(m, view, shapes, ch)
    if layer_keys:
        scope = scope_of(con, view)
        visible = layers(user)
        drawn_layers, tiled = [], set()
        for key in layer_keys:
            layer = visible.get(key)
            if layer is None or not layer.shown_at(view.level):
                continue
            drawn_layers.append(layer)
            if layer.tiled and not points_in_page:
                TileLayer(tile_layer_data(con, layer, lang, scope)).add_to(m)
                result.layers_drawn[key] = None
                tiled.add(key)
                continue
            drawn, cut = _add_layer(m, layer, con, scope, user, lang)
            result.layers_drawn[key] = drawn
            if cut:
                result.layers_cut[key] = cut
        if drawn_layers:
            LayerLegend(layer_legend_html(drawn_layers, tiled, lang)).add_to(m)
    return result


def _add_layer(
    m: folium.Map, layer: MapLayer, con, scope: Scope, user: Any, lang: str
) -> tuple[int, int]:
    rows = rows_of(layer, con, scope, user)
    cut = max(0, len(rows) - layer.max_features)
    rows = rows[: layer.max_features]
    title = layer.title_field
    if layer.kind == "point":
        data = [
            [
                round(float(r["lon"]), 5),
                round(float(r["lat"]), 5),
                popup_html(layer, r, lang),
                html.escape(str(r.get(title) or "")) if title else "",
            ]
            for r in rows
        ]
        PointLayer(
            {
                "key": layer.key,
                "rows": data,
                "color": layer.color,
                "cluster": bool(layer.cluster and len(rows) > 50),
            }
        ).add_to(m)
    else:
        data = [
            [
                json.loads(r["geojson"]),
                popup_html(layer, r, lang),
                html.escape(str(r.get(title) or "")) if title else "",
            ]
            for r in rows
        ]
        PolygonLayer({"key": layer.key, "rows": data, "color": layer.color}).add_to(m)
    return len(rows), cut


def ranking(result: MapResult, n: int = 10, highest: bool = True) -> list[dict]:
    """The ``n`` areas of a built map with the highest (or lowest) values, for a table."""
    rows = [
        {"pcode": code, "name_th": th, "name_en": en, "value": value}
        for code, (th, en), value in zip(
            result.shapes.codes, result.shapes.names, result.choropleth.values, strict=True
        )
        if value is not None
    ]
    rows.sort(key=lambda r: (r["value"], r["pcode"]), reverse=highest)
    return rows[:n]


def layer_choices(user: Any, view: View) -> dict[str, MapLayer]:
    """The layers ``user`` may switch on in ``view``."""
    return {k: la for k, la in layers(user).items() if la.shown_at(view.level)}


__all__ = [
    "AREA_LEVELS",
    "DETAIL_DECIMALS",
    "LEVEL_NAMES",
    "NAMES_INLINE_MAX",
    "SHAPES_DIR",
    "SHAPES_URL",
    "THAILAND_BOUNDS",
    "_AREA_NAMES",
    "Choropleth",
    "Crumb",
    "Legend",
    "MapResult",
    "PointLayer",
    "PolygonLayer",
    "ShapeFile",
    "View",
    "_add_layer",
    "_js_json",
    "_member_sql",
    "_name_of",
    "_popup_value",
    "_run",
    "_shape_cache",
    "_shape_lock",
    "_shape_rows",
    "_write_static",
    "area_at",
    "bounds_of",
    "breadcrumb",
    "build_map",
    "child_level",
    "choropleth",
    "clear_shape_cache",
    "encode_geometry",
    "format_number",
    "get_layer",
    "layer_choices",
    "legend_html",
    "legend_rows",
    "level_name",
    "popup_html",
    "ranking",
    "scope_of",
    "shape_file",
    "showable_levels",
    "view_of",
    "with_show",
]
