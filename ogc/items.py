"""Pages of features for ``/collections/{id}/items``: the export's query, paged.

A page is the export of the same layer (:func:`geo.export.layer_query`: same fields, privacy
rules, coordinate precision and ring orientation), with the request's filters (``bbox``,
``datetime`` on the layer's date field, equality on declared properties), ordered by the
feature id and cut with ``LIMIT``/``OFFSET``. The order is total (the id is unique), so
walking the ``next`` links gives every feature exactly once.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import threading
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import pyarrow as pa
import shapely

from data.errors import InputError
from geo.export import DEFAULT_PRECISION, ExportOptions, layer_query, round_geometries
from ogc.catalogue import Collection

DEFAULT_LIMIT = 10
MAX_LIMIT = 10000
#: query parameters every items request may carry besides property filters
RESERVED = ("limit", "offset", "bbox", "datetime", "f", "lang", "api_key")


@dataclass(frozen=True)
class ItemsQuery:
    """A checked items request."""

    limit: int = DEFAULT_LIMIT
    offset: int = 0
    bbox: tuple[float, float, float, float] | None = None
    since: dt.date | None = None
    until: dt.date | None = None
    properties: tuple[tuple[str, str], ...] = ()
    datetime_text: str | None = None


@dataclass
class Page:
    """One page of features: GeoJSON feature texts, or rows for the HTML view."""

    features: list[str]
    rows: list[dict[str, Any]] = field(default_factory=list)
    ids: list[Any] = field(default_factory=list)
    number_matched: int = 0

    @property
    def number_returned(self) -> int:
        return len(self.ids)


def _bad(message: str, message_th: str) -> InputError:
    return InputError(message, message_th=message_th)


def _whole(name: str, text: str, low: int, high: int) -> int:
    try:
        value = int(text)
    except (TypeError, ValueError):
        value = None
    if value is None or not low <= value <= high:
        raise _bad(
            f"{name} must be a whole number from {low} to {high}, not {text!r}",
            f"{name} ต้องเป็นจำนวนเต็ม {low} ถึง {high}",
        )
    return value


def _date(text: str, end: bool) -> dt.date | None:
    text = text.strip()
    if text in ("", ".."):
        return None
    m = re.fullmatch(r"(\d{4}-\d{2}-\d{2})([Tt ].*)?", text)
    try:
        if not m:
            raise ValueError
        day = dt.date.fromisoformat(m.group(1))
        if m.group(2):  # a date-time: check it is one, keep its day
            dt.datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
        return day
    except ValueError:
        raise _bad(
            f"datetime {text!r} must be an RFC 3339 date or date-time "
            "(2024-05-01, 2024-05-01T00:00:00Z), or an interval a/b with .. for open ends",
            f"datetime {text!r} ต้องเป็นวันที่แบบ RFC 3339 (ค.ศ.) เช่น 2024-05-01 หรือช่วง a/b",
        ) from None


def parse_query(params: Mapping[str, str], collection: Collection) -> ItemsQuery:
    """Read and check an items request's query parameters (raises InputError)."""
    limit = _whole("limit", params.get("limit", str(DEFAULT_LIMIT)), 1, MAX_LIMIT)
    offset = _whole("offset", params.get("offset", "0"), 0, 10**9)
    bbox = None
    if params.get("bbox"):
        parts = params["bbox"].split(",")
        try:
            values = [float(p) for p in parts]
        except ValueError:
            values = []
        if len(values) == 6:  # 3D box: drop the heights
            values = [values[0], values[1], values[3], values[4]]
        if len(values) != 4:
            raise _bad(
                "bbox must be west,south,east,north in degrees (WGS84)",
                "bbox ต้องเป็น ตะวันตก,ใต้,ตะวันออก,เหนือ (องศา WGS84)",
            )
        bbox = tuple(values)
    since = until = None
    text = params.get("datetime")
    if text:
        if not collection.date_field:
            raise _bad(
                f"collection {collection.id} has no date to filter by datetime",
                f"ชุดข้อมูล {collection.id} ไม่มีวันที่ให้กรอง",
            )
        if "/" in text:
            start, _, end = text.partition("/")
            since, until = _date(start, False), _date(end, True)
            if since and until and since > until:
                raise _bad("datetime interval ends before it starts", "ช่วงวันที่สิ้นสุดก่อนเริ่ม")
        else:
            since = until = _date(text, False)
    props = []
    for name, value in params.items():
        if name in RESERVED:
            continue
        if collection.field(name) is None:
            allowed = ", ".join([*RESERVED, *(f.name for f in collection.fields)])
            raise _bad(
                f"unknown query parameter {name!r}; allowed: {allowed}",
                f"ไม่รู้จักพารามิเตอร์ {name!r} (ใช้ได้: {allowed})",
            )
        props.append((name, value))
    return ItemsQuery(limit, offset, bbox, since, until, tuple(props), text)


def _options(collection: Collection, query: ItemsQuery) -> ExportOptions:
    return ExportOptions(
        layer=collection.layer,
        format="geojson",
        level=collection.level,
        since=query.since,
        until=query.until,
        bbox=query.bbox,
    )


def _where(collection: Collection, query: ItemsQuery, params: dict) -> str:
    conditions = []
    for i, (name, value) in enumerate(query.properties):
        f = collection.field(name)
        params[f"p{i}"] = value
        if f.type == "boolean":
            params[f"p{i}"] = {"true": True, "false": False, "1": True, "0": False}.get(
                value.strip().lower(), value
            )
        conditions.append(f'"{name}" = TRY_CAST($p{i} AS {f.sql_type})')
    return " AND ".join(conditions) or "TRUE"


