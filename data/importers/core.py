"""The import pipeline: read a file, check every row, store the good ones, keep the rest.

``import_file(con, kind, path)`` (:mod:`data.importers.pipeline`) is the one entry point
(the CLI and the import page both call it); this module holds the row rules it applies.
Every row ends either in its table or in ``quarantine`` with a reason; the counts
in the returned :class:`ImportReport` add up (``rows == stored + quarantined``).

Modes:

- all-or-nothing (default): if any row is refused, no row is stored; the batch is logged as
  ``refused`` and the refused rows are kept in the quarantine so nothing is lost;
- good rows (``good_rows=True``): the good rows are stored, the rest quarantined and listed.

Re-importing updates by ``(source, source_id)``: an unchanged row changes nothing but its
``imported_at``; a changed row is updated and its previous values are kept in
``record_history``. ``source`` defaults to the file's name without its extension.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from functools import cache

import numpy as np
import pandas as pd
import shapely

from data.importers.errors import ImportFileError, ImportRefused
from data.importers.fields import KIND_NAMES, TABLES, Field, fields_for
from data.importers.geometry import check_geometry, provinces_of_parts
from data.importers.places import PlaceResolver
from data.importers.plan_values import parse_bool, parse_year
from data.importers.readers import RawTable, cell_text
from data.importers.registry import SPECS
from data.importers.values import Problem, clean_text, parse_date, parse_enum, parse_number
from data.store import next_id, transaction

# Stored columns per table, besides id, source, source_id, is_demo, imported_at, batch.
DATA_COLUMNS = {
    "organization": (
        "tambon_pcode",
        "village_id",
        "village_name",
        "name",
        "org_type",
        "org_type_label",
        "chair",
        "members",
        "capital_baht",
        "products",
        "registered_date",
        "status",
        "geom",
    ),
    "council": ("tambon_pcode", "name", "established_date", "member_orgs", "status", "geom"),
    "project": (
        "tambon_pcode",
        "name",
        "communities",
        "households",
        "project_type",
        "landowner_type",
        "land_arrangement",
        "stage",
        "subsidy_baht",
        "loan_baht",
        "start_date",
        "completion_date",
        "geom",
    ),
    "land_case": (
        "tambon_pcode",
        "community",
        "households",
        "area_rai",
        "landowner_type",
        "tenure_status",
        "geom",
    ),
}
DATA_COLUMNS.update({kind: spec.columns for kind, spec in SPECS.items()})
SQL_TYPES = {
    "year": "INTEGER",
    "bool": "BOOLEAN",
    "text": "VARCHAR",
    "enum": "VARCHAR",
    "int": "INTEGER",
    "money": "DOUBLE",
    "float": "DOUBLE",
    "date": "DATE",
}
PLACE_FIELDS = ("tambon_pcode", "tambon", "amphoe", "province", "address")
GEOMETRY_KEY = "_geometry_wkt"
Progress = Callable[[float, str], None]


@dataclass
class RowOutcome:
    """One checked row: its values when good, else its problems."""

    row_number: int
    raw: dict
    values: dict | None
    problems: list[Problem] = field(default_factory=list)
    repairs: list[str] = field(default_factory=list)
    note: dict | None = None
    source_id: str | None = None


@dataclass
class ImportReport:
    """What an import did. ``refused`` lists every quarantined row with its reasons."""

    kind: str
    file: str
    source: str
    mode: str
    status: str = "committed"
    batch_id: int | None = None
    encoding: str | None = None
    rows: int = 0
    stored: int = 0
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    quarantined: int = 0
    refused: list[dict] = field(default_factory=list)
    repairs: list[dict] = field(default_factory=list)
    fuzzy_places: list[dict] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def taken(self) -> int:
        return self.stored

    def to_dict(self) -> dict:
        out = asdict(self)
        out["taken"] = self.stored
        return out


def _source_name(text: str) -> str:
    text = clean_text(text) or "import"
    return text[:120]


# --- checking rows ------------------------------------------------------------------------------


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


# --- writing ------------------------------------------------------------------------------------


def _audit(con, actor, action, table, record_id, before, after) -> None:
    try:
        from data.audit import record
    except ImportError:
        return
    record(con, actor or "system", action, table, record_id, before, after)


def write_outcomes(
    con,
    kind: str,
    outcomes: list[RowOutcome],
    report: ImportReport,
    *,
    file_sha256: str | None = None,
    actor: str | None = None,
    batch_mode: str | None = None,
) -> ImportReport:
    """Store checked rows per the report's mode, in one transaction; fill in the report."""
    good = [o for o in outcomes if o.values is not None]
    bad = [o for o in outcomes if o.values is None]
    all_or_nothing = report.mode == "all_or_nothing"
    store = good if not (all_or_nothing and bad) else []
    report.status = "committed" if not bad else ("refused" if all_or_nothing else "partial")
    report.quarantined = len(bad)
    report.refused = [_refusal(o) for o in bad]
    report.repairs = [{"row": o.row_number, "repairs": o.repairs} for o in outcomes if o.repairs]
    report.fuzzy_places = [dict(o.note, row=o.row_number) for o in outcomes if o.note]
    with transaction(con):
        batch_id = next_id(con, "import_batch_id_seq")
        con.execute(
            "INSERT INTO import_batch (id, kind, file_name, file_sha256, source, mode, status, "
            "encoding, rows_total, actor) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                batch_id,
                kind,
                report.file,
                file_sha256,
                report.source,
                batch_mode or report.mode,
                report.status,
                report.encoding,
                report.rows,
                actor,
            ],
        )
        report.batch_id = batch_id
        if batch_mode != "fix":
            con.execute(
                "UPDATE quarantine SET status = 'superseded', resolved_at = current_timestamp,"
                " note = ? WHERE status = 'open' AND kind = ? AND source = ?",
                [f"superseded by import batch {batch_id}", kind, report.source],
            )
        if bad:
            _insert_quarantine(con, kind, batch_id, report, bad)
        if store:
            counts = upsert(
                con,
                kind,
                [o.values | {"source_id": o.source_id} for o in store],
                source=report.source,
                batch_id=batch_id,
                actor=actor,
            )
            report.inserted, report.updated, report.unchanged = counts
            after = SPECS[kind].after_write if kind in SPECS else None
            if after is not None:
                after(con, [o.values for o in store])
        report.stored = report.inserted + report.updated + report.unchanged
        summary = {
            k: v
            for k, v in report.to_dict().items()
            if k not in ("refused", "repairs", "fuzzy_places")
        }
        con.execute(
            "UPDATE import_batch SET inserted = ?, updated = ?, unchanged = ?, quarantined = ?,"
            " finished_at = current_timestamp, summary = ? WHERE id = ?",
            [
                report.inserted,
                report.updated,
                report.unchanged,
                report.quarantined,
                json.dumps(summary, ensure_ascii=False, default=str),
                batch_id,
            ],
        )
        _audit(
            con,
            actor,
            "import",
            "import_batch",
            batch_id,
            None,
            {
                "file": report.file,
                "source": report.source,
                "status": report.status,
                "inserted": report.inserted,
                "updated": report.updated,
                "unchanged": report.unchanged,
                "quarantined": report.quarantined,
            },
        )
    return report


