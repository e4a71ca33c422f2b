"""Per-layer feature snapshots that vector tiles are cut from, in a scratch DuckDB file.

A layer's ``source`` SQL joins several tables (an organization takes its village's point
when it has none of its own); evaluating it for every tile costs a scan of the whole layer
(1-3 s per tile with 1.5 million organizations). So, once per data version, the rows a tile
can show are written to a table of a scratch database attached to the connection as
``tilecache``: Web Mercator coordinates (``mx``, ``my``; a polygon's projected shape and
box), the id and the popup fields, sorted by ``my`` so DuckDB's zone maps skip most of the
table for a tile. Tiles then read only the rows in their box.

The scratch file lives in the system temporary directory, one per process and database
connection; it is never part of the product database (nothing to migrate, and it works on a
read-only connection too) and is removed when the process ends.

The data version is a layer's ``version_sql`` (a cheap fingerprint such as count, highest
id and latest import time) or, without one, a hash of every row of its source.
"""

from __future__ import annotations

import atexit
import hashlib
import os
import re
import tempfile
import threading
import time
import uuid
from pathlib import Path

from geo.layers import MapLayer

ORIGIN = 20037508.342789244  # half the Web Mercator world width, metres
RADIUS = 6378137.0
VERSION_TTL = 3.0  # seconds a layer's data version is trusted before it is checked again
CELL_PX = 32  # cluster cell side in screen pixels (a tile is 256 px)
GRID_ZOOM = 12  # points are also kept merged per cluster cell of this zoom, per province
SCHEMA = "tilecache"

_KEPT = {"VARCHAR", "BOOLEAN", "TINYINT", "SMALLINT", "INTEGER", "BIGINT", "FLOAT", "DOUBLE"}
_lock = threading.Lock()
_layer_locks: dict[str, threading.Lock] = {}
_versions: dict[tuple[str, str], tuple[str, float]] = {}
_files: list[Path] = []
_columns: dict[tuple[str, str], list[tuple[str, str]]] = {}
_written: set[tuple[str, str]] = set()  # (scratch file, table) known to exist
_attached: dict[int, tuple[object, str]] = {}  # id(connection) -> (connection, scratch file)


def mercator_sql(geom: str) -> tuple[str, str]:
    """SQL for the Web Mercator x and y (metres) of point ``geom`` in EPSG:4326."""
    return (
        f"ST_X({geom}) * {ORIGIN / 180!r}",
        f"ln(tan((90 + greatest(-85.05112878, least(85.05112878, ST_Y({geom})))) "
        f"* pi() / 360)) * {RADIUS!r}",
    )


def cache_database(con) -> str:
    """Attach the scratch database to ``con``'s database instance (once); returns its path.

    Remembered per connection object, so a caller that keeps its connection (the tile
    routes pass the process's connection) pays no catalog query per tile.
    """
    known = _attached.get(id(con))
    if known is not None and known[0] is con:
        return known[1]
    with _lock:
        row = con.execute(
            "SELECT path FROM duckdb_databases() WHERE database_name = ?", [SCHEMA]
        ).fetchone()
        if row:
            return row[0]
        path = (
            Path(tempfile.gettempdir()) / f"phang-tiles-{os.getpid()}-{uuid.uuid4().hex[:8]}.duckdb"
        )
        con.execute(f"ATTACH '{path}' AS {SCHEMA} (READ_ONLY false)")
        if not _files:
            atexit.register(_remove_files)
        _files.append(path)
        _attached[id(con)] = (con, str(path))
        return str(path)


def _remove_files() -> None:
    for path in _files:
        for p in (path, path.with_name(path.name + ".wal")):
            p.unlink(missing_ok=True)


def data_version(
    con, layer: MapLayer, *, max_age: float = VERSION_TTL, db: str | None = None
) -> str:
    """A short hash that changes when the rows the layer's tiles show change.

    Re-checked at most every ``max_age`` seconds per layer and database (0: now). ``db``
    is the scratch file of ``con``'s database when the caller knows it.
    """
    db = db or cache_database(con)
    now = time.monotonic()
    with _lock:
        known = _versions.get((db, layer.key))
    if known and now - known[1] < max_age:
        return known[0]
    sql = layer.version_sql or f"SELECT count(*), bit_xor(hash(s)) FROM ({layer.source}) s"
    fingerprint = con.execute(sql).fetchall()
    version = hashlib.sha256(f"{layer.source}|{fingerprint}".encode()).hexdigest()[:16]
    with _lock:
        _versions[(db, layer.key)] = (version, now)
    return version


