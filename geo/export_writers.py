"""The writers of :mod:`geo.export`: Arrow batches of an export's query to GeoJSON (RFC
7946), CSV (labels and codes, BOM for Excel) or GeoPackage, with geometries reprojected,
snapped to the requested precision (kept valid) and oriented."""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pyarrow as pa
import shapely

if TYPE_CHECKING:
    from geo.export_options import ExportOptions
    from geo.export_query import _Plan


# --- geometries --------------------------------------------------------------------------------


def _geometries(column: pa.Array, transformer, precision: int, multi: bool) -> np.ndarray:
    """WKB -> shapely, reprojected, snapped to a grid of ``precision`` decimals, exterior
    rings counter-clockwise (RFC 7946), and (for GeoPackage) polygons promoted to
    multipolygons.

    Snapping is GEOS's ``set_precision``, which repairs what rounding alone breaks (two
    vertices of tambon TH380101 meet when rounded to 6 decimals: a self-intersection)."""
    geoms = shapely.from_wkb(np.asarray(column.to_numpy(zero_copy_only=False), dtype=object))
    if transformer is not None:
        geoms = shapely.transform(
            geoms, lambda xy: np.column_stack(transformer.transform(xy[:, 0], xy[:, 1]))
        )
    geoms = shapely.set_precision(geoms, 10.0**-precision)
    geoms = shapely.orient_polygons(geoms, exterior_cw=False)
    if multi:
        polygon = shapely.get_type_id(geoms) == 3
        if polygon.any():
            idx = np.nonzero(polygon)[0]
            geoms[idx] = shapely.multipolygons(geoms[idx], indices=np.arange(len(idx)))
    return geoms


_LONG_NUMBER = re.compile(r"-?\d+\.\d{7,}(?:[eE][-+]?\d+)?")


def _short_numbers(text: str, precision: int) -> str:
    """GeoJSON geometry text with every coordinate printed with at most ``precision``
    decimals: GEOS prints a value snapped to 14.479406 as 14.479406000000001 (the nearest
    binary double), so the printed text is rounded too."""

    def shorter(match: re.Match) -> str:
        return _num(float(match.group()), precision)

    return _LONG_NUMBER.sub(shorter, text) if precision < 7 else text


class _GeoJSONWriter:
    """RFC 7946 FeatureCollection, one feature per line, written batch by batch."""

    def __init__(self, fh, precision: int = 6) -> None:
        self.precision = precision
        self.fh = fh
        self.first = True
        fh.write(b'{"type":"FeatureCollection","features":[\n')

    def write(self, props: list[str], geoms: np.ndarray) -> None:
        texts = shapely.to_geojson(geoms)
        parts = [
            '{"type":"Feature","properties":'
            + p
            + ',"geometry":'
            + (_short_numbers(g, self.precision) if g else "null")
            + "}"
            for p, g in zip(props, texts, strict=True)
        ]
        if not parts:
            return
        chunk = ",\n".join(parts)
        if not self.first:
            chunk = ",\n" + chunk
        self.first = False
        self.fh.write(chunk.encode("utf-8"))

    def close(self) -> None:
        self.fh.write(b"\n]}\n")


def _write_geojson(batches, out: Path, plan: _Plan, options: ExportOptions) -> int:
    count = 0
    with open(out, "wb", buffering=1 << 20) as fh:
        writer = _GeoJSONWriter(fh, options.precision)
        for batch in batches:
            geoms = _geometries(batch.column("__wkb"), None, options.precision, multi=False)
            writer.write(batch.column("__props").to_pylist(), geoms)
            count += batch.num_rows
        writer.close()
    return count


