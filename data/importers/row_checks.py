"""Checking the rows of an import: every value parsed by its field's rules, every location
built, checked and placed in a tambon, every row turned into a record to store or into
problems to quarantine (:func:`check_rows`).

Split from :mod:`data.importers.core`, which re-exports every name here.
"""

from __future__ import annotations

import hashlib
from functools import cache

import numpy as np
import shapely

from data.importers.columns import DATA_COLUMNS
from data.importers.errors import ImportFileError
from data.importers.fields import Field, fields_for
from data.importers.geometry import check_geometry, provinces_of_parts
from data.importers.places import PlaceResolver
from data.importers.plan_values import parse_bool, parse_year
from data.importers.readers import RawTable, cell_text
from data.importers.registry import SPECS
from data.importers.report import Progress, RowOutcome
from data.importers.values import Problem, clean_text, parse_date, parse_enum, parse_number

PLACE_FIELDS = ("tambon_pcode", "tambon", "amphoe", "province", "address")
GEOMETRY_KEY = "_geometry_wkt"


def check_rows(
    table: RawTable,
    kind: str,
    resolver: PlaceResolver,
    *,
    forced_pcode: str | None = None,
    progress: Progress | None = None,
    provinces: frozenset[str] | None = None,
) -> list[RowOutcome]:
    """Check every row of ``table``; ``forced_pcode`` (a coordinator's pick) overrides the
    place columns.

    Work is done column by column where it can be (each distinct cell value is parsed once;
    points are built, checked and located in bulk), then row by row for places and records.
    """
    specs = {f.name: f for f in fields_for(kind)}
    col = {f: j for j, f in enumerate(table.columns) if f}
    missing = [f.name for f in fields_for(kind) if f.required and f.name not in col]
    if missing:
        labels = ", ".join(f"{specs[m].label_th} ({m})" for m in missing)
        raise ImportFileError(
            f"{table.file_name}: required column missing: {', '.join(missing)}; "
            "see docs/import-headers.md",
            message_th=f"ไฟล์ {table.file_name}: ไม่มีคอลัมน์ที่จำเป็น: {labels}",
        )
    has_place = (
        any(p in col for p in PLACE_FIELDS)
        or {"lat", "lon"} <= set(col)
        or "wkt" in col
        or table.geometries is not None
        or forced_pcode
    )
    if not has_place:
        raise ImportFileError(
            f"{table.file_name}: no place column (tambon P-code, tambon/amphoe/province names, "
            "address or coordinates)",
            message_th=f"ไฟล์ {table.file_name}: ไม่มีคอลัมน์ระบุพื้นที่ (รหัสตำบล ชื่อตำบล/อำเภอ/"
            "จังหวัด ที่อยู่ หรือพิกัด)",
        )
    n = len(table.rows)
    progress = progress or (lambda _f, _m: None)
    progress(0.1, "checking values")
    parsed = {
        name: _parse_column(specs[name], [r[j] for r in table.rows]) for name, j in col.items()
    }
    progress(0.4, "checking locations")
    geoms, repairs, gproblems = _geometries(table, parsed, kind, n)
    inside = resolver.containing_many(geoms)
    progress(0.55, "matching places")
    outcomes: list[RowOutcome] = []
    seen_ids: dict[str, int] = {}
    spec = SPECS.get(kind)
    hook = spec.check_row if spec is not None else None
    context = {"con": resolver._con}  # the kind's checks read its reference tables
    for i in range(n):
        if i % 10000 == 0 and i:
            progress(0.55 + 0.3 * i / n, f"checking row {i + 1:,} of {n:,}")
        out = _check_row(
            provinces,
            kind,
            specs,
            col,
            table,
            i,
            parsed,
            geoms[i],
            repairs[i],
            gproblems[i],
            inside[i],
            resolver,
            forced_pcode,
        )
        if out.values is not None and hook is not None:
            more = hook(out.values, context)
            if more:
                out.problems.extend(more)
                out.values = None
        if out.values is not None:
            first = seen_ids.get(out.source_id)
            if first is not None:
                out.problems.append(
                    Problem(
                        "duplicate_in_file",
                        f"same record as row {first} (id {out.source_id}); give rows their own ids",
                        f"ซ้ำกับแถวที่ {first} (รหัส {out.source_id}) กรุณาให้รหัสไม่ซ้ำกัน",
                    )
                )
                out.values = None
            else:
                seen_ids[out.source_id] = out.row_number
        if out.values is None:
            geom = table.geometries[i] if table.geometries is not None else None
            out.raw = _raw_dict(table.headers, table.rows[i], geom)
        outcomes.append(out)
    if kind == "organization":
        named = [o.values for o in outcomes if o.values is not None]
        resolver.preload_villages({v["tambon_pcode"] for v in named if v.get("village_name")})
        for v in named:
            v["village_id"] = resolver.village_id(v["tambon_pcode"], v.get("village_name"))
    return outcomes


