"""Vector tiles: decoded with mapbox-vector-tile, compared with the layer's own rows.

Tiles come from the real routes (``tiles.routes``) served by a small server in the test
process (``tests.tile_server``) on a copy of the session database.
"""

from __future__ import annotations

import gzip
import math
import urllib.error
import urllib.request

import mapbox_vector_tile
import pytest

from geo import tiles
from geo.layers import get_layer
from tests.tile_server import tile_server

EVIL = "<img src=x onerror=alert(1)> `x` ${1}"


@pytest.fixture(scope="module")
def tile_db(built_db, tmp_path_factory):
    """A private copy of the session database; one organization gets a hostile name and a
    chair (personal data that must never reach a tile)."""
    import shutil

    from data.store import connect

    target = tmp_path_factory.mktemp("tiles") / "tiles.duckdb"
    shutil.copy(built_db[0], target)
    con = connect(target)
    org = con.execute(
        "SELECT id FROM community_org WHERE starts_with(tambon_pcode, 'TH50') "
        "AND status <> 'dissolved' ORDER BY id LIMIT 1"
    ).fetchone()[0]
    con.execute(
        "UPDATE community_org SET name = ?, chair = 'นายลับ เฉพาะ', "
        "imported_at = current_timestamp WHERE id = ?",
        [EVIL, org],
    )
    tiles.clear_cache()
    yield con, org
    con.close()
    tiles.clear_cache()


@pytest.fixture(scope="module")
def server(tile_db):
    with tile_server(tile_db[0]) as base:
        yield base


def fetch(url: str, headers: dict | None = None):
    """(status, headers with lower-case names, body) of a GET; errors are answers too."""
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=60) as r:
            return r.status, {k.lower(): v for k, v in r.headers.items()}, r.read()
    except urllib.error.HTTPError as e:
        return e.code, {k.lower(): v for k, v in e.headers.items()}, e.read()


def tile_of(lon: float, lat: float, z: int) -> tuple[int, int]:
    n = 2**z
    x = int((lon + 180) / 360 * n)
    y = int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n)
    return x, y


def decode(body: bytes, layer: str) -> list[dict]:
    data = mapbox_vector_tile.decode(body, default_options={"y_coord_down": True})
    return data.get(layer, {}).get("features", [])


def inside(features: list[dict]) -> list[dict]:
    """Features whose point lies in the tile itself, not in the buffer around it."""
    return [
        f
        for f in features
        if 0 <= f["geometry"]["coordinates"][0] < 4096
        and 0 <= f["geometry"]["coordinates"][1] < 4096
    ]


