"""Vector tiles against points in the page: a province map with the organizations layer at
1x, 10x and 100x the community data, and single tiles at zooms 6, 10 and 14.

For each size the benchmark's own copy of the database gets its community tables
(organizations, councils, Baan Mankong projects, land cases) multiplied: every row copied
``factor - 1`` times under new ids and source ids, same places (so clusters grow).

"points in page" is the map as it was before tiles (``build_map(..., points_in_page=True)``:
every point and its escaped popup inside the HTML); "tiles" is the map today (the page names
the tile URLs; the browser fetches the tiles the view needs). Both are built and rendered to
HTML as the page does, in the same run. For the tiles approach the view's tiles are counted
too: the tiles covering the province at the zoom Leaflet fits it to in a 900 x 560 px map.

Tile times: "first" is the first tile after the layer's data changed (it writes the layer's
snapshot, ``geo.tile_store``); "cold" a tile not yet in the tile cache (snapshot exists);
"cached" a tile served from the cache. Medians with (min-max) over the runs; load average
printed before and after. Target (issue 11): under 500 KB and 1 s server time at every size.
The 100x copy takes minutes to make; ``PHANG_BENCH_FACTORS=1,10`` skips it.
"""

from __future__ import annotations

import gzip
import math
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.common import bench_database  # noqa: E402

KB = 1024
# PHANG_BENCH_FACTORS="1,10" for a quicker run (100x copies 1.5 million organizations)
FACTORS = tuple(int(f) for f in os.environ.get("PHANG_BENCH_FACTORS", "1,10,100").split(","))
TABLES = ("community_org", "tambon_council", "baan_mankong_project", "land_case")
LAYER = "community_orgs"
MAP_PX = (900, 560)  # the map column of a 1440 px page, the map's height


def multiply(con, factor: int) -> None:
    """Copy every community row ``factor - 1`` times (new id, source id suffixed)."""
    if factor <= 1:
        return
    for table in TABLES:
        cols = [r[0] for r in con.execute(f"DESCRIBE {table}").fetchall() if r[0] != "id"]
        values = ", ".join(
            "t.source_id || '~x' || r.k" if c == "source_id" else f"t.{c}" for c in cols
        )
        con.execute(
            f"INSERT INTO {table} ({', '.join(cols)}) "
            f"SELECT {values} FROM {table} t, range(1, {factor}) r(k)"
        )


def _stats(values: list[float]) -> str:
    return f"{statistics.median(values):.3f} ({min(values):.3f}-{max(values):.3f})"


def _fit_zoom(con, pcode: str) -> tuple[int, tuple[float, float, float, float]]:
    """The tile zoom Leaflet shows province ``pcode`` at in a MAP_PX map, and its box."""
    from geo.tile_store import ORIGIN

    west, south, east, north = con.execute(
        "SELECT ST_XMin(geom), ST_YMin(geom), ST_XMax(geom), ST_YMax(geom) FROM province "
        "WHERE pcode = ?",
        [pcode],
    ).fetchone()

    def merc_y(lat: float) -> float:
        return math.log(math.tan(math.radians(90 + lat) / 2)) * 6378137

    world = 2 * ORIGIN
    zx = math.log2(MAP_PX[0] / ((east - west) / 360 * 256))
    zy = math.log2(MAP_PX[1] / ((merc_y(north) - merc_y(south)) / world * 256))
    return round(math.floor(min(zx, zy) * 4) / 4), (west, south, east, north)


def _tiles_over(box: tuple[float, float, float, float], z: int) -> list[tuple[int, int, int]]:
    west, south, east, north = box
    n = 2**z

    def tx(lon: float) -> int:
        return int((lon + 180) / 360 * n)

    def ty(lat: float) -> int:
        return int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n)

    return [
        (z, x, y) for x in range(tx(west), tx(east) + 1) for y in range(ty(north), ty(south) + 1)
    ]


def _tile_of(lon: float, lat: float, z: int) -> tuple[int, int, int]:
    return _tiles_over((lon, lat, lon, lat), z)[0]


def _render(con, view, points_in_page: bool) -> tuple[int, int, float]:
    from geo.mapping import build_map

    started = time.perf_counter()
    result = build_map(
        con, view, "area_km2", layer_keys=(LAYER,), basemap="none", points_in_page=points_in_page
    )
    page = result.map.get_root().render().encode("utf-8")
    return len(page), len(gzip.compress(page, 6)), time.perf_counter() - started


