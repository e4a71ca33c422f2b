"""Vector tiles (Mapbox Vector Tile, MVT) of the map's public layers, made by DuckDB spatial.

A tile ``z/x/y`` (Web Mercator, XYZ numbering as Leaflet and every web map use) of a layer
from the registry (``geo.layers``) holds only the layer's popup and title fields, the
same fields the map shows publicly; layers a public viewer may not see are never tiled.

- Points are encoded with DuckDB spatial's ``ST_AsMVT`` / ``ST_AsMVTGeom`` /
  ``ST_TileEnvelope``. Below ``CLUSTER_BELOW`` the points falling in one cell of a fixed
  grid (``CELL_PX`` screen pixels) become one feature carrying the count ``_n`` and, when
  the cell holds one point, its fields: a tile stays small however many rows the layer
  holds. Cells are aligned on the world grid, so neighbouring tiles agree on every cluster.
- Polygons are projected with ``ST_Transform`` and clipped to the tile.
- Tiles are cut from a per-layer snapshot of the layer's ``source`` SQL (``geo.tile_store``:
  projected coordinates, id and popup fields, written once per data version), so a tile
  reads only the rows in its box however costly the source is.
- A tile is kept in the process (LRU, keyed by layer, data version and z/x/y) as gzip bytes
  with a strong ETag. The data version is checked at most every ``tile_store.VERSION_TTL``
  seconds per layer, so edits show within that time.
- Features are encoded in id order (``ST_AsMVT(... ORDER BY r.id)``): a parallel scan hands
  rows over in any order, and a strong ETag promises the same bytes from every run and
  every server behind a load balancer.
"""

from __future__ import annotations

import gzip
import hashlib
import threading
from collections import OrderedDict
from dataclasses import dataclass

from geo.layers import MapLayer, Scope, layers
from geo.tile_store import (
    CELL_PX,
    GRID_ZOOM,
    ORIGIN,
    cache_database,
    data_version,
    forget_versions,
    grid_table,
    snapshot,
)

EXTENT = 4096  # tile coordinate units per tile side
BUFFER = 64  # units drawn beyond each edge, so lines on an edge are not cut
POINT_BUFFER = 384  # for points: a cluster circle (up to 20 px = 320 units) is drawn whole
MAX_ZOOM = 20
CLUSTER_BELOW = 14  # zooms below this merge nearby points; from here on every point is drawn
CACHE_BYTES = 64 * 1024 * 1024


class TileError(ValueError):
    """A tile request that cannot be answered: bad coordinates or an unknown layer.

    ``status`` is the HTTP status to answer with; ``message_th`` the Thai message.
    """

    def __init__(self, message: str, message_th: str, status: int = 400) -> None:
        super().__init__(message)
        self.message_th = message_th
        self.status = status


@dataclass(frozen=True)
class Tile:
    """An encoded tile: ``data`` (gzip unless empty), its ETag and feature count."""

    data: bytes
    raw_size: int
    features: int
    etag: str
    version: str

    @property
    def empty(self) -> bool:
        return self.features == 0


def tiled_layers() -> dict[str, MapLayer]:
    """The layers served as tiles: those with a ``source`` that a public viewer may see."""
    return {k: la for k, la in layers().items() if la.tiled}


def tile_layer(key: str) -> MapLayer:
    """The tiled layer named ``key``; a 404 TileError otherwise (private layers included)."""
    found = tiled_layers().get(key)
    if found is None:
        raise TileError(
            f"no tile layer {key!r}; known: {', '.join(tiled_layers())}",
            f"ไม่มีชั้นข้อมูลแผ่นภาพชื่อ {key!r}",
            404,
        )
    return found


def parse_tile(z: str, x: str, y: str) -> tuple[int, int, int]:
    """Check z/x/y as they arrive in a URL: integers, 0 <= z <= MAX_ZOOM, x and y on the grid."""
    try:
        zi, xi, yi = int(z), int(x), int(y)
        if not all(s.isdigit() for s in (z, x, y)):
            raise ValueError
    except ValueError:
        raise TileError(
            f"tile coordinates must be whole numbers, not {z}/{x}/{y}",
            f"พิกัดแผ่นภาพต้องเป็นจำนวนเต็ม ไม่ใช่ {z}/{x}/{y}",
        ) from None
    if zi > MAX_ZOOM:
        raise TileError(
            f"zoom {zi} is beyond the deepest tile zoom {MAX_ZOOM}",
            f"ระดับซูม {zi} เกินระดับสูงสุด {MAX_ZOOM}",
        )
    if xi >= 2**zi or yi >= 2**zi:
        raise TileError(
            f"tile {zi}/{xi}/{yi} is off the map: x and y run from 0 to {2**zi - 1} at zoom {zi}",
            f"แผ่นภาพ {zi}/{xi}/{yi} อยู่นอกแผนที่ (x และ y ต้องอยู่ระหว่าง 0 ถึง {2**zi - 1})",
        )
    return zi, xi, yi


