"""Map shapes per zoom band, simplified as a coverage and precomputed at build time.

A national map of 7,425 tambons drawn from the source shapes is megabytes of GeoJSON; at
the country's zoom a pixel is about a kilometre, so most of those vertices are invisible.
``shapely.coverage_simplify`` simplifies all areas of one level together: shared edges are
simplified once, so neighbours keep touching (plain ``simplify`` opens gaps and slivers).
Coordinates are then rounded to what the zoom band can show.

The build step ``map_shapes`` (registered with ``data.build.register_step``) fills
``map_shape`` (migration 0002) for every level, every grouping and every detail in
:data:`DETAILS`; ``geo.mapping`` reads it. Levels simplified separately may not nest
exactly at coarse detail; the map never draws two levels at once.
"""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass

import numpy as np
import shapely

from data.build import register_step
from data.store import transaction


@dataclass(frozen=True)
class Detail:
    """One zoom band: the coverage-simplification tolerance and rounding, in degrees."""

    level: int
    tolerance: float  # degrees; 0 keeps the source vertices
    decimals: int  # coordinate decimals kept (3 = ~110 m, 4 = ~11 m, 5 = ~1 m)
    used_for: str


DETAILS: tuple[Detail, ...] = (
    Detail(0, 0.015, 3, "whole country (zoom 5-6)"),
    Detail(1, 0.003, 4, "a region or cluster (zoom 7-8)"),
    Detail(2, 0.001, 4, "a province (zoom 8-10)"),
    Detail(3, 0.0, 5, "an amphoe or a tambon (zoom 10+)"),
)

# view level -> the detail its map uses
VIEW_DETAIL = {"country": 0, "region": 1, "cluster": 1, "province": 2, "amphoe": 3, "tambon": 3}
# area level -> the details it is drawn at (a region only on the country map, ...)
LEVEL_DETAILS = {
    "region": (0,),
    "cluster": (0, 1),
    "province": (0, 1),
    "amphoe": (0, 1, 2),
    "tambon": (0, 1, 2, 3),
}


def simplified(geoms: np.ndarray, detail: Detail) -> np.ndarray:
    """``geoms`` (one coverage) simplified together at ``detail`` and rounded.

    Falls back to per-shape topology-preserving simplification if the shapes are not a
    valid coverage (a planner's grouping dissolved from repaired shapes, say).
    """
    out = geoms
    if detail.tolerance > 0:
        try:
            out = shapely.coverage_simplify(geoms, detail.tolerance)
        except shapely.errors.GEOSException:
            out = shapely.simplify(geoms, detail.tolerance, preserve_topology=True)
    rounded = shapely.set_precision(out, 10.0**-detail.decimals, mode="pointwise")
    try:
        rounded = shapely.remove_repeated_points(rounded)
    except shapely.errors.GEOSException:
        rounded = np.array([_dedupe_or_keep(g) for g in rounded], dtype=object)
    # rounding can collapse a sliver to nothing: keep the unrounded shape then
    empty = shapely.is_empty(rounded)
    rounded[empty] = out[empty]
    return rounded


def _dedupe_or_keep(geom):
    """Drop repeated vertices, or keep the shape as it is when a ring would collapse."""
    try:
        return shapely.remove_repeated_points(geom)
    except shapely.errors.GEOSException:
        return geom


def _level_sources(con) -> list[tuple[str, str, list[str], np.ndarray]]:
    """(level, grouping, codes, geometries) for every coverage to simplify."""
    sources = []
    for level in ("province", "amphoe", "tambon"):
        rows = con.execute(f"SELECT pcode, ST_AsWKB(geom) FROM {level} ORDER BY pcode").fetchall()
        sources.append(
            (level, "", [r[0] for r in rows], shapely.from_wkb([bytes(r[1]) for r in rows]))
        )
    for level, table in (("cluster", "grouping_cluster"), ("region", "grouping_region")):
        names = [r[0] for r in con.execute(f"SELECT DISTINCT grouping FROM {table}").fetchall()]
        for grouping in sorted(names):
            rows = con.execute(
                f"SELECT code, ST_AsWKB(geom) FROM {table} WHERE grouping = ? ORDER BY code",
                [grouping],
            ).fetchall()
            sources.append(
                (
                    level,
                    grouping,
                    [r[0] for r in rows],
                    shapely.from_wkb([bytes(r[1]) for r in rows]),
                )
            )
    return sources


def build_map_shapes(con, groupings: list[str] | None = None) -> dict:
    """Fill ``map_shape`` for all levels (or only the named groupings' clusters and regions).

    Runs in one transaction (joining the build's). Returns figures for the build summary.
    """
    started = time.perf_counter()
    rows: list[tuple] = []
    vertices = {d.level: 0 for d in DETAILS}
    for level, grouping, codes, geoms in _level_sources(con):
        if groupings is not None and (not grouping or grouping not in groupings):
            continue
        for detail in DETAILS:
            if detail.level not in LEVEL_DETAILS[level]:
                continue
            shapes = simplified(geoms, detail)
            counts = shapely.get_num_coordinates(shapes)
            if level == "tambon":
                vertices[detail.level] = int(counts.sum())
            texts = shapely.to_geojson(shapes).tolist()
            rows.extend(
                zip(
                    [level] * len(codes),
                    [grouping] * len(codes),
                    codes,
                    [detail.level] * len(codes),
                    counts.tolist(),
                    texts,
                    strict=True,
                )
            )
    import pandas as pd

    frame = pd.DataFrame(
        rows, columns=["level", "grouping", "code", "detail", "vertices", "geojson"]
    )
    with transaction(con):
        if groupings is None:
            con.execute("DELETE FROM map_shape")
        else:
            for g in groupings:
                con.execute("DELETE FROM map_shape WHERE grouping = ?", [g])
        con.register("map_shape_frame", frame)
        try:
            con.execute(
                "INSERT INTO map_shape SELECT level, grouping, code, detail, vertices, "
                "geojson FROM map_shape_frame"
            )
        finally:
            con.unregister("map_shape_frame")
        seconds = round(time.perf_counter() - started, 2)
        con.execute(
            "INSERT INTO map_shape_build (id, shapes, seconds) VALUES (?, ?, ?)",
            [uuid.uuid4().hex, len(frame), seconds],
        )
    return {"map_shapes": len(frame), "map_shape_seconds": seconds, "map_tambon_vertices": vertices}


def shapes_build_id(con) -> str | None:
    """The id of the latest map-shape build (None if the shapes were never built)."""
    row = con.execute(
        "SELECT id FROM map_shape_build ORDER BY built_at DESC, id LIMIT 1"
    ).fetchone()
    return row[0] if row else None


@register_step("map shapes")
def _build_step(con, summary: dict, options: dict) -> None:
    summary.update(build_map_shapes(con))
