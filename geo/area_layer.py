"""The choropleth's Leaflet side: coloured areas, their name labels, greyed neighbours.

* :class:`AreaChoropleth` loads a view's static shape file and colours each area from a
  class lookup. Hovering shows the name and value; a click on a desktop opens the area
  (the page drills down on the map click), but on a touch screen or a narrow one a tap
  first shows the value in a popup, with a button that opens the area: a phone user can
  read a value before going down.
* Areas carry permanent name labels when a view has a modest number of them
  (``LABEL_MAX``); labels that would overlap a larger area's label are hidden, and shown
  again when zooming in makes room.
* :class:`ContextAreas` draws the areas around a tambon (its amphoe's other tambons) in
  grey with their names, under the tambon, so a tambon view shows where it lies.

Place names and codes arrive HTML-escaped in the shape files (:func:`geo.shape_files.shape_file`)
and are inserted as they are; every other string (indicator name, unit, button) goes
through ``esc`` here.
"""

from __future__ import annotations

import json
from typing import Any

from branca.element import MacroElement
from jinja2 import Template

#: views with at most this many areas get permanent name labels
LABEL_MAX = 120
#: a screen this narrow (CSS px) behaves like a touch screen: a tap shows the value first
NARROW_PX = 768

_COMMON_JS = """
  function esc(s) {
    return String(s === null || s === undefined ? "" : s).replace(/[&<>"']/g, function (c) {
      return {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"}[c];
    });
  }
  function decode(s) {
    var features = [];
    for (var i = 0; i < s.p.length; i++) {
      var polys = s.g[i].map(function (rings) {
        return rings.map(function (flat) {
          var ring = [], x = 0, y = 0;
          for (var j = 0; j < flat.length; j += 2) {
            x += flat[j]; y += flat[j + 1];
            ring.push([x / s.q, y / s.q]);
          }
          return ring;
        });
      });
      features.push({type: "Feature",
                     properties: {p: s.p[i], n: s.n ? s.n[i] : "", e: s.e ? s.e[i] : "", _i: i},
                     geometry: {type: "MultiPolygon", coordinates: polys}});
    }
    return {type: "FeatureCollection", features: features};
  }
  function names(packed, fc) {
    if (!packed.names) { return Promise.resolve(fc); }
    return fetch(packed.names).then(function (r) { return r.json(); }).then(function (nm) {
      fc.features.forEach(function (f, i) { f.properties.n = nm.n[i]; f.properties.e = nm.e[i]; });
      return fc;
    });
  }
  function labelLayer(map, layer, lang, cls) {
    // one label per area, larger areas first; a label overlapping one already shown hides
    var group = L.layerGroup().addTo(map), items = [];
    layer.eachLayer(function (l) {
      var p = l.feature.properties, b = l.getBounds();
      var size = (b.getNorth() - b.getSouth()) * (b.getEast() - b.getWest());
      var text = lang === "th" ? (p.n || p.e) : (p.e || p.n);
      if (!text) { return; }
      var icon = L.divIcon({className: "phang-label " + cls, iconSize: null,
                            html: "<span>" + text + "</span>"});  // escaped on the server
      var m = L.marker(b.getCenter(), {icon: icon, interactive: false, keyboard: false});
      items.push({marker: m, size: size, layer: l});
    });
    items.sort(function (a, b) { return b.size - a.size; });
    items.forEach(function (it) { it.marker.addTo(group); });
    function declutter() {
      var shown = [];
      items.forEach(function (it) {
        var el = it.marker.getElement();
        if (!el) { return; }
        el.style.visibility = "visible";
        var r = el.firstChild.getBoundingClientRect();
        var clash = shown.some(function (s) {
          return !(r.right < s.left || r.left > s.right || r.bottom < s.top || r.top > s.bottom);
        });
        if (clash) { el.style.visibility = "hidden"; } else { shown.push(r); }
      });
    }
    declutter();
    map.on("zoomend moveend", declutter);
    return group;
  }
  function addLabelCss() {
    if (document.getElementById("phang-label-css")) { return; }
    var st = document.createElement("style");
    st.id = "phang-label-css";
    st.textContent = ".phang-label{pointer-events:none}" +
      ".phang-label span{position:absolute;transform:translate(-50%,-50%);white-space:nowrap;" +
      "font:600 11px/1.2 sans-serif;color:#1a1a1a;text-shadow:0 0 3px #fff,0 0 3px #fff," +
      "0 0 2px #fff}" +
      ".phang-label.context span{font-weight:400;color:#555}" +
      ".phang-tap{font:13px/1.4 sans-serif;-webkit-text-size-adjust:100%;" +
      "text-size-adjust:100%}.phang-tap *{font-size:13px}" +
      ".phang-popup-open .phang-legend{display:none}" +
      ".phang-tap button{margin-top:6px;padding:6px 10px;" +
      "font-size:13px;border:1px solid #2171b5;background:#2171b5;color:#fff;" +
      "border-radius:4px;cursor:pointer;width:100%}";
    document.head.appendChild(st);
  }
"""


