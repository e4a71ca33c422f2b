"""Exports for agencies (issue 7): every format read back by GDAL (pyogrio), RFC 7946 rules,
metadata, filters, privacy (contact details never leave), suppression, streaming, errors.

The database is the session build from the real shared files; community rows, need
reports with private contacts and accounts are inserted into one module-wide copy.
"""

from __future__ import annotations

import csv
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tracemalloc
from pathlib import Path

import numpy as np
import pyogrio
import pytest
import shapely
from pyproj import Transformer

from data.errors import InputError
from geo.export import ExportOptions, export_layer, metadata_path_for, parse_date
from geo.export_layers import VALUE_DECIMALS, Field, LayerSpec, LayerSpecError, register_layer

ROOT = Path(__file__).resolve().parent.parent

# Values that must never appear in any exported byte.
CONTACT_NAME = "นางสาวลับเฉพาะ ติดต่อได้"
CONTACT_PHONE = "0899991234"
CONTACT_NOTE = "โทรหลังหกโมงเย็น ZQXNOTE"
ACCOUNT_USER = "zqx.member"
ACCOUNT_HASH = "$2b$12$ZQXhashZQXhashZQXhashZQXhashZQXhashZQXhashZQXhashZQ"
CHAIR = "นายประธาน ZQXCHAIR"
TYPED_PHONE = "081-777-6543"
TYPED_EMAIL = "zqx.person@example.org"
DESCRIPTION_MARK = "ZQXDESC น้ำท่วมทุกปี"

KHON_KAEN = "TH40"
FORMULA = '=HYPERLINK("http://example.org","กลุ่มทดสอบสูตร")'
TAMBONS: list[str] = []  # the three test tambons (filled by the fixture)
_ANY_ROW = " UNION ALL ".join(
    f"SELECT tambon_pcode FROM {t}"
    for t in ("community_org", "baan_mankong_project", "land_case", "need_report")
)
OURS = {
    "กลุ่มออมทรัพย์ทดสอบโนนทัน",
    "กลุ่มสตรีทดสอบหนองใหญ่",
    "เครือข่ายทดสอบริมคลอง",
    "บ้านมั่นคงทดสอบหนองแวง",
    "ชุมชนทดสอบริมทางรถไฟ",
    "สภาองค์กรชุมชนทดสอบ",
}


def _receipt(i: int) -> str:
    return f"NR-{i:04d}-AAAA"