@cache
def _required(kind: str) -> tuple[Field, ...]:
    return tuple(f for f in fields_for(kind) if f.required)


def scope_provinces(con, scope: str | None) -> frozenset[str] | None:
    """The province P-codes of a coordinator's scope (None for the whole country)."""
    if not scope:
        return None
    from data.need_reports import scope_sql

    cond, params = scope_sql(scope, "pcode")
    return frozenset(
        r[0] for r in con.execute(f"SELECT pcode FROM province WHERE {cond}", params).fetchall()
    )


def _parse_column(spec: Field, cells: list) -> list[tuple[object, Problem | None]]:
    """Parse a column, each distinct cell once."""
    cache: dict = {}
    out = []
    for cell in cells:
        try:
            hit = cache.get(cell)
        except TypeError:  # an unhashable cell
            out.append(_parse(spec, cell))
            continue
        if hit is None:
            hit = cache[cell] = _parse(spec, cell)
        out.append(hit)
    return out


def _geometries(table: RawTable, parsed: dict, kind: str, n: int) -> tuple[list, list, list]:
    """Each row's checked geometry, its repairs and its problem (None where fine)."""
    geoms: list = list(table.geometries) if table.geometries is not None else [None] * n
    repairs: list[list[str]] = [[] for _ in range(n)]
    problems: list[Problem | None] = [None] * n
    if "wkt" in parsed:
        for i, (text, _) in enumerate(parsed["wkt"]):
            if geoms[i] is None and text:
                try:
                    geoms[i] = shapely.from_wkt(text)
                except shapely.errors.GEOSException:
                    problems[i] = Problem(
                        "invalid_geometry", "the WKT shape cannot be read", "อ่านรูปร่าง WKT ไม่ได้"
                    )
    simple = np.zeros(n, dtype=bool)
    if "lon" in parsed and "lat" in parsed:
        lon = np.array([v if v is not None else np.nan for v, _ in parsed["lon"]], dtype=float)
        lat = np.array([v if v is not None else np.nan for v, _ in parsed["lat"]], dtype=float)
        free = np.array([g is None for g in geoms]) & ~np.isnan(lon) & ~np.isnan(lat)
        inside = free & (lon >= 97) & (lon <= 106) & (lat >= 5) & (lat <= 21)
        swapped = free & (lat >= 97) & (lat <= 106) & (lon >= 5) & (lon <= 21)
        x = np.where(swapped, lat, lon)
        y = np.where(swapped, lon, lat)
        points = shapely.points(np.column_stack([x, y]))
        for i in np.flatnonzero(free):
            geoms[i] = points[i]
        simple = inside | swapped
        for i in np.flatnonzero(swapped):
            repairs[i].append("swapped latitude/longitude order (coordinates were lat, lon)")
    for i in range(n):
        if geoms[i] is not None and not simple[i] and problems[i] is None:
            geoms[i], more, problems[i] = check_geometry(geoms[i], kind)
            repairs[i] += more
    return geoms, repairs, problems


