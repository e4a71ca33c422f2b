"""What an export is asked for: :class:`ExportOptions` (layer, format, level, filters, CRS,
precision, privacy choices), checked before anything runs, and :func:`parse_date` for the
date filters (ISO dates, months or years; a Buddhist Era year is converted).

Used by :mod:`geo.export` (import from there).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import asdict, dataclass
from typing import Any

from data.errors import InputError

FORMATS = {"geojson": ".geojson", "gpkg": ".gpkg", "csv": ".csv"}
CRS_NAMES = {
    4326: "WGS 84 (longitude, latitude)",
    32647: "WGS 84 / UTM zone 47N",
    32648: "WGS 84 / UTM zone 48N",
}
DEFAULT_PRECISION = {4326: 6, 32647: 2, 32648: 2}
CSV_GEOMETRY = ("wkt", "lonlat")
CSV_HEADERS = ("name", "th", "en")


@dataclass(frozen=True)
class ExportOptions:
    """What to export and how.

    ``layer`` is a key of :func:`geo.export_layers.available_layers`; ``format`` one of
    ``geojson``, ``gpkg``, ``csv``. ``level`` applies to layers with levels (boundaries,
    indicators); ``grouping`` names the province grouping (default: the default one).
    ``area`` is a P-code, a Thai or English place name, or a cluster/region code or name of
    the grouping. ``status`` is one or more comma-separated status codes. ``since`` and
    ``until`` are ISO dates (``2024-05-01``, ``2024-05``, ``2024``; a year above 2400 is
    read as Buddhist Era). ``crs`` is 4326 (GeoJSON: always) or 32647/32648 (UTM 47N/48N).
    ``precision`` is the number of decimals of coordinates (default 6 in degrees, 2 in
    metres). ``include_free_text`` adds what members typed (masked phone numbers and
    e-mails); ``suppress_below`` hides counts under that number and drops the records of
    areas with fewer records where the layer says so. ``bbox`` (west, south, east, north in
    degrees) keeps the records whose geometry meets that box.
    """

    layer: str
    format: str = "geojson"
    level: str | None = None
    grouping: str | None = None
    area: str | None = None
    status: str | None = None
    since: str | dt.date | None = None
    until: str | dt.date | None = None
    crs: int = 4326
    precision: int | None = None
    include_free_text: bool = False
    suppress_below: int | None = None
    csv_geometry: str | None = None
    csv_header: str = "name"
    bbox: tuple[float, float, float, float] | None = None

    def checked(self) -> ExportOptions:
        """The options with their format-level rules checked (raises InputError)."""
        fmt = (self.format or "").strip().lower().lstrip(".")
        fmt = {"json": "geojson", "geopackage": "gpkg"}.get(fmt, fmt)
        if fmt not in FORMATS:
            raise InputError(
                f"format must be one of {', '.join(FORMATS)}, not {self.format!r}",
                message_th=f"รูปแบบไฟล์ต้องเป็น {', '.join(FORMATS)}",
            )
        try:
            crs = int(str(self.crs).upper().removeprefix("EPSG:"))
        except ValueError:
            crs = -1
        if crs not in CRS_NAMES:
            raise InputError(
                f"crs must be one of {', '.join(f'EPSG:{c}' for c in CRS_NAMES)}, not {self.crs}",
                message_th="ระบบพิกัดต้องเป็น EPSG:4326, 32647 (UTM 47N) หรือ 32648 (UTM 48N)",
            )
        if fmt == "geojson" and crs != 4326:
            raise InputError(
                "GeoJSON is always WGS84 longitude/latitude (RFC 7946); use gpkg or csv for UTM",
                message_th="GeoJSON ใช้พิกัด WGS84 เท่านั้น (RFC 7946) ใช้ gpkg หรือ csv สำหรับ UTM",
            )
        precision = DEFAULT_PRECISION[crs] if self.precision is None else self.precision
        if not isinstance(precision, int) or not 0 <= precision <= 15:
            raise InputError(
                f"precision must be a whole number from 0 to 15, not {precision!r}",
                message_th="จำนวนทศนิยมของพิกัดต้องเป็นจำนวนเต็ม 0 ถึง 15",
            )
        if self.suppress_below is not None and not (
            isinstance(self.suppress_below, int) and 2 <= self.suppress_below <= 1000
        ):
            raise InputError(
                "suppress_below must be a whole number from 2 to 1000",
                message_th="เกณฑ์การปกปิดจำนวนน้อยต้องเป็นจำนวนเต็ม 2 ถึง 1000",
            )
        if self.csv_geometry is not None and self.csv_geometry not in CSV_GEOMETRY:
            raise InputError(
                f"csv geometry must be one of {', '.join(CSV_GEOMETRY)}",
                message_th="รูปแบบพิกัดใน CSV ต้องเป็น wkt หรือ lonlat",
            )
        if self.csv_header not in CSV_HEADERS:
            raise InputError(
                f"csv header must be one of {', '.join(CSV_HEADERS)}",
                message_th="หัวตาราง CSV ต้องเป็น name, th หรือ en",
            )
        bbox = self.bbox
        if bbox is not None:
            try:
                bbox = tuple(float(v) for v in bbox)
            except (TypeError, ValueError):
                bbox = ()
            if len(bbox) != 4 or not (
                -180 <= bbox[0] <= bbox[2] <= 180 and -90 <= bbox[1] <= bbox[3] <= 90
            ):
                raise InputError(
                    "bbox must be four numbers: west,south,east,north in degrees "
                    "(west <= east, south <= north)",
                    message_th="bbox ต้องเป็นตัวเลขสี่ค่า: ตะวันตก,ใต้,ตะวันออก,เหนือ (องศา)",
                )
        return _replace(self, format=fmt, crs=crs, precision=precision, bbox=bbox)


def _replace(options: ExportOptions, **changes: Any) -> ExportOptions:
    values = asdict(options)
    values.update(changes)
    return ExportOptions(**values)


def parse_date(value: str | dt.date | None, *, end: bool = False) -> tuple[dt.date | None, bool]:
    """An ISO date, year-month or year (the end of the period with ``end``).

    Returns ``(date, was_buddhist_era)``: a year above 2400 is read as พ.ศ. and converted.
    """
    if value is None or value == "":
        return None, False
    if isinstance(value, dt.date):
        return value, False
    text = str(value).strip()
    m = re.fullmatch(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?", text)
    if not m:
        raise InputError(
            f"date {text!r} must look like 2024-05-01, 2024-05 or 2024",
            message_th=f"วันที่ {text!r} ต้องอยู่ในรูป 2567-05-01, 2567-05 หรือ 2567",
        )
    year, month, day = int(m.group(1)), m.group(2), m.group(3)
    buddhist = year > 2400
    if buddhist:
        year -= 543
    try:
        if day is not None:
            return dt.date(year, int(month), int(day)), buddhist
        if month is not None:
            first = dt.date(year, int(month), 1)
            if not end:
                return first, buddhist
            nxt = dt.date(year + (first.month == 12), first.month % 12 + 1, 1)
            return nxt - dt.timedelta(days=1), buddhist
        return (dt.date(year, 12, 31) if end else dt.date(year, 1, 1)), buddhist
    except ValueError as exc:
        raise InputError(
            f"date {text!r} does not exist ({exc})", message_th=f"ไม่มีวันที่ {text!r} ในปฏิทิน"
        ) from exc