@pytest.fixture(scope="module")
def export_db(built_db, tmp_path_factory) -> Path:
    """A copy of the session database with community rows, need reports, contacts and
    accounts (markers that must never be exported)."""
    from data.store import connect

    path = tmp_path_factory.mktemp("exportdb") / "export.duckdb"
    shutil.copy(built_db[0], path)
    con = connect(path)
    try:
        # Khon Kaen tambons the demo data left empty, so per-area counts are ours alone
        tambons = [
            r[0]
            for r in con.execute(
                f"""SELECT pcode FROM tambon t WHERE province_pcode = ? AND NOT EXISTS (
                    SELECT 1 FROM ({_ANY_ROW}) x WHERE x.tambon_pcode = t.pcode)
                ORDER BY pcode LIMIT 3""",
                [KHON_KAEN],
            ).fetchall()
        ]
        a, b, c = tambons
        con.execute(
            """INSERT INTO community_org (source, source_id, is_demo, tambon_pcode, name,
                           org_type, chair, members, capital_baht, registered_date, status, geom)
                       VALUES ('test', 'o1', false, ?, 'กลุ่มออมทรัพย์ทดสอบโนนทัน', 'savings_group',
                               ?, 2, 15000, DATE '2021-03-01', 'active', ST_Point(102.83, 16.44)),
                              ('test', 'o2', true, ?, 'กลุ่มสตรีทดสอบหนองใหญ่', 'womens_group',
                               ?, 40, NULL, DATE '2019-07-15', 'inactive', NULL),
                              ('test', 'o3', false, 'TH100101', 'เครือข่ายทดสอบริมคลอง',
                               'network', NULL, 120, 5e5, NULL, 'active', NULL),
                              ('test', 'o4', false, 'TH100101', ?, 'other', NULL, NULL,
                               NULL, NULL, 'unknown', NULL)""",
            [a, CHAIR, b, CHAIR, FORMULA],
        )
        con.execute(
            """INSERT INTO baan_mankong_project (source, source_id, tambon_pcode, name,
                           households, stage, start_date, geom)
                       VALUES ('test', 'p1', ?, 'บ้านมั่นคงทดสอบหนองแวง', 85, 'construction',
                               DATE '2023-01-10',
                               ST_GeomFromText('POLYGON((102.80 16.40, 102.80 16.41,
                                   102.81 16.41, 102.81 16.40, 102.80 16.40))'))""",
            [a],
        )
        con.execute(
            """INSERT INTO land_case (source, source_id, tambon_pcode, community,
                           households, tenure_status, landowner_type)
                       VALUES ('test', 'l1', ?, 'ชุมชนทดสอบริมทางรถไฟ', 30, 'eviction_threat',
                               'state_railway')""",
            [c],
        )
        con.execute(
            """INSERT INTO tambon_council (source, source_id, tambon_pcode, name,
                           established_date, member_orgs, status)
                       VALUES ('test', 'c1', ?, 'สภาองค์กรชุมชนทดสอบ', DATE '2010-05-01',
                               12, 'active')""",
            [a],
        )
        # need reports: one verified in tambon a, three verified in b, one pending in b
        reports = [
            (1, a, "verified"),
            (2, b, "verified"),
            (3, b, "verified"),
            (4, b, "verified"),
            (5, b, "pending"),
        ]
        for i, tambon, status in reports:
            lon, lat = con.execute(
                "SELECT ST_X(p), ST_Y(p) FROM (SELECT ST_PointOnSurface(geom) p FROM tambon "
                "WHERE pcode = ?)",
                [tambon],
            ).fetchone()
            report_id = con.execute(
                """INSERT INTO need_report (receipt, form_id, content_hash, tambon_pcode, geom,
                       area_m2, community_name, households, problems, urgency, description,
                       status, submitted_by, is_demo)
                   VALUES (?, ?, ?, ?, ST_Point(?, ?), 0, ?, ?, ['eviction', 'rent'], 'high',
                           ?, ?, ?, false) RETURNING id""",
                [
                    _receipt(i),
                    f"formid{i:04d}xx",
                    f"{i:064x}",
                    tambon,
                    lon,
                    lat,
                    f"ชุมชนทดสอบ {i}" + (f" โทร {TYPED_PHONE}" if i == 2 else ""),
                    i + 1,
                    f"{DESCRIPTION_MARK} โทร {TYPED_PHONE} อีเมล {TYPED_EMAIL}",
                    status,
                    ACCOUNT_USER,
                ],
            ).fetchone()[0]
            con.execute(
                "INSERT INTO need_contact VALUES (?, ?, ?, ?)",
                [report_id, CONTACT_NAME, CONTACT_PHONE, CONTACT_NOTE],
            )
        con.execute(
            "INSERT INTO account (username, display_name, role, password_hash) "
            "VALUES (?, 'ZQX Display', 'member', ?)",
            [ACCOUNT_USER, ACCOUNT_HASH],
        )
        TAMBONS.extend([a, b, c])
        _second_grouping(con, path.parent)
    finally:
        con.close()
    return path


def _second_grouping(con, folder: Path) -> None:
    """A planner's grouping: provinces below TH50 in one cluster, the rest in another."""
    from boundaries.groupings import grouping_from_csv, store_grouping
    from boundaries.matcher import Gazetteer

    provinces = [r[0] for r in con.execute("SELECT pcode FROM province ORDER BY 1").fetchall()]
    path = folder / "halves.csv"
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["จังหวัด", "กลุ่มจังหวัด", "ภาค"])
        for pcode in provinces:
            writer.writerow([pcode, "ครึ่งบน" if pcode < "TH50" else "ครึ่งล่าง", "ทั้งประเทศ"])
    store_grouping(con, grouping_from_csv(path, Gazetteer.from_connection(con), name="halves"))


@pytest.fixture(scope="module")
def econ(export_db, store_kind, request):
    """The export database, read-only: the DuckDB file, or its copy in PostgreSQL."""
    from data.store import connect

    target = export_db
    if store_kind == "postgres":
        from tests.conftest import pg_copy_of

        target = pg_copy_of(request.getfixturevalue("pg_server"), export_db, "export_copy")
    con = connect(target, read_only=True)
    yield con
    con.close()


def _positions(geometry: dict):
    """Every [x, y] position of a GeoJSON geometry."""

    def walk(c):
        if c and isinstance(c[0], (int, float)):
            yield c
        else:
            for item in c:
                yield from walk(item)

    yield from walk(geometry["coordinates"])


def _db_geoms(con, table: str, pcodes) -> dict:
    rows = con.execute(f"SELECT pcode, ST_AsWKB(geom) FROM {table}").fetchall()
    wanted = set(pcodes)
    return {p: shapely.from_wkb(bytes(w)) for p, w in rows if p in wanted}


# --- GeoJSON -------------------------------------------------------------------------------


