"""Map explorer: bytes sent and server seconds per view, against a plain folium map.

The plain baseline is what folium gives out of the box: ``folium.GeoJson`` of the whole
shared tambon file (all columns, full detail) with a name tooltip, rendered to HTML. The
map explorer's figures come from the same library calls the page makes
(``geo.mapping.build_map`` then rendering the map), on a database built from the shared
files (``PHANG_DB`` if it holds map shapes, else a temporary build).

Bytes are gzip-compressed (as Streamlit's server sends static files, and its websocket
with ``server.enableWebsocketCompression``): the map script plus, on a first visit, the
view's static shape file. "Rerun" seconds are a rerun of the page for a view whose shape
file exists (the normal case: shape files are written once per build and view);
"first" seconds include writing the shape file.

Targets (issue 3): national tambon view <= 500 KB and <= 0.5 s and >= 10x fewer bytes
than plain; a province with its tambons <= 150 KB and <= 0.2 s; indicator change <= 50 KB.
"""

from __future__ import annotations

import gzip
import logging
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

KB = 1024


def _gz(data: bytes) -> int:
    return len(gzip.compress(data, 6))


def _database():
    """A connection on a database with map shapes (built into a temp dir if needed)."""
    from data.errors import StoreLockedError
    from data.settings import boundaries_dir, db_path, villages_file
    from data.store import connect

    path = os.environ.get("PHANG_DB") or str(db_path())
    con = None
    if path and Path(path).exists():
        try:
            con = connect(path, read_only=True)
        except StoreLockedError:
            print(f"{path} is in use; building a temporary database", file=sys.stderr)
    if con is not None:
        if con.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_name = 'map_shape'"
        ).fetchone()[0]:
            if con.execute("SELECT count(*) FROM map_shape").fetchone()[0]:
                return con, None
        con.close()
    from data.build import build

    tmp = tempfile.TemporaryDirectory()
    con = connect(Path(tmp.name) / "bench.duckdb")
    print("building a temporary database from the shared files ...", file=sys.stderr)
    build(con, boundaries_dir(), villages_file(), options={"demo": False})
    return con, tmp


def plain_folium() -> dict:
    """The baseline: a plain folium map of the whole shared tambon file."""
    import folium
    import geopandas as gpd

    from data.settings import boundaries_dir

    tambons = gpd.read_file(
        f"zip://{boundaries_dir() / 'tha_admbnda_adm3_rtsd_20220121.zip'}", encoding="utf-8"
    )
    for column in tambons.columns:  # dates (validOn...) are not JSON: send them as text
        if str(tambons[column].dtype).startswith("datetime"):
            tambons[column] = tambons[column].astype(str)
    started = time.perf_counter()  # per rerun: the file is read once and cached
    m = folium.Map(location=[13, 101], zoom_start=6)
    folium.GeoJson(
        tambons,
        tooltip=folium.GeoJsonTooltip(fields=["ADM3_TH", "ADM3_EN", "ADM3_PCODE"]),
    ).add_to(m)
    page = m.get_root().render().encode("utf-8")
    seconds = time.perf_counter() - started
    return {"bytes": len(page), "gzip": _gz(page), "seconds": seconds}


def _page_render(con, view, indicator: str) -> tuple[object, bytes]:
    """What the page does on a rerun: build the map and hand it to ``st_folium``.

    Returns the map result and the component arguments ``st_folium`` sends to the browser
    (captured instead of sent: this runs without a Streamlit server).
    """
    import json

    import streamlit_folium
    from streamlit_folium import st_folium

    from geo import mapping

    sent: dict = {}

    def capture(**kwargs):
        sent.update({k: v for k, v in kwargs.items() if not callable(v)})
        return kwargs.get("default")

    original = streamlit_folium._component_func
    streamlit_folium._component_func = capture
    try:
        result = mapping.build_map(con, view, indicator, basemap="none")
        st_folium(
            result.map,
            key="map",
            height=560,
            use_container_width=True,
            returned_objects=["last_clicked"],
        )
    finally:
        streamlit_folium._component_func = original
    return result, json.dumps(sent, ensure_ascii=False).encode("utf-8")