def province_map(con, view, runs: int) -> dict:
    """Page bytes and seconds, points in page against tiles, plus the view's tiles."""
    from geo import tiles
    from geo.layers import Scope

    out = {}
    for name, in_page in (("points in page", True), ("tiles", False)):
        sizes, times = None, []
        for _ in range(runs):
            raw, gz, seconds = _render(con, view, in_page)
            sizes = (raw, gz)
            times.append(seconds)
        out[name] = {"raw": sizes[0], "gzip": sizes[1], "times": times}
    z, box = _fit_zoom(con, view.code)
    scope = Scope(view.code)
    wanted = _tiles_over(box, z)
    tiles.clear_cache()
    started = time.perf_counter()
    tiles.get_tile(con, LAYER, *wanted[0], scope)
    first = time.perf_counter() - started
    cold, cached, size = [], [], 0
    for _ in range(runs):
        tiles.clear_cache(versions=False)  # the tiles; the layer snapshot stays
        started = time.perf_counter()
        found = [tiles.get_tile(con, LAYER, *t, scope) for t in wanted]
        cold.append(time.perf_counter() - started)
        size = sum(len(t.data) for t in found)
        started = time.perf_counter()
        for t in wanted:
            tiles.get_tile(con, LAYER, *t, scope)
        cached.append(time.perf_counter() - started)
    out["view tiles"] = {
        "zoom": z,
        "count": len(wanted),
        "gzip": size,
        "first": first,
        "cold": cold,
        "cached": cached,
    }
    return out


def single_tiles(con, runs: int) -> dict:
    """One tile at zooms 6, 10 and 14 over the densest place of the layer (no area filter)."""
    from geo import tiles
    from geo.layers import get_layer

    layer = get_layer(LAYER)
    lon, lat = con.execute(
        f"""SELECT avg(ST_X(s.geom)), avg(ST_Y(s.geom)) FROM ({layer.source}) s
            WHERE s.pcode = (SELECT pcode FROM ({layer.source}) q GROUP BY 1
                             ORDER BY count(*) DESC, 1 LIMIT 1)"""
    ).fetchone()
    out = {}
    for z in (6, 10, 14):
        t = _tile_of(lon, lat, z)
        cold, cached, tile = [], [], None
        for _ in range(runs):
            tiles.clear_cache(versions=False)
            started = time.perf_counter()
            tile = tiles.get_tile(con, LAYER, *t)
            cold.append(time.perf_counter() - started)
            started = time.perf_counter()
            tiles.get_tile(con, LAYER, *t)
            cached.append(time.perf_counter() - started)
        out[z] = {"tile": t, "features": tile.features, "gzip": len(tile.data), "cold": cold}
        out[z]["cached"] = cached
    return out


def main() -> dict:
    from data.store import connect
    from geo.mapping import View

    print(f"load average before: {' '.join(f'{v:.1f}' for v in os.getloadavg())}")
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        base = bench_database(Path(tmp))
        con = connect(base, read_only=True)
        province = con.execute(
            "SELECT substr(tambon_pcode, 1, 4) FROM community_org GROUP BY 1 "
            "ORDER BY count(*) DESC, 1 LIMIT 1"
        ).fetchone()[0]
        con.close()
        for factor in FACTORS:
            path = Path(tmp) / f"x{factor}.duckdb"
            shutil.copy(base, path)
            con = connect(path)
            started = time.perf_counter()
            multiply(con, factor)
            orgs = con.execute("SELECT count(*) FROM community_org").fetchone()[0]
            in_province = con.execute(
                "SELECT count(*) FROM community_org WHERE starts_with(tambon_pcode, ?)",
                [province],
            ).fetchone()[0]
            print(
                f"\n{factor}x: {orgs:,} organizations, {in_province:,} in {province} "
                f"(data copied in {time.perf_counter() - started:.1f} s, not timed)",
                flush=True,
            )
            runs = 3 if factor == 100 else 5
            view = View("province", province, "amphoe", "codi-18")
            results[factor] = {
                "province": province_map(con, view, runs),
                "tiles": single_tiles(con, runs),
            }
            con.close()
            path.unlink()
            _print(factor, province, results[factor])
    print(f"\nload average after: {' '.join(f'{v:.1f}' for v in os.getloadavg())}")
    return results


def _print(factor: int, province: str, r: dict) -> None:
    p = r["province"]
    vt = p["view tiles"]
    print(f"province {province} map, organizations layer ({factor}x)")
    print(f"  {'approach':16} {'HTML KB':>9} {'gzip KB':>8}  server s median (min-max)")
    for name in ("points in page", "tiles"):
        row = p[name]
        print(f"  {name:16} {row['raw'] / KB:9.1f} {row['gzip'] / KB:8.1f}  {_stats(row['times'])}")
    total = p["tiles"]["gzip"] + vt["gzip"]
    worst = statistics.median(p["tiles"]["times"]) + statistics.median(vt["cold"])
    ok = total <= 500 * KB and worst <= 1.0
    print(
        f"  view tiles: {vt['count']} at zoom {vt['zoom']}, {vt['gzip'] / KB:.1f} KB gzip; "
        f"first after a data change {vt['first']:.3f} s (writes the snapshot); "
        f"cold {_stats(vt['cold'])} s; cached {_stats(vt['cached'])} s"
    )
    print(
        f"  tiles approach in all: page + tiles = {total / KB:.1f} KB gzip, "
        f"{worst:.3f} s server (page + cold tiles)  target < 500 KB, < 1 s: "
        + ("ok" if ok else "MISSED")
    )
    for z, t in r["tiles"].items():
        print(
            f"  tile z{z} {t['tile'][1]}/{t['tile'][2]}: {t['features']} features, "
            f"{t['gzip'] / KB:.1f} KB gzip; cold {_stats(t['cold'])} s, "
            f"cached {_stats(t['cached'])} s"
        )


if __name__ == "__main__":
    main()