def tile_box(z: int, x: int, y: int, margin: float = 0.0) -> tuple[float, float, float, float]:
    """(xmin, ymin, xmax, ymax) of a tile in Web Mercator metres, grown by ``margin`` units."""
    size = 2 * ORIGIN / 2**z
    pad = size * margin / EXTENT
    return (
        -ORIGIN + x * size - pad,
        ORIGIN - (y + 1) * size - pad,
        -ORIGIN + (x + 1) * size + pad,
        ORIGIN - y * size + pad,
    )


# ---------------------------------------------------------------------------------------
# The cache

_lock = threading.Lock()


class _LRU:
    """Tiles by key, least recently used dropped first once ``budget`` bytes are held."""

    def __init__(self, budget: int) -> None:
        self.budget = budget
        self.size = 0
        self.items: OrderedDict[tuple, Tile] = OrderedDict()
        self.hits = self.misses = 0

    def get(self, key: tuple) -> Tile | None:
        with _lock:
            tile = self.items.get(key)
            if tile is None:
                self.misses += 1
                return None
            self.items.move_to_end(key)
            self.hits += 1
            return tile

    def put(self, key: tuple, tile: Tile) -> None:
        with _lock:
            old = self.items.pop(key, None)
            if old is not None:
                self.size -= len(old.data)
            self.items[key] = tile
            self.size += len(tile.data)
            while self.size > self.budget and self.items:
                _, dropped = self.items.popitem(last=False)
                self.size -= len(dropped.data)


_cache = _LRU(CACHE_BYTES)


def clear_cache(*, versions: bool = True) -> None:
    """Forget cached tiles and, with ``versions``, the layers' data versions (tests,
    benchmarks)."""
    with _lock:
        _cache.items.clear()
        _cache.size = 0
    if versions:
        forget_versions()


def cache_stats() -> dict:
    with _lock:
        return {
            "tiles": len(_cache.items),
            "bytes": _cache.size,
            "hits": _cache.hits,
            "misses": _cache.misses,
        }


# ---------------------------------------------------------------------------------------
# Encoding


def parse_scope(text: str | None) -> Scope | None:
    """The area filter of a tile URL (``?in=``): a P-code prefix (``TH50``) or a comma list
    of province P-codes (a cluster or region); None for the whole country."""
    if not text:
        return None
    codes = tuple(c.strip() for c in text.split(","))
    try:
        if len(codes) == 1:
            return Scope(codes[0])
        if any(len(c) != 4 for c in codes) or len(codes) > 80:
            raise ValueError("a list names provinces (TH + 2 digits)")
        return Scope("", codes)
    except ValueError:
        raise TileError(
            f"'in' must be a P-code like TH50 or province P-codes like TH10,TH11, not {text!r}",
            f"พารามิเตอร์ in ต้องเป็นรหัสพื้นที่ เช่น TH50 หรือรหัสจังหวัด เช่น TH10,TH11 ไม่ใช่ {text!r}",
        ) from None


def scope_param(scope: Scope | None) -> str:
    """The ``?in=`` value of ``scope`` (empty for the whole country)."""
    if scope is None:
        return ""
    if scope.provinces is not None:
        return ",".join(scope.provinces)
    return scope.prefix


def get_tile(con, key: str, z: int, x: int, y: int, scope: Scope | None = None) -> Tile:
    """The tile ``z/x/y`` of layer ``key`` (from the cache when its data did not change),
    limited to the area ``scope`` when given.

    ``con`` is a DuckDB connection: queries run on a cursor of it, so threads may share it.
    Raises TileError (404) for a layer that is not tiled.
    """
    layer = tile_layer(key)
    db = cache_database(con)
    cur = con.cursor()
    try:
        version = data_version(cur, layer, db=db)
        cache_key = (db, key, version, z, x, y, scope_param(scope))
        cached = _cache.get(cache_key)
        if cached is not None:
            return cached
        tile = encode_tile(cur, layer, z, x, y, version, scope, db=db)
    finally:
        cur.close()
    _cache.put(cache_key, tile)
    return tile


def encode_tile(
    con,
    layer: MapLayer,
    z: int,
    x: int,
    y: int,
    version: str | None = None,
    scope: Scope | None = None,
    db: str | None = None,
) -> Tile:
    """Encode one tile of ``layer`` now (no tile cache)."""
    version = version or data_version(con, layer, db=db)
    sql, params = tile_sql(con, layer, z, x, y, version, scope, db)
    raw, count = con.execute(sql, params).fetchone()
    raw = bytes(raw) if raw is not None and count else b""
    data = gzip.compress(raw, 6, mtime=0) if raw else b""
    where = f"{layer.key}|{version}|{z}/{x}/{y}|{scope_param(scope)}"
    etag = hashlib.sha256(where.encode()).hexdigest()[:20]
    return Tile(data, len(raw), int(count or 0), f'"{etag}"', version)


