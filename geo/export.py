"""Export a layer for an agency: GeoJSON (RFC 7946), GeoPackage or CSV, with a metadata sidecar.

:func:`export_layer` is the one entry point; the CLI (``python -m data export``) and the
export page both call it with a DuckDB cursor::

    from geo.export import ExportOptions, export_layer
    result = export_layer(con, ExportOptions("indicators", "geojson", level="province"),
                          "provinces.geojson")
    result.summary()   # records, bytes, paths, metadata

What the layers are, and their privacy rules, is declared in :mod:`geo.export_layers`.
This module writes the file and its sidecar; the rest lives beside it, and every public
name is importable from here:

* :mod:`geo.export_options`: :class:`ExportOptions`, formats, CRSs, :func:`parse_date`;
* :mod:`geo.export_query`: the area filter (:func:`resolve_area`) and the query an export
  runs (:func:`layer_query`, also used by the OGC API);
* :mod:`geo.export_writers`: the GeoJSON, CSV and GeoPackage writers.

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
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from data.errors import InputError, PhangError
from geo.export_layers import SOURCES, available_layers
from geo.export_options import (
    CRS_NAMES,
    CSV_GEOMETRY,
    CSV_HEADERS,
    DEFAULT_PRECISION,
    FORMATS,
    ExportOptions,
    parse_date,
)
from geo.export_query import (
    Area,
    _masked_batches,
    _Plan,
    _plan,
    _props_sql,
    layer_query,
    resolve_area,
    round_geometries,
)
from geo.export_writers import _write_csv, _write_geojson, _write_gpkg

BATCH_SIZE = 2000
GENERATOR = "ผังชุมชน (phangchumchon) export"


class ExportError(PhangError):
    """An export cannot be made as asked."""


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
    "CRS_NAMES",
    "CSV_GEOMETRY",
    "CSV_HEADERS",
    "DEFAULT_PRECISION",
    "FORMATS",
    "Area",
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
