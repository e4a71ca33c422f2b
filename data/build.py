"""Build the store from the boundary and village files: idempotent, all-or-nothing.

Everything is read and checked before the database is touched; the writes happen in one
transaction, so a bad file leaves the database exactly as it was.

Later stages (map shapes per zoom, demo data, ...) register themselves in ``BUILD_STEPS``:
each is ``(name, function(con, summary, options))`` run after the boundaries inside the
same transaction, adding its figures to the summary.
"""

from __future__ import annotations

import importlib
import time
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import shapely

from boundaries.cod_ab import load_boundaries
from boundaries.groupings import DEFAULT_GROUPING, default_grouping, store_grouping
from boundaries.matcher import Gazetteer, Place
from boundaries.villages import read_villages, reconcile, summarize
from data.store import transaction

BuildStep = Callable[[object, dict, dict], None]
BUILD_STEPS: list[tuple[str, BuildStep]] = []


def register_step(name: str) -> Callable[[BuildStep], BuildStep]:
    def wrap(fn: BuildStep) -> BuildStep:
        if name not in [n for n, _ in BUILD_STEPS]:
            BUILD_STEPS.append((name, fn))
        return fn

    return wrap


def gazetteer_from_frames(b) -> Gazetteer:
    places = [
        Place("province", r.pcode, r.name_th, r.name_en, None) for r in b.province.itertuples()
    ]
    places += [
        Place("amphoe", r.pcode, r.name_th, r.name_en, r.province_pcode)
        for r in b.amphoe.itertuples()
    ]
    places += [
        Place("tambon", r.pcode, r.name_th, r.name_en, r.amphoe_pcode)
        for r in b.tambon.itertuples()
    ]
    return Gazetteer(places)


def _with_wkb(frame: pd.DataFrame, *cols: str) -> pd.DataFrame:
    out = frame.drop(columns=list(cols))
    for col in cols:
        values = frame[col].values
        present = pd.notna(values)
        wkb = [None] * len(values)
        for i in present.nonzero()[0]:
            wkb[i] = shapely.to_wkb(values[i])
        out[col + "_wkb"] = wkb
    return out


