"""OGC API – Features against the running app (its own copy, see ``api``), read by real clients:
GDAL (``ogrinfo``/``ogr2ogr``, Debian gdal-bin) and owslib, compared with what
``python -m data export`` writes from a copy of the same database.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import quote

import numpy as np
import pandas as pd
import pyogrio
import pytest
from shapely.geometry import MultiPolygon

from ogc.html import items_table
from tests.app_process import running_app
from tests.conftest import ROOT

OGRINFO = shutil.which("ogrinfo")
# required in CI (make browser-deps installs gdal-bin); skipped elsewhere when missing
needs_gdal = pytest.mark.skipif(
    OGRINFO is None and os.environ.get("CI") != "true",
    reason="gdal-bin is not installed (make browser-deps installs it)",
)
PUBLIC = [
    *(f"boundaries_{lv}" for lv in ("tambon", "amphoe", "province", "cluster", "region")),
    *(f"indicators_{lv}" for lv in ("tambon", "amphoe", "province", "cluster", "region")),
    "villages",
]
PROTECTED = ["organizations", "councils", "projects", "land_cases", "need_reports"]


def get(url: str, headers: dict | None = None) -> tuple[int, dict, bytes]:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=120) as r:
            return r.status, dict(r.headers), r.read()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read()


def get_json(url: str, headers: dict | None = None) -> dict:
    status, _, body = get(url, headers)
    assert status == 200, body[:500]
    return json.loads(body)


@pytest.fixture(scope="module")
def api(built_db, tmp_path_factory) -> str:
    """The app on its own untouched copy of the database: the session-wide ``app_server``
    is changed by other tests (a verified need report changes the indicator layers), and
    these tests compare what it serves with an export of the same data."""
    work = tmp_path_factory.mktemp("ogcapp")
    db = work / "app.duckdb"
    shutil.copy(built_db[0], db)
    with running_app(db, work / "streamlit.log") as url:
        yield f"{url}/ogc"


@pytest.fixture(scope="module")
def cli_db(built_db, tmp_path_factory) -> Path:
    """A copy of the database for ``python -m data export`` (the app holds its own copy)."""
    target = tmp_path_factory.mktemp("exportdb") / "export.duckdb"
    shutil.copy(built_db[0], target)
    return target


def export_gpkg(db: Path, collection: str, out: Path) -> Path:
    layer, _, level = collection.partition("_")
    if layer in ("boundaries", "indicators"):
        args = [layer, "--level", level]
    else:
        layer, args = collection, [collection]
    subprocess.run(
        [sys.executable, "-m", "data", "export", *args, "--format", "gpkg", "--out", str(out)],
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin", "PHANG_DB": str(db)},
        check=True,
        capture_output=True,
    )
    return out


def test_landing_conformance_and_openapi(api):
    landing = get_json(api)
    rels = {link["rel"]: link for link in landing["links"]}
    assert {"self", "service-desc", "conformance", "data"} <= set(rels)
    assert rels["service-desc"]["type"] == "application/vnd.oai.openapi+json;version=3.0"
    conf = get_json(rels["conformance"]["href"])["conformsTo"]
    assert "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson" in conf
    doc = get_json(rels["service-desc"]["href"])
    assert doc["openapi"].startswith("3.0")
    params = doc["paths"]["/collections/{collectionId}/items"]["get"]["parameters"]
    assert {p["name"] for p in params} >= {"limit", "offset", "bbox", "datetime"}


def test_collections_are_the_export_layers_with_thai_and_english_titles(api, ro_con):
    from geo.export import list_layers

    expected = []
    for layer in list_layers(ro_con):
        levels = layer["levels"] or [None]
        expected += [f"{layer['layer']}_{lv}" if lv else layer["layer"] for lv in levels]
    th = get_json(f"{api}/collections")["collections"]
    en = get_json(f"{api}/collections?lang=en")["collections"]
    assert [c["id"] for c in th] == expected == [c["id"] for c in en]
    by_id = {c["id"]: c for c in th}
    assert by_id["boundaries_tambon"]["title"] == "ขอบเขตตำบล"
    assert {c["id"]: c["title"] for c in en}["boundaries_tambon"] == "Tambon boundaries"
    assert by_id["organizations"]["title_en"] == "Community organizations"
    assert sorted(c for c in by_id if by_id[c]["access"] == "public") == sorted(PUBLIC)
    assert sorted(c for c in by_id if by_id[c]["access"] == "api-key") == sorted(PROTECTED)
    # licences travel with the layer; need reports never carry their free text
    assert any("CC BY-IGO" in s["licence"] for s in by_id["boundaries_tambon"]["licences"])
    assert "description" not in [f["name"] for f in by_id["need_reports"]["fields"]]
    assert by_id["organizations"]["extent"]["temporal"]["interval"][0][0] < "2030"


@needs_gdal
def test_ogrinfo_lists_every_collection(api):
    out = subprocess.run(
        [OGRINFO, "-ro", "-q", f"OAPIF:{api}"], capture_output=True, text=True, timeout=600
    )
    listed = [line.split(":", 1)[1].split("(")[0].strip() for line in out.stdout.splitlines()]
    assert listed == PUBLIC + PROTECTED, out.stdout + out.stderr


def _same_table(served: pd.DataFrame, exported: pd.DataFrame, key: str) -> None:
    assert len(served) == len(exported)
    assert list(served.columns) == list(exported.columns)
    served = served.sort_values(key).reset_index(drop=True)
    exported = exported.sort_values(key).reset_index(drop=True)
    for col in exported.columns:
        if col == "geometry":
            continue
        a, b = served[col], exported[col]
        if pd.api.types.is_float_dtype(b):
            assert np.allclose(a.astype(float), b.astype(float), rtol=1e-12, equal_nan=True), col
        else:
            assert (a.isna() == b.isna()).all(), col
            mask = b.notna()
            assert (a[mask].astype(str) == b[mask].astype(str)).all(), col

    # the export's GeoPackage promotes polygons to multipolygons; GeoJSON (export and API
    # alike) keeps a one-part shape a Polygon: compare the shapes, not the wrapper
    def multi(geoms):
        return geoms.apply(lambda g: MultiPolygon([g]) if g.geom_type == "Polygon" else g)

    assert multi(served.geometry).geom_equals_exact(multi(exported.geometry), 1e-9).all()


@needs_gdal
@pytest.mark.parametrize("collection", PUBLIC)
def test_ogr2ogr_copy_equals_the_export(api, cli_db, tmp_path, collection):
    served = tmp_path / "served.gpkg"
    subprocess.run(
        ["ogr2ogr", "-f", "GPKG", str(served), f"OAPIF:{api}", collection, "-oo", "PAGE_SIZE=5000"],
        check=True,
        capture_output=True,
        timeout=900,
    )
    exported = export_gpkg(cli_db, collection, tmp_path / "exported.gpkg")
    a, b = pyogrio.read_dataframe(served), pyogrio.read_dataframe(exported)
    _same_table(a, b, "id" if "id" in b.columns else "pcode")


def test_owslib_reads_the_same_features(api, cli_db, tmp_path):
    from owslib.ogcapi.features import Features

    client = Features(api)
    assert client.feature_collections() == PUBLIC + PROTECTED
    served = client.collection_items("boundaries_province", limit=100)
    assert served["numberMatched"] == served["numberReturned"] == 77
    out = tmp_path / "provinces.geojson"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "data",
            "export",
            "boundaries",
            "--level",
            "province",
            "--out",
            str(out),
        ],
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin", "PHANG_DB": str(cli_db)},
        check=True,
        capture_output=True,
    )
    exported = {f["properties"]["pcode"]: f for f in json.loads(out.read_text())["features"]}
    for feature in served["features"]:
        twin = exported[feature["properties"]["pcode"]]
        assert feature["properties"] == twin["properties"]
        assert feature["geometry"] == twin["geometry"]  # same rounding, same ring order
    one = client.collection_item("villages", "12")
    assert one["id"] == 12 and one["geometry"]["type"] == "Point"


def _walk(url: str) -> tuple[list, int]:
    ids, matched, pages = [], None, 0
    while url:
        doc = get_json(url)
        matched = doc["numberMatched"] if matched is None else matched
        assert doc["numberMatched"] == matched and doc["numberReturned"] == len(doc["features"])
        ids += [f.get("id", f["properties"].get("pcode")) for f in doc["features"]]
        url = next(
            (x["href"] for x in doc["links"] if x["rel"] == "next" and "geo+json" in x["type"]),
            None,
        )
        pages += 1
        assert pages < 100
    return ids, matched


@pytest.mark.parametrize(
    ("collection", "query"),
    [
        ("boundaries_tambon", "limit=1000"),
        ("villages", "limit=7000"),
        ("villages", "limit=333&bbox=99,13,101,15"),
    ],
)
def test_paging_gives_every_feature_once(api, collection, query):
    ids, matched = _walk(f"{api}/collections/{collection}/items?{query}")
    assert len(ids) == matched > 0
    assert len(set(ids)) == len(ids)  # no feature twice
    assert ids == sorted(ids)  # the stable order: by feature id


def test_filters_bbox_datetime_and_properties(api):
    inside = get_json(f"{api}/collections/villages/items?bbox=100,13,100.5,13.5&limit=10000")
    for f in inside["features"]:
        lon, lat = f["geometry"]["coordinates"]
        assert 100 <= lon <= 100.5 and 13 <= lat <= 13.5
    assert 0 < inside["numberMatched"] < 65213
    khon_kaen = get_json(f"{api}/collections/boundaries_amphoe/items?province_pcode=TH40&limit=100")
    assert khon_kaen["numberMatched"] == len(khon_kaen["features"]) > 10
    assert {f["properties"]["province_pcode"] for f in khon_kaen["features"]} == {"TH40"}
    status, _, body = get(f"{api}/collections/villages/items?datetime=2020-01-01")
    assert status == 400 and "no date" in json.loads(body)["description"]
    for bad in ("limit=0", "limit=10001", "bbox=1,2,3", "offset=-1", "nonsense=1"):
        status, _, body = get(f"{api}/collections/villages/items?{bad}")
        assert status == 400, bad
        assert json.loads(body)["description_th"]
    assert get(f"{api}/collections/nowhere/items")[0] == 404
    assert get(f"{api}/collections/villages/items/999999999")[0] == 404


def test_protected_layers_need_a_key(api):
    for collection in PROTECTED:
        status, headers, body = get(f"{api}/collections/{collection}/items?limit=1")
        assert status == 401, collection
        problem = json.loads(body)
        assert problem["code"] == "api_key_missing" and "X-API-Key" in problem["description"]
        assert "X-API-Key" in headers["www-authenticate"]
        status, _, _ = get(f"{api}/collections/{collection}/items/1")
        assert status == 401
    status, _, body = get(
        f"{api}/collections/organizations/items", {"X-API-Key": "phk_not_a_real_key"}
    )
    assert status == 401 and json.loads(body)["code"] == "api_key_unknown"
    # the collection's description is open: an agency sees what it may ask a key for
    assert get_json(f"{api}/collections/organizations")["access"] == "api-key"


def test_html_view_is_thai_or_english_and_escapes_what_it_echoes(api):
    hostile = "<script>alert(1)</script>"
    status, headers, body = get(
        f"{api}/collections/villages/items?f=html&limit=5&name={quote(hostile)}"
    )
    assert status == 200 and headers["content-type"].startswith("text/html")
    text = body.decode()
    assert "<script>" not in text and "&lt;script&gt;" in text
    status, _, body = get(
        f"{api}/collections/boundaries_province/items?limit=3", {"Accept": "text/html"}
    )
    text = body.decode()
    assert 'lang="th"' in text and "ขอบเขตจังหวัด" in text and "ชื่อจังหวัด (ไทย)" in text
    assert "Province boundaries" not in text
    english = get(f"{api}/collections/boundaries_province/items?limit=3&f=html&lang=en")[2].decode()
    assert "Province boundaries" in english and "ขอบเขตจังหวัด" not in english


def test_html_table_escapes_imported_text():
    from geo.export_layers import registered
    from ogc.catalogue import Collection

    spec = registered()["villages"]
    c = Collection(
        "villages", spec, None, "หมู่บ้าน", "Villages", "", "", spec.fields, "Point", (), ()
    )
    hostile = '<img src=x onerror="alert(1)">บ้าน'
    row = {f.name: None for f in spec.fields} | {"id": 1, "name": hostile, "__geometry": "Point"}
    out = items_table("th", c, [row], 1, 0, {"ถัดไป": 'x?a="><script>'})
    assert "<img" not in out and "&lt;img src=x" in out and "<script>" not in out
