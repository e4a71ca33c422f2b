"""The query an export runs: the area filter (:func:`resolve_area`: a P-code, a cluster or
region, a place name) and the plan (:func:`layer_query`): the layer resolved at its level,
the filters (area, status, dates, bounding box) and the privacy rules (free text left out
or masked, small counts suppressed) turned into one DuckDB query streaming ``__wkb``
geometries, with its parameters, filters and privacy notes for the metadata.

Used by :mod:`geo.export` (import from there) and by the OGC API (``ogc/``), which serves
the same rows as the exports.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pyarrow as pa

from data.errors import InputError
from data.privacy import SQL_FUNCTION as SQL_MASK
from data.privacy import register_sql
from geo.export_layers import LEVEL_NAMES, Field, Resolved, available_layers, registered, resolve
from geo.export_options import ExportOptions, parse_date
from geo.export_writers import _geometries

_PCODE = re.compile(r"^TH(\d{2}|\d{4}|\d{6})$", re.IGNORECASE)


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
