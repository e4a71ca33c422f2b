"""Export all 7,425 tambons with every catalogue indicator as GeoJSON and GeoPackage.

Target (issue 7): GeoJSON under 2 s. Prints each export's time (best and median of
``RUNS``) and file size, and the ratio against geopandas writing the same rows in the same
run: ``GeoDataFrame.to_file`` (GeoJSON and GPKG through pyogrio) and ``to_json``. The
geopandas figures are given twice: writing alone (the frame already in memory), and end to
end (query -> GeoDataFrame -> file), which is what our export does.

The database is a copy of ``PHANG_BENCH_DB`` (default: ``var/phangchumchon.duckdb``), or,
when that does not exist, a fresh build of the shared files with demo data in a temporary
directory. The copy keeps a running app's database free.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import bench_database  # noqa: E402

RUNS = 3
TARGET_GEOJSON_S = 2.0


def _timed(fn, runs: int = RUNS) -> tuple[float, float]:
    """(best, median) seconds of ``runs`` calls."""
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return min(times), statistics.median(times)


def _geodataframe(con):
    """The same rows and columns as the export, as a GeoDataFrame (the baseline's input)."""
    import geopandas as gpd
    import shapely

    from geo.export_layers import registered, resolve

    resolved = resolve(registered()["indicators"], con, "tambon", "codi-18")
    names = ", ".join(f.name for f in resolved.fields)
    frame = con.execute(
        f"SELECT {names}, ST_AsWKB(geom) AS wkb FROM ({resolved.sql}) ORDER BY pcode",
        {"grouping": "codi-18"},
    ).df()
    geometry = shapely.from_wkb(frame.pop("wkb").map(bytes).values)
    return gpd.GeoDataFrame(frame, geometry=geometry, crs=4326)


def main() -> None:
    sys.path.insert(0, str(ROOT))
    from analysis.catalogue import catalogue
    from data.store import connect
    from geo.export import ExportOptions, export_layer

    with tempfile.TemporaryDirectory(prefix="bench-export-") as tmp:
        work = Path(tmp)
        db = bench_database(work)
        con = connect(db, read_only=True)
        try:
            rows = {}
            ours = {}
            for fmt in ("geojson", "gpkg"):
                out = work / f"ours.{fmt}"
                options = ExportOptions("indicators", fmt, level="tambon")
                result = export_layer(con, options, out)  # warm-up, and the record count
                ours[fmt] = _timed(lambda o=options, p=out: export_layer(con, o, p))
                rows[fmt] = (result.records, out.stat().st_size)
            indicators = sum(1 for i in catalogue().values() if "tambon" in i.levels)

            load = _timed(lambda: _geodataframe(con))
            gdf = _geodataframe(con)
            base = {
                "to_file geojson": _timed(
                    lambda: gdf.to_file(work / "gpd.geojson", driver="GeoJSON", engine="pyogrio")
                ),
                "to_json": _timed(
                    lambda: (work / "gpd_json.geojson").write_text(gdf.to_json(), encoding="utf-8")
                ),
                "to_file gpkg": _timed(
                    lambda: gdf.to_file(work / "gpd.gpkg", driver="GPKG", engine="pyogrio")
                ),
            }
            sizes = {
                "to_file geojson": (work / "gpd.geojson").stat().st_size,
                "to_json": (work / "gpd_json.geojson").stat().st_size,
                "to_file gpkg": (work / "gpd.gpkg").stat().st_size,
            }
        finally:
            con.close()

    mb = 1024 * 1024
    print(
        f"tambons: {rows['geojson'][0]:,}; indicators at tambon level: {indicators}; "
        f"runs: {RUNS} (best / median seconds)"
    )
    print(f"{'writer':34} {'best s':>8} {'median s':>9} {'size MB':>8}")
    for fmt in ("geojson", "gpkg"):
        best, median = ours[fmt]
        print(f"{'ผังชุมชน export ' + fmt:34} {best:8.3f} {median:9.3f} {rows[fmt][1] / mb:8.2f}")
    print(f"{'geopandas: query -> GeoDataFrame':34} {load[0]:8.3f} {load[1]:9.3f} {'':>8}")
    for name, (best, median) in base.items():
        print(f"{'geopandas ' + name:34} {best:8.3f} {median:9.3f} {sizes[name] / mb:8.2f}")
    print("ratio (geopandas time / our time, best runs; >1 means ours is faster):")
    pairs = (("geojson", "to_file geojson"), ("geojson", "to_json"), ("gpkg", "to_file gpkg"))
    for fmt, name in pairs:
        alone = base[name][0] / ours[fmt][0]
        end_to_end = (base[name][0] + load[0]) / ours[fmt][0]
        print(f"  {fmt:8} vs {name:16}: writing alone {alone:5.2f}x, end to end {end_to_end:5.2f}x")
    verdict = "met" if ours["geojson"][0] < TARGET_GEOJSON_S else "NOT met"
    print(
        f"target GeoJSON < {TARGET_GEOJSON_S:.0f} s: {verdict} "
        f"(best {ours['geojson'][0]:.3f} s, median {ours['geojson'][1]:.3f} s)"
    )


if __name__ == "__main__":
    main()
