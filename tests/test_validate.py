"""Server-side validation of drawn geometries (geo.validate) and the schema's last line.

Every bad drawing the browser might send is either refused with a Thai and an English
message, or repaired with the repair reported. Then, bypassing the library, direct
INSERTs prove the schema itself refuses invalid shapes.
"""

from __future__ import annotations

import json
import math

import duckdb
import pytest
import shapely

from geo.validate import AREA_LIMIT_M2, GeometryError, validate_drawing

# A small square in Pathum Wan, Bangkok (about 550 m a side), and variants of it.
SQUARE = [
    [100.530, 13.730],
    [100.535, 13.730],
    [100.535, 13.735],
    [100.530, 13.735],
    [100.530, 13.730],
]
POLY = {"type": "Polygon", "coordinates": [SQUARE]}

REPAIRED = [
    (
        "feature",
        {"type": "Feature", "properties": {"x": 1}, "geometry": POLY},
        ["feature_unwrapped"],
    ),
    (
        "feature collection of one",
        {"type": "FeatureCollection", "features": [{"type": "Feature", "geometry": POLY}]},
        ["feature_unwrapped"],
    ),
    ("geojson text", json.dumps(POLY), []),
    ("unclosed ring", {"type": "Polygon", "coordinates": [SQUARE[:-1]]}, ["ring_closed"]),
    (
        "bow-tie",
        {
            "type": "Polygon",
            "coordinates": [
                [
                    [100.53, 13.73],
                    [100.535, 13.735],
                    [100.535, 13.73],
                    [100.53, 13.735],
                    [100.53, 13.73],
                ]
            ],
        },
        ["made_valid"],
    ),
    (
        "z values",
        {"type": "Polygon", "coordinates": [[[x, y, 4.5] for x, y in SQUARE]]},
        ["z_dropped"],
    ),
    ("z on a point", {"type": "Point", "coordinates": [100.5, 13.75, 12.0]}, ["z_dropped"]),
    ("swapped point", {"type": "Point", "coordinates": [13.75, 100.5]}, ["swapped_lat_lon"]),
    (
        "swapped polygon",
        {"type": "Polygon", "coordinates": [[[y, x] for x, y in SQUARE]]},
        ["swapped_lat_lon"],
    ),
    ("one-part multipolygon", {"type": "MultiPolygon", "coordinates": [[SQUARE]]}, ["single_part"]),
    ("shapely geometry", shapely.Point(100.5, 13.75), []),
]


@pytest.mark.parametrize(("name", "drawing", "codes"), REPAIRED, ids=[r[0] for r in REPAIRED])
def test_repaired_and_reported(name, drawing, codes):
    clean = validate_drawing(drawing)
    assert clean.repair_codes == codes
    assert clean.geom.is_valid and not clean.geom.is_empty
    assert not clean.geom.has_z
    x0, y0, x1, y1 = clean.geom.bounds
    assert 97 <= x0 <= x1 <= 106 and 5 <= y0 <= y1 <= 21
    for repair in clean.repairs:
        assert repair.message_th and repair.message_en
        assert repair.message_th != repair.message_en


def test_bow_tie_keeps_both_halves():
    bowtie = {
        "type": "Polygon",
        "coordinates": [
            [
                [100.53, 13.73],
                [100.535, 13.735],
                [100.535, 13.73],
                [100.53, 13.735],
                [100.53, 13.73],
            ]
        ],
    }
    clean = validate_drawing(bowtie)
    assert clean.geom.geom_type == "MultiPolygon" and len(clean.geom.geoms) == 2
    assert clean.area_m2 == pytest.approx(validate_drawing(POLY).area_m2 / 2, rel=0.01)


def test_area_is_geodesic():
    clean = validate_drawing(POLY)
    # 0.005° x 0.005° at 13.7°N: about 540 m x 553 m
    assert 290_000 < clean.area_m2 < 310_000


REFUSED = [
    ("nothing", None, "empty"),
    ("empty string", "", "empty"),
    ("empty polygon", {"type": "Polygon", "coordinates": []}, "empty"),
    ("empty point", {"type": "Point", "coordinates": []}, "bad_coordinates"),
    ("feature without geometry", {"type": "Feature", "geometry": None}, "empty"),
    ("empty shapely", shapely.Polygon(), "empty"),
    ("not json", "{not json", "not_geojson"),
    ("a list", [1, 2], "not_geojson"),
    ("line", {"type": "LineString", "coordinates": [[100.5, 13.7], [100.6, 13.8]]}, "wrong_type"),
    (
        "two features",
        {
            "type": "FeatureCollection",
            "features": [
                {"type": "Feature", "geometry": POLY},
                {"type": "Feature", "geometry": POLY},
            ],
        },
        "many_features",
    ),
    (
        "zero area, collinear",
        {
            "type": "Polygon",
            "coordinates": [[[100.5, 13.7], [100.51, 13.71], [100.52, 13.72], [100.5, 13.7]]],
        },
        "zero_area",
    ),
    (
        "zero area, two corners",
        {"type": "Polygon", "coordinates": [[[100.5, 13.7], [100.51, 13.71]]]},
        "zero_area",
    ),
    (
        "zero area, one point repeated",
        {"type": "Polygon", "coordinates": [[[100.5, 13.7]] * 4]},
        "zero_area",
    ),
    ("longitude over 180", {"type": "Point", "coordinates": [181.0, 13.7]}, "lon_range"),
    (
        "longitude over 180 in a ring",
        {
            "type": "Polygon",
            "coordinates": [[[100.5, 13.7], [190.0, 13.7], [100.5, 13.8], [100.5, 13.7]]],
        },
        "lon_range",
    ),
    ("latitude over 90", {"type": "Point", "coordinates": [100.5, 95.0]}, "lat_range"),
    ("NaN", {"type": "Point", "coordinates": [math.nan, 13.7]}, "not_finite"),
    ("NaN in text", '{"type": "Point", "coordinates": [NaN, 13.7]}', "not_finite"),
    ("infinity", {"type": "Point", "coordinates": [100.5, math.inf]}, "not_finite"),
    ("string coordinate", {"type": "Point", "coordinates": ["100.5", 13.7]}, "bad_coordinates"),
    ("boolean coordinate", {"type": "Point", "coordinates": [True, 13.7]}, "bad_coordinates"),
    (
        "outside Thailand (Paris)",
        {"type": "Point", "coordinates": [2.35, 48.85]},
        "outside_thailand",
    ),
    (
        "too large",
        {
            "type": "Polygon",
            "coordinates": [[[100.0, 13.0], [100.2, 13.0], [100.2, 13.2], [100.0, 13.0]]],
        },
        "too_large",
    ),
]