def test_geojson_follows_rfc7946_and_reads_back(econ, tmp_path):
    out = tmp_path / "amphoe.geojson"
    result = export_layer(econ, ExportOptions("boundaries", "geojson", level="amphoe"), out)
    raw = out.read_bytes()
    doc = json.loads(raw)
    assert doc["type"] == "FeatureCollection"
    assert "crs" not in doc and b'"crs"' not in raw
    assert result.records == len(doc["features"]) == 928
    # Thai as UTF-8, never \u escapes
    assert "ขอนแก่น".encode() in raw
    assert not re.search(rb"\\u0e", raw, re.IGNORECASE)
    for feature in doc["features"]:
        assert feature["type"] == "Feature" and "crs" not in feature
        assert all(not isinstance(v, (dict, list)) for v in feature["properties"].values())
        geometry = feature["geometry"]
        for x, y in _positions(geometry):
            assert 97 <= x <= 106 and 5 <= y <= 21  # longitude first, then latitude
        text = json.dumps(geometry)
        assert not re.search(r"\d\.\d{7,}", text), "more than 6 decimals"
        shape = shapely.geometry.shape(geometry)
        for polygon in getattr(shape, "geoms", [shape]):
            assert polygon.exterior.is_ccw, feature["properties"]["pcode"]
            assert all(not ring.is_ccw for ring in polygon.interiors)

    # independent reader: GDAL through pyogrio
    frame = pyogrio.read_dataframe(out)
    assert len(frame) == 928
    names = dict(econ.execute("SELECT pcode, name_th FROM amphoe").fetchall())
    assert dict(zip(frame["pcode"], frame["name_th"], strict=True)) == names
    truth = _db_geoms(econ, "amphoe", frame["pcode"])
    distance = shapely.hausdorff_distance(
        np.array(frame.geometry.values), np.array([truth[p] for p in frame["pcode"]])
    )
    assert distance.max() < 1e-6


def test_geojson_precision_is_stated_and_applied(econ, tmp_path):
    out = tmp_path / "p.geojson"
    result = export_layer(
        econ,
        ExportOptions("boundaries", "geojson", level="province", area="TH40", precision=3),
        out,
    )
    doc = json.loads(out.read_bytes())
    assert result.metadata["coordinate_precision"] == 3
    assert not re.search(r"\d\.\d{4,}", json.dumps(doc["features"][0]["geometry"]))
    assert doc["features"][0]["properties"]["pcode"] == "TH40"


# --- GeoPackage and CSV ------------------------------------------------------------------


def test_gpkg_utm_reads_back_with_metadata_inside(econ, tmp_path):
    out = tmp_path / "provinces.gpkg"
    result = export_layer(
        econ, ExportOptions("boundaries", "gpkg", level="province", crs=32647), out
    )
    frame = pyogrio.read_dataframe(out)
    assert frame.crs.to_epsg() == 32647
    assert len(frame) == result.records == 77
    names = dict(econ.execute("SELECT pcode, name_th FROM province").fetchall())
    assert dict(zip(frame["pcode"], frame["name_th"], strict=True)) == names
    to_utm = Transformer.from_crs(4326, 32647, always_xy=True)
    truth = _db_geoms(econ, "province", frame["pcode"])
    projected = [
        shapely.transform(
            truth[p], lambda xy: np.column_stack(to_utm.transform(xy[:, 0], xy[:, 1]))
        )
        for p in frame["pcode"]
    ]
    assert (
        shapely.hausdorff_distance(np.array(frame.geometry.values), np.array(projected)).max()
        < 0.01
    )
    assert set(frame.geometry.geom_type) == {"MultiPolygon"}
    info = pyogrio.read_info(out)
    meta = info["layer_metadata"]
    assert meta["title_th"] == "ขอบเขตจังหวัด" and meta["record_count"] == "77"
    assert json.loads(meta["phang_metadata_json"])["crs"] == "EPSG:32647"
    with sqlite3.connect(out) as db:
        rows = db.execute("SELECT metadata FROM gpkg_metadata").fetchall()
    assert any("CC BY-IGO" in r[0] for r in rows)


def test_gpkg_clusters_of_a_grouping_in_wgs84(econ, tmp_path):
    out = tmp_path / "clusters.gpkg"
    export_layer(econ, ExportOptions("boundaries", "gpkg", level="cluster"), out)
    frame = pyogrio.read_dataframe(out)
    assert frame.crs.to_epsg() == 4326 and len(frame) == 18
    assert frame["provinces"].sum() == 77
    assert "กลุ่ม" in frame["name_th"].iloc[0]


def test_clusters_and_regions_of_another_grouping(econ, tmp_path):
    out = tmp_path / "halves.gpkg"
    result = export_layer(
        econ, ExportOptions("boundaries", "gpkg", level="cluster", grouping="halves"), out
    )
    frame = pyogrio.read_dataframe(out)
    assert sorted(frame["name_th"]) == ["ครึ่งบน", "ครึ่งล่าง"]
    assert frame["provinces"].sum() == 77
    assert result.metadata["filters"]["grouping"] == "halves"
    export_layer(
        econ,
        ExportOptions("indicators", "gpkg", level="region", grouping="halves", area="TH40"),
        out,
    )
    region = pyogrio.read_dataframe(out)
    assert list(region["name_th"]) == ["ทั้งประเทศ"] and region["tambons"].iloc[0] == 7425