#: how long a whole costly result (indicators) is reused for the following pages; it is
#: also keyed by the records' version, so a change to the records is seen at once
CACHE_SECONDS = 60.0
_CACHE_SIZE = 6
_cache: dict[tuple, tuple[float, pa.Table]] = {}
_cache_lock = threading.Lock()


def _cached(key: tuple, run) -> pa.Table:
    now = time.monotonic()
    with _cache_lock:
        hit = _cache.get(key)
        if hit is not None and now - hit[0] < CACHE_SECONDS:
            return hit[1]
    table = run().to_arrow_table()
    with _cache_lock:
        _cache[key] = (now, table)
        for old in sorted(_cache, key=lambda k: _cache[k][0])[: max(0, len(_cache) - _CACHE_SIZE)]:
            del _cache[old]
    return table


@contextmanager
def _snapshot(con) -> Iterator[None]:
    """One read snapshot for a page's statements (its id range, rows and count)."""
    import duckdb

    try:
        con.execute("BEGIN TRANSACTION")
    except duckdb.TransactionException:
        yield  # already inside a transaction: it is the snapshot
        return
    try:
        yield
    finally:
        con.execute("ROLLBACK")


def fetch_page(
    con, collection: Collection, query: ItemsQuery, *, feature_id: Any = None, html: bool = False
) -> Page:
    """The features of one page (or the one feature ``feature_id``), and how many match."""
    with _snapshot(con):
        return _fetch(con, collection, query, feature_id, html)


def _fetch(con, collection: Collection, query: ItemsQuery, feature_id: Any, html: bool) -> Page:
    plan = layer_query(con, _options(collection, query))
    params = dict(plan.params)
    where = _where(collection, query, params)
    idf = collection.id_field
    base = f"SELECT * FROM ({plan.sql}) q WHERE {where}"
    props = ", ".join(f"'{f.name}': \"{f.name}\"" for f in plan.fields)
    select = f'SELECT "{idf}" AS __id, to_json({{{props}}}) AS __props, *'
    matched = None
    if feature_id is not None:
        params["fid"] = feature_id
        page = f'"{idf}" = TRY_CAST($fid AS {collection.field(idf).sql_type})'
        batch = con.execute(f"{select} FROM ({base} AND {page}) b", params).to_arrow_table()
    elif plan.resolved.count_sql is not None:
        # indicators: every page would compute every area's values again; keep the whole
        # ordered result a short while and cut pages from it (GDAL reads page after page)
        from analysis.records_version import recent_records_version

        version = recent_records_version(con)  # also names the database
        whole = _cached(
            (collection.id, plan.sql, repr(sorted(params.items())), version),
            lambda: con.execute(f'{select} FROM ({base}) b ORDER BY "{idf}"', params),
        )
        batch = whole.slice(query.offset, query.limit)
        matched = whole.num_rows
    else:
        # first the page's id range from the ids alone (cheap), then only those rows get
        # their geometry and JSON: the id order is total, so the range is exactly the page
        lo, hi = con.execute(
            f'SELECT min(k), max(k) FROM (SELECT "{idf}" AS k FROM ({base}) b '
            f"ORDER BY k LIMIT {int(query.limit)} OFFSET {int(query.offset)}) p",
            params,
        ).fetchone()
        ranged = {**params, "lo": lo, "hi": hi}
        batch = con.execute(
            f'{select} FROM ({base} AND "{idf}" BETWEEN $lo AND $hi) b '
            f'ORDER BY "{idf}" LIMIT {int(query.limit)}',
            ranged,
        ).to_arrow_table()
    ids = batch.column("__id").to_pylist()
    geoms = round_geometries(batch.column("__wkb"), DEFAULT_PRECISION[4326])
    texts = shapely.to_geojson(geoms)
    props_text = batch.column("__props").to_pylist()
    # an integer id becomes the GIS's feature id; a P-code stays a property only (GDAL
    # would add a string "id" as a second copy of it, an attribute the export lacks)
    with_id = collection.id_field == "id"
    features = [
        '{"type":"Feature",'
        + (f'"id":{json.dumps(i)},' if with_id else "")
        + '"properties":'
        + p
        + ',"geometry":'
        + (g or "null")
        + "}"
        for i, p, g in zip(ids, props_text, texts, strict=True)
    ]
    rows = []
    if html:
        names = [f.name for f in plan.fields]
        columns = {n: batch.column(n).to_pylist() for n in names}
        kinds = shapely.get_type_id(geoms)
        type_names = {0: "Point", 3: "Polygon", 6: "MultiPolygon", 7: "GeometryCollection"}
        rows = [
            {**{n: columns[n][k] for n in names}, "__geometry": type_names.get(int(kinds[k]), "")}
            for k in range(len(ids))
        ]
    if matched is not None:
        pass
    elif feature_id is not None:
        matched = len(ids)
    elif not query.properties:
        # the export's own count: the rows without their costly columns (indicators)
        count_sql = f"{plan.count_sql} SELECT count(*) FROM kept"
        used = {k: v for k, v in plan.params.items() if re.search(rf"\${k}\b", count_sql)}
        matched = con.execute(count_sql, used).fetchone()[0]
    else:
        matched = con.execute(f"SELECT count(*) FROM ({base}) c", params).fetchone()[0]
    return Page(features, rows, ids, matched)