def _write_csv(batches, out: Path, plan: _Plan, options: ExportOptions, transformer) -> int:
    geometry = options.csv_geometry or (
        "lonlat" if plan.resolved.geometry_type == "Point" else "wkt"
    )
    # a coded column carries its label (Thai unless the header is English) and, beside it,
    # the code itself
    lang = "en" if options.csv_header == "en" else "th"
    header = []
    for f in plan.fields:
        title = {"name": f.name, "th": f.name_th, "en": f.name_en}[options.csv_header]
        header.append(title)
        if f.labels:
            header.append(
                {"name": f"{f.name}_code", "th": f"{f.name_th} (รหัส)", "en": f"{f.name_en} (code)"}[
                    options.csv_header
                ]
            )
    if geometry == "wkt":
        geo_header = ["wkt"]
    elif options.crs == 4326:
        geo_header = ["lon", "lat"]
    else:
        geo_header = ["x", "y"]
    count = 0
    # UTF-8 with BOM: Excel opens Thai text correctly only with it
    with open(out, "w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(header + geo_header)
        for batch in batches:
            geoms = _geometries(batch.column("__wkb"), transformer, options.precision, False)
            if geometry == "wkt":
                wkt = shapely.to_wkt(geoms, rounding_precision=options.precision, trim=True)
                geo_cols = [[w if w is not None else "" for w in wkt]]
            else:
                points = geoms.copy()
                not_point = (shapely.get_type_id(points) != 0) & ~shapely.is_missing(points)
                if not_point.any():
                    points[not_point] = shapely.point_on_surface(points[not_point])
                    points[not_point] = shapely.transform(
                        points[not_point], lambda xy: np.round(xy, options.precision)
                    )
                xs = shapely.get_x(points)
                ys = shapely.get_y(points)
                geo_cols = [
                    [_num(x, options.precision) for x in xs],
                    [_num(y, options.precision) for y in ys],
                ]
            cols = []
            for f in plan.fields:
                values = _csv_values(batch.column(f.name))
                if f.labels:
                    cols.append([f.label_of(v if v != "" else None, lang) for v in values])
                cols.append(values)
            writer.writerows(zip(*cols, *geo_cols, strict=True))
            count += batch.num_rows
    return count


def _num(value: float, precision: int) -> str:
    if value is None or np.isnan(value):
        return ""
    return f"{value:.{precision}f}".rstrip("0").rstrip(".") if precision else f"{value:.0f}"


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _csv_values(column: pa.Array) -> list:
    values = column.to_pylist()
    if pa.types.is_boolean(column.type):
        return ["" if v is None else ("true" if v else "false") for v in values]
    if pa.types.is_string(column.type) or pa.types.is_large_string(column.type):
        # a spreadsheet would run text starting with = + - @ as a formula: make it text
        return [
            "" if v is None else ("'" + v if v.startswith(_FORMULA_START) else v) for v in values
        ]
    return ["" if v is None else v for v in values]


def _write_gpkg(
    batches,
    schema: pa.Schema,
    out: Path,
    plan: _Plan,
    options: ExportOptions,
    transformer,
    metadata: dict,
) -> int:
    import pyogrio.raw

    names = [f.name for f in plan.fields]
    out_schema = pa.schema([schema.field(n) for n in names] + [pa.field("geom", pa.binary())])
    counter = [0]

    def stream() -> Iterator[pa.RecordBatch]:
        for batch in batches:
            geoms = _geometries(batch.column("__wkb"), transformer, options.precision, True)
            wkb = pa.array(shapely.to_wkb(geoms, output_dimension=2), type=pa.binary())
            counter[0] += batch.num_rows
            yield pa.RecordBatch.from_arrays(
                [batch.column(n) for n in names] + [wkb], schema=out_schema
            )

    reader = pa.RecordBatchReader.from_batches(out_schema, stream())
    geometry_type = {"Point": "Point", "MultiPolygon": "MultiPolygon"}.get(
        plan.resolved.geometry_type, "Unknown"
    )
    pyogrio.raw.write_arrow(
        reader,
        str(out),
        layer=_layer_name(plan),
        driver="GPKG",
        geometry_name="geom",
        geometry_type=geometry_type,
        crs=f"EPSG:{options.crs}",
        layer_metadata=_gdal_metadata(metadata),
        layer_options={
            "IDENTIFIER": metadata["title_en"],
            "DESCRIPTION": f"{metadata['description_th']} / {metadata['description_en']}",
        },
    )
    return counter[0]


def _gdal_metadata(metadata: dict) -> dict[str, str]:
    """Layer metadata items (strings) stored by GDAL in the GeoPackage's gpkg_metadata."""
    out = {}
    for key, value in metadata.items():
        if key in ("file", "bytes"):
            continue
        out[key] = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    out["phang_metadata_json"] = json.dumps(
        {k: v for k, v in metadata.items() if k not in ("file", "bytes")}, ensure_ascii=False
    )
    return out


def _layer_name(plan: _Plan) -> str:
    key = plan.resolved.spec.key
    return f"{key}_{plan.resolved.level}" if plan.resolved.level else key