def test_csv_has_bom_and_reads_back_as_wkt_and_lonlat(econ, tmp_path):
    out = tmp_path / "kk.csv"
    export_layer(econ, ExportOptions("boundaries", "csv", level="tambon", area="ขอนแก่น"), out)
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    frame = pyogrio.read_dataframe(out, GEOM_POSSIBLE_NAMES="wkt", KEEP_GEOM_COLUMNS="NO")
    expected = dict(
        econ.execute(
            "SELECT pcode, name_th FROM tambon WHERE province_pcode = ?", [KHON_KAEN]
        ).fetchall()
    )
    assert dict(zip(frame["pcode"], frame["name_th"], strict=True)) == expected
    truth = _db_geoms(econ, "tambon", frame["pcode"])
    assert (
        shapely.hausdorff_distance(
            np.array(frame.geometry.values), np.array([truth[p] for p in frame["pcode"]])
        ).max()
        < 1e-6
    )

    points = tmp_path / "villages.csv"
    export_layer(econ, ExportOptions("villages", "csv", area="TH400101"), points)
    with open(points, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert rows and {"lon", "lat"} <= set(rows[0])
    pts = pyogrio.read_dataframe(points, X_POSSIBLE_NAMES="lon", Y_POSSIBLE_NAMES="lat")
    assert len(pts) == len(rows)
    assert pts.geometry.x.between(97, 106).all() and pts.geometry.y.between(5, 21).all()


def test_csv_thai_header_and_utm_xy(econ, tmp_path):
    out = tmp_path / "th.csv"
    export_layer(econ, ExportOptions("organizations", "csv", crs=32648, csv_header="th"), out)
    with open(out, encoding="utf-8-sig", newline="") as fh:
        header = next(csv.reader(fh))
    assert header[:2] == ["รหัส", "ชื่อองค์กร"] and header[-2:] == ["x", "y"]


# --- indicators, filters, metadata -------------------------------------------------------


@pytest.mark.parametrize("level", ["province", "cluster"])
def test_indicator_layer_matches_the_catalogue(econ, tmp_path, level):
    from analysis.catalogue import catalogue, compute

    out = tmp_path / "ind.gpkg"
    result = export_layer(econ, ExportOptions("indicators", "gpkg", level=level), out)
    frame = pyogrio.read_dataframe(out).set_index("pcode")
    exported = {f["name"] for f in result.metadata["fields"]}
    left_out = " ".join(result.metadata.get("notes", []))
    for key, ind in catalogue().items():
        if level not in ind.levels:
            assert key not in exported and key in left_out, key
            continue
        assert key in exported, key
        truth = compute(econ, key, level, "codi-18").set_index("pcode")["value"]
        np.testing.assert_allclose(
            frame[key].astype(float),
            truth.loc[frame.index].astype(float),
            rtol=1e-9,
            atol=0.5 * 10**-VALUE_DECIMALS,
            err_msg=key,
        )
        field = next(f for f in result.metadata["fields"] if f["name"] == key)
        assert (field["name_th"], field["unit_en"]) == (ind.name_th, ind.unit_en)
        assert field["description_th"] == ind.definition_th


def test_sidecar_metadata_is_complete(econ, tmp_path):
    out = tmp_path / "orgs.geojson"
    result = export_layer(econ, ExportOptions("organizations", "geojson", area=TAMBONS[1]), out)
    meta = json.loads(metadata_path_for(out).read_text(encoding="utf-8"))
    assert meta == {**result.metadata}
    for key in (
        "title_th",
        "title_en",
        "description_th",
        "description_en",
        "fields",
        "sources",
        "filters",
        "record_count",
        "generated_at",
        "demo_data_included",
    ):
        assert key in meta, key
    assert meta["record_count"] == 1
    assert meta["filters"]["area"]["code"] == TAMBONS[1]
    assert meta["demo_data_included"] is True  # the organization there is demo data
    assert any("synthetic" in s["licence"] for s in meta["sources"])
    real = export_layer(econ, ExportOptions("organizations", area=TAMBONS[0]), out).metadata
    assert real["record_count"] == 1 and real["demo_data_included"] is False
    assert all(f["name_th"] and f["name_en"] for f in meta["fields"])
    boundaries = export_layer(
        econ, ExportOptions("boundaries", "geojson", level="region"), tmp_path / "r.geojson"
    ).metadata
    assert boundaries["demo_data_included"] is False
    assert any(s["licence"] == "CC BY-IGO 3.0" for s in boundaries["sources"])


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        (
            {"layer": "organizations", "status": "active"},
            {"กลุ่มออมทรัพย์ทดสอบโนนทัน", "เครือข่ายทดสอบริมคลอง"},
        ),
        ({"layer": "organizations", "status": "หยุดดำเนินการ"}, {"กลุ่มสตรีทดสอบหนองใหญ่"}),
        ({"layer": "organizations", "since": "2563"}, {"กลุ่มออมทรัพย์ทดสอบโนนทัน"}),  # BE 2563
        ({"layer": "organizations", "until": "2019-12"}, {"กลุ่มสตรีทดสอบหนองใหญ่"}),
        ({"layer": "organizations", "area": "กทม."}, {"เครือข่ายทดสอบริมคลอง"}),
        (
            {"layer": "organizations", "area": "ภาคตะวันออกเฉียงเหนือ"},
            {"กลุ่มออมทรัพย์ทดสอบโนนทัน", "กลุ่มสตรีทดสอบหนองใหญ่"},
        ),
        ({"layer": "projects", "status": "construction"}, {"บ้านมั่นคงทดสอบหนองแวง"}),
        ({"layer": "land_cases", "status": "eviction_threat"}, {"ชุมชนทดสอบริมทางรถไฟ"}),
        ({"layer": "councils"}, {"สภาองค์กรชุมชนทดสอบ"}),
    ],
)
def test_filters(econ, tmp_path, options, expected):
    out = tmp_path / "f.geojson"
    export_layer(econ, ExportOptions(format="geojson", **options), out)
    doc = json.loads(out.read_bytes())
    names = {
        f["properties"].get("name") or f["properties"].get("community") for f in doc["features"]
    }
    assert names & OURS == expected  # demo rows are there too; ours must be exactly these


