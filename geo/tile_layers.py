"""Map layers drawn from vector tiles (``/tiles/...``) and the legend of the map's layers.

The map page no longer carries a layer's points: a :class:`TileLayer` names the tile URL of
the layer's current data version, and Leaflet.VectorGrid (vendored from npm, see
``geo.static_assets``) fetches and draws the tiles on a canvas in a pane above the
choropleth. Clusters (tile features with ``_n`` > 1, see ``geo.tiles``) are drawn larger and
paler; a click on one zooms in.

Hover and click are handled here, not by VectorGrid: its canvas tiles would cover the
choropleth and take its hover and clicks, and its click handler calls
``L.DomEvent.fakeStop``, which Leaflet 1.8+ no longer has. So the tiles' pane ignores the
pointer; every decoded feature is indexed by tile (its pixel position at the tile zoom), and
a capture-phase listener on the map finds the point under the pointer, shows its tooltip or
popup and stops the event, so the area underneath does not also open.

Escaping: tooltip and popup texts from tile properties (names typed by people) and the
labels are inserted with ``textContent`` into elements built with ``createElement``: no
tile value is ever parsed as HTML. The legend is server-made HTML with every text escaped.
"""

from __future__ import annotations

import html
import json
from typing import Any, ClassVar

from branca.element import MacroElement
from folium.elements import JSCSSMixin
from jinja2 import Template

from geo.layers import MapLayer, Scope
from geo.tile_store import data_version
from geo.tiles import scope_param

VECTORGRID_JS = "/app/static/vendor/leaflet.vectorgrid/dist/Leaflet.VectorGrid.bundled.min.js"
TILE_URL = "/tiles/{key}/{{z}}/{{x}}/{{y}}.mvt?v={version}"


def tile_layer_data(con, layer: MapLayer, lang: str = "th", scope: Scope | None = None) -> dict:
    """What the browser needs to draw ``layer`` from tiles (raw texts: shown as text);
    ``scope`` limits the tiles to the viewed area, as the page's layers always were."""
    th = lang == "th"
    url = TILE_URL.format(key=layer.key, version=data_version(con, layer))
    area = scope_param(scope)
    return {
        "key": layer.key,
        "kind": layer.kind,
        "url": url + (f"&in={area}" if area else ""),
        "color": layer.color,
        "name": layer.name(lang),
        "title": layer.title_field,
        "fields": [[f.column, f.label(lang), f.decimals] for f in layer.popup],
        "demo": layer.demo_note(lang) if layer.demo_fed else "",
        "locale": "th-TH" if th else "en-US",
        "cluster": "{n} จุด · คลิกเพื่อซูมเข้า" if th else "{n} points · click to zoom in",
    }


