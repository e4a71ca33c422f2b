"""Drawing the demo dataset on the real map: tambons and villages read in P-code order,
how urban a tambon is, names and dates drawn from a seeded generator, real village points,
and points kept inside the tambon they are filed under.

Part of :mod:`data.demo` (every name is importable from there).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from data.demo_vocab import FAMILY, GIVEN


def _tambons(con) -> pd.DataFrame:
    return con.execute("""
        SELECT t.pcode, t.amphoe_pcode, t.province_pcode, t.name_th, t.area_km2,
               ST_X(ST_PointOnSurface(t.geom)) AS lon, ST_Y(ST_PointOnSurface(t.geom)) AS lat,
               coalesce(v.n, 0) AS villages
        FROM tambon t
        LEFT JOIN (SELECT tambon_pcode, count(*) AS n FROM village GROUP BY 1) v
               ON v.tambon_pcode = t.pcode
        ORDER BY t.pcode""").df()


def _villages(con) -> pd.DataFrame:
    return con.execute("""
        SELECT id, name, tambon_pcode, ST_X(geom) AS lon, ST_Y(geom) AS lat FROM village
        WHERE tambon_pcode IS NOT NULL ORDER BY tambon_pcode, id""").df()


def _city_weight(t: pd.DataFrame) -> np.ndarray:
    """How urban a tambon is: Bangkok, then the Mueang district of each province, then small
    tambons (dense towns)."""
    bangkok = t["province_pcode"].eq("TH10").to_numpy()
    mueang = t["amphoe_pcode"].str.endswith("01").to_numpy()
    small = (t["area_km2"].to_numpy() < 15).astype(float)
    return 0.05 + 3.0 * bangkok + 1.2 * mueang + 0.6 * small


def _place_word(village: str | None, tambon: str) -> str:
    """A community's name word: its village's name, or the tambon's where the village has
    only a number (หมู่ที่ 5)."""
    if not village or village.startswith("หมู่"):
        return tambon
    return village.removeprefix("บ้าน")


def _names(rng: np.random.Generator, n: int) -> list[str]:
    title = rng.choice(["นาย", "นาง", "นางสาว"], size=n, p=[0.45, 0.45, 0.10])
    given = rng.choice(GIVEN, size=n)
    family = rng.choice(FAMILY, size=n)
    return [f"{a}{b} {c}" for a, b, c in zip(title, given, family, strict=True)]


def _dates(rng: np.random.Generator, n: int, start: str, end: str) -> np.ndarray:
    lo, hi = np.datetime64(start, "D"), np.datetime64(end, "D")
    days = rng.integers(0, int((hi - lo).astype(int)), size=n)
    return (lo + days.astype("timedelta64[D]")).astype("datetime64[D]")


def _pick_points(
    rng: np.random.Generator, tambon_idx: np.ndarray, t: pd.DataFrame, v: pd.DataFrame
) -> tuple[np.ndarray, np.ndarray, np.ndarray, list]:
    """A real village point in each chosen tambon (or the tambon's inner point where it has
    none, as in Bangkok): (lon, lat, village_id, village_name)."""
    start = np.searchsorted(v["tambon_pcode"].to_numpy(), t["pcode"].to_numpy(), side="left")
    count = t["villages"].to_numpy()
    lon = t["lon"].to_numpy()[tambon_idx].copy()
    lat = t["lat"].to_numpy()[tambon_idx].copy()
    vid = np.full(len(tambon_idx), -1, dtype=np.int64)
    has = count[tambon_idx] > 0
    offs = (rng.random(len(tambon_idx)) * np.maximum(count[tambon_idx], 1)).astype(int)
    rows = start[tambon_idx] + offs
    rows_has = rows[has]
    lon[has] = v["lon"].to_numpy()[rows_has]
    lat[has] = v["lat"].to_numpy()[rows_has]
    vid[has] = v["id"].to_numpy()[rows_has]
    names = np.full(len(tambon_idx), None, dtype=object)
    names[has] = v["name"].to_numpy()[rows_has]
    return lon, lat, vid, list(names)


def _inside(con, pcodes: np.ndarray, lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    """Whether each point lies inside (or on the edge of) the tambon it is filed under."""
    frame = pd.DataFrame({"i": np.arange(len(pcodes)), "p": pcodes, "lon": lon, "lat": lat})
    con.register("_demo_points", frame)
    try:
        rows = con.execute("""
            SELECT f.i, coalesce(ST_Intersects(t.geom, ST_Point(f.lon, f.lat)), false) AS ok
            FROM _demo_points f LEFT JOIN tambon t ON t.pcode = f.p ORDER BY f.i""").fetchnumpy()
    finally:
        con.unregister("_demo_points")
    return rows["ok"].astype(bool)


def _keep_in_tambon(con, pcodes, lon, lat, *fallbacks) -> tuple[np.ndarray, np.ndarray]:
    """Each point that falls outside its own tambon (a jitter over the edge, a village filed
    under a neighbour) moves to the first fallback (lon, lat) that is inside; the last
    fallback is the tambon's inner point, which always is."""
    lon, lat = np.asarray(lon, dtype=float).copy(), np.asarray(lat, dtype=float).copy()
    for f_lon, f_lat in fallbacks:
        out = ~_inside(con, pcodes, lon, lat)
        if not out.any():
            break
        lon[out], lat[out] = np.asarray(f_lon)[out], np.asarray(f_lat)[out]
    return lon, lat