def _points_in_tile(con, layer_key: str, z: int, x: int, y: int) -> dict[int, dict]:
    """The layer's own rows (its source SQL) whose point falls inside tile z/x/y."""
    layer = get_layer(layer_key)
    rows = con.execute(
        f"SELECT s.*, ST_X(s.geom) lon, ST_Y(s.geom) lat FROM ({layer.source}) s"
    ).df()
    found = {}
    for r in rows.to_dict("records"):
        if r["lon"] != r["lon"]:
            continue
        n = 2**z
        fx = (r["lon"] + 180) / 360 * n
        lat = max(-85.05, min(85.05, r["lat"]))
        fy = (1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n
        if int(fx) == x and int(fy) == y:
            found[int(r["id"])] = r
    return found


def test_a_known_tile_holds_the_layer_rows_in_it_with_public_fields_only(server, tile_db):
    con, org = tile_db
    lon, lat = con.execute(
        "SELECT ST_X(coalesce(o.geom, v.geom)), ST_Y(coalesce(o.geom, v.geom)) "
        "FROM community_org o LEFT JOIN village v ON v.id = o.village_id WHERE o.id = ?",
        [org],
    ).fetchone()
    x, y = tile_of(lon, lat, 15)
    status, headers, body = fetch(
        f"{server}/tiles/community_orgs/15/{x}/{y}.mvt", {"Accept-Encoding": "gzip"}
    )
    assert status == 200
    assert headers["content-type"] == "application/vnd.mapbox-vector-tile"
    assert headers["content-encoding"] == "gzip"
    features = inside(decode(gzip.decompress(body), "community_orgs"))
    expected = _points_in_tile(con, "community_orgs", 15, x, y)
    assert {f["id"] for f in features} == set(expected)
    ours = next(f for f in features if f["id"] == org)
    assert ours["properties"]["name"] == EVIL  # the raw text: the browser shows it as text
    layer = get_layer("community_orgs")
    allowed = {f.column for f in layer.popup} | {layer.title_field, "_n"}
    for f in features:
        assert set(f["properties"]) <= allowed
        assert "นายลับ" not in str(f["properties"])  # the chair never leaves
        assert f["properties"]["name"] == expected[f["id"]]["name"]


def test_clusters_at_low_zoom_count_every_point_once(server, tile_db):
    con, _ = tile_db
    x, y = tile_of(98.98, 18.79, 8)  # Chiang Mai
    _, _, body = fetch(f"{server}/tiles/community_orgs/8/{x}/{y}.mvt")
    features = inside(decode(body, "community_orgs"))
    expected = _points_in_tile(con, "community_orgs", 8, x, y)
    assert len(expected) > 50
    assert len(features) < len(expected)  # merged into clusters
    # cells are aligned on the world grid (8 per tile side): every cluster lies in one tile
    assert sum(f["properties"]["_n"] for f in features) == len(expected)
    singles = [f for f in features if f["properties"]["_n"] == 1]
    assert singles and all("name" in f["properties"] for f in singles)
    assert all("name" not in f["properties"] for f in features if f["properties"]["_n"] > 1)


def test_area_filter_keeps_only_the_viewed_province(server, tile_db):
    con, _ = tile_db
    x, y = tile_of(98.98, 18.79, 6)
    _, _, everything = fetch(f"{server}/tiles/villages/6/{x}/{y}.mvt")
    _, _, chiang_mai = fetch(f"{server}/tiles/villages/6/{x}/{y}.mvt?in=TH50")
    all_n = sum(f["properties"]["_n"] for f in decode(everything, "villages"))
    cm_n = sum(f["properties"]["_n"] for f in decode(chiang_mai, "villages"))
    in_cm = con.execute("SELECT count(*) FROM village WHERE starts_with(tambon_pcode, 'TH50')")
    assert cm_n == in_cm.fetchone()[0]
    assert all_n > cm_n


@pytest.mark.parametrize("key", sorted(tiles.tiled_layers()))
def test_every_tiled_layer_answers_for_an_area(server, key):
    x, y = tile_of(100.5, 13.75, 10)  # Bangkok
    status, _, body = fetch(f"{server}/tiles/{key}/10/{x}/{y}.mvt?in=TH10")
    assert status == 200, body
    for f in decode(body, key):
        assert f["properties"].get("pcode", "TH10").startswith("TH10")


def test_the_sea_is_an_empty_tile(server):
    x, y = tile_of(94.0, 9.0, 10)  # Andaman Sea
    status, headers, body = fetch(f"{server}/tiles/community_orgs/10/{x}/{y}.mvt")
    assert status == 200 and body == b""
    assert "etag" in headers


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("community_orgs/21/0/0", 400),
        ("community_orgs/3/8/0", 400),
        ("community_orgs/3/0/8", 400),
        ("community_orgs/a/0/0", 400),
        ("community_orgs/3/-1/0", 400),
        ("community_orgs/3/1.5/0", 400),
        ("no_such_layer/3/0/0", 404),
        ("need_pending/3/0/0", 404),  # coordinators only: never tiled
        ("priority_tambons/3/0/0", 404),  # computed in Python, no source: not tiled
    ],
)
def test_bad_requests_are_refused_with_a_reason(server, path, status):
    got, headers, body = fetch(f"{server}/tiles/{path}.mvt")
    assert got == status, body
    assert body.strip()
    assert headers["cache-control"] == "no-store"
    assert _has_thai(body.decode())
    english = fetch(f"{server}/tiles/{path}.mvt", {"Accept-Language": "en-GB,en"})[2].decode()
    assert english.strip() and not _has_thai(english)


def _has_thai(text: str) -> bool:
    return any("\u0e00" <= ch <= "\u0e7f" for ch in text)


def test_bad_area_filter_is_refused(server):
    assert fetch(f"{server}/tiles/villages/6/49/29.mvt?in=TH5'--")[0] == 400
    assert fetch(f"{server}/tiles/villages/6/49/29.mvt?in=TH50,TH5001")[0] == 400


def test_gzip_etag_and_caching_headers(server, tile_db):
    con, _ = tile_db
    x, y = tile_of(98.98, 18.79, 10)
    url = f"{server}/tiles/community_orgs/10/{x}/{y}.mvt"
    _, gz_headers, gz_body = fetch(url, {"Accept-Encoding": "gzip"})
    _, plain_headers, plain_body = fetch(url)
    assert gz_headers["content-encoding"] == "gzip" and "content-encoding" not in plain_headers
    assert gzip.decompress(gz_body) == plain_body and len(gz_body) < len(plain_body)
    etag = gz_headers["etag"]
    assert fetch(url, {"If-None-Match": etag})[0] == 304
    assert "immutable" not in gz_headers["cache-control"]
    version = tiles.data_version(con, get_layer("community_orgs"))
    assert "immutable" in fetch(f"{url}?v={version}")[1]["cache-control"]


def test_an_edit_shows_in_the_next_tile(server, tile_db):
    con, org = tile_db
    lon, lat = con.execute(
        "SELECT ST_X(coalesce(o.geom, v.geom)), ST_Y(coalesce(o.geom, v.geom)) "
        "FROM community_org o LEFT JOIN village v ON v.id = o.village_id WHERE o.id = ?",
        [org],
    ).fetchone()
    x, y = tile_of(lon, lat, 16)
    url = f"{server}/tiles/community_orgs/16/{x}/{y}.mvt"
    before = {f["id"]: f for f in decode(fetch(url)[2], "community_orgs")}
    assert before[org]["properties"]["name"] == EVIL
    con.execute(
        "UPDATE community_org SET name = name || ' (แก้ไข)', imported_at = current_timestamp "
        "WHERE id = ?",
        [org],
    )
    try:
        tiles.forget_versions()  # instead of waiting VERSION_TTL seconds
        after = {f["id"]: f for f in decode(fetch(url)[2], "community_orgs")}
        assert after[org]["properties"]["name"] == EVIL + " (แก้ไข)"
    finally:
        con.execute("UPDATE community_org SET name = ? WHERE id = ?", [EVIL, org])
        tiles.forget_versions()


