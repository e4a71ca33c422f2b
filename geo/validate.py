"""Server-side checks of a drawn location (a point or an area), whatever the browser sent.

:func:`validate_drawing` takes GeoJSON (text, a dict, a Feature or a bare geometry) or a
shapely geometry, and returns a :class:`CleanGeometry`: the shape to store plus the list
of :class:`Repair` made on the way, each with a Thai and an English sentence for the
person who drew it. What cannot be repaired safely is refused with a
:class:`GeometryError` carrying both languages.

Repaired, and reported:

* a Feature (or a one-feature FeatureCollection) instead of a geometry: unwrapped;
* a ring whose last position is not its first: closed;
* a self-crossing ring (a "bow-tie"): ``shapely.make_valid``, keeping the areas;
* Z (or M) values: dropped, the map is 2-D;
* latitude and longitude swapped (every position reads as lat, lon of Thailand): swapped back;
* a one-point MultiPoint or one-polygon MultiPolygon: reduced to its single part.

Refused: empty input, text that is not GeoJSON, lines and other geometry types, NaN or
infinite or non-numeric coordinates, longitude beyond ±180 or latitude beyond ±90, an area
of zero (too few distinct corners, or all corners on one line), a shape outside Thailand,
an area larger than :data:`AREA_LIMIT_M2`, and more corners than ``PHANG_NEED_MAX_VERTICES``
(5,000 by default; checked before any shape is built).
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from typing import Any

import shapely
from pyproj import Geod
from shapely.geometry import MultiPolygon, Point, Polygon
from shapely.geometry.base import BaseGeometry

from data.errors import InputError

#: Thailand's bounding box, lon/lat (the same numbers as the schema's CHECKs)
THAILAND_BBOX = (97.0, 5.0, 106.0, 21.0)
#: the largest area one report may cover: 20 km², a large community, not a district
AREA_LIMIT_M2 = 20_000_000.0
_GEOD = Geod(ellps="WGS84")


class GeometryError(InputError):
    """A drawing that cannot be stored; ``code`` names the rule it broke."""

    def __init__(self, code: str, message: str, message_th: str) -> None:
        super().__init__(message, message_th=message_th)
        self.code = code


@dataclass(frozen=True)
class Repair:
    """One change made to a drawing before storing it."""

    code: str
    message_en: str
    message_th: str

    def message(self, lang: str = "th") -> str:
        return self.message_th if lang == "th" else self.message_en


@dataclass(frozen=True)
class CleanGeometry:
    """A drawing ready to store: ``geom`` (EPSG:4326), its geodesic area and the repairs."""

    geom: BaseGeometry
    area_m2: float
    repairs: tuple[Repair, ...] = field(default_factory=tuple)

    @property
    def kind(self) -> str:
        return "point" if self.geom.geom_type == "Point" else "area"

    @property
    def repair_codes(self) -> list[str]:
        return [r.code for r in self.repairs]


_REPAIRS = {
    "feature_unwrapped": (
        "The drawing came as a GeoJSON Feature; its geometry was used.",
        "ข้อมูลที่ส่งมาเป็น Feature ระบบใช้เฉพาะรูปทรงภายใน",
    ),
    "ring_closed": (
        "The outline was not closed; its last corner was joined to the first.",
        "เส้นรอบรูปไม่ปิด ระบบได้เชื่อมจุดสุดท้ายกับจุดแรกให้",
    ),
    "made_valid": (
        "The outline crossed itself; it was split into valid areas.",
        "เส้นรอบรูปตัดกันเอง ระบบได้แก้ให้เป็นพื้นที่ที่ถูกต้อง",
    ),
    "z_dropped": (
        "Height (Z) values were removed; the map is two-dimensional.",
        "ระบบได้ตัดค่าความสูง (Z) ออก เพราะแผนที่เป็นสองมิติ",
    ),
    "swapped_lat_lon": (
        "Latitude and longitude were swapped; they were put back in order.",
        "ค่าละติจูดและลองจิจูดสลับกัน ระบบได้สลับกลับให้ถูกต้อง",
    ),
    "single_part": (
        "A multi-part shape with one part was reduced to that part.",
        "รูปทรงหลายส่วนที่มีเพียงส่วนเดียว ระบบได้ใช้ส่วนนั้น",
    ),
}


def _repair(code: str, detail_en: str = "", detail_th: str = "") -> Repair:
    en, th = _REPAIRS[code]
    return Repair(
        code,
        en + (f" ({detail_en})" if detail_en else ""),
        th + (f" ({detail_th})" if detail_th else ""),
    )


def _refuse(code: str, en: str, th: str) -> GeometryError:
    return GeometryError(code, en, th)


def max_vertices() -> int:
    """The most corners one drawing may have (setting ``PHANG_NEED_MAX_VERTICES``)."""
    from data.settings import int_setting

    return int_setting("PHANG_NEED_MAX_VERTICES")


def validate_drawing(drawing: Any, *, max_area_m2: float = AREA_LIMIT_M2) -> CleanGeometry:
    """Check and repair a drawn point or area; return it with the repairs made.

    Parameters
    ----------
    drawing
        GeoJSON text, a GeoJSON dict (geometry, Feature or one-feature FeatureCollection),
        or a shapely Point/Polygon/MultiPolygon. Coordinates are longitude, latitude.
    max_area_m2
        The largest accepted geodesic area in square metres.

    Raises
    ------
    GeometryError
        With ``code`` and Thai/English messages, when the drawing cannot be stored.
    """
    repairs: list[Repair] = []
    if isinstance(drawing, BaseGeometry):
        drawing = shapely.geometry.mapping(drawing) if not drawing.is_empty else None
    geometry = _unwrap(_parse(drawing), repairs)
    kind = geometry.get("type")
    coords = geometry.get("coordinates")
    if kind == "MultiPoint" and isinstance(coords, list) and len(coords) == 1:
        kind, coords = "Point", coords[0]
        repairs.append(_repair("single_part"))
    if kind == "MultiPolygon" and isinstance(coords, list) and len(coords) == 1:
        kind, coords = "Polygon", coords[0]
        repairs.append(_repair("single_part"))
    if kind not in ("Point", "Polygon", "MultiPolygon"):
        raise _refuse(
            "wrong_type",
            f"Draw an area or drop a point; a {kind or 'shape without a type'} cannot be used.",
            "กรุณาวาดพื้นที่หรือปักหมุด รูปทรงประเภทนี้ใช้ไม่ได้" + (f" ({kind})" if kind else ""),
        )
    depth = {"Point": 0, "Polygon": 2, "MultiPolygon": 3}[kind]
    positions = _positions(coords, depth)
    if not positions:
        raise _refuse("empty", "The drawing is empty.", "ไม่มีรูปที่วาด")
    cap = max_vertices()
    if len(positions) > cap:
        raise _refuse(
            "too_many_vertices",
            f"The drawing has {len(positions):,} corners, more than the {cap:,} one report may "
            "have; draw the area with fewer corners.",
            f"รูปที่วาดมี {len(positions):,} จุด มากกว่า {cap:,} จุดที่รายงานหนึ่งมีได้ กรุณาวาดพื้นที่ด้วยจุดที่น้อยลง",
        )
    if any(len(p) > 2 for p in positions):
        repairs.append(_repair("z_dropped"))
    coords = _map_positions(coords, depth, lambda p: (p[0], p[1]))
    flat = [(p[0], p[1]) for p in positions]
    if _looks_swapped(flat):
        coords = _map_positions(coords, depth, lambda p: (p[1], p[0]))
        flat = [(y, x) for x, y in flat]
        repairs.append(_repair("swapped_lat_lon"))
    _check_ranges(flat)
    geom = _build(kind, coords, repairs)
    _check_inside_thailand(geom)
    area = 0.0 if geom.geom_type == "Point" else abs(_GEOD.geometry_area_perimeter(geom)[0])
    if area > max_area_m2:
        raise _refuse(
            "too_large",
            f"The area is {area / 1e6:,.1f} km², more than the {max_area_m2 / 1e6:,.0f} km² "
            "one report may cover; draw just the community.",
            f"พื้นที่ที่วาด {area / 1e6:,.1f} ตร.กม. ใหญ่เกิน {max_area_m2 / 1e6:,.0f} ตร.กม. "
            "ที่รายงานหนึ่งครอบคลุมได้ กรุณาวาดเฉพาะบริเวณชุมชน",
        )
    return CleanGeometry(geom, area, tuple(repairs))


def _parse(drawing: Any) -> dict:
    if drawing is None or (isinstance(drawing, (str, bytes, dict, list)) and not drawing):
        raise _refuse(
            "empty",
            "Nothing was drawn: draw an area or drop a point on the map.",
            "ยังไม่ได้วาดพื้นที่หรือปักหมุดบนแผนที่",
        )
    if isinstance(drawing, (str, bytes)):
        try:
            drawing = json.loads(drawing)
        except (ValueError, TypeError) as exc:
            raise _refuse(
                "not_geojson",
                "The drawing is not readable GeoJSON.",
                "ข้อมูลรูปที่วาดไม่ใช่ GeoJSON ที่อ่านได้",
            ) from exc
    if not isinstance(drawing, dict):
        raise _refuse(
            "not_geojson", "The drawing is not a GeoJSON object.", "ข้อมูลรูปที่วาดไม่ใช่วัตถุ GeoJSON"
        )
    return drawing


def _unwrap(obj: dict, repairs: list[Repair]) -> dict:
    if obj.get("type") == "FeatureCollection":
        features = obj.get("features") or []
        if len(features) != 1:
            raise _refuse(
                "many_features",
                f"Send one drawing per report, not {len(features)}.",
                f"กรุณาส่งรูปที่วาดครั้งละหนึ่งรูป (ได้รับ {len(features)} รูป)",
            )
        obj = features[0] if isinstance(features[0], dict) else {}
    if obj.get("type") == "Feature":
        geometry = obj.get("geometry")
        if not geometry:
            raise _refuse("empty", "The Feature has no geometry.", "Feature ไม่มีรูปทรง")
        repairs.append(_repair("feature_unwrapped"))
        obj = geometry if isinstance(geometry, dict) else {}
    return obj


def _positions(coords: Any, depth: int) -> list[tuple[float, ...]]:
    """Every position of nested ``coords`` (depth 0: one position), numbers checked."""
    if coords is None:
        return []
    if depth == 0:
        return [_position(coords)]
    if not isinstance(coords, (list, tuple)):
        raise _bad_coordinates()
    out: list[tuple[float, ...]] = []
    for part in coords:
        out.extend(_positions(part, depth - 1))
    return out


def _bad_coordinates() -> GeometryError:
    return _refuse(
        "bad_coordinates", "The coordinates are not a list of numbers.", "พิกัดไม่ใช่รายการตัวเลข"
    )


def _position(value: Any) -> tuple[float, ...]:
    if not isinstance(value, (list, tuple)) or not 2 <= len(value) <= 4:
        raise _bad_coordinates()
    out = []
    for v in value:
        if isinstance(v, bool) or not isinstance(v, (int, float)):
            raise _bad_coordinates()
        if not math.isfinite(v):
            raise _refuse(
                "not_finite",
                "A coordinate is not a number (NaN or infinite).",
                "มีพิกัดที่ไม่ใช่ตัวเลข (NaN หรือค่าอนันต์)",
            )
        out.append(float(v))
    return tuple(out)


def _map_positions(coords: Any, depth: int, fn) -> Any:
    if depth == 0:
        return fn(coords)
    return [_map_positions(part, depth - 1, fn) for part in coords]


def _in_box(x: float, y: float) -> bool:
    x0, y0, x1, y1 = THAILAND_BBOX
    return x0 <= x <= x1 and y0 <= y <= y1


def _looks_swapped(flat: list[tuple[float, float]]) -> bool:
    """Every position is outside Thailand as (lon, lat) but inside it as (lat, lon)."""
    return all(not _in_box(x, y) and _in_box(y, x) for x, y in flat)


def _check_ranges(flat: list[tuple[float, float]]) -> None:
    bad_lon = [x for x, _ in flat if not -180 <= x <= 180]
    if bad_lon:
        raise _refuse(
            "lon_range",
            f"A longitude is {bad_lon[0]:g}, beyond the ±180° a longitude can be.",
            f"ลองจิจูด {bad_lon[0]:g} เกินช่วง ±180 องศา",
        )
    bad_lat = [y for _, y in flat if not -90 <= y <= 90]
    if bad_lat:
        raise _refuse(
            "lat_range",
            f"A latitude is {bad_lat[0]:g}, beyond the ±90° a latitude can be.",
            f"ละติจูด {bad_lat[0]:g} เกินช่วง ±90 องศา",
        )


def _zero_area() -> GeometryError:
    return _refuse(
        "zero_area",
        "The area has no size: draw at least three corners that are not on one line.",
        "พื้นที่ที่วาดไม่มีขนาด กรุณาวาดอย่างน้อยสามมุมที่ไม่อยู่บนเส้นเดียวกัน",
    )


def _ring(ring: list, repairs: list[Repair]) -> list:
    if len(ring) and ring[0] != ring[-1]:
        ring = [*ring, ring[0]]
        if not any(r.code == "ring_closed" for r in repairs):
            repairs.append(_repair("ring_closed"))
    if len({tuple(p) for p in ring}) < 3:
        raise _zero_area()
    return ring


def _polygon(rings: list, repairs: list[Repair]) -> Polygon:
    if not rings:
        raise _refuse("empty", "The area has no outline.", "พื้นที่ที่วาดไม่มีเส้นรอบรูป")
    rings = [_ring(r, repairs) for r in rings]
    return Polygon(rings[0], rings[1:])


def _build(kind: str, coords: Any, repairs: list[Repair]) -> BaseGeometry:
    if kind == "Point":
        return Point(coords)
    if kind == "Polygon":
        geom: BaseGeometry = _polygon(coords, repairs)
    else:
        if not coords:
            raise _refuse("empty", "The drawing is empty.", "ไม่มีรูปที่วาด")
        geom = MultiPolygon([_polygon(p, repairs) for p in coords])
    if not geom.is_valid:
        reason = shapely.is_valid_reason(geom)
        fixed = _polygonal(shapely.make_valid(geom))
        if fixed is None or _flat(fixed):
            raise _zero_area()
        geom = fixed
        repairs.append(_repair("made_valid", reason, reason))
    if _flat(geom):
        raise _zero_area()
    return geom


def _flat(geom: BaseGeometry) -> bool:
    """No area worth the name: the isoperimetric quotient 4πA/P² of a sliver is near 0."""
    if geom.area <= 0 or geom.length <= 0:
        return True
    return 4 * math.pi * geom.area / geom.length**2 < 1e-6


def _polygonal(geom: BaseGeometry) -> BaseGeometry | None:
    """The polygonal part of ``geom`` (make_valid may add stray lines), as one shape."""
    parts = [
        g for g in getattr(geom, "geoms", [geom]) if g.geom_type in ("Polygon", "MultiPolygon")
    ]
    polys = []
    for p in parts:
        polys.extend(getattr(p, "geoms", [p]))
    polys = [p for p in polys if not _flat(p)]
    if not polys:
        return None
    return polys[0] if len(polys) == 1 else MultiPolygon(polys)


def _check_inside_thailand(geom: BaseGeometry) -> None:
    x0, y0, x1, y1 = geom.bounds
    if not (_in_box(x0, y0) and _in_box(x1, y1)):
        raise _refuse(
            "outside_thailand",
            "The drawing is outside Thailand; find your community on the map first.",
            "ตำแหน่งที่วาดอยู่นอกประเทศไทย กรุณาค้นหาชุมชนบนแผนที่ก่อน",
        )
