"""Folium maps of the housing-need pages: the mark map (draw or drop a point) and the
verify map (a report with what lies near it).

No tiles are fetched unless the ``PHANG_BASEMAP`` setting says ``osm``: boundary outlines
from the database give the reader their bearings. Leaflet, Leaflet.draw and their icons
are served by the app (:mod:`geo.static_assets`). Every text shown in a tooltip or popup
is HTML-escaped here: folium does not escape, and report fields are typed by the public.
"""

from __future__ import annotations

import html
import json
from typing import Any

import folium
from folium.plugins import Draw

from data.settings import setting
from geo.area_layer import MetricScale
from geo.static_assets import use_local_assets

THAILAND_BOUNDS = [[5.6, 97.3], [20.5, 105.7]]
COLORS = {
    "report": "#d7301f",
    "pending": "#fc8d59",
    "verified": "#b30000",
    "nearby": "#fd8d3c",
    "project": "#1a9850",
    "land_case": "#762a83",
    "outline": "#555555",
    "focus": "#08519c",
}


def _esc(value: Any) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def _base_map(bounds: list[list[float]] | None, basemap: str | None, height: int) -> folium.Map:
    use_local_assets()
    basemap = (basemap or setting("PHANG_BASEMAP")).strip().lower()
    m = folium.Map(
        location=[13.5, 100.9],
        zoom_start=6,
        tiles=None,
        control_scale=False,  # MetricScale below: kilometres only
        height=height,
        prefer_canvas=False,
    )
    MetricScale().add_to(m)
    if basemap == "osm":
        folium.TileLayer("OpenStreetMap", name="OpenStreetMap").add_to(m)
    m.fit_bounds(bounds or THAILAND_BOUNDS)
    return m


def focus_bounds(con, pcode: str | None) -> list[list[float]] | None:
    """[[south, west], [north, east]] of a province, amphoe or tambon P-code."""
    if not pcode:
        return None
    table = {4: "province", 6: "amphoe", 8: "tambon"}.get(len(pcode))
    if table is None:
        return None
    row = con.execute(
        f"SELECT ST_XMin(geom), ST_YMin(geom), ST_XMax(geom), ST_YMax(geom) FROM {table} "
        "WHERE pcode = ?",
        [pcode],
    ).fetchone()
    if row is None:
        return None
    return [[row[1], row[0]], [row[3], row[2]]]


def outlines(con, bounds: list[list[float]] | None) -> tuple[list[dict], str]:
    """Boundary outlines for bearings: provinces for the country, else nearby tambons."""
    if bounds is None:
        rows = con.execute(
            "SELECT pcode, name_th, name_en, "
            "ST_AsGeoJSON(ST_SimplifyPreserveTopology(geom, 0.02)) FROM province"
        ).fetchall()
        return rows, "province"
    (s, w), (n, e) = bounds
    pad_x, pad_y = max((e - w) * 0.3, 0.02), max((n - s) * 0.3, 0.02)
    rows = con.execute(
        """SELECT pcode, name_th, name_en,
                  ST_AsGeoJSON(ST_SimplifyPreserveTopology(geom, 0.0003))
           FROM tambon
           WHERE ST_XMax(geom) >= ? AND ST_XMin(geom) <= ? AND ST_YMax(geom) >= ?
             AND ST_YMin(geom) <= ?
           ORDER BY pcode LIMIT 400""",
        [w - pad_x, e + pad_x, s - pad_y, n + pad_y],
    ).fetchall()
    return rows, "tambon"


def _add_outlines(m: folium.Map, rows: list, focus: str | None, lang: str) -> None:
    features = []
    for pcode, name_th, name_en, geojson in rows:
        name = name_th if lang == "th" else name_en
        features.append(
            {
                "type": "Feature",
                "geometry": json.loads(geojson),
                "properties": {
                    "label": _esc(name),
                    "focus": bool(focus and len(focus) >= 6 and pcode.startswith(focus)),
                },
            }
        )
    if not features:
        return
    folium.GeoJson(
        {"type": "FeatureCollection", "features": features},
        name="boundaries",
        style_function=lambda f: {
            "color": COLORS["focus"] if f["properties"]["focus"] else COLORS["outline"],
            "weight": 3 if f["properties"]["focus"] else 1,
            "fillOpacity": 0.04,
            "fillColor": "#9ecae1",
        },
        tooltip=folium.GeoJsonTooltip(fields=["label"], labels=False),
        interactive=True,
    ).add_to(m)