def property_columns(con, layer: MapLayer) -> list[tuple[str, str]]:
    """(column, SQL expression typed for MVT) for each popup and title field of ``layer``."""
    known = _columns.get((layer.key, layer.source or ""))
    if known is not None:
        return known
    types = {
        row[0]: str(row[1]).upper()
        for row in con.execute(f"DESCRIBE SELECT * FROM ({layer.source}) s").fetchall()
    }
    wanted = [f.column for f in layer.popup]
    if layer.title_field and layer.title_field not in wanted:
        wanted.append(layer.title_field)
    missing = [c for c in ("id", "geom", *wanted) if c not in types]
    if missing:
        raise ValueError(f"layer {layer.key!r}: its source lacks the columns {missing}")
    out = []
    for column in wanted:
        kind, quoted = types[column], f's."{column}"'
        if kind in _KEPT:
            out.append((column, quoted))
        elif kind.startswith("DECIMAL") or kind in ("HUGEINT", "UBIGINT", "REAL"):
            out.append((column, f"CAST({quoted} AS DOUBLE)"))
        else:  # dates, timestamps, lists: as text
            out.append((column, f"CAST({quoted} AS VARCHAR)"))
    _columns[(layer.key, layer.source or "")] = out
    return out


def snapshot(con, layer: MapLayer, version: str, db: str | None = None) -> tuple[str, list[str]]:
    """The cache table of ``layer`` at ``version`` (written if missing) and its field names."""
    db = db or cache_database(con)
    table = f'{SCHEMA}."{layer.key}_{version}"'
    props = property_columns(con, layer)
    names = [c for c, _ in props]
    if (db, table) in _written:
        return table, names
    with _lock:
        layer_lock = _layer_locks.setdefault(layer.key, threading.Lock())
    with layer_lock:  # one writer per layer; the others wait and then read it
        exists = con.execute(
            "SELECT count(*) FROM duckdb_tables() WHERE database_name = ? AND table_name = ?",
            [SCHEMA, f"{layer.key}_{version}"],
        ).fetchone()[0]
        if exists:
            _written.add((db, table))
            return table, names
        values = "".join(f', {expr} AS "{c}"' for c, expr in props)
        if "pcode" not in names:  # for the area filter (``?in=``, ``geo.tiles``)
            values += ", s.pcode AS pcode"
        if layer.kind == "point":
            mx, my = mercator_sql("s.geom")
            select = f"""SELECT CAST(s.id AS BIGINT) AS id, {mx} AS mx, {my} AS my{values}
                         FROM ({layer.source}) s WHERE s.geom IS NOT NULL ORDER BY my, mx"""
        else:
            select = f"""SELECT id, ST_XMin(g) AS x0, ST_YMin(g) AS y0, ST_XMax(g) AS x1,
                                ST_YMax(g) AS y1, g AS geom, * EXCLUDE (id, g)
                         FROM (SELECT CAST(s.id AS BIGINT) AS id,
                                      ST_Transform(s.geom, 'EPSG:4326', 'EPSG:3857',
                                                   always_xy := true) AS g{values}
                               FROM ({layer.source}) s WHERE s.geom IS NOT NULL)
                         ORDER BY y0, x0"""
        con.execute(f"CREATE OR REPLACE TABLE {table} AS {select}")
        if layer.kind == "point":
            _write_grid(con, table, names)
        stale = con.execute(
            "SELECT table_name FROM duckdb_tables() WHERE database_name = ? "
            "AND starts_with(table_name, ?) AND NOT starts_with(table_name, ?)",
            [SCHEMA, f"{layer.key}_", f"{layer.key}_{version}"],
        ).fetchall()
        mine = re.compile(rf"{re.escape(layer.key)}_[0-9a-f]{{16}}(_g)?")
        for (name,) in stale:
            if mine.fullmatch(name):  # this layer's, not those of a layer "<key>_x"
                con.execute(f'DROP TABLE IF EXISTS {SCHEMA}."{name}"')
                _written.discard((db, f'{SCHEMA}."{name}"'))
        _written.add((db, table))
        return table, names


def grid_table(table: str) -> str:
    """The merged-cells table beside point snapshot ``table``."""
    return table[:-1] + '_g"'


def _write_grid(con, table: str, names: list[str]) -> None:
    cell = 2 * ORIGIN / 2**GRID_ZOOM / 256 * CELL_PX
    singles = "".join(f', CASE WHEN count(*) = 1 THEN any_value("{c}") END AS "{c}"' for c in names)
    con.execute(
        f"""CREATE OR REPLACE TABLE {grid_table(table)} AS
            SELECT CAST(floor((mx + {ORIGIN!r}) / {cell!r}) AS BIGINT) AS gx,
                   CAST(floor(({ORIGIN!r} - my) / {cell!r}) AS BIGINT) AS gy,
                   substr(pcode, 1, 4) AS _prov, count(*) AS n, sum(mx) AS sx, sum(my) AS sy,
                   min(id) AS id{singles}
            FROM {table} GROUP BY 1, 2, 3 ORDER BY gy, gx"""
    )


def forget_versions() -> None:
    """Check every layer's data version again on the next tile (tests, benchmarks)."""
    with _lock:
        _versions.clear()
        _columns.clear()
