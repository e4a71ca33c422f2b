"""Geometry rules for imported rows: right axis order, inside Thailand, valid, right type.

``check_geometry`` takes a shapely geometry (or None) and the kind of record, and returns
``(geometry, repairs, problem)``. Repairs are reported, never silent: swapped lon/lat,
a self-intersecting polygon made valid (with its area before and after), Z values dropped,
a one-point multipoint unwrapped. A shape with more vertices than
``PHANG_IMPORT_MAX_VERTICES`` is refused (simplify it first).
"""

from __future__ import annotations

import re

import shapely
from shapely.geometry.base import BaseGeometry

from data.importers.values import Problem

LON = (97.0, 106.0)
LAT = (5.0, 21.0)
POINT_ONLY = {"organization", "council"}


def _inside(bounds: tuple[float, float, float, float]) -> bool:
    x0, y0, x1, y1 = bounds
    return LON[0] <= x0 and x1 <= LON[1] and LAT[0] <= y0 and y1 <= LAT[1]


def _swapped(bounds: tuple[float, float, float, float]) -> bool:
    x0, y0, x1, y1 = bounds
    return LAT[0] <= x0 and x1 <= LAT[1] and LON[0] <= y0 and y1 <= LON[1]


def max_vertices() -> int:
    """The most vertices one imported shape may have (``PHANG_IMPORT_MAX_VERTICES``)."""
    from data.settings import int_setting

    return int_setting("PHANG_IMPORT_MAX_VERTICES")


def provinces_of_parts(geom: BaseGeometry, resolver) -> list[str]:
    """The provinces (P-codes, sorted) in which the parts of a multi-part shape lie."""
    parts = list(getattr(geom, "geoms", [geom]))
    tambons = resolver.containing_many(parts)
    return sorted({t[:4] for t in tambons if t})


def point_from_lonlat(lon: float | None, lat: float | None) -> BaseGeometry | None:
    """A point from two numbers, or None when either is missing."""
    if lon is None or lat is None:
        return None
    return shapely.Point(lon, lat)


def check_geometry(
    geom: BaseGeometry | None, kind: str
) -> tuple[BaseGeometry | None, list[str], Problem | None]:
    """Check and repair one geometry for a record of ``kind`` (see the module docstring)."""
    repairs: list[str] = []
    if geom is None or geom.is_empty:
        return None, repairs, None
    if shapely.has_z(geom):
        geom = shapely.force_2d(geom)
        repairs.append("dropped Z values")
    if geom.geom_type == "MultiPoint" and len(geom.geoms) == 1:
        geom = geom.geoms[0]
    bounds = geom.bounds
    if not _inside(bounds):
        if _swapped(bounds):
            geom = shapely.transform(geom, lambda xy: xy[:, ::-1])
            repairs.append("swapped latitude/longitude order (coordinates were lat, lon)")
        elif abs(bounds[0]) > 1000 or abs(bounds[1]) > 1000:
            return (
                None,
                repairs,
                Problem(
                    "projected_coordinates",
                    "coordinates look projected (metres, e.g. UTM), not longitude/latitude; "
                    "give the file's CRS or convert to WGS84",
                    "พิกัดดูเหมือนเป็นเมตร (เช่น UTM) ไม่ใช่ลองจิจูด/ละติจูด กรุณาระบุระบบพิกัดหรือแปลงเป็น WGS84",
                ),
            )
        else:
            return (
                None,
                repairs,
                Problem(
                    "outside_thailand",
                    f"location outside Thailand (x {bounds[0]:.4f}, y {bounds[1]:.4f})",
                    f"ตำแหน่งอยู่นอกประเทศไทย (x {bounds[0]:.4f}, y {bounds[1]:.4f})",
                ),
            )
    vertices = int(shapely.get_num_coordinates(geom))
    cap = max_vertices()
    if vertices > cap:
        return (
            None,
            repairs,
            Problem(
                "too_many_vertices",
                f"the shape has {vertices:,} vertices, over the limit of {cap:,}; simplify it",
                f"รูปร่างมีจุดยอด {vertices:,} จุด เกินขีดจำกัด {cap:,} จุด กรุณาลดรายละเอียดของรูปร่าง",
            ),
        )
    allowed = ("Point",) if kind in POINT_ONLY else ("Point", "Polygon", "MultiPolygon")
    if geom.geom_type not in allowed:
        if kind in POINT_ONLY and geom.geom_type in ("Polygon", "MultiPolygon"):
            geom = (
                geom.representative_point()
                if geom.is_valid
                else shapely.make_valid(geom).representative_point()
            )
            repairs.append("area reduced to a point inside it")
        else:
            return (
                None,
                repairs,
                Problem(
                    "wrong_geometry_type",
                    f"a {geom.geom_type} cannot be stored here (allowed: {', '.join(allowed)})",
                    f"รูปร่างชนิด {geom.geom_type} ใช้กับข้อมูลนี้ไม่ได้ (ใช้ได้: {', '.join(allowed)})",
                ),
            )
    if not geom.is_valid:
        reason = shapely.is_valid_reason(geom)
        fixed = shapely.make_valid(geom)
        polygons = [
            g
            for g in getattr(fixed, "geoms", [fixed])
            if g.geom_type in ("Polygon", "MultiPolygon") and not g.is_empty
        ]
        if geom.geom_type == "Point" or not polygons:
            return (
                None,
                repairs,
                Problem(
                    "invalid_geometry",
                    f"invalid geometry: {reason}",
                    f"รูปร่างไม่ถูกต้อง: {repair_text(reason)}",
                ),
            )
        fixed = shapely.union_all(polygons) if len(polygons) > 1 else polygons[0]
        if not fixed.is_valid or fixed.is_empty:
            return (
                None,
                repairs,
                Problem(
                    "invalid_geometry",
                    f"invalid geometry: {reason}",
                    f"รูปร่างไม่ถูกต้อง: {repair_text(reason)}",
                ),
            )
        repairs.append(
            f"made valid ({reason}); area {_area_m2(geom):,.0f} m² -> {_area_m2(fixed):,.0f} m²"
        )
        geom = fixed
    return geom, repairs, None