def mark_map(
    con,
    focus_pcode: str | None,
    drawing: dict | None,
    lang: str = "th",
    basemap: str | None = None,
    height: int = 420,
    context: tuple[list, str] | None = None,
) -> folium.Map:
    """The map members draw on: outlines for bearings and the Leaflet.draw toolbar
    (polygon, rectangle and a marker; no lines or circles, which are not areas).

    ``context`` is what :func:`outlines` returns for ``focus_bounds(con, focus_pcode)``,
    if the caller has it cached."""
    bounds = focus_bounds(con, focus_pcode)
    m = _base_map(bounds, basemap, height)
    rows = context[0] if context is not None else outlines(con, bounds)[0]
    _add_outlines(m, rows, focus_pcode, lang)
    Draw(
        export=False,
        position="topleft",
        draw_options={
            "polyline": False,
            "circle": False,
            "circlemarker": False,
            "polygon": {"allowIntersection": False, "showArea": True},
            "rectangle": True,
            "marker": True,
        },
        edit_options={"edit": True, "remove": True},
    ).add_to(m)
    if drawing:
        folium.GeoJson(
            drawing,
            name="drawn",
            style_function=lambda f: {"color": COLORS["report"], "weight": 3, "fillOpacity": 0.2},
        ).add_to(m)
    return m


def _geojson_layer(
    m: folium.Map, rows: list[dict], color: str, name: str, dash: str | None = None
) -> None:
    features = []
    for row in rows:
        props = {"label": row["label"]}
        features.append(
            {"type": "Feature", "geometry": json.loads(row["geojson"]), "properties": props}
        )
    if not features:
        return
    folium.GeoJson(
        {"type": "FeatureCollection", "features": features},
        name=name,
        style_function=lambda f: {
            "color": color,
            "weight": 3,
            "fillOpacity": 0.25,
            "dashArray": dash,
        },
        marker=folium.CircleMarker(radius=8, fill=True, fill_opacity=0.7, color=color),
        tooltip=folium.GeoJsonTooltip(fields=["label"], labels=False),
    ).add_to(m)


def verify_map(
    report: dict,
    near: dict,
    lang: str = "th",
    basemap: str | None = None,
    height: int = 420,
    con=None,
) -> folium.Map:
    """One report (red) with nearby reports (orange), Baan Mankong projects (green) and
    land cases (purple); every label escaped."""
    geom = json.loads(report["geojson"])
    coords = _all_coords(geom)
    xs, ys = [c[0] for c in coords], [c[1] for c in coords]
    pad = 0.01
    bounds = [[min(ys) - pad, min(xs) - pad], [max(ys) + pad, max(xs) + pad]]
    m = _base_map(bounds, basemap, height)
    if con is not None:
        rows, _ = outlines(con, bounds)
        _add_outlines(m, rows, report.get("tambon_pcode"), lang)
    groups = (
        ("reports", COLORS["nearby"], "คำร้องใกล้เคียง", "Nearby report", "community_name"),
        ("projects", COLORS["project"], "บ้านมั่นคง", "Baan Mankong", "name"),
        ("land_cases", COLORS["land_case"], "กรณีที่ดิน", "Land case", "name"),
    )
    for key, color, th, en, label_col in groups:
        frame = near.get(key)
        if frame is None or len(frame) == 0:
            continue
        rows = []
        for rec in frame.to_dict("records"):
            extra = f" · {_esc(rec.get('receipt'))}" if key == "reports" else ""
            hh = rec.get("households")
            hh_text = (
                f" · {int(hh)} {'ครัวเรือน' if lang == 'th' else 'households'}"
                if hh == hh and hh is not None
                else ""
            )
            rows.append(
                {
                    "geojson": rec["geojson"],
                    "label": f"{th if lang == 'th' else en}: {_esc(rec.get(label_col))}"
                    f"{extra}{hh_text}",
                }
            )
        _geojson_layer(m, rows, color, key, dash="6 4" if key == "reports" else None)
    _geojson_layer(
        m,
        [
            {
                "geojson": report["geojson"],
                "label": f"{_esc(report.get('receipt'))}: {_esc(report.get('community_name'))}",
            }
        ],
        COLORS["report"],
        "report",
    )
    return m


def _all_coords(geom: dict) -> list:
    out: list = []

    def walk(c):
        if isinstance(c, (list, tuple)) and c and isinstance(c[0], (int, float)):
            out.append(c)
        elif isinstance(c, (list, tuple)):
            for part in c:
                walk(part)

    walk(geom.get("coordinates"))
    return out


def drawing_from_map_state(state: dict | None) -> dict | None:
    """The member's drawing from what streamlit-folium returned, or None.

    Takes the last active drawing; if the toolbar left several, the last of
    ``all_drawings``. Server-side validation (:mod:`geo.validate`) comes later.
    """
    if not state:
        return None
    last = state.get("last_active_drawing")
    if last:
        return last
    drawings = state.get("all_drawings") or []
    return drawings[-1] if drawings else None