def build(
    con,
    boundaries_dir: Path,
    villages_file: Path | None,
    *,
    options: dict | None = None,
    progress: Callable[[str], None] = lambda _: None,
) -> dict:
    """Read, check and store boundaries, the default grouping and villages. Returns figures."""
    options = options or {}
    started = time.perf_counter()
    progress("reading boundaries")
    b = load_boundaries(Path(boundaries_dir))
    gazetteer = gazetteer_from_frames(b)
    grouping = default_grouping(gazetteer)
    villages = None
    if villages_file is not None:
        progress("reading and reconciling villages")
        villages = read_villages(Path(villages_file))
    summary: dict = {
        "provinces": len(b.province),
        "amphoe": len(b.amphoe),
        "tambons": len(b.tambon),
        "notes": b.notes,
    }
    progress("storing boundaries")
    province = _with_wkb(b.province, "geom", "source_geom")
    amphoe = _with_wkb(b.amphoe, "geom", "source_geom")
    tambon = _with_wkb(b.tambon, "geom")
    t0 = time.perf_counter()
    reconciled = reconcile(villages, b.tambon, gazetteer) if villages is not None else None
    village_seconds = round(time.perf_counter() - t0, 2)
    con.register("_src_province", province)
    con.register("_src_amphoe", amphoe)
    con.register("_src_tambon", tambon)
    if reconciled is not None:
        con.register("_src_village", reconciled)
    with transaction(con):
        for table in ("village", "tambon", "amphoe", "province", "boundary_source"):
            con.execute(f"DELETE FROM {table}")
        for table in ("grouping_province", "grouping_cluster", "grouping_region"):
            con.execute(f"DELETE FROM {table} WHERE grouping = ?", [DEFAULT_GROUPING])
        con.execute("DELETE FROM grouping WHERE name = ?", [DEFAULT_GROUPING])
        con.execute("""INSERT INTO province SELECT pcode, name_th, name_en, area_km2,
                       ST_GeomFromWKB(geom_wkb), ST_GeomFromWKB(source_geom_wkb)
                       FROM _src_province""")
        con.execute("""INSERT INTO amphoe SELECT pcode, province_pcode, name_th, name_en, area_km2,
                       ST_GeomFromWKB(geom_wkb), ST_GeomFromWKB(source_geom_wkb)
                       FROM _src_amphoe""")
        con.execute("""INSERT INTO tambon SELECT pcode, amphoe_pcode, province_pcode, name_th,
                       name_en, area_km2, ST_GeomFromWKB(geom_wkb) FROM _src_tambon""")
        for level, layer in b.sources.items():
            con.execute(
                "INSERT INTO boundary_source (level, file, features, repaired) VALUES (?, ?, ?, ?)",
                [level, str(layer.path), len(layer.frame), layer.repaired],
            )
        progress("storing groupings")
        store_grouping(con, grouping, replace=True, is_default=True)
        summary.update(_refresh_other_groupings(con))
        counts = con.execute(
            "SELECT (SELECT count(*) FROM grouping_cluster WHERE grouping = ?),"
            " (SELECT count(*) FROM grouping_region WHERE grouping = ?)",
            [DEFAULT_GROUPING, DEFAULT_GROUPING],
        ).fetchone()
        summary["clusters"], summary["regions"] = counts
        if reconciled is not None:
            progress("storing villages")
            summary.update(summarize(reconciled))
            summary["village_seconds"] = village_seconds
            con.execute("""INSERT INTO village SELECT id, name, tambon_name, amphoe_name,
                           province_name, ST_GeomFromWKB(wkb), pcode_spatial, pcode_name,
                           name_score, match_status, tambon_pcode FROM _src_village""")
        else:
            summary.update(
                {"villages": 0, "villages_matched_spatial": 0, "villages_matched_name": 0}
            )
        summary["step_seconds"] = {
            "boundaries_and_villages": round(time.perf_counter() - started, 2)
        }
        for name, step in sorted(BUILD_STEPS, key=_step_order):
            progress(name)
            t_step = time.perf_counter()
            step(con, summary, options)
            summary["step_seconds"][name] = round(time.perf_counter() - t_step, 2)
    for name in ("_src_province", "_src_amphoe", "_src_tambon", "_src_village"):
        con.execute(f"DROP VIEW IF EXISTS {name}")
    summary["seconds"] = round(time.perf_counter() - started, 2)
    return summary


def _refresh_other_groupings(con) -> dict:
    """Re-dissolve the shapes of planner-made groupings after the boundaries changed."""
    with transaction(con):
        con.execute("""UPDATE grouping_cluster c SET geom = s.geom, area_km2 = s.area FROM (
                         SELECT gp.grouping, gp.cluster_code, sum(p.area_km2) AS area,
                                ST_MakeValid(ST_CoverageUnion_Agg(p.geom)) AS geom
                         FROM grouping_province gp JOIN province p ON p.pcode = gp.province_pcode
                         GROUP BY ALL) s
                       WHERE s.grouping = c.grouping AND s.cluster_code = c.code""")
        con.execute("""UPDATE grouping_region r SET geom = s.geom, area_km2 = s.area FROM (
                         SELECT grouping, region_code, sum(area_km2) AS area,
                                ST_MakeValid(ST_CoverageUnion_Agg(geom)) AS geom
                         FROM grouping_cluster GROUP BY ALL) s
                       WHERE s.grouping = r.grouping AND s.region_code = r.code""")
    n = con.execute("SELECT count(*) FROM grouping WHERE NOT is_default").fetchone()[0]
    return {"other_groupings": n}


def _step_order(step: tuple[str, BuildStep]) -> int:
    """Steps run in the order of their modules in ``STEP_MODULES`` (whichever module was
    imported first), in registration order within a module."""
    module = step[1].__module__
    return STEP_MODULES.index(module) if module in STEP_MODULES else len(STEP_MODULES)


# Modules that add build steps (they call register_step when imported); run in this order.
STEP_MODULES = [
    "geo.simplify",
    "data.need_build",
    "data.demo",
    "data.plans_demo",
    "boundaries.gazetteer_build",
]
for _module in STEP_MODULES:
    importlib.import_module(_module)