@pytest.mark.parametrize(("name", "drawing", "code"), REFUSED, ids=[r[0] for r in REFUSED])
def test_refused_with_message(name, drawing, code):
    with pytest.raises(GeometryError) as info:
        validate_drawing(drawing)
    err = info.value
    assert err.code == code
    assert err.message and err.message_th and err.message != err.message_th
    assert any("\u0e00" <= ch <= "\u0e7f" for ch in err.message_th)  # Thai script


def test_area_limit_is_a_parameter():
    assert AREA_LIMIT_M2 == 20_000_000
    with pytest.raises(GeometryError):
        validate_drawing(POLY, max_area_m2=1000)


# --- the schema: no invalid geometry reaches the table, whatever the code path -------------

INSERT = """INSERT INTO need_report (receipt, form_id, content_hash, tambon_pcode, geom,
            area_m2, community_name, households, problems, urgency)
            VALUES (?, ?, repeat('a', 64), ?, ST_GeomFromText(?), 0, 'x', ?, ?, 'low')"""


@pytest.fixture(scope="module")
def schema_con():
    from data.store import connect

    con = connect(":memory:")
    yield con
    con.close()


BAD_ROWS = [
    ("bow-tie", "POLYGON((100 13, 100.01 13.01, 100.01 13, 100 13.01, 100 13))"),
    ("swapped", "POINT(13.7 100.5)"),
    ("longitude over 180", "POINT(181 13.7)"),
    ("outside Thailand", "POINT(2.35 48.85)"),
    ("empty", "POLYGON EMPTY"),
    ("zero area", "POLYGON((100 13, 100.01 13.01, 100.02 13.02, 100 13))"),
    ("line", "LINESTRING(100 13, 100.01 13.01)"),
    ("too large", "POLYGON((100 13, 100.2 13, 100.2 13.2, 100 13.2, 100 13))"),
    ("NaN", "POINT(nan 13.7)"),
]


@pytest.mark.parametrize(("name", "wkt"), BAD_ROWS, ids=[r[0] for r in BAD_ROWS])
def test_schema_refuses_invalid_geometry(schema_con, name, wkt):
    with pytest.raises((duckdb.ConstraintException, duckdb.InvalidInputException)):
        schema_con.execute(
            INSERT, ["NR-AAAA-0001", "form-bad-0001", "TH100703", wkt, 3, ["eviction"]]
        )
    assert schema_con.execute("SELECT count(*) FROM need_report").fetchone()[0] == 0


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("tambon_pcode", "TH1007"),
        ("tambon_pcode", "th100703"),
        ("households", 0),
        ("households", 10_001),
        ("problems", ["nope"]),
        ("problems", []),
        ("receipt", "NR-IIII-0000"),
        ("form_id", "short"),
    ],
)
def test_schema_refuses_bad_values(schema_con, column, value):
    row = {
        "receipt": "NR-AAAA-0002",
        "form_id": "form-bad-0002",
        "tambon_pcode": "TH100703",
        "wkt": "POINT(100.5 13.75)",
        "households": 3,
        "problems": ["eviction"],
    }
    key = "wkt" if column == "geom" else column
    row[key] = value
    with pytest.raises(duckdb.ConstraintException):
        schema_con.execute(
            INSERT,
            [
                row["receipt"],
                row["form_id"],
                row["tambon_pcode"],
                row["wkt"],
                row["households"],
                row["problems"],
            ],
        )


def test_schema_accepts_a_good_row(schema_con):
    schema_con.execute("BEGIN")
    schema_con.execute(
        INSERT,
        [
            "NR-AAAA-0003",
            "form-good-0003",
            "TH100703",
            "POLYGON((100.53 13.73, 100.535 13.73, 100.535 13.735, 100.53 13.73))",
            3,
            ["eviction", "rent"],
        ],
    )
    assert schema_con.execute("SELECT count(*) FROM need_report").fetchone()[0] == 1
    schema_con.execute("ROLLBACK")