def test_area_filter_on_cluster_and_region_layers(econ, tmp_path):
    out = tmp_path / "c.geojson"
    export_layer(econ, ExportOptions("boundaries", level="cluster", area="TH40"), out)
    clusters = [f["properties"]["pcode"] for f in json.loads(out.read_bytes())["features"]]
    truth = econ.execute(
        "SELECT cluster_code FROM grouping_province WHERE grouping = 'codi-18' "
        "AND province_pcode = 'TH40'"
    ).fetchone()[0]
    assert clusters == [truth]
    export_layer(econ, ExportOptions("boundaries", level="province", area=truth), out)
    provinces = {f["properties"]["pcode"] for f in json.loads(out.read_bytes())["features"]}
    assert "TH40" in provinces and 3 <= len(provinces) <= 6


def test_record_without_location_gets_a_tambon_point_and_says_so(econ, tmp_path):
    out = tmp_path / "o.geojson"
    export_layer(econ, ExportOptions("organizations", area="TH100101"), out)
    feature = next(
        f
        for f in json.loads(out.read_bytes())["features"]
        if f["properties"]["name"] == "เครือข่ายทดสอบริมคลอง"
    )
    assert feature["properties"]["location_source"] == "tambon"
    tambon = econ.execute("SELECT ST_AsWKB(geom) FROM tambon WHERE pcode = 'TH100101'").fetchone()
    assert shapely.from_wkb(bytes(tambon[0])).contains(shapely.geometry.shape(feature["geometry"]))


# --- privacy ---------------------------------------------------------------------------------


SECRETS = [
    CONTACT_NAME,
    CONTACT_PHONE,
    CONTACT_NOTE,
    ACCOUNT_USER,
    ACCOUNT_HASH,
    CHAIR,
    "ZQX Display",
    "NR-0001-AAAA",
    "formid0001xx",
]


@pytest.mark.parametrize("fmt", ["geojson", "gpkg", "csv"])
def test_contact_and_account_data_never_exported(econ, tmp_path, fmt):
    from geo.export import list_layers

    for layer in [entry["layer"] for entry in list_layers(econ)]:
        if layer in ("boundaries", "indicators", "villages"):
            continue
        for free_text in (False, True):
            out = tmp_path / f"{layer}_{free_text}.{fmt}"
            export_layer(econ, ExportOptions(layer, fmt, include_free_text=free_text), out)
            blob = out.read_bytes() + metadata_path_for(out).read_bytes()
            for secret in [*SECRETS, TYPED_PHONE, TYPED_EMAIL]:
                assert secret.encode() not in blob, (layer, fmt, free_text, secret)
            if layer == "need_reports":
                assert (DESCRIPTION_MARK.encode() in blob) is free_text, (fmt, free_text)


