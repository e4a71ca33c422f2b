"""Map files (GeoJSON, Shapefile, GeoPackage) in the parser worker: read within the
feature limit, handed on as rows with WKB geometry.

Map files are read whole (GDAL through pyogrio) once their feature count is known to be
within ``PHANG_IMPORT_MAX_FEATURES``; the worker's memory limit bounds the rest. Text of a
shapefile without ``.cpg`` is decoded with the strict detector, as before.
"""

from __future__ import annotations

from pathlib import Path

import shapely

from data.importers.readers import _read_vector


def stream_vector(path: Path, kind: str, name: str, sink) -> tuple[str | None, list[str]]:
    """Write a map file's features to ``sink``; return (encoding, notes)."""
    table = _read_vector(path, kind, name, max_features=sink.limits.max_features)
    sink.set_header(table.headers, table.columns)
    geoms = table.geometries or [None] * len(table.rows)
    for number, row, geom in zip(table.row_numbers, table.rows, geoms, strict=True):
        wkb = None if geom is None or geom.is_empty else shapely.to_wkb(geom)
        sink.add_feature(number, row, wkb)
    return table.encoding, list(table.notes)
