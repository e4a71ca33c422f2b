"""The small map of a report card as inline SVG (no tiles, no request to anywhere).

Split from ``analysis.report_card`` (which re-exports these names).
"""

from __future__ import annotations

import html
import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

import shapely

if TYPE_CHECKING:
    from analysis.report_card import ReportCard


@dataclass(frozen=True)
class SvgMarker:
    lon: float
    lat: float
    kind: str  # "project" | "land" | "need"


MARKER_STYLE = {
    "project": ("#1a9850", "▲"),
    "land": ("#d73027", "■"),
    "need": ("#fc8d59", "●"),
}


def svg_map(
    area_wkb: bytes,
    child_wkb: list[bytes] | None = None,
    markers: list[SvgMarker] | None = None,
    width: int = 480,
    height: int = 360,
    title: str = "",
) -> str:
    """An SVG map of the area outline, its children's outlines and markers.

    Longitudes are scaled by cos(latitude) so shapes keep their proportions; the drawing
    fits the box with a margin. Everything is computed here; no tile or font is fetched.
    """
    area = shapely.from_wkb(area_wkb)
    minx, miny, maxx, maxy = area.bounds
    # records filed to the area but lying just outside it stay in the picture (within half
    # the area's size); farther ones are left out rather than shrinking the area to a dot
    pad_x, pad_y = (maxx - minx) / 2, (maxy - miny) / 2
    near = [
        m
        for m in markers or []
        if m.lon is not None
        and m.lat is not None
        and not (math.isnan(m.lon) or math.isnan(m.lat))
        and minx - pad_x <= m.lon <= maxx + pad_x
        and miny - pad_y <= m.lat <= maxy + pad_y
    ]
    if near:
        minx = min(minx, *(m.lon for m in near))
        maxx = max(maxx, *(m.lon for m in near))
        miny = min(miny, *(m.lat for m in near))
        maxy = max(maxy, *(m.lat for m in near))
    lat0 = math.radians((miny + maxy) / 2)
    kx = math.cos(lat0)
    w_deg = max((maxx - minx) * kx, 1e-6)
    h_deg = max(maxy - miny, 1e-6)
    margin = 12
    scale = min((width - 2 * margin) / w_deg, (height - 2 * margin) / h_deg)
    ox = (width - w_deg * scale) / 2
    oy = (height - h_deg * scale) / 2
    tolerance = max(w_deg, h_deg) / 800

    def path(geom) -> str:
        geom = shapely.simplify(geom, tolerance, preserve_topology=True)
        parts = []
        polys = getattr(geom, "geoms", [geom])
        for poly in polys:
            if poly.geom_type != "Polygon":
                continue
            for ring in (poly.exterior, *poly.interiors):
                pts = [
                    f"{ox + (x - minx) * kx * scale:.1f},{oy + (maxy - y) * scale:.1f}"
                    for x, y in ring.coords
                ]
                parts.append("M" + " L".join(pts) + " Z")
        return " ".join(parts)

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-label="{html.escape(title)}">',
        f'<rect width="{width}" height="{height}" fill="#f4f8fb"/>',
    ]
    for wkb in child_wkb or []:
        out.append(
            f'<path d="{path(shapely.from_wkb(wkb))}" fill="#ffffff" stroke="#b0b8c0" '
            'stroke-width="0.5" fill-rule="evenodd"/>'
        )
    fill = "none" if child_wkb else "#ffffff"
    out.append(
        f'<path d="{path(area)}" fill="{fill}" stroke="#2b5d8a" stroke-width="1.6" '
        'fill-rule="evenodd"/>'
    )
    for m in near:
        x = ox + (m.lon - minx) * kx * scale
        y = oy + (maxy - m.lat) * scale
        color, _ = MARKER_STYLE.get(m.kind, ("#555555", "●"))
        if m.kind == "project":
            out.append(
                f'<path d="M{x:.1f},{y - 5:.1f} L{x + 5:.1f},{y + 4:.1f} '
                f'L{x - 5:.1f},{y + 4:.1f} Z" fill="{color}" stroke="#fff" stroke-width="0.8"/>'
            )
        elif m.kind == "land":
            out.append(
                f'<rect x="{x - 4:.1f}" y="{y - 4:.1f}" width="8" height="8" fill="{color}" '
                'stroke="#fff" stroke-width="0.8"/>'
            )
        else:
            out.append(
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4.5" fill="{color}" stroke="#fff" '
                'stroke-width="0.8"/>'
            )
    # a north arrow and a scale bar (km at the centre latitude)
    km_per_px = 111.32 / scale
    bar_km = _nice(km_per_px * width / 5)
    bar_px = bar_km / km_per_px
    out.append(
        f'<g font-family="sans-serif" font-size="10" fill="#333">'
        f'<line x1="10" y1="{height - 12}" x2="{10 + bar_px:.1f}" y2="{height - 12}" '
        'stroke="#333" stroke-width="2"/>'
        f'<text x="{12 + bar_px:.1f}" y="{height - 8}">{_fmt_km(bar_km)} km</text>'
        f'<text x="{width - 16}" y="18" text-anchor="middle" font-weight="bold">N</text>'
        f'<path d="M{width - 16},22 L{width - 12},32 L{width - 20},32 Z" fill="#333"/></g>'
    )
    out.append("</svg>")
    return "".join(out)


def _nice(value: float) -> float:
    if value <= 0:
        return 1.0
    exp = math.floor(math.log10(value))
    base = value / 10**exp
    step = 1 if base < 2 else 2 if base < 5 else 5
    return step * 10**exp


def _fmt_km(km: float) -> str:
    return f"{km:g}"


def card_markers(card: ReportCard) -> list[SvgMarker]:
    out = [SvgMarker(r.lon, r.lat, "project") for r in card.projects.itertuples()]
    out += [SvgMarker(r.lon, r.lat, "land") for r in card.land_cases.itertuples()]
    out += [SvgMarker(r.lon, r.lat, "need") for r in card.needs.itertuples()]
    return out