def test_need_reports_are_verified_only_and_suppressible_per_area(econ, tmp_path):
    out = tmp_path / "n.geojson"
    result = export_layer(econ, ExportOptions("need_reports"), out)
    features = json.loads(out.read_bytes())["features"]
    # what members typed (community name, description) is left out unless asked for
    assert "description" not in features[0]["properties"]
    assert "community_name" not in features[0]["properties"]
    assert result.metadata["privacy"]["free_text_fields_left_out"] == [
        "community_name",
        "description",
    ]
    result = export_layer(econ, ExportOptions("need_reports", include_free_text=True), out)
    features = json.loads(out.read_bytes())["features"]
    verified = econ.execute("SELECT count(*) FROM need_report WHERE status = 'verified'")
    assert result.records == len(features) == verified.fetchone()[0]
    ours = [f for f in features if f["properties"]["community_name"].startswith("ชุมชนทดสอบ")]
    assert len(ours) == 4  # the pending one is not exported
    result = export_layer(
        econ, ExportOptions("need_reports", suppress_below=3, include_free_text=True), out
    )
    features = json.loads(out.read_bytes())["features"]
    ours = [f for f in features if f["properties"]["community_name"].startswith("ชุมชนทดสอบ")]
    assert len(ours) == 3  # the tambon with one report is dropped
    assert {f["properties"]["tambon_pcode"] for f in ours} == {TAMBONS[1]}
    assert {f["properties"]["households"] for f in ours} == {3, 4, 5}  # 3 and up shown
    per_tambon = {}
    for f in features:
        per_tambon[f["properties"]["tambon_pcode"]] = (
            per_tambon.get(f["properties"]["tambon_pcode"], 0) + 1
        )
    assert min(per_tambon.values()) >= 3