def _area_m2(geom: BaseGeometry) -> float:
    from pyproj import Geod

    try:
        return abs(Geod(ellps="WGS84").geometry_area_perimeter(geom)[0])
    except Exception:  # an invalid ring may not have a defined area
        return float("nan")


_REPAIRS_TH = (
    (re.compile(r"^dropped Z values$"), "ตัดค่าความสูง (Z) ออก"),
    (
        re.compile(r"^swapped latitude/longitude order.*$"),
        "สลับลำดับพิกัด (ในไฟล์เป็นละติจูดก่อนลองจิจูด)",
    ),
    (re.compile(r"^area reduced to a point inside it$"), "เปลี่ยนพื้นที่เป็นจุดที่อยู่ภายในพื้นที่นั้น"),
    (
        re.compile(r"^made valid \((.*)\); area (.*) m² -> (.*) m²$"),
        r"แก้รูปร่างให้ถูกต้อง (\1) เนื้อที่ \2 ตร.ม. -> \3 ตร.ม.",
    ),
)


def repair_text(text: str, lang: str = "th") -> str:
    """A repair note (stored in English) in the reader's language."""
    if lang != "th":
        return text
    for pattern, thai in _REPAIRS_TH:
        if pattern.match(text):
            text = pattern.sub(thai, text)
            break
    for english, thai in _GEOS_REASONS_TH:
        text = re.sub(english, thai, text)
    return text


#: GEOS validity reasons (shapely.is_valid_reason) in Thai; the coordinates are kept
_GEOS_REASONS_TH = (
    (r"Ring Self-intersection", "วงรอบตัดกันเอง"),
    (r"Self-intersection", "เส้นขอบตัดกันเอง"),
    (r"Too few points", "จุดน้อยเกินไป"),
    (r"Hole lies outside shell", "รูอยู่นอกขอบนอก"),
    (r"Nested shells", "ขอบนอกซ้อนกัน"),
    (r"Interior is disconnected", "พื้นที่ภายในขาดออกจากกัน"),
    (r"Duplicate Rings?", "วงรอบซ้ำกัน"),
    (r"Invalid Coordinate", "พิกัดไม่ถูกต้อง"),
)
