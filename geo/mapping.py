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
"""

from __future__ import annotations

import gzip
import hashlib
import html
import json
import threading
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, ClassVar

import folium
import shapely
from branca.element import MacroElement
from folium.elements import JSCSSMixin
from jinja2 import Template

from analysis.catalogue import Indicator, compute
from analysis.catalogue import get as get_indicator
from data.settings import setting
from geo.area_layer import AreaChoropleth, ContextAreas, MetricScale
from geo.classify import NO_DATA_COLOR, Classes, classify
from geo.layers import VIEW_LEVELS, MapLayer, PopupField, Scope, get_layer, layers, rows_of
from geo.simplify import DETAILS, VIEW_DETAIL, shapes_build_id, simplified
from geo.static_assets import STATIC_DIR, use_local_assets
from geo.tile_layers import LayerLegend, TileLayer, layer_legend_html, tile_layer_data

AREA_LEVELS = ("region", "cluster", "province", "amphoe", "tambon")
LEVEL_NAMES = {
    "country": ("ประเทศไทย", "Thailand"),
    "region": ("ภาค", "Region"),
    "cluster": ("กลุ่มจังหวัด", "Province cluster"),
    "province": ("จังหวัด", "Province"),
    "amphoe": ("อำเภอ", "Amphoe"),
    "tambon": ("ตำบล", "Tambon"),
}
THAILAND_BOUNDS = (97.34, 5.61, 105.64, 20.47)  # lon/lat box of the whole country
SHAPES_DIR = STATIC_DIR / "shapes"
SHAPES_URL = "/app/static/shapes"
DETAIL_DECIMALS = {d.level: d.decimals for d in DETAILS}
NAMES_INLINE_MAX = 1500  # more areas than this: names go in a file of their own


def level_name(level: str, lang: str = "th") -> str:
    th, en = LEVEL_NAMES[level]
    return th if lang == "th" else en


# ---------------------------------------------------------------------------------------
# Views: which area is on screen and which level of areas inside it is coloured


@dataclass(frozen=True)
class View:
    """An area on screen and the level of the areas drawn inside it.

    ``level`` is the level of the area viewed (``"country"`` for all of Thailand) and
    ``code`` its code (a P-code, or a cluster/region code of ``grouping``); ``show`` is the
    level of the areas coloured inside it (finer than ``level``; a tambon view shows the
    tambon itself).
    """

    level: str = "country"
    code: str | None = None
    show: str = "province"
    grouping: str = "codi-18"

    def __post_init__(self) -> None:
        if self.level not in VIEW_LEVELS:
            raise ValueError(
                f"view level must be one of {', '.join(VIEW_LEVELS)}, not {self.level!r}"
            )
        if (self.level == "country") != (self.code is None):
            raise ValueError("the country view has no code; every other view needs one")
        if self.show not in showable_levels(self.level):
            raise ValueError(
                f"a {self.level} view can show "
                f"{', '.join(showable_levels(self.level))}, not {self.show!r}"
            )
        if self.code is not None and self.level in ("province", "amphoe", "tambon"):
            digits = {"province": 2, "amphoe": 4, "tambon": 6}[self.level]
            if not (
                self.code.startswith("TH")
                and self.code[2:].isdigit()
                and len(self.code) == 2 + digits
            ):
                raise ValueError(f"{self.code!r} is not a {self.level} P-code")

    @property
    def detail(self) -> int:
        return VIEW_DETAIL[self.level]


def showable_levels(view_level: str) -> tuple[str, ...]:
    """The levels a view of ``view_level`` can colour (finer levels; a tambon: itself)."""
    if view_level == "tambon":
        return ("tambon",)
    start = 0 if view_level == "country" else AREA_LEVELS.index(view_level) + 1
    return AREA_LEVELS[start:]


def child_level(level: str) -> str:
    """The level one step down from ``level`` (a tambon's is itself)."""
    return showable_levels(level)[0]


def view_of(level: str, code: str | None, grouping: str, show: str | None = None) -> View:
    """The view of an area showing its children (or ``show`` if it is valid there)."""
    options = showable_levels(level)
    return View(level, code, show if show in options else options[0], grouping)


@dataclass(frozen=True)
class Crumb:
    level: str
    code: str | None
    name_th: str
    name_en: str

    def name(self, lang: str = "th") -> str:
        return self.name_th if lang == "th" else self.name_en


# Every area's code, shown names and parent code, one SELECT per level. Clusters are
# numbered as CODI names them ("10. ..."), so a cluster is never read as its region of the
# same name (cluster 10 and the Bangkok region).
_AREA_NAMES = {
    "region": "SELECT code, name_th, name_en, NULL AS parent FROM grouping_region "
    "WHERE grouping = $g",
    "cluster": "SELECT code, no || '. ' || name_th AS name_th, no || '. ' || name_en AS name_en, "
    "region_code AS parent FROM grouping_cluster WHERE grouping = $g",
    "province": "SELECT p.pcode AS code, p.name_th, p.name_en, gp.cluster_code AS parent "
    "FROM province p LEFT JOIN grouping_province gp ON gp.province_pcode = p.pcode "
    "AND gp.grouping = $g",
    "amphoe": "SELECT pcode AS code, name_th, name_en, province_pcode AS parent FROM amphoe",
    "tambon": "SELECT pcode AS code, name_th, name_en, amphoe_pcode AS parent FROM tambon",
}


def _name_of(con, level: str, code: str, grouping: str) -> tuple[str, str, str | None]:
    row = _run(
        con,
        f"SELECT name_th, name_en, parent FROM ({_AREA_NAMES[level]}) WHERE code = $code",
        {"g": grouping, "code": code},
    ).fetchone()
    if row is None:
        raise KeyError(
            f"no {level} {code!r}"
            + (f" in grouping {grouping!r}" if level in ("region", "cluster") else "")
        )
    return row[0], row[1], row[2]


def breadcrumb(con, view: View) -> list[Crumb]:
    """The chain of areas from the whole country down to the viewed area."""
    chain: list[Crumb] = []
    level, code = view.level, view.code
    parents = {"tambon": "amphoe", "amphoe": "province", "province": "cluster", "cluster": "region"}
    while level != "country" and code is not None:
        th, en, parent = _name_of(con, level, code, view.grouping)
        chain.append(Crumb(level, code, th, en))
        level = parents.get(level, "country")
        code = parent
    chain.append(Crumb("country", None, *LEVEL_NAMES["country"]))
    return chain[::-1]


def scope_of(con, view: View) -> Scope:
    """The view's area as a layer scope (P-code prefix, or provinces of a cluster/region)."""
    if view.level == "country":
        return Scope("")
    if view.level in ("province", "amphoe", "tambon"):
        return Scope(view.code or "")
    column = "cluster_code" if view.level == "cluster" else "gc.region_code"
    rows = con.execute(
        f"""SELECT gp.province_pcode FROM grouping_province gp
            JOIN grouping_cluster gc ON gc.grouping = gp.grouping AND gc.code = gp.cluster_code
            WHERE gp.grouping = ? AND {column} = ? ORDER BY 1""",
        [view.grouping, view.code],
    ).fetchall()
    return Scope("", tuple(r[0] for r in rows))


def _member_sql(con, view: View) -> tuple[str, dict]:
    """SQL condition on ``s.code`` (an area of ``view.show``) for areas inside the view."""
    if view.level == "country":
        return "TRUE", {}
    if view.show == "cluster":  # only inside a region
        return (
            "s.code IN (SELECT code FROM grouping_cluster WHERE grouping = $g "
            "AND region_code = $area)",
            {"area": view.code},
        )
    return scope_of(con, view).matches_sql("s.code"), {}


def bounds_of(con, view: View) -> tuple[float, float, float, float]:
    """(west, south, east, north) of the viewed area."""
    if view.level == "country":
        return THAILAND_BOUNDS
    if view.level in ("region", "cluster"):
        table = "grouping_region" if view.level == "region" else "grouping_cluster"
        row = con.execute(
            f"SELECT ST_XMin(geom), ST_YMin(geom), ST_XMax(geom), ST_YMax(geom) "
            f"FROM {table} WHERE grouping = ? AND code = ?",
            [view.grouping, view.code],
        ).fetchone()
    else:
        row = con.execute(
            f"SELECT ST_XMin(geom), ST_YMin(geom), ST_XMax(geom), ST_YMax(geom) "
            f"FROM {view.level} WHERE pcode = ?",
            [view.code],
        ).fetchone()
    if row is None:
        raise KeyError(f"no {view.level} {view.code!r}")
    return tuple(float(v) for v in row)


def area_at(con, view: View, lon: float, lat: float) -> str | None:
    """The code of the area of ``view.show`` inside the view that contains (lon, lat)."""
    member, params = _member_sql(con, view)
    point = "ST_Point($lon, $lat)"
    if view.show in ("region", "cluster"):
        table = "grouping_region" if view.show == "region" else "grouping_cluster"
        sql = (
            f"SELECT s.code FROM {table} s WHERE s.grouping = $g AND {member} "
            f"AND ST_Contains(s.geom, {point}) LIMIT 1"
        )
    else:
        sql = (
            f"SELECT s.code FROM (SELECT pcode AS code, geom FROM {view.show}) s "
            f"WHERE {member} AND ST_XMin(s.geom) <= $lon AND ST_XMax(s.geom) >= $lon "
            f"AND ST_YMin(s.geom) <= $lat AND ST_YMax(s.geom) >= $lat "
            f"AND ST_Contains(s.geom, {point}) LIMIT 1"
        )
    row = _run(
        con, sql, {"lon": float(lon), "lat": float(lat), "g": view.grouping, **params}
    ).fetchone()
    return row[0] if row else None


# ---------------------------------------------------------------------------------------
# Shape files: the static GeoJSON of a view, written once, served by Streamlit


@dataclass(frozen=True)
class ShapeFile:
    """A view's shapes as a static GeoJSON file: its URL and the codes in feature order."""

    url: str
    path: Path
    codes: tuple[str, ...]
    names: tuple[tuple[str, str], ...]
    size: int
    gzip_size: int
    names_url: str | None = None  # set when the names are in a file of their own
    names_gzip_size: int = 0


_shape_cache: dict[tuple, ShapeFile] = {}
_shape_lock = threading.Lock()


def shape_file(con, view: View) -> ShapeFile:
    """The static shape file of ``view`` (written under ``static/shapes`` if missing).

    Names are HTML-escaped in the file. Cached per process by the shapes' build id.
    """
    build_id = shapes_build_id(con)
    key = (build_id, view)
    with _shape_lock:
        cached = _shape_cache.get(key)
    if cached is not None and cached.path.exists():
        return cached
    rows = _shape_rows(con, view, build_id)
    decimals = DETAIL_DECIMALS[view.detail]
    names = {
        "p": [html.escape(r[0]) for r in rows],
        "n": [html.escape(r[1] or "") for r in rows],
        "e": [html.escape(r[2] or "") for r in rows],
    }
    payload: dict[str, Any] = {"v": 1, "q": 10**decimals}
    names_url, names_gzip = None, 0
    if len(rows) > NAMES_INLINE_MAX:
        # thousands of areas: the names (only needed on hover) follow in their own file,
        # fetched once the map is drawn
        names_path, _, names_gzip = _write_static(names)
        names_url = f"{SHAPES_URL}/{names_path.name}"
        payload.update(p=names["p"], names=names_url)
    else:
        payload.update(names)
    payload["g"] = [encode_geometry(r[3], decimals) for r in rows]
    path, size, gzip_size = _write_static(payload)
    result = ShapeFile(
        f"{SHAPES_URL}/{path.name}",
        path,
        tuple(r[0] for r in rows),
        tuple((r[1], r[2]) for r in rows),
        size,
        gzip_size,
        names_url,
        names_gzip,
    )
    with _shape_lock:
        _shape_cache[key] = result
    return result


def _write_static(payload: dict) -> tuple[Path, int, int]:
    """Write ``payload`` as JSON under ``static/shapes``, named by its content's hash."""
    data = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    path = SHAPES_DIR / f"{hashlib.sha256(data).hexdigest()[:24]}.json"
    if not path.exists():
        SHAPES_DIR.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{threading.get_ident()}.tmp")
        tmp.write_bytes(data)
        tmp.replace(path)
    return path, len(data), len(gzip.compress(data, 6))


def encode_geometry(geojson: str, decimals: int) -> list:
    """A (Multi)Polygon as compact integer arrays: polygons -> rings -> [x0, y0, dx, dy, ...].

    Coordinates are quantized to ``decimals`` and each vertex is stored as the difference
    from the previous one: a national tambon map shrinks to about half its gzip size.
    ``decodeShapes`` in the map's script turns it back into GeoJSON.
    """
    geom = json.loads(geojson)
    polygons = geom["coordinates"] if geom["type"] == "MultiPolygon" else [geom["coordinates"]]
    if geom["type"] not in ("Polygon", "MultiPolygon"):
        raise ValueError(f"map shapes must be polygons, not {geom['type']}")
    q = 10**decimals
    out = []
    for polygon in polygons:
        rings = []
        for ring in polygon:
            flat: list[int] = []
            px = py = 0
            for x, y in ring:
                ix, iy = round(x * q), round(y * q)
                flat.append(ix - px)
                flat.append(iy - py)
                px, py = ix, iy
            rings.append(flat)
        out.append(rings)
    return out


def clear_shape_cache() -> None:
    """Forget the shape files made in this process (after names changed in place, say)."""
    with _shape_lock:
        _shape_cache.clear()


def _shape_rows(con, view: View, build_id: str | None) -> list[tuple]:
    member, params = _member_sql(con, view)
    names = _AREA_NAMES[view.show]
    grouping = view.grouping if view.show in ("region", "cluster") else ""
    sql = f"""SELECT s.code, a.name_th, a.name_en, s.geojson
              FROM map_shape s JOIN ({names}) a ON a.code = s.code
              WHERE s.level = $level AND s.grouping = $sg AND s.detail = $detail AND {member}
              ORDER BY s.code"""
    args = {"level": view.show, "sg": grouping, "detail": view.detail, "g": view.grouping, **params}
    rows = _run(con, sql, args).fetchall() if build_id else []
    if rows or view.show not in ("region", "cluster"):
        return rows
    # a grouping made after the last build: simplify its shapes now, the same way
    table = "grouping_region" if view.show == "region" else "grouping_cluster"
    fallback = f"""SELECT s.code, a.name_th, a.name_en, ST_AsWKB(s.geom)
                   FROM {table} s JOIN ({names}) a ON a.code = s.code
                   WHERE s.grouping = $g AND {member} ORDER BY s.code"""
    found = _run(con, fallback, {"g": view.grouping, **params}).fetchall()
    if not found:
        return []
    geoms = shapely.from_wkb([bytes(r[3]) for r in found])
    texts = shapely.to_geojson(simplified(geoms, DETAILS[view.detail])).tolist()
    return [(r[0], r[1], r[2], text) for r, text in zip(found, texts, strict=True)]


# ---------------------------------------------------------------------------------------
# Choropleth values


@dataclass(frozen=True)
class Choropleth:
    """An indicator's values for the areas of a shape file, classed and coloured."""

    indicator: Indicator
    values: tuple[float | None, ...]
    classes: Classes
    method: str


def choropleth(
    con, view: View, shapes: ShapeFile, indicator_key: str, method: str = "quantiles", k: int = 5
) -> Choropleth:
    """Values of ``indicator_key`` for the areas in ``shapes``, classed by ``method``."""
    indicator = get_indicator(indicator_key)
    if view.show not in indicator.levels:
        raise ValueError(f"indicator {indicator_key!r} is not defined for {view.show}")
    within = view.code if view.level in ("province", "amphoe", "tambon") else None
    frame = compute(con, indicator_key, view.show, view.grouping, within)
    by_code = dict(zip(frame["pcode"].astype(str), frame["value"], strict=True))
    values = []
    for code in shapes.codes:
        v = by_code.get(code)
        values.append(None if v is None or v != v else round(float(v), indicator.decimals + 2))
    classes = classify(values, method, k, indicator.higher_is)
    return Choropleth(indicator, tuple(values), classes, classes.method.value)


def format_number(value: float | None, decimals: int) -> str:
    if value is None:
        return "–"
    return f"{value:,.{decimals}f}"


def legend_rows(ch: Choropleth, lang: str = "th") -> list[tuple[str, str]]:
    """(colour, label) per class, plus no-data when some area has no value."""
    d = ch.indicator.decimals
    rows = []
    b = ch.classes.breaks
    for i, color in enumerate(ch.classes.colors):
        if b[i] == b[i + 1]:  # one value only (the lowest of a few distinct ones)
            label = format_number(b[i + 1], d)
        else:  # a range, upper edge included (with few distinct values: from the one below)
            label = f"{format_number(b[i], d)} – {format_number(b[i + 1], d)}"
        rows.append((color, label))
    if -1 in ch.classes.labels:
        rows.append((NO_DATA_COLOR, "ไม่มีข้อมูล" if lang == "th" else "No data"))
    return rows


def legend_html(ch: Choropleth, lang: str = "th") -> str:
    """The legend as escaped HTML: indicator, unit, method, classes, demo note."""
    ind = ch.indicator
    method = {
        "quantiles": ("ควอนไทล์", "quantiles"),
        "natural_breaks": ("ช่วงธรรมชาติ (Jenks)", "natural breaks (Jenks)"),
    }[ch.method]
    esc = html.escape
    parts = [
        f'<div style="font-weight:600">{esc(ind.name(lang))}</div>',
        f'<div style="color:#555">{esc(ind.unit(lang))} · '
        f"{esc(method[0] if lang == 'th' else method[1])}</div>",
    ]
    for color, label in legend_rows(ch, lang):
        parts.append(
            f'<div><span style="display:inline-block;width:14px;height:10px;'
            f'background:{color};border:1px solid #999;margin-right:4px"></span>'
            f"{esc(label)}</div>"
        )
    if ind.demo_fed:
        parts.append(
            '<div style="color:#b35806;font-weight:600">'
            + esc("ข้อมูลสาธิต" if lang == "th" else "Demo data")
            + "</div>"
        )
    return "".join(parts)


# ---------------------------------------------------------------------------------------
# Map elements


class Legend(MacroElement):
    """An HTML legend control (branca's colormap would pull d3 from a CDN)."""

    _template = Template("""
{% macro script(this, kwargs) %}
(function () {
  var legend = L.control({position: "bottomright"});
  legend.onAdd = function () {
    var div = L.DomUtil.create("div", "phang-legend");
    div.style.cssText = "background:rgba(255,255,255,.92);padding:6px 8px;font-size:12px;" +
      "line-height:1.35;border-radius:4px;box-shadow:0 1px 4px rgba(0,0,0,.3);" +
      "max-width:46vw;max-height:40vh;overflow:auto";
    div.innerHTML = {{ this.html_json }};
    return div;
  };
  legend.addTo({{ this._parent.get_name() }});
})();
{% endmacro %}
""")

    def __init__(self, legend: str) -> None:
        super().__init__()
        self._name = "Legend"
        self.html_json = _js_json(legend)


class PointLayer(JSCSSMixin, MacroElement):
    """Points with escaped popups, clustered with Leaflet.markercluster when dense."""

    _template = Template("""
{% macro script(this, kwargs) %}
(function () {
  var d = {{ this.data_json }};
  var map = {{ this._parent.get_name() }};
  // markercluster needs a maxZoom, which only tile layers set otherwise
  if (!map.options.maxZoom) { map.options.maxZoom = 18; }
  var group = d.cluster ? L.markerClusterGroup({chunkedLoading: true, maxClusterRadius: 50})
                        : L.featureGroup();
  for (var i = 0; i < d.rows.length; i++) {
    var r = d.rows[i];
    var m = L.circleMarker([r[1], r[0]], {radius: 5, color: "#fff", weight: 1,
                                           fillColor: d.color, fillOpacity: 0.9});
    m.bindPopup(r[2]);
    if (r[3]) { m.bindTooltip(r[3]); }
    group.addLayer(m);
  }
  group.addTo(map);
  window.__phang = window.__phang || {};
  window.__phang.layers = window.__phang.layers || {};
  window.__phang.layers[d.key] = d.rows.length;
})();
{% endmacro %}
""")
    default_js: ClassVar[list[tuple[str, str]]] = [
        (
            "markerclusterjs",
            "/app/static/vendor/leaflet.markercluster/dist/leaflet.markercluster.js",
        )
    ]
    default_css: ClassVar[list[tuple[str, str]]] = [
        ("markerclustercss", "/app/static/vendor/leaflet.markercluster/dist/MarkerCluster.css"),
        (
            "markerclusterdefaultcss",
            "/app/static/vendor/leaflet.markercluster/dist/MarkerCluster.Default.css",
        ),
    ]

    def __init__(self, data: dict) -> None:
        super().__init__()
        self._name = "PointLayer"
        self.data_json = _js_json(data)


class PolygonLayer(MacroElement):
    """Polygons of a registered layer with escaped popups."""

    _template = Template("""
{% macro script(this, kwargs) %}
(function () {
  var d = {{ this.data_json }};
  var group = L.featureGroup();
  d.rows.forEach(function (r) {
    var l = L.geoJSON(r[0], {style: {color: d.color, weight: 2, fillOpacity: 0.25}});
    l.bindPopup(r[1]);
    if (r[2]) { l.bindTooltip(r[2]); }
    group.addLayer(l);
  });
  group.addTo({{ this._parent.get_name() }});
  window.__phang = window.__phang || {};
  window.__phang.layers = window.__phang.layers || {};
  window.__phang.layers[d.key] = d.rows.length;
})();
{% endmacro %}
""")

    def __init__(self, data: dict) -> None:
        super().__init__()
        self._name = "PolygonLayer"
        self.data_json = _js_json(data)


def _run(con, sql: str, params: dict):
    """Execute ``sql`` with only the named parameters it uses (DuckDB refuses extras)."""
    used = {k: v for k, v in params.items() if f"${k}" in sql}
    return con.execute(sql, used)


def _js_json(value: Any) -> str:
    """JSON safe to place inside a <script>: no '</' can close the script early."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return text.replace("</", "<\\/").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def popup_html(layer: MapLayer, row: dict, lang: str = "th") -> str:
    """A layer row's popup: escaped labels and values, one per line, plus the demo note."""
    esc = html.escape
    lines = [f'<div style="font-weight:600">{esc(layer.name(lang))}</div>']
    for f in layer.popup:
        lines.append(
            f"<div><span style='color:#666'>{esc(f.label(lang))}:</span> "
            f"{esc(_popup_value(row.get(f.column), f))}</div>"
        )
    if layer.demo_fed:
        lines.append(f"<div style='color:#b35806'>{esc(layer.demo_note(lang))}</div>")
    return "".join(lines)


def _popup_value(value: Any, f: PopupField) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return "–"
    if f.decimals is not None and isinstance(value, int | float):
        return f"{value:,.{f.decimals}f}"
    return str(value)


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


def with_show(view: View, show: str) -> View:
    return replace(view, show=show)


__all__ = [
    "AREA_LEVELS",
    "Choropleth",
    "Crumb",
    "MapResult",
    "ShapeFile",
    "View",
    "area_at",
    "bounds_of",
    "breadcrumb",
    "build_map",
    "child_level",
    "choropleth",
    "get_layer",
    "layer_choices",
    "legend_html",
    "level_name",
    "popup_html",
    "ranking",
    "scope_of",
    "shape_file",
    "showable_levels",
    "view_of",
    "with_show",
]