def test_small_counts_are_suppressed(econ, tmp_path):
    out = tmp_path / "o.csv"
    export_layer(econ, ExportOptions("organizations", "csv", suppress_below=5), out)
    with open(out, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    members = {r["name"]: r["members"] for r in rows}
    assert all(r["members"] == "" or int(r["members"]) >= 5 for r in rows)
    assert members["กลุ่มออมทรัพย์ทดสอบโนนทัน"] == ""  # 2 members: hidden
    assert members["กลุ่มสตรีทดสอบหนองใหญ่"] == "40"


def test_registry_refuses_private_declarations():
    with pytest.raises(LayerSpecError, match="contact or account"):
        Field("phone_number", "โทรศัพท์", "Phone")
    with pytest.raises(LayerSpecError, match="private table"):
        register_layer(
            LayerSpec(
                key="leaky",
                title_th="x",
                title_en="x",
                description_th="x",
                description_en="x",
                sources=("members",),
                fields=(Field("id", "รหัส", "ID", "integer"),),
                sql="SELECT r.id, c.name AS who, r.geom FROM need_report r "
                "JOIN need_contact c ON c.report_id = r.id",
            )
        )


# --- streaming, errors, CLI ------------------------------------------------------------------


def test_geojson_streams_in_batches(econ, tmp_path):
    """The Python heap never holds the whole file: peak allocations stay far below its size."""
    out = tmp_path / "villages.geojson"
    tracemalloc.start()
    try:
        result = export_layer(econ, ExportOptions("villages", "geojson"), out, batch_size=2000)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert result.records > 60000
    assert peak < result.bytes / 3, (peak, result.bytes)


def test_empty_result_is_a_valid_file(econ, tmp_path):
    for fmt in ("geojson", "gpkg", "csv"):
        out = tmp_path / f"empty.{fmt}"
        result = export_layer(econ, ExportOptions("projects", fmt, area=TAMBONS[2]), out)
        assert result.records == 0
        if fmt == "geojson":
            assert json.loads(out.read_bytes()) == {"type": "FeatureCollection", "features": []}
        if fmt == "gpkg":
            assert len(pyogrio.read_dataframe(out)) == 0


@pytest.mark.parametrize(
    ("options", "needle"),
    [
        ({"layer": "nope"}, "unknown layer"),
        ({"layer": "boundaries", "crs": 32647}, "RFC 7946"),
        ({"layer": "boundaries", "format": "shp"}, "format must be"),
        ({"layer": "boundaries", "area": "ในเมือง"}, "ambiguous"),
        ({"layer": "boundaries", "area": "TH9999"}, "no amphoe"),
        ({"layer": "boundaries", "status": "active"}, "no status"),
        ({"layer": "organizations", "since": "2024-13-01"}, "does not exist"),
        ({"layer": "organizations", "since": "2024", "until": "2023"}, "after"),
        ({"layer": "villages", "level": "province"}, "no levels"),
        ({"layer": "boundaries", "grouping": "nope"}, "no grouping"),
        ({"layer": "boundaries", "precision": 20}, "precision"),
        ({"layer": "need_reports", "suppress_below": 1}, "suppress_below"),
        ({"layer": "boundaries", "format": "csv"}, "ends in .geojson"),
    ],
)
def test_bad_options_give_thai_and_english_errors(econ, tmp_path, options, needle):
    with pytest.raises(InputError) as info:
        export_layer(econ, ExportOptions(**options), tmp_path / "x.geojson")
    assert needle in info.value.message
    assert re.search("[\u0e00-\u0e7f]", info.value.message_th)
    assert list(tmp_path.iterdir()) == []  # nothing half-written


def test_parse_date_reads_buddhist_era_and_periods():
    import datetime as dt

    assert parse_date("2567-02") == (dt.date(2024, 2, 1), True)
    assert parse_date("2024-02", end=True) == (dt.date(2024, 2, 29), False)
    assert parse_date("2023", end=True) == (dt.date(2023, 12, 31), False)


def _cli(*args: str, db: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.run(
        [sys.executable, "-m", "data", "export", *args, "--db", str(db)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_cli_exports_and_prints_a_summary(export_db, tmp_path):
    out = tmp_path / "prov.gpkg"
    done = _cli(
        "indicators", "--level", "province", "--area", "c05", "--out", str(out), db=export_db
    )
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout)
    assert summary["format"] == "gpkg" and summary["records"] >= 3
    assert len(pyogrio.read_dataframe(out)) == summary["records"]
    listed = _cli("--list", db=export_db)
    assert "need_reports" in {json.loads(line)["layer"] for line in listed.stdout.splitlines()}


def test_cli_says_when_the_app_holds_the_database(db_copy, tmp_path, store_kind):
    """A DuckDB file held by the app: the command line says so and writes nothing. On
    PostgreSQL the store is shared, so the same export runs while the app holds it."""
    from data.store import connect

    holder = connect(db_copy)  # this process holds the store, as the app would
    try:
        done = _cli("boundaries", "--out", str(tmp_path / "x.geojson"), db=db_copy)
    finally:
        holder.close()
    if store_kind == "postgres":
        assert done.returncode == 0, done.stderr
        assert len(json.loads((tmp_path / "x.geojson").read_text())["features"]) == 7425
        return
    assert done.returncode == 2
    assert "in use by another process" in done.stderr and "Export" in done.stderr
    assert not (tmp_path / "x.geojson").exists()


# --- the export page (AppTest) ---------------------------------------------------------------


@pytest.fixture(scope="module")
def page_env(built_db, tmp_path_factory):
    """The app on a private copy of the session database, caches cleared around it."""
    import streamlit as st

    target = tmp_path_factory.mktemp("exportpage") / "page.duckdb"
    shutil.copy(built_db[0], target)
    mp = pytest.MonkeyPatch()
    mp.setenv("PHANG_DB", str(target))
    mp.setenv("PHANG_BASEMAP", "none")
    st.cache_resource.clear()
    st.cache_data.clear()
    yield target
    st.cache_resource.clear()
    st.cache_data.clear()
    mp.undo()


def _page(user=None):
    from streamlit.testing.v1 import AppTest

    from ui.auth import User

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    if user is not None:
        at.session_state["user"] = User(*user)
    at.switch_page("views/export.py")
    at.run()
    assert not at.exception, at.exception
    return at


def test_page_is_for_analysts_only(page_env):
    at = _page()
    # a viewer sees a sign-in message and the sidebar's sign-in form, no export controls
    assert at.warning and all(b.form_id == "sign_in_form" for b in at.button)
    assert not at.main.button and not at.main.selectbox
    assert "นักวิเคราะห์" in at.warning[0].value


def test_page_exports_through_the_app_with_metadata_and_demo_warning(page_env):
    at = _page(("analyst", "นักวิเคราะห์ (Analyst)", "analyst"))
    assert at.title[0].value == "ส่งออกข้อมูล"
    at.selectbox(key="export_layer").select("organizations").run()
    at.text_input(key="export_area").input("จ.ขอนแก่น").run()
    at.button(key="export_go").click().run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    data, metadata, name = at.session_state["export_result"]
    assert name == "organizations_TH40.geojson"
    doc = json.loads(data)
    assert metadata["record_count"] == len(doc["features"]) > 0
    assert metadata["filters"]["area"]["code"] == KHON_KAEN
    assert metadata["demo_data_included"] is True
    assert any("ข้อมูลสาธิต" in w.value for w in at.warning)  # said on the page


def test_page_shows_bad_input_in_thai(page_env):
    at = _page(("analyst", "นักวิเคราะห์ (Analyst)", "analyst"))
    at.text_input(key="export_area").input("ไม่มีที่นี่แน่นอน").run()
    at.button(key="export_go").click().run()
    assert at.error and "พื้นที่" in at.error[0].value


def test_csv_cells_never_run_as_spreadsheet_formulas(econ, tmp_path):
    out = tmp_path / "bkk.csv"
    result = export_layer(econ, ExportOptions("organizations", "csv", area="TH100101"), out)
    with open(out, encoding="utf-8-sig", newline="") as fh:
        names = [row["name"] for row in csv.DictReader(fh)]
    assert "'" + FORMULA in names and FORMULA not in names
    assert "csv_text_guard" in result.metadata
    doc = tmp_path / "bkk.geojson"  # other formats keep the text as it is
    export_layer(econ, ExportOptions("organizations", area="TH100101"), doc)
    assert FORMULA in {f["properties"]["name"] for f in json.loads(doc.read_bytes())["features"]}


def test_page_in_english_exports_a_gpkg_in_utm(page_env):
    from streamlit.testing.v1 import AppTest

    from ui.auth import User

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    at.query_params["lang"] = "en"
    at.session_state["user"] = User("analyst", "นักวิเคราะห์ (Analyst)", "analyst")
    at.switch_page("views/export.py")
    at.run()
    assert at.title[0].value == "Export layers"
    at.selectbox(key="export_level").select("province").run()
    at.radio(key="export_format").set_value("gpkg").run()
    at.selectbox(key="export_crs_gpkg_en").select(32647).run()
    at.button(key="export_go").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    data, metadata, name = at.session_state["export_result"]
    assert name == "boundaries_province.gpkg" and data[:15] == b"SQLite format 3"
    assert metadata["crs"] == "EPSG:32647" and metadata["record_count"] == 77


# --- precision that keeps geometries valid, labels in CSV (issue 13) --------------------------


def _feature_lines(raw: bytes) -> list[tuple[str, dict]]:
    """(geometry text as written, parsed feature) for every feature line of a GeoJSON
    export (the writer puts one feature on each line)."""
    out = []
    for line in raw.decode("utf-8").splitlines():
        if line.startswith('{"type":"Feature"'):
            feature = json.loads(line.rstrip(","))
            out.append((line.split('"geometry":', 1)[1], feature))
    return out


@pytest.mark.parametrize(
    ("layer", "level", "precision"),
    [
        ("boundaries", "tambon", 6),
        ("boundaries", "tambon", 4),
        ("boundaries", "amphoe", 6),
        ("boundaries", "province", 5),
        ("need_reports", None, 6),
        ("projects", None, 6),
    ],
)
def test_every_exported_geometry_is_valid_with_at_most_the_requested_decimals(
    econ, tmp_path, layer, level, precision
):
    """Read the raw text: no coordinate has more decimals than asked (GEOS prints a snapped
    14.479406 as 14.479406000000001 unless the writer rounds the text), and every geometry,
    in GeoJSON and GeoPackage, passes GEOS validity (rounding alone makes tambon TH380101
    self-intersect at 6 decimals)."""
    out = tmp_path / f"{layer}.geojson"
    options = ExportOptions(layer, "geojson", level=level, precision=precision)
    result = export_layer(econ, options, out)
    lines = _feature_lines(out.read_bytes())
    assert len(lines) == result.records > 0
    too_long = re.compile(r"\d\.\d{" + str(precision + 1) + ",}")
    assert not [text for text, _ in lines if too_long.search(text)][:3]
    shapes = np.array([shapely.geometry.shape(f["geometry"]) for _, f in lines])
    assert shapely.is_valid(shapes).all(), shapely.is_valid_reason(
        shapes[~shapely.is_valid(shapes)]
    )

    gpkg = tmp_path / f"{layer}.gpkg"
    export_layer(econ, ExportOptions(layer, "gpkg", level=level, precision=precision), gpkg)
    frame = pyogrio.read_dataframe(gpkg)
    assert len(frame) == result.records
    assert shapely.is_valid(np.array(frame.geometry.values)).all()
    if level == "tambon":
        by_code = dict(zip(frame["pcode"], frame.geometry.values, strict=True))
        assert by_code["TH380101"].is_valid


def test_csv_carries_labels_with_the_code_in_its_own_column(econ, tmp_path):
    """Coded columns (project type, landowner, land arrangement, status) read as labels in
    the header's language, the code beside them, so a spreadsheet user reads words and a
    program still has the codes."""
    from data import vocab

    for header, lang in (("th", 0), ("en", 1)):
        out = tmp_path / f"projects_{header}.csv"
        export_layer(econ, ExportOptions("projects", "csv", csv_header=header), out)
        with open(out, encoding="utf-8-sig", newline="") as fh:
            rows = list(csv.reader(fh))
        head, body = rows[0], rows[1:]
        assert body
        title = "ลักษณะโครงการ" if header == "th" else "Project type"
        code_title = title + (" (รหัส)" if header == "th" else " (code)")
        i, j = head.index(title), head.index(code_title)
        assert j == i + 1
        coded = [row for row in body if row[j]]
        assert coded
        for row in coded:
            assert row[i] == vocab.PROJECT_TYPES[row[j]][lang]
        assert all(row[i] == "" for row in body if not row[j])
        assert not {"reblocking", "long_lease", "state_railway"} & {row[i] for row in body}


def test_sidecar_names_the_downloaded_file(econ):
    from geo.export import export_to_bytes

    data, metadata, name = export_to_bytes(
        econ, ExportOptions("boundaries", "geojson", level="tambon", area="TH40")
    )
    assert name == "boundaries_tambon_TH40.geojson"
    assert metadata["file"] == name and data
