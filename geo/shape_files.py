"""Shape files: the static GeoJSON of a view, written once, served by Streamlit.

The shapes of a view are written under ``static/shapes/`` named by the hash of their
content, from the coverage-simplified shapes of ``map_shape`` (``geo.simplify``); names
are HTML-escaped in the file. Part of :mod:`geo.mapping` (every name is importable from
there).
"""

from __future__ import annotations

import gzip
import hashlib
import html
import json
import os
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import shapely

from geo.map_views import _AREA_NAMES, View, _member_sql, _run
from geo.simplify import DETAILS, shapes_build_id, simplified
from geo.static_assets import STATIC_DIR

SHAPES_DIR = STATIC_DIR / "shapes"
SHAPES_URL = "/app/static/shapes"
DETAIL_DECIMALS = {d.level: d.decimals for d in DETAILS}
NAMES_INLINE_MAX = 1500  # more areas than this: names go in a file of their own


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
        tmp = path.with_suffix(f".{os.getpid()}.{threading.get_ident()}.tmp")
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