def _refusal(o: RowOutcome) -> dict:
    first = o.problems[0]
    candidates = [c for p in o.problems for c in p.candidates]
    return {
        "row": o.row_number,
        "reason_code": first.code,
        "reasons": [p.code for p in o.problems],
        "reason": "; ".join(p.message for p in o.problems),
        "reason_th": "; ".join(p.message_th for p in o.problems),
        "candidates": candidates[:10],
    }


def _insert_quarantine(
    con, kind: str, batch_id: int, report: ImportReport, bad: list[RowOutcome]
) -> None:
    frame = pd.DataFrame(
        {
            "batch_id": batch_id,
            "kind": kind,
            "file_name": report.file,
            "row_number": [o.row_number for o in bad],
            "source": report.source,
            "source_id": [o.source_id for o in bad],
            "raw": [json.dumps(o.raw, ensure_ascii=False) for o in bad],
            "reason_code": [o.problems[0].code for o in bad],
            "reason": ["; ".join(p.message for p in o.problems) for o in bad],
            "reason_th": ["; ".join(p.message_th for p in o.problems) for o in bad],
            "candidates": [
                json.dumps([c for p in o.problems for c in p.candidates][:10], ensure_ascii=False)
                for o in bad
            ],
        }
    )
    con.register("_quarantine_rows", frame)
    try:
        con.execute("""INSERT INTO quarantine (batch_id, kind, file_name, row_number, source,
                       source_id, raw, reason_code, reason, reason_th, candidates)
                       SELECT batch_id, kind, file_name, row_number, source, source_id,
                              raw::JSON, reason_code, reason, reason_th, candidates::JSON
                       FROM _quarantine_rows""")
    finally:
        con.unregister("_quarantine_rows")