class TileLayer(JSCSSMixin, MacroElement):
    """A registry layer drawn from its vector tiles, with escaped tooltips and popups."""

    _template = Template("""
{% macro script(this, kwargs) %}
(function () {
  var d = {{ this.data_json }};
  var map = {{ this._parent.get_name() }};
  var P = window.__phang = window.__phang || {};
  P.layers = P.layers || {};
  P.tileLayers = P.tileLayers || [];
  if (!map.getPane("phangTiles")) {
    var pane = map.createPane("phangTiles");
    pane.style.zIndex = 450;            // above the choropleth (overlay pane, 400)
    pane.style.pointerEvents = "none";  // hover and clicks are found below, not by the tiles
    var css = document.createElement("style");
    css.textContent = ".phang-on-point .leaflet-tooltip:not(.phang-point-tip){display:none}" +
      ".phang-on-point{cursor:pointer}";
    document.head.appendChild(css);
  }
  function count(p) { return p._n || 1; }
  function radius(p) { var n = count(p); return n > 1 ? Math.min(15, 5 + 1.6 * Math.log2(n)) : 5; }
  function style(p) {
    if (d.kind === "polygon") {
      return {fill: true, fillColor: d.color, fillOpacity: 0.25, color: d.color, weight: 2};
    }
    // a white ring with a dark rim under each symbol: points stand out from the
    // choropleth whatever colour the area underneath has
    var r = radius(p);
    var halo = {radius: r + 1.5, fill: true, fillColor: "#fff", fillOpacity: 0.9,
                color: "#333", weight: 1, opacity: 0.9};
    if (count(p) > 1) {
      return [halo, {radius: r - 1, fill: true, fillColor: d.color, fillOpacity: 0.55,
                     color: d.color, weight: 1.5, opacity: 1}];
    }
    return [halo, {radius: r - 0.5, fill: true, fillColor: d.color, fillOpacity: 1,
                   stroke: false}];
  }
  var styles = {};
  styles[d.key] = style;
  var index = {};
  var Grid = L.VectorGrid.Protobuf.extend({
    _getVectorTilePromise: function (coords) {
      var self = this;
      // a tile that cannot be fetched is drawn empty: the layer still finishes loading
      return L.VectorGrid.Protobuf.prototype._getVectorTilePromise.call(this, coords)
        .catch(function () { return {layers: {}}; })
        .then(function (tile) { self._keep(coords, tile); return tile; });
    },
    _keep: function (coords, tile) {
      var layer = tile.layers && tile.layers[d.key];
      var items = [], n = 0;
      if (layer) {
        var e = layer.extent || 4096;
        var px = function (q) { return [(coords.x + q.x / e) * 256, (coords.y + q.y / e) * 256]; };
        layer.features.forEach(function (f) {
          var g = f.geometry;
          if (f.type === 1) {
            var q = g[0][0] || g[0];
            if (q.x < 0 || q.y < 0 || q.x >= e || q.y >= e) { return; }  // buffer copy
            var at = px(q);
            items.push({x: at[0], y: at[1], props: f.properties});
            n += count(f.properties);
          } else if (f.type === 3) {
            items.push({rings: g.map(function (ring) { return ring.map(px); }),
                        props: f.properties});
            n += 1;
          }
        });
      }
      index[this._tileCoordsToKey(coords)] = {z: coords.z, items: items, n: n};
    }
  });
  var grid = new Grid(d.url, {
    pane: "phangTiles", interactive: false, rendererFactory: L.canvas.tile,
    vectorTileLayerStyles: styles, maxZoom: 22, maxNativeZoom: 20, keepBuffer: 2
  });
  grid.on("tileunload", function (ev) { delete index[grid._tileCoordsToKey(ev.coords)]; });
  function tally() {  // features drawn at the current zoom (clusters count their points)
    var total = 0;
    for (var k in index) { if (index[k].z === grid._tileZoom) { total += index[k].n; } }
    P.layers[d.key] = total;
  }
  grid.on("load", tally);
  function inRings(pt, rings) {
    var inside = false;
    rings.forEach(function (r) {
      for (var i = 0, j = r.length - 1; i < r.length; j = i++) {
        if (((r[i][1] > pt.y) !== (r[j][1] > pt.y)) &&
            (pt.x < (r[j][0] - r[i][0]) * (pt.y - r[i][1]) / (r[j][1] - r[i][1]) + r[i][0])) {
          inside = !inside;
        }
      }
    });
    return inside;
  }
  function hit(latlng) {
    var z = grid._tileZoom;
    if (z === undefined || !grid._map) { return null; }
    var pt = map.project(latlng, z), scale = map.getZoomScale(map.getZoom(), z);
    var best = null, bestD = Infinity;
    for (var k in index) {
      var t = index[k];
      if (t.z !== z) { continue; }
      for (var i = 0; i < t.items.length; i++) {
        var it = t.items[i];
        if (it.rings) {
          if (!best && inRings(pt, it.rings)) { best = it; bestD = 1e9; }
          continue;
        }
        var dx = (it.x - pt.x) * scale, dy = (it.y - pt.y) * scale, dd = dx * dx + dy * dy;
        var r = radius(it.props) + 3;
        if (dd <= r * r && dd < bestD) { best = it; bestD = dd; }
      }
    }
    if (!best) { return null; }
    var at = best.rings ? latlng : map.unproject([best.x, best.y], z);
    return {layer: d, props: best.props, latlng: at, zoom: z};
  }
  function text(tag, value, css) {
    var el = document.createElement(tag);
    el.textContent = value;
    if (css) { el.style.cssText = css; }
    return el;
  }
  function value(v, decimals) {
    if (v === null || v === undefined || v === "") { return "–"; }
    if (typeof v === "number" && decimals !== null && decimals !== undefined) {
      return v.toLocaleString(d.locale, {minimumFractionDigits: decimals,
                                         maximumFractionDigits: decimals});
    }
    return String(v);
  }
  function tooltip(h) {
    var n = count(h.props), box = document.createElement("div");
    if (n > 1) {
      box.appendChild(text("b", d.name));
      box.appendChild(document.createElement("br"));
      box.appendChild(text("span", d.cluster.split("{n}").join(n.toLocaleString(d.locale))));
    } else {
      box.appendChild(text("b", value(h.props[d.title])));
    }
    return box;
  }
  function popup(h) {
    var box = document.createElement("div");
    box.appendChild(text("div", d.name, "font-weight:600"));
    d.fields.forEach(function (f) {
      var line = document.createElement("div");
      line.appendChild(text("span", f[1] + ": ", "color:#666"));
      line.appendChild(document.createTextNode(value(h.props[f[0]], f[2])));
      box.appendChild(line);
    });
    if (d.demo) { box.appendChild(text("div", d.demo, "color:#b35806")); }
    return box;
  }
  P.tileLayers.push({key: d.key, kind: d.kind, hit: hit, tooltip: tooltip, popup: popup});
  grid.addTo(map);
  if (map._phangPointer) { return; }
  // one pointer handler per map, asking every tile layer (points before polygons)
  map._phangPointer = true;
  var box = map.getContainer(), tip = null;
  function find(ev) {
    var t = ev.target;
    if (ev.buttons || (t.closest && t.closest(".leaflet-popup, .leaflet-control"))) { return null; }
    var latlng = map.mouseEventToLatLng(ev), found = null;
    var order = P.tileLayers.filter(function (l) { return l.kind === "point"; }).reverse()
      .concat(P.tileLayers.filter(function (l) { return l.kind !== "point"; }).reverse());
    for (var i = 0; i < order.length && !found; i++) {
      var h = order[i].hit(latlng);
      if (h) { h.owner = order[i]; found = h; }
    }
    return found;
  }
  function leave() {
    if (tip) { map.removeLayer(tip); tip = null; }
    box.classList.remove("phang-on-point");
  }
  box.addEventListener("mousemove", function (ev) {
    var h = find(ev);
    if (!h) { leave(); return; }
    box.classList.add("phang-on-point");
    if (!tip) {
      tip = L.tooltip({direction: "top", offset: [0, -6], className: "phang-point-tip"});
    }
    tip.setLatLng(h.latlng).setContent(h.owner.tooltip(h));
    if (!map.hasLayer(tip)) { tip.addTo(map); }
    if (h.layer.kind === "point") { ev.stopPropagation(); }
  }, true);
  box.addEventListener("mouseleave", leave);
  box.addEventListener("click", function (ev) {
    var h = find(ev);
    if (!h) { return; }
    ev.stopPropagation();
    ev.preventDefault();
    leave();
    if (count(h.props) > 1) {
      map.setView(h.latlng, Math.min(h.zoom + 2, 16));
      return;
    }
    L.popup({maxWidth: 300}).setLatLng(h.latlng).setContent(h.owner.popup(h)).openOn(map);
  }, true);
})();
{% endmacro %}
""")
    default_js: ClassVar[list[tuple[str, str]]] = [("vectorgridjs", VECTORGRID_JS)]

    def __init__(self, data: dict) -> None:
        super().__init__()
        self._name = "TileLayer"
        self.data_json = _js_json(data)


