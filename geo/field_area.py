"""What the field app keeps on the phone to find its way with no basemap and no network
(ชุดข้อมูลพื้นที่สำหรับใช้งานออฟไลน์).

* :func:`overview` — the 77 provinces, coarse (``map_shape`` detail 0), for a first visit.
* :func:`area` — one amphoe (the member's area): its tambon outlines at full detail (so the
  phone can name the tambon of a drawing by point-in-polygon), the outlines of the other
  amphoe of its province, and the village points of the amphoe with their names.
* :func:`locate` — the tambon, amphoe and province at a location (the server's own index).
* :func:`villages_near` — the nearest village points to a location.

Shapes come from ``map_shape`` (built once per database by :mod:`geo.simplify`); answers are
plain dicts ready for JSON. GeoJSON coordinates are longitude, latitude (RFC 7946).
"""

from __future__ import annotations

import json
import re

from data.errors import InputError

_AMPHOE = re.compile(r"^TH[0-9]{4}$")
VILLAGES_NEAR_MAX = 50


def _feature(pcode: str, name_th: str, name_en: str, geojson: str, x=None, y=None) -> dict:
    props = {"pcode": pcode, "th": name_th, "en": name_en}
    if x is not None:
        props["label"] = [round(x, 5), round(y, 5)]  # a point inside the shape for its name
    return {"type": "Feature", "properties": props, "geometry": json.loads(geojson)}


def build_id(con) -> str:
    """The id of the latest map-shape build: the area files change only when it does."""
    row = con.execute("SELECT id FROM map_shape_build ORDER BY built_at DESC LIMIT 1").fetchone()
    return row[0] if row else "none"


def overview(con) -> dict:
    """The provinces of Thailand, coarse, with their names (a FeatureCollection)."""
    rows = con.execute(
        """SELECT p.pcode, p.name_th, p.name_en, s.geojson, ST_X(ST_PointOnSurface(p.geom)),
                  ST_Y(ST_PointOnSurface(p.geom)) FROM province p
           JOIN map_shape s ON s.level = 'province' AND s.code = p.pcode AND s.detail = 0
           ORDER BY p.pcode"""
    ).fetchall()
    return {"type": "FeatureCollection", "features": [_feature(*r) for r in rows]}


def check_amphoe(pcode) -> str:
    code = str(pcode or "").strip().upper()
    if not _AMPHOE.match(code):
        raise InputError(
            f"{pcode!r} is not an amphoe P-code (TH + 4 digits)",
            message_th=f"{pcode!r} ไม่ใช่รหัสอำเภอ (TH ตามด้วยตัวเลข 4 หลัก)",
        )
    return code


def area(con, amphoe_pcode: str) -> dict:
    """The offline pack of one amphoe: tambons, the province's amphoe, villages.

    Raises InputError for a malformed or unknown P-code.
    """
    code = check_amphoe(amphoe_pcode)
    head = con.execute(
        """SELECT a.pcode, a.name_th, a.name_en, p.pcode, p.name_th, p.name_en,
                  ST_XMin(a.geom), ST_YMin(a.geom), ST_XMax(a.geom), ST_YMax(a.geom)
           FROM amphoe a JOIN province p ON p.pcode = a.province_pcode WHERE a.pcode = ?""",
        [code],
    ).fetchone()
    if head is None:
        raise InputError(f"no amphoe {code}", message_th=f"ไม่พบอำเภอรหัส {code}")
    tambons = con.execute(
        """SELECT t.pcode, t.name_th, t.name_en, s.geojson, ST_X(ST_PointOnSurface(t.geom)),
                  ST_Y(ST_PointOnSurface(t.geom)) FROM tambon t
           JOIN map_shape s ON s.level = 'tambon' AND s.code = t.pcode AND s.detail = 3
           WHERE t.amphoe_pcode = ? ORDER BY t.pcode""",
        [code],
    ).fetchall()
    amphoes = con.execute(
        """SELECT a.pcode, a.name_th, a.name_en, s.geojson, ST_X(ST_PointOnSurface(a.geom)),
                  ST_Y(ST_PointOnSurface(a.geom)) FROM amphoe a
           JOIN map_shape s ON s.level = 'amphoe' AND s.code = a.pcode AND s.detail = 2
           WHERE a.province_pcode = ? ORDER BY a.pcode""",
        [head[3]],
    ).fetchall()
    villages = con.execute(
        """SELECT round(ST_X(geom), 5), round(ST_Y(geom), 5), name, tambon_pcode FROM village
           WHERE tambon_pcode LIKE ? || '%' ORDER BY id""",
        [code],
    ).fetchall()
    return {
        "amphoe": {"pcode": head[0], "th": head[1], "en": head[2]},
        "province": {"pcode": head[3], "th": head[4], "en": head[5]},
        "bbox": [head[6], head[7], head[8], head[9]],
        "tambons": {"type": "FeatureCollection", "features": [_feature(*r) for r in tambons]},
        "amphoes": {"type": "FeatureCollection", "features": [_feature(*r) for r in amphoes]},
        "villages": [list(v) for v in villages],
    }


def _check_point(lon, lat) -> tuple[float, float]:
    try:
        x, y = float(lon), float(lat)
    except (TypeError, ValueError):
        x = y = float("nan")
    if not (97 <= x <= 106 and 5 <= y <= 21):
        raise InputError(
            "the location must be in Thailand (longitude 97-106, latitude 5-21)",
            message_th="ตำแหน่งต้องอยู่ในประเทศไทย (ลองจิจูด 97-106 ละติจูด 5-21)",
        )
    return x, y


def locate(con, lon, lat) -> dict | None:
    """Tambon, amphoe and province names at a location, or None outside every tambon."""
    import shapely

    from data.need_reports import tambon_index

    x, y = _check_point(lon, lat)
    index = tambon_index(con)
    pcode = index.locate(shapely.Point(x, y))
    if pcode is None:
        return None
    return {"tambon_pcode": pcode, "amphoe_pcode": pcode[:6], **index.names[pcode]}


def villages_near(con, lon, lat, n: int = 20) -> list[dict]:
    """The ``n`` village points nearest a location (at most :data:`VILLAGES_NEAR_MAX`)."""
    x, y = _check_point(lon, lat)
    n = max(1, min(int(n), VILLAGES_NEAR_MAX))
    rows = con.execute(
        """SELECT name, round(ST_X(geom), 5), round(ST_Y(geom), 5), tambon_pcode,
                  (ST_X(geom) - $x) ^ 2 + (ST_Y(geom) - $y) ^ 2 AS d2
           FROM village WHERE ST_X(geom) BETWEEN $x - 0.2 AND $x + 0.2
             AND ST_Y(geom) BETWEEN $y - 0.2 AND $y + 0.2
           ORDER BY d2 LIMIT $n""",
        {"x": x, "y": y, "n": n},
    ).fetchall()
    return [{"name": r[0], "lon": r[1], "lat": r[2], "tambon_pcode": r[3]} for r in rows]