class AreaChoropleth(MacroElement):
    """Areas loaded from a static shape file, coloured from a class lookup, labelled."""

    _template = Template(
        """
{% macro script(this, kwargs) %}
(function () {
  var map = {{ this._parent.get_name() }};
  var look = {{ this.lookup_json }};
  window.__phang = window.__phang || {};
  window.__phang.ready = false;
"""
        + _COMMON_JS
        + """
  addLabelCss();
  function fmt(v) {
    if (v === null || v === undefined) { return esc(look.nodata); }
    return Number(v).toLocaleString(look.locale, {minimumFractionDigits: look.decimals,
                                                  maximumFractionDigits: look.decimals});
  }
  function tapFirst() {
    var width = window.innerWidth;  // the page's width, not the map frame's
    try { width = window.top.innerWidth; } catch (e) { /* another origin: the frame's */ }
    return width <= look.narrow ||
      (window.matchMedia && window.matchMedia("(hover: none)").matches);
  }
  function card(p) {
    var first = look.lang === "th" ? p.n : p.e, second = look.lang === "th" ? p.e : p.n;
    // names and codes come escaped in the shape file (geo.mapping.shape_file)
    return "<b>" + first + "</b><br>" + second + "<br><span style='color:#666'>" +
           p.p + "</span><br>" + esc(look.label) + ": <b>" + fmt(look.values[p._i]) +
           "</b> " + esc(look.unit);
  }
  fetch(look.url).then(function (r) { return r.json(); }).then(function (packed) {
    return names(packed, decode(packed));
  }).then(function (fc) {
    var layer = L.geoJSON(fc, {
      style: function (f) {
        var k = look.classes.charCodeAt(f.properties._i) - 48;
        return {fillColor: k >= 0 && k < look.colors.length ? look.colors[k] : look.nodataColor,
                fillOpacity: 0.75, color: "#555", weight: look.weight, opacity: 0.8};
      },
      onEachFeature: function (f, l) {
        var p = f.properties;
        l.bindTooltip(function () { return card(p); }, {sticky: true});
        l.on("mouseover", function () { l.setStyle({weight: look.weight + 1.5}); });
        l.on("mouseout", function () { layer.resetStyle(l); });
        l.on("click", function (e) {
          if (!tapFirst()) { return; }  // a desktop click opens the area (the page does it)
          L.DomEvent.stopPropagation(e);
          l.closeTooltip();
          var box = L.DomUtil.create("div", "phang-tap");
          box.innerHTML = card(p);
          if (look.open) {
            var btn = L.DomUtil.create("button", "", box);
            btn.type = "button";
            btn.textContent = look.open;
            L.DomEvent.on(btn, "click", function (ev) {
              L.DomEvent.stop(ev);
              map.closePopup();
              map.fire("click", {latlng: e.latlng});  // what a desktop click does
            });
          }
          if (!map.__phangPopupWatch) {  // the legend would cover the popup's button
            map.__phangPopupWatch = true;
            map.on("popupopen", function () {
              map.getContainer().classList.add("phang-popup-open");
            });
            map.on("popupclose", function () {
              map.getContainer().classList.remove("phang-popup-open");
            });
          }
          L.popup({maxWidth: 260, autoPanPadding: [10, 10]})
            .setLatLng(e.latlng).setContent(box).openOn(map);
        });
      }
    }).addTo(map);
    // the areas arrive after the layers' points: draw them underneath, so points stay
    // clickable (one canvas holds both)
    layer.bringToBack();
    window.__phang.map = map;
    window.__phang.areas = layer.getLayers().length;
    if (fc.features.length <= look.labelMax) {
      window.__phang.labels = labelLayer(map, layer, look.lang, "");
    }
    window.__phang.ready = true;
  }).catch(function (e) { window.__phang.error = String(e); });
})();
{% endmacro %}
"""
    )

    def __init__(self, lookup: dict[str, Any]) -> None:
        super().__init__()
        self._name = "AreaChoropleth"
        lookup = {"labelMax": LABEL_MAX, "narrow": NARROW_PX, **lookup}
        self.lookup_json = _js_json(lookup)


class ContextAreas(MacroElement):
    """Grey areas around the view (not the view's own), with their names, underneath."""

    _template = Template(
        """
{% macro script(this, kwargs) %}
(function () {
  var map = {{ this._parent.get_name() }};
  var look = {{ this.lookup_json }};
"""
        + _COMMON_JS
        + """
  addLabelCss();
  fetch(look.url).then(function (r) { return r.json(); }).then(function (packed) {
    return names(packed, decode(packed));
  }).then(function (fc) {
    fc.features = fc.features.filter(function (f) { return f.properties.p !== look.skip; });
    var pane = map.createPane("phangContext");
    pane.style.zIndex = 350;  // under the coloured areas (overlayPane, 400)
    var layer = L.geoJSON(fc, {
      pane: "phangContext", interactive: false,
      style: {fillColor: "#f0f0f0", fillOpacity: 0.9, color: "#9a9a9a", weight: 1, opacity: 1}
    }).addTo(map);
    window.__phang = window.__phang || {};
    window.__phang.context = layer.getLayers().length;
    labelLayer(map, layer, look.lang, "context");
  }).catch(function (e) {
    window.__phang = window.__phang || {};
    window.__phang.error = String(e);
  });
})();
{% endmacro %}
"""
    )

    def __init__(self, url: str, skip: str, lang: str) -> None:
        super().__init__()
        self._name = "ContextAreas"
        self.lookup_json = _js_json({"url": url, "skip": skip, "lang": lang})


def _js_json(value: Any) -> str:
    """JSON safe inside a <script>: no "</" can close it early."""
    return json.dumps(value, ensure_ascii=False).replace("</", "<\\/")


class MetricScale(MacroElement):
    """A scale bar in kilometres only (Leaflet's default adds miles)."""

    _template = Template(
        """
{% macro script(this, kwargs) %}
L.control.scale({imperial: false}).addTo({{ this._parent.get_name() }});
{% endmacro %}
"""
    )

    def __init__(self) -> None:
        super().__init__()
        self._name = "MetricScale"