class LayerLegend(MacroElement):
    """The legend of the layers drawn over the areas: a symbol and colour per layer."""

    _template = Template("""
{% macro script(this, kwargs) %}
(function () {
  var map = {{ this._parent.get_name() }};
  // a phone: top right, where nothing else is (the choropleth legend is bottom right)
  var legend = L.control({position: map.getSize().x < 500 ? "topright" : "bottomleft"});
  legend.onAdd = function () {
    var div = L.DomUtil.create("div", "phang-layer-legend");
    div.style.cssText = "background:rgba(255,255,255,.94);padding:6px 8px;font-size:12px;" +
      "line-height:1.5;border-radius:4px;box-shadow:0 1px 4px rgba(0,0,0,.3);" +
      "max-width:46vw;max-height:34vh;overflow:auto;border-left:3px solid #555";
    div.innerHTML = {{ this.html_json }};
    if (map.getSize().x < 500) {  // a phone: closed and smaller, so the map stays visible
      div.style.fontSize = "10.5px";
      div.style.lineHeight = "1.25";
      div.style.maxWidth = "52vw";
      var box = div.querySelector("details");
      if (box) {
        box.removeAttribute("open");
        box.querySelector("summary").style.padding = "9px 4px";  // a finger-sized target
      }
    }
    L.DomEvent.disableClickPropagation(div);
    return div;
  };
  legend.addTo(map);
})();
{% endmacro %}
""")

    def __init__(self, legend: str) -> None:
        super().__init__()
        self._name = "LayerLegend"
        self.html_json = _js_json(legend)