def column_types(kind: str) -> dict[str, str]:
    """SQL type of each stored data column of ``kind`` (geometry excluded)."""
    specs = {f.name: f for f in fields_for(kind)}
    out = {}
    for c in DATA_COLUMNS[kind]:
        if c == "geom":
            continue
        if c in ("village_id",):
            out[c] = "INTEGER"
        elif c in ("org_type_label", "tambon_pcode"):
            out[c] = "VARCHAR"
        elif kind in SPECS and c in SPECS[kind].column_types:
            out[c] = SPECS[kind].column_types[c]
        else:
            out[c] = SQL_TYPES[specs[c].type]
    return out


def records_frame(kind: str, records: list[dict]) -> pd.DataFrame:
    """Records (dicts of stored columns, ``source_id`` and a shapely ``geom``) as a frame
    ready for :func:`upsert_frame`: geometry as WKB, dates as ISO text."""
    types = column_types(kind)
    data: dict[str, list] = {"source_id": [r["source_id"] for r in records]}
    for c, t in types.items():
        vals = [r.get(c) for r in records]
        if t == "DATE":
            vals = [v.isoformat() if isinstance(v, dt.date) else v for v in vals]
        data[c] = vals
    geoms = [r.get("geom") for r in records]
    data["geom_wkb"] = list(shapely.to_wkb(np.array(geoms, dtype=object)))
    frame = pd.DataFrame(data)
    for c, t in types.items():
        if t == "INTEGER":
            frame[c] = pd.array(frame[c], dtype="Int64")
        elif t == "DOUBLE":
            frame[c] = pd.to_numeric(frame[c], errors="raise").astype("float64")
        else:
            frame[c] = frame[c].astype(object)
    return frame


def upsert(
    con,
    kind: str,
    records: list[dict],
    *,
    source: str,
    batch_id: int | None,
    actor: str | None = None,
    is_demo: bool = False,
) -> tuple[int, int, int]:
    """Insert or update records by (source, source_id); returns (inserted, updated, unchanged)."""
    return upsert_frame(
        con,
        kind,
        records_frame(kind, records),
        source=source,
        batch_id=batch_id,
        actor=actor,
        is_demo=is_demo,
    )


def upsert_frame(
    con,
    kind: str,
    frame: pd.DataFrame,
    *,
    source: str,
    batch_id: int | None,
    actor: str | None = None,
    is_demo: bool = False,
) -> tuple[int, int, int]:
    """:func:`upsert` for a prepared frame (see :func:`records_frame`), in SQL."""
    con.register("_import_frame", frame)
    try:
        return upsert_staged(
            con,
            kind,
            "_import_frame",
            source=source,
            batch_id=batch_id,
            actor=actor,
            is_demo=is_demo,
        )
    finally:
        con.unregister("_import_frame")


def upsert_staged(
    con,
    kind: str,
    relation: str,
    *,
    source: str,
    batch_id: int | None,
    actor: str | None = None,
    is_demo: bool = False,
) -> tuple[int, int, int]:
    """Insert or update by (source, source_id) from ``relation`` (SQL: a registered frame,
    or ``read_parquet([...])`` of staged files) with the columns of :func:`records_frame`.

    The rows are read through a view, never copied whole into memory; only the match of
    ids to existing records is kept while the statements run.
    """
    table = TABLES[kind]
    types = column_types(kind)
    cols = list(types)
    casts = ", ".join(f"CAST(f.{c} AS {t}) AS {c}" for c, t in types.items())
    with transaction(con):
        con.execute("DROP VIEW IF EXISTS _import_stage")
        con.execute(f"""CREATE TEMP VIEW _import_stage AS
            SELECT CAST(f.source_id AS VARCHAR) AS source_id, {casts},
                   CASE WHEN f.geom_wkb IS NULL THEN NULL
                        ELSE ST_GeomFromWKB(f.geom_wkb) END AS geom
            FROM {relation} f""")
        try:
            return _upsert_from_stage(con, table, cols, source, batch_id, actor, is_demo)
        finally:
            con.execute("DROP VIEW IF EXISTS _import_stage")