def _check_row(
    provinces: frozenset[str] | None,
    kind: str,
    specs: dict[str, Field],
    col: dict[str, int],
    table: RawTable,
    i: int,
    parsed: dict,
    geom,
    repairs: list[str],
    gproblem: Problem | None,
    inside: str | None,
    resolver: PlaceResolver,
    forced_pcode: str | None,
) -> RowOutcome:
    out = RowOutcome(table.row_numbers[i], {}, None)
    values: dict = {}
    problems = out.problems
    for name, column in parsed.items():
        value, problem = column[i]
        if problem:
            header = table.headers[col[name]]
            hints = tuple({"field": name, "header": header, "value": c} for c in problem.candidates)
            problems.append(
                Problem(
                    problem.code,
                    f"{specs[name].label_en}: {problem.message}",
                    f"{specs[name].label_th}: {problem.message_th}",
                    hints,
                )
            )
        values[name] = value
    for spec in _required(kind):
        if values.get(spec.name) is None and not any(
            p.message.startswith(spec.label_en) for p in problems
        ):
            problems.append(
                Problem("missing_required", f"{spec.label_en} is empty", f"ไม่ได้กรอก{spec.label_th}")
            )
    if kind == "organization" and "org_type" in col:
        values["org_type_label"] = clean_text(table.rows[i][col["org_type"]])
    if kind == "project":
        start, end = values.get("start_date"), values.get("completion_date")
        if start and end and end < start:
            problems.append(
                Problem(
                    "bad_date",
                    f"completion {end} is before start {start}",
                    f"วันแล้วเสร็จ {end} อยู่ก่อนวันเริ่ม {start}",
                )
            )
    out.repairs = repairs
    if gproblem:
        problems.append(gproblem)
        geom = None
    pcode, place_problem = _resolve_place(values, resolver, forced_pcode, out)
    if place_problem:
        problems.append(place_problem)
    if pcode is None and place_problem is None and geom is not None:
        pcode = inside
        if pcode is None:
            problems.append(
                Problem("outside_tambons", "the location lies in no tambon", "ตำแหน่งไม่อยู่ในตำบลใด")
            )
    elif pcode is not None and geom is not None and not forced_pcode:
        if inside != pcode and not resolver.near(pcode, geom):
            cands = [resolver.candidate(pcode)] + ([resolver.candidate(inside)] if inside else [])
            problems.append(
                Problem(
                    "location_mismatch",
                    f"the location lies in {inside or 'no tambon'}, not in the tambon named "
                    f"({pcode})",
                    f"ตำแหน่งอยู่ใน{resolver.gazetteer.path_th(inside) if inside else 'พื้นที่อื่น'} "
                    f"ไม่ใช่ตำบลที่ระบุ ({resolver.gazetteer.path_th(pcode)})",
                    tuple(cands),
                )
            )
    if geom is not None and geom.geom_type == "MultiPolygon" and not forced_pcode:
        spread = provinces_of_parts(geom, resolver)
        if len(spread) > 1:
            names = [resolver.gazetteer.place(p) for p in spread]
            th = ", ".join(n.name_th if n else p for n, p in zip(names, spread, strict=True))
            en = ", ".join(n.name_en if n else p for n, p in zip(names, spread, strict=True))
            problems.append(
                Problem(
                    "parts_in_several_provinces",
                    f"the shape's parts lie in {len(spread)} provinces ({en}); a record belongs "
                    "to one place: split it into one row per province",
                    f"รูปร่างนี้มีส่วนที่อยู่ใน {len(spread)} จังหวัด ({th}) ข้อมูลหนึ่งแถวต้องอยู่ในพื้นที่เดียว "
                    "กรุณาแยกเป็นแถวละจังหวัด",
                )
            )
    if pcode is None and not any(p.code in _PLACE_CODES for p in problems):
        problems.append(Problem("missing_place", "no tambon given", "ไม่ได้ระบุตำบล"))
    if pcode is not None and provinces is not None and pcode[:4] not in provinces:
        problems.append(
            Problem(
                "outside_scope",
                f"{pcode} is outside the area you coordinate",
                f"{resolver.gazetteer.path_th(pcode)} อยู่นอกพื้นที่ที่คุณรับผิดชอบ",
            )
        )
    out.source_id = _source_id(kind, values, pcode)
    if problems:
        return out
    record = {c: values.get(c) for c in DATA_COLUMNS[kind] if c not in ("tambon_pcode", "geom")}
    record["tambon_pcode"] = pcode
    record["geom"] = geom
    if kind in SPECS:
        record.update({k: values.get(k) for k in SPECS[kind].keep})
    if kind == "organization":
        record["org_type"] = record.get("org_type") or "other"
        record["status"] = record.get("status") or "unknown"
    if kind == "council":
        record["status"] = record.get("status") or "unknown"
    out.values = record
    return out