def _symbol(kind: str, color: str, cluster: bool = False) -> str:
    color = html.escape(color)
    if kind == "polygon":
        shape = (
            f'<rect x="2" y="3" width="14" height="11" fill="{color}" fill-opacity="0.25" '
            f'stroke="{color}" stroke-width="2"/>'
        )
    elif cluster:
        shape = (
            '<circle cx="9" cy="9" r="8" fill="#fff" stroke="#333" stroke-width="1"/>'
            f'<circle cx="9" cy="9" r="6" fill="{color}" fill-opacity="0.55" '
            f'stroke="{color}" stroke-width="1.5"/>'
        )
    else:
        shape = (
            '<circle cx="9" cy="9" r="6.5" fill="#fff" stroke="#333" stroke-width="1"/>'
            f'<circle cx="9" cy="9" r="4.5" fill="{color}"/>'
        )
    return (
        '<svg width="18" height="18" viewBox="0 0 18 18" aria-hidden="true" '
        f'style="vertical-align:middle;margin-right:5px">{shape}</svg>'
    )


def layer_legend_html(drawn: list[MapLayer], tiled: set[str], lang: str = "th") -> str:
    """Escaped HTML: per layer its symbol, colour and name; how clusters look; demo note."""
    th = lang == "th"
    esc = html.escape
    # a <details> box: a phone shows the heading only, and a tap opens it (see LayerLegend)
    parts = [
        '<details open><summary style="font-weight:600;cursor:pointer">'
        f"{esc('ชั้นข้อมูล' if th else 'Map layers')}</summary>"
    ]
    for layer in drawn:
        note = " *" if layer.demo_fed else ""
        parts.append(
            f"<div>{_symbol(layer.kind, layer.color)}{esc(layer.name(lang))}{esc(note)}</div>"
        )
    clustered = [la for la in drawn if la.kind == "point" and la.key in tiled]
    if clustered:
        parts.append(
            f'<div style="color:#444">{_symbol("point", "#666", cluster=True)}'
            + esc(
                "วงใหญ่ = หลายจุดรวมกัน คลิกเพื่อซูมเข้า"
                if th
                else "Larger circle = several points; click to zoom in"
            )
            + "</div>"
        )
    if any(la.demo_fed for la in drawn):
        parts.append(
            '<div style="color:#b35806">'
            + esc("* ข้อมูลสาธิต ไม่ใช่ข้อมูลจริง" if th else "* Demo data, not real records")
            + "</div>"
        )
    parts.append("</details>")
    return "".join(parts)


def _js_json(value: Any) -> str:
    """JSON safe to place inside a <script>: no '</' can close the script early."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return text.replace("</", "<\\/").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