def _upsert_from_stage(
    con, table: str, cols: list[str], source: str, batch_id, actor, is_demo: bool
) -> tuple[int, int, int]:
    differs = " OR ".join(
        [f"t.{c} IS DISTINCT FROM s.{c}" for c in cols]
        + ["ST_AsWKB(t.geom) IS DISTINCT FROM ST_AsWKB(s.geom)"]
    )
    con.execute("DROP TABLE IF EXISTS _import_match")
    con.execute(
        f"""CREATE TEMP TABLE _import_match AS
        SELECT s.source_id, t.id AS existing_id,
               CASE WHEN t.id IS NULL THEN NULL ELSE ({differs}) END AS changed
        FROM _import_stage s LEFT JOIN {table} t
          ON t.source = $source AND t.source_id = s.source_id""",
        {"source": source},
    )
    inserted, updated, unchanged = con.execute(
        "SELECT count(*) FILTER (existing_id IS NULL), count(*) FILTER (changed),"
        " count(*) FILTER (NOT changed) FROM _import_match"
    ).fetchone()
    if updated:
        previous = ", ".join(f"{c} := t.{c}" for c in cols)
        con.execute(
            f"""INSERT INTO record_history (table_name, record_id, source,
                source_id, batch_id, actor, previous)
            SELECT '{table}', t.id, t.source, t.source_id, $batch, $actor,
                   to_json(struct_pack({previous}, geom := ST_AsText(t.geom),
                           is_demo := t.is_demo, imported_at := t.imported_at,
                           import_batch_id := t.import_batch_id))
            FROM {table} t JOIN _import_match m ON m.existing_id = t.id
            WHERE m.changed""",
            {"batch": batch_id, "actor": actor},
        )
        sets = ", ".join(f"{c} = s.{c}" for c in [*cols, "geom"])
        con.execute(
            f"""UPDATE {table} t SET {sets}, imported_at = current_timestamp,
                import_batch_id = $batch
            FROM _import_stage s JOIN _import_match m ON m.source_id = s.source_id
            WHERE t.id = m.existing_id AND m.changed""",
            {"batch": batch_id},
        )
    if unchanged:
        con.execute(f"""UPDATE {table} t SET imported_at = current_timestamp
            FROM _import_match m WHERE t.id = m.existing_id AND NOT m.changed""")
    if inserted:
        names = ", ".join([*cols, "geom"])
        picked = ", ".join(f"s.{c}" for c in [*cols, "geom"])
        if updated or unchanged:
            rows = """_import_stage s JOIN _import_match m ON m.source_id = s.source_id
                      WHERE m.existing_id IS NULL"""
        else:  # all new (a first import): no join, so no hash table of every id
            con.execute("DROP TABLE _import_match")
            rows = "_import_stage s"
        con.execute(
            f"""INSERT INTO {table} (source, source_id, is_demo, import_batch_id, {names})
            SELECT $source, s.source_id, $demo, $batch, {picked} FROM {rows}""",
            {"source": source, "demo": is_demo, "batch": batch_id},
        )
    con.execute("DROP TABLE IF EXISTS _import_match")
    return int(inserted), int(updated), int(unchanged)


def kind_title(kind: str, lang: str = "th") -> str:
    th, en = KIND_NAMES[kind]
    return th if lang == "th" else en


def refuse_if_needed(report: ImportReport) -> ImportReport:
    """Raise :class:`ImportRefused` for a refused all-or-nothing import (for the CLI)."""
    if report.status == "refused":
        n = report.quarantined
        raise ImportRefused(
            f"{report.file}: {n} of {report.rows} rows have problems, so nothing was imported "
            "(they are kept in the quarantine); fix the file, or use --good-rows to import the "
            "rest",
            message_th=f"ไฟล์ {report.file}: มีปัญหา {n} จาก {report.rows} แถว จึงยังไม่นำเข้า "
            "(เก็บแถวที่มีปัญหาไว้ในพื้นที่กักกัน) แก้ไฟล์ หรือเลือกนำเข้าเฉพาะแถวที่ถูกต้อง",
            details=report.refused,
            summary=report.to_dict(),
        )
    return report