def tile_sql(
    con,
    layer: MapLayer,
    z: int,
    x: int,
    y: int,
    version: str,
    scope: Scope | None = None,
    db: str | None = None,
) -> tuple[str, dict]:
    """The SQL (and parameters) that encodes one tile of ``layer`` and counts its features."""
    table, names = snapshot(con, layer, version, db)
    scope = scope or Scope("")
    area = scope.matches_sql("c.pcode")
    envelope = "ST_Extent(ST_TileEnvelope($z, $x, $y))"
    params: dict = {"z": z, "x": x, "y": y, "name": layer.key}
    fields = "".join(f", '{c}': c.\"{c}\"" for c in names)
    if layer.kind == "polygon":
        x0, y0, x1, y1 = tile_box(z, x, y, BUFFER)
        # shapes smaller than a pixel or so are left out until one zooms in
        params.update(x0=x0, y0=y0, x1=x1, y1=y1, px=2 * ORIGIN / 2**z / 256)
        return (
            f"""WITH f AS (
                  SELECT {{'geom': ST_AsMVTGeom(c.geom, {envelope}, {EXTENT}, {BUFFER}, true),
                           'id': c.id{fields}}} AS r
                  FROM {table} c
                  WHERE c.x1 >= $x0 AND c.x0 <= $x1 AND c.y1 >= $y0 AND c.y0 <= $y1
                    AND (c.x1 - c.x0) + (c.y1 - c.y0) >= $px AND {area})
                SELECT ST_AsMVT(r, $name, {EXTENT}, 'geom', 'id' ORDER BY r.id), count(*)
                FROM f WHERE r.geom IS NOT NULL AND NOT ST_IsEmpty(r.geom)""",
            params,
        )
    inside = (
        f"s.mx BETWEEN $x0 AND $x1 AND s.my BETWEEN $y0 AND $y1 AND {scope.matches_sql('s.pcode')}"
    )
    if z >= CLUSTER_BELOW:
        x0, y0, x1, y1 = tile_box(z, x, y, POINT_BUFFER)
        rows = f"SELECT s.*, 1 AS _n FROM {table} s WHERE {inside}"
    elif z < GRID_ZOOM and (scope.provinces is not None or len(scope.prefix) <= 4):
        # merge the stored cells of GRID_ZOOM: f x f of them make one cell of zoom z
        per_tile = 256 // CELL_PX
        f = 2 ** (GRID_ZOOM - z)
        params.update(
            f=f,
            gx0=(x - 1) * per_tile * f,
            gx1=(x + 2) * per_tile * f - 1,
            gy0=(y - 1) * per_tile * f,
            gy1=(y + 2) * per_tile * f - 1,
        )
        singles = "".join(
            f', CASE WHEN sum(g.n) = 1 THEN any_value(g."{c}") END AS "{c}"' for c in names
        )
        rows = f"""SELECT min(g.id) AS id, sum(g.n) AS _n, sum(g.sx) / sum(g.n) AS mx,
                          sum(g.sy) / sum(g.n) AS my{singles}
                   FROM {grid_table(table)} g
                   WHERE g.gx BETWEEN $gx0 AND $gx1 AND g.gy BETWEEN $gy0 AND $gy1
                     AND {scope.matches_sql("g._prov")}
                   GROUP BY g.gx // $f, g.gy // $f"""
        sql = _point_tile(rows, fields, envelope)
        return sql, params
    else:
        # whole cells around the tile, so a cluster drawn in the buffer has its full count
        x0, y0, x1, y1 = tile_box(z, x, y, CELL_PX * EXTENT // 256 + POINT_BUFFER)
        params["cell"] = 2 * ORIGIN / 2**z / 256 * CELL_PX
        singles = "".join(
            f', CASE WHEN count(*) = 1 THEN any_value(s."{c}") END AS "{c}"' for c in names
        )
        rows = f"""SELECT min(s.id) AS id, count(*) AS _n, avg(s.mx) AS mx, avg(s.my) AS my
                          {singles}
                   FROM {table} s WHERE {inside}
                   GROUP BY floor((s.mx + {ORIGIN!r}) / $cell),
                            floor(({ORIGIN!r} - s.my) / $cell)"""
    params.update(x0=x0, y0=y0, x1=x1, y1=y1)
    return _point_tile(rows, fields, envelope), params


def _point_tile(rows: str, fields: str, envelope: str) -> str:
    """Encode point rows (``id``, ``_n``, ``mx``, ``my`` and the fields) as one tile."""
    return f"""WITH f AS (
                 SELECT {{'geom': ST_AsMVTGeom(ST_Point(c.mx, c.my), {envelope},
                                               {EXTENT}, {POINT_BUFFER}, true),
                          'id': c.id, '_n': CAST(c._n AS INTEGER){fields}}} AS r
                 FROM ({rows}) c)
               SELECT ST_AsMVT(r, $name, {EXTENT}, 'geom', 'id' ORDER BY r.id), count(*)
               FROM f WHERE r.geom IS NOT NULL"""
