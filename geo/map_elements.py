"""Map elements: the legend control, point and polygon layers with escaped popups.

Folium does not escape popups; :func:`popup_html` escapes every label and value, and
:func:`_js_json` keeps JSON placed inside a ``<script>`` from closing it. Part of
:mod:`geo.mapping` (every name is importable from there).
"""

from __future__ import annotations

import html
import json
from typing import Any, ClassVar

from branca.element import MacroElement
from folium.elements import JSCSSMixin
from jinja2 import Template

from geo.layers import MapLayer, PopupField


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