def explorer(con, view, indicator: str, repeat: int = 5) -> dict:
    """Bytes and seconds of one map explorer view, as the page builds it on a rerun."""
    from geo import mapping

    mapping.clear_shape_cache()
    started = time.perf_counter()
    result, payload = _page_render(con, view, indicator)
    first = time.perf_counter() - started
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        result, payload = _page_render(con, view, indicator)
        times.append(time.perf_counter() - started)
    return {
        "script_gzip": _gz(payload),
        "shapes_gzip": result.shapes.gzip_size,
        "shapes_bytes": result.shapes.size,
        "gzip": _gz(payload) + result.shapes.gzip_size,
        "names_gzip": result.shapes.names_gzip_size,
        "first_seconds": first,
        "seconds": statistics.median(times),
        "areas": len(result.shapes.codes),
    }


def main() -> dict:
    from geo.mapping import View

    logging.disable(logging.WARNING)  # st_folium without a server warns on every call
    con, tmp = _database()
    try:
        grouping = con.execute("SELECT name FROM grouping WHERE is_default").fetchone()[0]
        # the province with the most tambons is the hardest province view
        province = con.execute(
            "SELECT province_pcode FROM tambon GROUP BY 1 ORDER BY count(*) DESC LIMIT 1"
        ).fetchone()[0]
        plain = plain_folium()
        national = explorer(con, View("country", None, "tambon", grouping), "area_km2")
        prov = explorer(con, View("province", province, "tambon", grouping), "area_km2")
        changed = explorer(con, View("country", None, "tambon", grouping), "villages_per_km2")
    finally:
        con.close()
        if tmp is not None:
            tmp.cleanup()
    ratio = plain["gzip"] / national["gzip"]
    rows = [
        ("plain folium, all tambons", plain["gzip"], plain["seconds"], None, None),
        ("national view, tambon detail", national["gzip"], national["seconds"], 500 * KB, 0.5),
        (
            f"province {province} with its {prov['areas']} tambons",
            prov["gzip"],
            prov["seconds"],
            150 * KB,
            0.2,
        ),
        ("indicator change (national)", changed["script_gzip"], changed["seconds"], 50 * KB, None),
    ]
    print(f"{'view':44} {'gzip KB':>9} {'seconds':>8}  target")
    for name, size, seconds, size_target, time_target in rows:
        target = ""
        if size_target:
            ok = size <= size_target and (time_target is None or seconds <= time_target)
            target = (
                f"<= {size_target // KB} KB"
                + (f", <= {time_target} s" if time_target else "")
                + ("  ok" if ok else "  MISSED")
            )
        print(f"{name:44} {size / KB:9.1f} {seconds:8.3f}  {target}")
    if national["names_gzip"]:
        total = national["gzip"] + national["names_gzip"]
        print(
            f"national names file (tooltips; fetched after the map is drawn, cached): "
            f"{national['names_gzip'] / KB:.1f} KB; counting it the national view is "
            f"{total / KB:.1f} KB, {plain['gzip'] / total:.1f}x fewer bytes than plain"
        )
    print(
        f"plain folium raw HTML: {plain['bytes'] / KB / KB:.1f} MB; national shape file raw: "
        f"{national['shapes_bytes'] / KB:.0f} KB; national first view (writes the shape "
        f"file): {national['first_seconds']:.2f} s"
    )
    print(
        f"ratio plain / national (gzip bytes): {ratio:.1f}x  (target >= 10x)"
        + ("  ok" if ratio >= 10 else "  MISSED")
    )
    print(f"ratio plain / national (server seconds): {plain['seconds'] / national['seconds']:.1f}x")
    return {
        "plain": plain,
        "national": national,
        "province": prov,
        "indicator_change": changed,
        "ratio_bytes": ratio,
    }


if __name__ == "__main__":
    main()