def _raw_dict(headers: list[str], row: list, geom) -> dict:
    raw = {}
    for j, h in enumerate(headers):
        key = h or f"column_{j + 1}"
        if key in raw:
            key = f"{key}_{j + 1}"
        raw[key] = cell_text(row[j]) if j < len(row) else ""
    if geom is not None:
        raw[GEOMETRY_KEY] = geom.wkt if hasattr(geom, "wkt") else str(geom)
    return raw


def _parse(spec: Field, value) -> tuple[object, Problem | None]:
    if spec.type == "text":
        return clean_text(value), None
    if spec.type == "int":
        return parse_number(value, integer=True)
    if spec.type in ("money", "float"):
        return parse_number(value)
    if spec.type == "date":
        return parse_date(value)
    if spec.type == "enum":
        return parse_enum(value, spec.labels, spec.label_en, spec.fallback)
    if spec.type == "year":
        return parse_year(value)
    if spec.type == "bool":
        return parse_bool(value)
    raise AssertionError(spec.type)


_PLACE_CODES = {
    "bad_pcode",
    "unknown_pcode",
    "place_conflict",
    "ambiguous_place",
    "unknown_place",
    "place_not_tambon",
    "outside_tambons",
    "outside_thailand",
    "projected_coordinates",
    "invalid_geometry",
    "wrong_geometry_type",
    "too_many_vertices",
    "parts_in_several_provinces",
}


_PLACE_KEYS = ("tambon_pcode", "tambon", "amphoe", "province", "address")


def _resolve_place(
    values: dict, resolver: PlaceResolver, forced: str | None, out: RowOutcome
) -> tuple[str | None, Problem | None]:
    """The row's tambon from its place columns (cached per distinct combination)."""
    key = (forced, *(values.get(k) for k in _PLACE_KEYS))
    hit = resolver.memo.get(key)
    if hit is None:
        note = RowOutcome(0, {}, None)
        pcode, problem = _resolve_place_uncached(values, resolver, forced, note)
        hit = resolver.memo[key] = (pcode, problem, note.note)
    if hit[2]:
        out.note = hit[2]
    return hit[0], hit[1]


def _resolve_place_uncached(
    values: dict, resolver: PlaceResolver, forced: str | None, out: RowOutcome
) -> tuple[str | None, Problem | None]:
    if forced:
        pcode, problem = resolver.by_pcode(forced)
        return pcode, problem
    pcode = None
    if values.get("tambon_pcode"):
        pcode, problem = resolver.by_pcode(values["tambon_pcode"])
        if problem:
            return None, problem
    names = [values.get(k) for k in ("tambon", "amphoe", "province", "address")]
    if not any(names):
        return pcode, None
    named, problem, info = resolver.by_names(*names)
    if pcode is not None:
        if named is not None and named != pcode:
            return None, Problem(
                "place_conflict",
                f"the P-code {pcode} and the names ({named}) name different tambons",
                f"รหัสตำบล {pcode} กับชื่อพื้นที่ ({resolver.gazetteer.path_th(named)}) ไม่ตรงกัน",
                (resolver.candidate(pcode), resolver.candidate(named)),
            )
        return pcode, None
    if info:
        out.note = info
    return named, problem


def _source_id(kind: str, values: dict, pcode: str | None) -> str:
    given = values.get("source_id")
    if given:
        from data.importers.values import arabic_digits

        return arabic_digits(str(given))[:200]
    where = pcode or "|".join(
        str(values.get(k) or "") for k in ("tambon", "amphoe", "province", "address")
    )
    if kind in SPECS:
        natural = tuple(values.get(k) for k in SPECS[kind].natural_key)
    else:
        natural = {
            "organization": (values.get("name"), values.get("village_name")),
            "council": (),
            "project": (values.get("name"),),
            "land_case": (values.get("community"),),
        }[kind]
    from data.importers.values import label_key

    text = "|".join([where, *(label_key(str(v)) if v else "" for v in natural)])
    return "auto:" + hashlib.sha1(text.encode("utf-8"), usedforsecurity=False).hexdigest()[:16]