def test_polygon_tiles_carry_land_case_areas(server, tile_db):
    con, _ = tile_db
    row = con.execute(
        "SELECT id, ST_X(ST_Centroid(geom)), ST_Y(ST_Centroid(geom)) FROM land_case "
        "WHERE ST_GeometryType(geom) IN ('POLYGON', 'MULTIPOLYGON') ORDER BY id LIMIT 1"
    ).fetchone()
    x, y = tile_of(row[1], row[2], 15)
    features = decode(fetch(f"{server}/tiles/land_case_areas/15/{x}/{y}.mvt")[2], "land_case_areas")
    ours = [f for f in features if f["id"] == row[0]]
    assert ours and ours[0]["geometry"]["type"] in ("Polygon", "MultiPolygon")


def test_tilejson_index_lists_public_layers_only(server):
    import json

    status, _, body = fetch(f"{server}/tiles/", {"Accept-Language": "en"})
    assert status == 200
    found = {t["vector_layers"][0]["id"]: t for t in json.loads(body)}
    assert {"community_orgs", "councils", "baan_mankong", "land_cases", "villages"} <= set(found)
    assert "need_pending" not in found
    assert found["community_orgs"]["tiles"][0].endswith("/tiles/community_orgs/{z}/{x}/{y}.mvt")


@pytest.mark.parametrize(
    ("text", "ok"),
    [("0/0/0", True), ("20/1048575/1048575", True), ("20/1048576/0", False), ("03/1/1", True)],
)
def test_parse_tile(text, ok):
    z, x, y = text.split("/")
    if ok:
        assert tiles.parse_tile(z, x, y) == (int(z), int(x), int(y))
    else:
        with pytest.raises(tiles.TileError):
            tiles.parse_tile(z, x, y)


def test_the_map_page_no_longer_carries_the_points(tile_db):
    """A province map with the organizations layer names its tiles instead of its points;
    the way before tiles (``points_in_page``) still carries every one of them."""
    from geo import mapping
    from geo.mapping import View

    con, _ = tile_db
    names = [
        r[0]
        for r in con.execute(
            "SELECT name FROM community_org WHERE starts_with(tambon_pcode, 'TH50') "
            "AND status <> 'dissolved' AND name NOT LIKE '%<%' ORDER BY id LIMIT 30"
        ).fetchall()
    ]
    view = View("province", "TH50", "amphoe", "codi-18")
    tiled = mapping.build_map(con, view, "area_km2", layer_keys=("community_orgs",), basemap="none")
    old = mapping.build_map(
        con,
        view,
        "area_km2",
        layer_keys=("community_orgs",),
        basemap="none",
        points_in_page=True,
    )
    tiled_html = tiled.map.get_root().render()
    old_html = old.map.get_root().render()
    assert tiled.layers_drawn == {"community_orgs": None}
    assert "/tiles/community_orgs/{z}/{x}/{y}.mvt?v=" in tiled_html and "in=TH50" in tiled_html
    assert not any(n in tiled_html for n in names)
    assert all(n in old_html for n in names)
    assert len(tiled_html) * 10 < len(old_html)
    assert "Leaflet.VectorGrid.bundled.min.js" in tiled_html
    assert "กลุ่ม/องค์กรชุมชน" in tiled_html  # the layer legend


@pytest.mark.parametrize(("z", "scope"), [(6, None), (8, None), (10, ("TH50", "TH51"))])
def test_low_zoom_tiles_from_merged_cells_match_the_points(tile_db, monkeypatch, z, scope):
    """Below GRID_ZOOM a tile merges stored cells; clustering the points themselves gives
    the same features (counts, places, fields)."""
    from geo.layers import Scope

    con, _ = tile_db
    area = Scope("", scope) if scope else None
    x, y = tile_of(98.98, 18.79, z)
    layer = get_layer("community_orgs")

    def features(tile):
        return sorted(
            (f["properties"]["_n"], f["id"], tuple(f["geometry"]["coordinates"]))
            for f in decode(gzip.decompress(tile.data), "community_orgs")
        )

    merged = tiles.encode_tile(con.cursor(), layer, z, x, y, None, area)
    monkeypatch.setattr(tiles, "GRID_ZOOM", 0)  # every zoom from the points
    direct = tiles.encode_tile(con.cursor(), layer, z, x, y, None, area)
    assert merged.features > 10
    got, want = features(merged), features(direct)
    assert [g[:2] for g in got] == [w[:2] for w in want]
    # the mean position, from sums instead of avg(): at most a unit of rounding apart
    assert all(abs(a - b) <= 1 for g, w in zip(got, want, strict=True) for a, b in zip(g[2], w[2]))
