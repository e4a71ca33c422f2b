"""Export a layer for an agency: GeoJSON (RFC 7946), GeoPackage or CSV, with a metadata sidecar.

:func:`export_layer` is the one entry point; the CLI (``python -m data export``) and the
export page both call it with a DuckDB cursor::

    from geo.export import ExportOptions, export_layer
    result = export_layer(con, ExportOptions("indicators", "geojson", level="province"),
                          "provinces.geojson")
    result.summary()   # records, bytes, paths, metadata

What the layers are, and their privacy rules, is declared in :mod:`geo.export_layers`.

Rows stream from DuckDB in Arrow batches (``batch_size`` rows at a time): each batch's
geometry is rounded to the stated precision, its polygons oriented counter-clockwise
(exterior) and written before the next batch is read, so a layer is never held in memory
whole. The file is written beside its final name and renamed when complete, so a failed
export leaves nothing half-written. Beside every file a ``<file>.metadata.json`` sidecar
records title, description, fields (Thai/English names, units), sources and licences,
filters, record count, generation time and whether demo data is included; a GeoPackage
carries the same metadata inside (``gpkg_metadata``, through GDAL layer metadata).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa

from data.errors import InputError, PhangError
from data.privacy import SQL_FUNCTION as SQL_MASK
from data.privacy import register_sql
from geo.export_layers import (
    LEVEL_NAMES,
    SOURCES,
    Field,
    Resolved,
    available_layers,
    registered,
    resolve,
)
from geo.export_writers import _geometries, _write_csv, _write_geojson, _write_gpkg

FORMATS = {"geojson": ".geojson", "gpkg": ".gpkg", "csv": ".csv"}
CRS_NAMES = {
    4326: "WGS 84 (longitude, latitude)",
    32647: "WGS 84 / UTM zone 47N",
    32648: "WGS 84 / UTM zone 48N",
}
DEFAULT_PRECISION = {4326: 6, 32647: 2, 32648: 2}
CSV_GEOMETRY = ("wkt", "lonlat")
CSV_HEADERS = ("name", "th", "en")
BATCH_SIZE = 2000
GENERATOR = "ผังชุมชน (phangchumchon) export"

_PCODE = re.compile(r"^TH(\d{2}|\d{4}|\d{6})$", re.IGNORECASE)


class ExportError(PhangError):
    """An export cannot be made as asked."""


# --- options ---------------------------------------------------------------------------------


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


# --- areas ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Area:
    """An area to filter by: an admin area (P-code), or a cluster or region of a grouping."""

    kind: str
    code: str
    name_th: str
    name_en: str
    provinces: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "code": self.code,
            "name_th": self.name_th,
            "name_en": self.name_en,
        }


def resolve_area(con, text: str | None, grouping: str, gazetteer=None) -> Area | None:
    """Read ``--area``: a P-code, a cluster/region code or name, or a place name.

    Place names go through the Thai matcher (:class:`boundaries.matcher.Gazetteer`); an
    unknown or ambiguous name raises InputError listing the nearest places.
    """
    if text is None or not str(text).strip():
        return None
    raw = str(text).strip()
    if _PCODE.match(raw):
        return _admin_area(con, raw.upper())
    lowered = raw.lower()
    for kind in ("cluster", "region"):
        stripped = lowered.removeprefix(f"{kind}:")
        table = f"grouping_{kind}"
        row = con.execute(
            f"SELECT code, name_th, name_en FROM {table} WHERE grouping = ? AND "
            "(lower(code) = ? OR name_th = ? OR lower(name_en) = ?)",
            [grouping, stripped, raw.removeprefix(f"{kind}:"), stripped],
        ).fetchone()
        if row:
            column = "gp.cluster_code" if kind == "cluster" else "gc.region_code"
            provinces = tuple(
                r[0]
                for r in con.execute(
                    f"""SELECT gp.province_pcode FROM grouping_province gp
                    JOIN grouping_cluster gc ON gc.grouping = gp.grouping
                         AND gc.code = gp.cluster_code
                    WHERE gp.grouping = ? AND {column} = ? ORDER BY 1""",
                    [grouping, row[0]],
                ).fetchall()
            )
            return Area(kind, row[0], row[1], row[2], provinces)
    if gazetteer is None:
        from boundaries.gazetteer_store import load_gazetteer

        gazetteer = load_gazetteer(con)
    result = gazetteer.match(raw)
    if result.pcode is None:
        nearest = "; ".join(f"{c.path_th} ({c.pcode})" for c in result.candidates[:5])
        hint = f"; did you mean: {nearest}" if nearest else ""
        hint_th = f" หรือหมายถึง: {nearest}" if nearest else ""
        what = "is ambiguous" if result.status == "ambiguous" else "is not a known place"
        what_th = "กำกวม" if result.status == "ambiguous" else "ไม่พบชื่อพื้นที่นี้"
        raise InputError(
            f"area {raw!r} {what}{hint}",
            message_th=f"พื้นที่ {raw!r} {what_th}{hint_th}",
            details=[c.to_dict() for c in result.candidates[:5]],
        )
    return _admin_area(con, result.pcode)


def _admin_area(con, pcode: str) -> Area:
    level = {4: "province", 6: "amphoe", 8: "tambon"}[len(pcode)]
    row = con.execute(f"SELECT name_th, name_en FROM {level} WHERE pcode = ?", [pcode]).fetchone()
    if row is None:
        raise InputError(
            f"no {level} has the P-code {pcode}",
            message_th=f"ไม่พบ{LEVEL_NAMES[level][0]}รหัส {pcode}",
        )
    return Area(level, pcode, row[0], row[1], (pcode[:4],))


def _area_condition(resolved: Resolved, area: Area, con, params: dict) -> str:
    column = resolved.area_column
    if column is None:
        raise InputError(
            f"layer {resolved.spec.key!r} cannot be filtered by area",
            message_th=f"ชั้นข้อมูล {resolved.spec.key} กรองตามพื้นที่ไม่ได้",
        )
    if resolved.area_kind == "admin":
        if area.kind in ("cluster", "region"):
            params["area_provinces"] = list(area.provinces)
            return f"list_contains($area_provinces, substr({column}, 1, 4))"
        params["area"] = area.code
        # rows inside the area, or (a coarser layer) the row containing it
        return f"(starts_with({column}, $area) OR starts_with($area, {column}))"
    # cluster or region layers: the units holding any province of the area
    provinces = list(area.provinces)
    if area.kind == resolved.area_kind:
        codes = [area.code]
    else:
        column_sql = "gp.cluster_code" if resolved.area_kind == "cluster" else "gc.region_code"
        codes = [
            r[0]
            for r in con.execute(
                f"""SELECT DISTINCT {column_sql} FROM grouping_province gp
                JOIN grouping_cluster gc ON gc.grouping = gp.grouping
                     AND gc.code = gp.cluster_code
                WHERE gp.grouping = ? AND list_contains(?, gp.province_pcode)""",
                [resolved.grouping, provinces],
            ).fetchall()
        ]
    params["area_codes"] = codes
    return f"list_contains($area_codes, {column})"


# --- the query ------------------------------------------------------------------------------


@dataclass
class _Plan:
    resolved: Resolved
    fields: tuple[Field, ...]
    sql: str
    params: dict
    filters: dict
    privacy: dict
    count_sql: str = ""
    notes: list[str] = field(default_factory=list)
    masked: tuple[str, ...] = ()  # fields whose contact details are masked (data.privacy)
    raw_sql: str = ""  # ``sql`` without the masking, for _masked_batches


def _default_grouping(con, grouping: str | None) -> str:
    from boundaries.groupings import default_grouping_name

    if grouping:
        if not con.execute("SELECT count(*) FROM grouping WHERE name = ?", [grouping]).fetchone()[
            0
        ]:
            known = [r[0] for r in con.execute("SELECT name FROM grouping ORDER BY 1").fetchall()]
            raise InputError(
                f"no grouping named {grouping!r} (known: {', '.join(known)})",
                message_th=f"ไม่พบชุดการจัดกลุ่ม {grouping}",
            )
        return grouping
    return default_grouping_name(con)


def _plan(con, options: ExportOptions, gazetteer=None) -> _Plan:
    layers = available_layers(con)
    if options.layer not in layers:
        declared = (
            ""
            if options.layer not in registered()
            else (" (its tables are not in this database yet)")
        )
        raise InputError(
            f"unknown layer {options.layer!r}{declared}; available: {', '.join(layers)}",
            message_th=f"ไม่มีชั้นข้อมูล {options.layer!r} (มี: {', '.join(layers)})",
        )
    spec = layers[options.layer]
    if options.level and not spec.levels:
        raise InputError(
            f"layer {spec.key!r} has no levels; leave out --level",
            message_th=f"ชั้นข้อมูล {spec.key} ไม่มีระดับให้เลือก",
        )
    grouping = _default_grouping(con, options.grouping)
    resolved = resolve(spec, con, options.level, grouping)
    params: dict[str, Any] = {}
    conditions: list[str] = []
    filters: dict[str, Any] = {"grouping": grouping}
    if resolved.level:
        filters["level"] = resolved.level
    notes = list(resolved.notes)

    area = resolve_area(con, options.area, grouping, gazetteer)
    if area is not None:
        conditions.append(_area_condition(resolved, area, con, params))
        filters["area"] = area.to_dict()

    if options.status:
        if not spec.status_column:
            raise InputError(
                f"layer {spec.key!r} has no status to filter by",
                message_th=f"ชั้นข้อมูล {spec.key} ไม่มีสถานะให้กรอง",
            )
        wanted = []
        for part in str(options.status).split(","):
            part = part.strip()
            code = next(
                (c for c, names in spec.statuses.items() if part.lower() == c or part in names),
                None,
            )
            if code is None:
                raise InputError(
                    f"status {part!r} is not one of {', '.join(spec.statuses)}",
                    message_th=f"สถานะ {part!r} ต้องเป็นหนึ่งใน "
                    f"{', '.join(n[0] for n in spec.statuses.values())}",
                )
            wanted.append(code)
        params["statuses"] = wanted
        conditions.append(f"list_contains($statuses, {spec.status_column})")
        filters["status"] = wanted

    since, be_since = parse_date(options.since)
    until, be_until = parse_date(options.until, end=True)
    if since or until:
        if not spec.date_column:
            raise InputError(
                f"layer {spec.key!r} has no date to filter by",
                message_th=f"ชั้นข้อมูล {spec.key} ไม่มีวันที่ให้กรอง",
            )
        if since and until and since > until:
            raise InputError(
                f"--since {since} is after --until {until}",
                message_th=f"วันเริ่ม {since} อยู่หลังวันสิ้นสุด {until}",
            )
        if since:
            params["since"] = since
            conditions.append(f"{spec.date_column} >= $since")
            filters["since"] = since.isoformat()
        if until:
            params["until"] = until
            conditions.append(f"{spec.date_column} <= $until")
            filters["until"] = until.isoformat()
        filters["date_field"] = spec.date_column
        if be_since or be_until:
            notes.append("Dates given in the Buddhist Era were converted to CE.")

    if options.bbox is not None:
        params.update(zip(("bx0", "by0", "bx1", "by1"), options.bbox, strict=True))
        conditions.append("ST_Intersects(geom, ST_MakeEnvelope($bx0, $by0, $bx1, $by1))")
        filters["bbox"] = list(options.bbox)

    fields = tuple(f for f in resolved.fields if options.include_free_text or not f.free_text)
    left_out = [f.name for f in resolved.fields if f not in fields]
    k = options.suppress_below
    privacy = {
        "never_exported": "contact details (names, phone numbers, notes), account data, "
        "receipts and personal names of group chairs",
        "free_text_included": bool(options.include_free_text)
        and any(f.free_text for f in resolved.fields),
        "free_text_fields_left_out": left_out,
        "suppress_below": k,
    }
    if options.include_free_text and not left_out:
        privacy["free_text_masking"] = (
            "phone numbers, e-mail addresses (also written with (at)/dot) and national ID "
            "numbers replaced by *** (Thai digits and separators normalised first)"
        )

    columns, raw_columns = [], []
    for f in fields:
        expr = f'"{f.name}"'
        if f.count and k:
            expr = f"CASE WHEN {expr} > 0 AND {expr} < $k THEN NULL ELSE {expr} END"
        raw_columns.append(f'CAST({expr} AS {f.sql_type}) AS "{f.name}"')
        if f.free_text or f.mask_contacts:  # the SQL macro of migration 0009 (data.privacy)
            expr = f"{SQL_MASK}({expr})"
        columns.append(f'CAST({expr} AS {f.sql_type}) AS "{f.name}"')
    if k:
        params["k"] = k
        suppressed = [f.name for f in fields if f.count]
        if suppressed:
            privacy["suppressed_fields"] = suppressed
    where = " AND ".join(conditions) or "TRUE"
    kept = f"SELECT * FROM src WHERE {where}"
    if k and spec.suppress_area_column:
        col = spec.suppress_area_column
        kept = (
            f"SELECT * FROM ({kept}) f WHERE {col} IN (SELECT {col} FROM ({kept}) g "
            f"GROUP BY {col} HAVING count(*) >= $k)"
        )
        privacy["records_dropped_in_areas_below_threshold"] = col
    if "$grouping" in resolved.sql:
        params["grouping"] = grouping
    with_sql = f"WITH src AS ({resolved.sql}), kept AS ({kept})"
    count_sql = f"WITH src AS ({resolved.rows_sql}), kept AS ({kept})"
    order = spec.order_by or resolved.area_column or fields[0].name
    sql = f"""{with_sql}
              SELECT {", ".join(columns)}, ST_AsWKB(geom) AS __wkb FROM kept
              ORDER BY {order}"""
    raw_sql = f"""{with_sql}
              SELECT {", ".join(raw_columns)}, ST_AsWKB(geom) AS __wkb FROM kept
              ORDER BY {order}"""
    # ``sql`` masks typed text with the SQL macro (for any service reading the plan, e.g.
    # the OGC API); the export file itself runs ``raw_sql`` and masks batch by batch with
    # the precise Python version (ID check digits; text kept as typed: _masked_batches)
    masked = tuple(f.name for f in fields if f.free_text or f.mask_contacts)
    return _Plan(resolved, fields, sql, params, filters, privacy, count_sql, notes, masked, raw_sql)


def _props_sql(fields) -> str:
    props = ", ".join(f"'{f.name}': \"{f.name}\"" for f in fields)
    return f"to_json({{{props}}}) AS __props"


def _masked_batches(reader, plan: _Plan, geojson: bool) -> Iterator[pa.RecordBatch]:
    """The query's batches with contact details masked in the typed-text fields (and, for
    GeoJSON, the properties built from the masked values).

    The masking runs in a private in-memory DuckDB connection owned here: a Python
    function must never be registered on the shared database connection (data.privacy).
    """
    import duckdb

    scratch = duckdb.connect()
    try:
        register_sql(scratch)
        cols = ", ".join(
            f'{SQL_MASK}("{f.name}") AS "{f.name}"' if f.name in plan.masked else f'"{f.name}"'
            for f in plan.fields
        )
        sql = f"SELECT {cols}, __wkb FROM _batch"
        if geojson:
            sql = f"SELECT *, {_props_sql(plan.fields)} FROM ({sql}) q"
        for batch in reader:
            scratch.register("_batch", pa.Table.from_batches([batch]))
            try:
                yield from scratch.execute(sql).to_arrow_table().to_batches()
            finally:
                scratch.unregister("_batch")
    finally:
        scratch.close()


def layer_query(con, options: ExportOptions, *, gazetteer=None) -> _Plan:
    """The query an export of ``options`` runs, without writing a file: its fields (privacy
    rules applied), SQL (declared columns cast to their types, ``__wkb`` geometry, ordered),
    parameters, filters and privacy notes. For services that serve the same rows as the
    exports (the OGC API, ``ogc/``)."""
    return _plan(con, options.checked(), gazetteer)


def round_geometries(column: pa.Array, precision: int) -> np.ndarray:
    """WKB (``__wkb``) -> shapely in EPSG:4326, rounded and oriented as the GeoJSON export."""
    return _geometries(column, None, precision, multi=False)


# --- the export -----------------------------------------------------------------------------


@dataclass
class ExportResult:
    """What an export wrote: the file, its sidecar, its record count and metadata."""

    path: Path
    metadata_path: Path
    records: int
    bytes: int
    seconds: float
    metadata: dict

    def summary(self) -> dict[str, Any]:
        """JSON-ready summary (what the CLI prints)."""
        return {
            "layer": self.metadata["layer"],
            "format": self.metadata["format"],
            "path": str(self.path),
            "metadata_path": str(self.metadata_path),
            "records": self.records,
            "bytes": self.bytes,
            "seconds": round(self.seconds, 3),
            "crs": self.metadata["crs"],
            "filters": self.metadata["filters"],
            "demo_data_included": self.metadata["demo_data_included"],
        }


def metadata_path_for(path: str | Path) -> Path:
    """Where the metadata sidecar of an export file goes: ``<file>.metadata.json``."""
    path = Path(path)
    return path.with_name(path.name + ".metadata.json")


def database_has_demo(con) -> bool:
    """Whether any table with an ``is_demo`` column holds a demo row."""
    tables = [
        r[0]
        for r in con.execute(
            "SELECT table_name FROM information_schema.columns WHERE column_name = 'is_demo'"
        ).fetchall()
    ]
    return any(
        con.execute(f'SELECT EXISTS (SELECT 1 FROM "{t}" WHERE is_demo)').fetchone()[0]
        for t in tables
    )


def _used(sql: str, params: dict) -> dict:
    """The named parameters a statement uses (DuckDB refuses unused ones)."""
    return {k: v for k, v in params.items() if re.search(rf"\${k}\b", sql)}


@contextmanager
def _snapshot(con) -> Iterator[None]:
    """Count and write from one snapshot, so the record count matches the file."""
    import duckdb

    try:
        con.execute("BEGIN TRANSACTION")
    except duckdb.TransactionException:
        yield  # the caller's transaction already gives one snapshot
        return
    try:
        yield
    finally:
        con.execute("ROLLBACK")


def export_layer(
    con, options: ExportOptions, out: str | Path, *, gazetteer=None, batch_size: int = BATCH_SIZE
) -> ExportResult:
    """Export one layer to ``out`` (GeoJSON, GeoPackage or CSV) with a metadata sidecar.

    ``con`` is a DuckDB connection or cursor (pages pass ``ui.resources.cursor()``).
    ``gazetteer`` (optional) reads place names given as ``options.area``. Raises
    :class:`data.errors.InputError` for bad options (English and Thai messages).
    """
    started = time.perf_counter()
    options = options.checked()
    out = Path(out)
    if out.is_dir():
        raise InputError(
            f"{out} is a directory; give a file name", message_th=f"{out} เป็นโฟลเดอร์ กรุณาระบุชื่อไฟล์"
        )
    if not out.parent.exists():
        raise InputError(
            f"the folder {out.parent} does not exist", message_th=f"ไม่พบโฟลเดอร์ {out.parent}"
        )
    suffix_format = {".geojson": "geojson", ".json": "geojson", ".gpkg": "gpkg", ".csv": "csv"}
    named = suffix_format.get(out.suffix.lower())
    if named is not None and named != options.format:
        raise InputError(
            f"the file name {out.name} ends in {out.suffix} but the format is {options.format}; "
            f"name it *{FORMATS[options.format]} or choose --format {named}",
            message_th=f"ชื่อไฟล์ {out.name} ไม่ตรงกับรูปแบบ {options.format} "
            f"(ควรลงท้ายด้วย {FORMATS[options.format]})",
        )
    if not isinstance(batch_size, int) or batch_size < 1:
        raise ValueError(f"batch_size must be a positive integer, not {batch_size!r}")
    plan = _plan(con, options, gazetteer)
    transformer = None
    if options.crs != 4326:
        from pyproj import Transformer

        transformer = Transformer.from_crs(4326, options.crs, always_xy=True)
    partial = out.with_name(f".{out.stem}.partial{out.suffix}")
    sidecar = metadata_path_for(out)
    try:
        with _snapshot(con):
            demo_col = plan.resolved.spec.demo_column
            demo_expr = f"coalesce(bool_or({demo_col}), false)" if demo_col else "false"
            count_sql = f"{plan.count_sql} SELECT count(*), {demo_expr} FROM kept"
            count, demo_rows = con.execute(count_sql, _used(count_sql, plan.params)).fetchone()
            demo = bool(demo_rows) or (
                demo_col is None and plan.resolved.demo_possible and database_has_demo(con)
            )
            metadata = _metadata(plan, options, out, count, demo)
            sql = plan.raw_sql if plan.masked else plan.sql
            if options.format == "geojson" and not plan.masked:
                sql = f"SELECT *, {_props_sql(plan.fields)} FROM ({plan.sql}) q"
            reader = con.execute(sql, plan.params).to_arrow_reader(batch_size)
            schema = reader.schema
            if plan.masked:
                reader = _masked_batches(reader, plan, options.format == "geojson")
            with suppress(FileNotFoundError):
                partial.unlink()
            if options.format == "geojson":
                written = _write_geojson(reader, partial, plan, options)
            elif options.format == "csv":
                written = _write_csv(reader, partial, plan, options, transformer)
            else:
                written = _write_gpkg(reader, schema, partial, plan, options, transformer, metadata)
        if written != count:
            raise ExportError(
                f"wrote {written} records but counted {count}; try again",
                message_th="จำนวนระเบียนที่เขียนไม่ตรงกับที่นับ กรุณาลองใหม่",
            )
        os.replace(partial, out)
    except BaseException:
        with suppress(FileNotFoundError):
            partial.unlink()
        raise
    metadata["bytes"] = out.stat().st_size
    sidecar.write_text(json.dumps(metadata, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return ExportResult(
        out, sidecar, count, metadata["bytes"], time.perf_counter() - started, metadata
    )


def _metadata(plan: _Plan, options: ExportOptions, out: Path, count: int, demo: bool) -> dict:
    r = plan.resolved
    sources = list(r.sources) + (["demo"] if demo and "demo" not in r.sources else [])
    geometry = {
        "geojson": "GeoJSON geometry (RFC 7946)",
        "gpkg": "GeoPackage geometry",
        "csv": "WKT column 'wkt'"
        if (options.csv_geometry or ("lonlat" if r.geometry_type == "Point" else "wkt")) == "wkt"
        else "longitude/latitude columns (a point inside each shape)",
    }[options.format]
    meta: dict[str, Any] = {
        "title_th": r.title_th,
        "title_en": r.title_en,
        "description_th": r.description_th,
        "description_en": r.description_en,
        "layer": r.spec.key,
        "level": r.level,
        "format": options.format,
        "file": out.name,
        "crs": f"EPSG:{options.crs}",
        "crs_name": CRS_NAMES[options.crs],
        "coordinate_precision": options.precision,
        "geometry": geometry,
        "geometry_type": r.geometry_type,
        "fields": [f.to_dict() for f in plan.fields],
        "sources": [SOURCES[s].to_dict() for s in dict.fromkeys(sources)],
        "filters": plan.filters,
        "privacy": plan.privacy,
        "record_count": count,
        "generated_at": dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
        "generator": GENERATOR,
        "demo_data_included": demo,
    }
    if demo:
        meta["demo_note_th"] = "มีข้อมูลสาธิต (สังเคราะห์ ไม่ใช่ข้อมูลจริง) รวมอยู่ด้วย"
        meta["demo_note_en"] = "Includes demo data (synthetic, not real)"
    if options.format == "csv":
        meta["encoding"] = "UTF-8 with BOM"
        meta["csv_text_guard"] = (
            "text cells starting with = + - @ are prefixed with ' so spreadsheets show them "
            "as text instead of running them as formulas"
        )
    if plan.notes:
        meta["notes"] = plan.notes
    return meta


def list_layers(con) -> list[dict[str, Any]]:
    """The layers this database can export, with their levels and filters (for ``--list``)."""
    out = []
    for key, spec in available_layers(con).items():
        out.append(
            {
                "layer": key,
                "title_th": spec.title_th,
                "title_en": spec.title_en,
                "levels": list(spec.levels) or None,
                "default_level": spec.default_level,
                "statuses": list(spec.statuses) or None,
                "date_field": spec.date_column,
                "area_filter": spec.area_column is not None,
                "free_text_fields": [f.name for f in spec.fields if f.free_text] or None,
            }
        )
    return out


def export_to_bytes(con, options: ExportOptions, *, gazetteer=None) -> tuple[bytes, dict, str]:
    """Export into memory (for a download button): (file bytes, metadata, file name).

    Writes to a temporary folder that is removed before returning.
    """
    import tempfile

    options = options.checked()
    with tempfile.TemporaryDirectory(prefix="phang-export-") as tmp:
        level = f"_{options.level}" if options.level else ""
        name = f"{options.layer}{level}{FORMATS[options.format]}"
        result = export_layer(con, options, Path(tmp) / name, gazetteer=gazetteer)
        area = result.metadata["filters"].get("area")
        if area:  # say which area the file holds: boundaries_tambon_TH40.geojson
            name = f"{options.layer}{level}_{area['code']}{FORMATS[options.format]}"
        # the sidecar names the file as it is downloaded
        metadata = {**result.metadata, "file": name}
        return result.path.read_bytes(), metadata, name


__all__ = [
    "ExportError",
    "ExportOptions",
    "ExportResult",
    "export_layer",
    "export_to_bytes",
    "layer_query",
    "list_layers",
    "metadata_path_for",
    "parse_date",
    "resolve_area",
    "round_geometries",
]
