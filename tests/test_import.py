"""Importing community data: real-shaped files in, every row stored or quarantined.

Fixture files are generated here, shaped like the files CODI staff keep: a cp874 CSV with
Thai headers, a title row and Buddhist-era dates; an XLSX whose header spans two merged
rows; a GeoJSON with a swapped-coordinate feature and a self-intersecting polygon; a
shapefile without a .cpg. The database is a private copy of the session build.
"""

from __future__ import annotations

import datetime as dt
import json
import zipfile
from pathlib import Path

import pytest

from data.importers import ImportFileError, import_file, list_quarantine, resubmit
from data.importers.values import parse_date, parse_number

# --- pure value parsing (table-driven) ---------------------------------------------------------

DATES = [
    ("15/03/2567", "2024-03-15", None),
    ("2567-03-15", "2024-03-15", None),
    ("๑๕/๐๓/๒๕๖๗", "2024-03-15", None),
    ("15 มี.ค. 2567", "2024-03-15", None),
    ("15 มีนาคม พ.ศ. 2567", "2024-03-15", None),
    ("2024-03-15", "2024-03-15", None),
    ("45366", "2024-03-15", None),  # an Excel serial typed as text
    (45366, "2024-03-15", None),
    (dt.datetime(2567, 3, 15), "2024-03-15", None),  # an Excel date cell typed in BE
    ("15/03/67", None, "date_ambiguous"),
    ("03/15/2567", None, "date_ambiguous"),
    ("15/03/2300", None, "date_out_of_range"),
    ("31/02/2567", None, "bad_date"),
    ("เมื่อวาน", None, "bad_date"),
    ("", None, None),
]


@pytest.mark.parametrize(("raw", "iso", "code"), DATES)
def test_dates_are_stored_in_the_christian_era(raw, iso, code):
    value, problem = parse_date(raw)
    assert (value.isoformat() if value else None) == iso
    assert (problem.code if problem else None) == code


NUMBERS = [
    ("1,250", 1250.0, None),
    ("๑๒๕๐", 1250.0, None),
    ("2.5 ล้าน", 2_500_000.0, None),
    ("30 ครัวเรือน", 30.0, None),
    ("15,000 บาท", 15000.0, None),
    ("-5", None, "bad_number"),
    ("ห้าสิบ", None, "bad_number"),
]


@pytest.mark.parametrize(("raw", "expected", "code"), NUMBERS)
def test_numbers_accept_thai_digits_and_units(raw, expected, code):
    value, problem = parse_number(raw)
    assert value == expected
    assert (problem.code if problem else None) == code


# --- fixture files -------------------------------------------------------------------------------

ORG_CSV = "\n".join(
    [
        "ทะเบียนกลุ่มองค์กรชุมชน ศอช.ต. ท่าถ่าน",
        "ลำดับ,ชื่อกลุ่ม,ประเภท,หมู่บ้าน,ประธาน,จำนวนสมาชิก,เงินทุน (บาท),ผลิตภัณฑ์,วันที่จัดตั้ง,ตำบล,อำเภอ,จังหวัด",
        "1,กลุ่มออมทรัพย์เพื่อการผลิตบ้านท่าถ่าน,กลุ่มออมทรัพย์,บ้านท่าถ่าน,"
        'นายสมชาย ใจดี,๑๒๐,"150,000",,15/03/2551,ท่าถ่าน,พนมสารคาม,ฉะเชิงเทรา',
        "2,กลุ่มสตรีทอผ้า,กลุ่มสตรี,,นางสมศรี มีสุข,45,25000,ผ้าทอมือ,"
        "2552-06-01,ต.ท่าถ่าน,อ.พนมสารคาม,จ.ฉะเชิงเทรา",
        "3,กลุ่มอาชีพจักสาน,กลุ่มอาชีพ,,นายเอก,30,5000,เครื่องจักสาน,01/02/67,ท่าถ่าน,พนมสารคาม,ฉะเชิงเทรา",
        "4,กลุ่มเลี้ยงปลา,กลุ่มอาชีพ,,นายบุญ,12,ไม่ทราบ,ปลา,1/1/2560,ท่าถ่าน,พนมสารคาม,ฉะเชิงเทรา",
        "5,กองทุนสวัสดิการชุมชนในเมือง,กองทุนสวัสดิการ,,นางมาลี,200,80000,,๑/๑๐/๒๕๕๓,ในเมือง,,",
        "6,กลุ่มไม่มีที่อยู่จริง,กลุ่มอาชีพ,,นายซี,12,100,,1/1/2560,ตำบลที่ไม่มีอยู่จริงเลย,อำเภอสมมุติ,จังหวัดสมมุติ",
        '7,กลุ่มแม่บ้านเกษตรกร,กลุ่มแม่บ้าน,,นางจันทร์,25,"12,500",น้ำพริก,'
        "20 ก.ย. 2555,ท่าถานน,พนมสารคาม,ฉะเชิงเทรา",
        "",
    ]
)
ORG_GOOD, ORG_BAD = (
    {1, 2, 7},
    {3: "date_ambiguous", 4: "bad_number", 5: "ambiguous_place", 6: "unknown_place"},
)


@pytest.fixture()
def org_csv(tmp_path) -> Path:
    path = tmp_path / "ศอช_ท่าถ่าน.csv"
    path.write_bytes(ORG_CSV.encode("cp874"))
    return path


def _stored(con, table: str, source: str) -> list[dict]:
    frame = con.execute(
        f"SELECT * EXCLUDE (geom) FROM {table} WHERE source = ? ORDER BY id", [source]
    ).df()
    return frame.to_dict("records")


def test_cp874_csv_all_or_nothing_refuses_the_file_and_keeps_bad_rows(con, org_csv):
    report = import_file(con, "organization", org_csv)
    assert report.encoding == "cp874"
    assert report.status == "refused"
    assert report.rows == 7 and report.stored == 0 and report.quarantined == 4
    assert _stored(con, "community_org", report.source) == []
    q = list_quarantine(con, batch_id=report.batch_id)
    # the row numbers are the file's lines: title on line 1, header on line 2
    by_row = dict(zip(q["row_number"] - 2, q["reason_code"], strict=True))
    assert by_row == ORG_BAD
    ambiguous = q[q["reason_code"] == "ambiguous_place"].iloc[0]
    assert len(ambiguous["candidates"]) >= 2
    assert all(c["pcode"].startswith("TH") for c in ambiguous["candidates"])
    assert ambiguous["raw"]["ชื่อกลุ่ม"] == "กองทุนสวัสดิการชุมชนในเมือง"


def test_cp874_csv_good_rows_mode_stores_the_rest_with_ce_dates(con, org_csv):
    report = import_file(con, "organization", org_csv, good_rows=True)
    assert report.status == "partial"
    assert report.rows == report.stored + report.quarantined == 7
    assert report.inserted == len(ORG_GOOD)
    rows = {r["name"]: r for r in _stored(con, "community_org", report.source)}
    first = rows["กลุ่มออมทรัพย์เพื่อการผลิตบ้านท่าถ่าน"]
    assert first["tambon_pcode"] == "TH240606"
    assert first["registered_date"].date() == dt.date(2008, 3, 15)
    assert first["members"] == 120 and first["capital_baht"] == 150000
    assert first["org_type"] == "savings_group" and first["chair"] == "นายสมชาย ใจดี"
    assert rows["กลุ่มแม่บ้านเกษตรกร"]["org_type"] == "womens_group"
    assert rows["กลุ่มแม่บ้านเกษตรกร"]["registered_date"].date() == dt.date(2012, 9, 20)
    # the typo ท่าถานน was matched fuzzily, and the report says so
    assert [f["row"] - 2 for f in report.fuzzy_places] == [7]
    assert all(not r["is_demo"] for r in rows.values())


def test_reimport_changes_nothing_but_imported_at(con, org_csv):
    first = import_file(con, "organization", org_csv, good_rows=True)
    before = _stored(con, "community_org", first.source)
    again = import_file(con, "organization", org_csv, good_rows=True)
    after = _stored(con, "community_org", first.source)
    assert (again.inserted, again.updated, again.unchanged) == (0, 0, len(ORG_GOOD))
    strip = [{k: v for k, v in r.items() if k != "imported_at"} for r in before]
    assert strip == [{k: v for k, v in r.items() if k != "imported_at"} for r in after]
    assert all(b["imported_at"] < a["imported_at"] for b, a in zip(before, after, strict=True))
    assert con.execute("SELECT count(*) FROM record_history").fetchone()[0] == 0
    # the earlier batch's quarantine is superseded, not duplicated
    assert len(list_quarantine(con, status="open")) == len(ORG_BAD)


def test_changed_rows_leave_history(con, org_csv, tmp_path):
    first = import_file(con, "organization", org_csv, good_rows=True)
    changed = tmp_path / org_csv.name
    changed.write_bytes(ORG_CSV.replace("นางสมศรี มีสุข,45", "นางสมศรี มีสุข,47").encode("cp874"))
    report = import_file(con, "organization", changed, good_rows=True)
    assert (report.inserted, report.updated, report.unchanged) == (0, 1, len(ORG_GOOD) - 1)
    history = con.execute(
        "SELECT table_name, source, previous::VARCHAR FROM record_history"
    ).fetchall()
    assert len(history) == 1
    table, source, previous = history[0]
    assert (table, source) == ("community_org", first.source)
    previous = json.loads(previous)
    assert previous["members"] == 45 and previous["name"] == "กลุ่มสตรีทอผ้า"
    members = con.execute("SELECT members FROM community_org WHERE name = 'กลุ่มสตรีทอผ้า'").fetchone()[
        0
    ]
    assert members == 47


def test_quarantined_rows_are_fixed_from_candidates_and_edits(con, org_csv):
    report = import_file(con, "organization", org_csv, good_rows=True)
    q = list_quarantine(con, batch_id=report.batch_id).set_index("reason_code")
    place = q.loc["ambiguous_place"]
    pick = next(c["pcode"] for c in place["candidates"] if "ขอนแก่น" in c["path_th"])
    fixed = resubmit(con, int(place["id"]), tambon_pcode=pick, actor="coordinator")
    assert fixed.status == "committed" and fixed.inserted == 1
    row = con.execute(
        "SELECT tambon_pcode, registered_date FROM community_org"
        " WHERE name = 'กองทุนสวัสดิการชุมชนในเมือง'"
    ).fetchone()
    assert row == (pick, dt.date(2010, 10, 1))
    date_row = q.loc["date_ambiguous"]
    still = resubmit(con, int(date_row["id"]))
    assert still.status == "refused" and still.refused[0]["reason_code"] == "date_ambiguous"
    ok = resubmit(con, int(date_row["id"]), edits={"วันที่จัดตั้ง": "01/02/2567"})
    assert ok.status == "committed"
    statuses = dict(
        con.execute(
            "SELECT id, status FROM quarantine WHERE batch_id = ?", [report.batch_id]
        ).fetchall()
    )
    assert statuses[int(place["id"])] == "fixed" and statuses[int(date_row["id"])] == "fixed"
    with pytest.raises(ImportFileError):
        resubmit(con, int(place["id"]), tambon_pcode=pick)  # already fixed
    audit = con.execute(
        "SELECT action, table_name, actor FROM audit_log"
        " WHERE action IN ('import', 'quarantine_fix') ORDER BY id"
    ).fetchall()
    assert audit[0] == ("import", "import_batch", "system")
    assert ("quarantine_fix", "community_org", "coordinator") in audit


def test_discarded_rows_are_kept_but_never_stored(con, org_csv):
    from data.importers import discard

    report = import_file(con, "organization", org_csv, good_rows=True)
    qid = int(list_quarantine(con, batch_id=report.batch_id)["id"].iloc[0])
    discard(con, qid, actor="coordinator", note="ซ้ำกับทะเบียนอื่น")
    row = con.execute(
        "SELECT status, resolved_by, note, raw IS NOT NULL FROM quarantine WHERE id = ?", [qid]
    ).fetchone()
    assert row == ("discarded", "coordinator", "ซ้ำกับทะเบียนอื่น", True)
    assert len(list_quarantine(con, batch_id=report.batch_id)) == len(ORG_BAD) - 1
    with pytest.raises(ImportFileError):
        resubmit(con, qid)


# --- XLSX with a two-row merged header --------------------------------------------------------


@pytest.fixture()
def project_xlsx(tmp_path) -> Path:
    import openpyxl

    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "บ้านมั่นคง"
    ws["A1"] = "รายงานโครงการบ้านมั่นคง ปีงบประมาณ 2567"
    ws.merge_cells("A1:J1")
    top = [
        "ชื่อโครงการ",
        "จำนวนครัวเรือน",
        "ขั้นตอน",
        "ที่ตั้ง",
        None,
        None,
        "งบประมาณ (บาท)",
        None,
        "วันเริ่ม",
        "เจ้าของที่ดิน",
    ]
    sub = [None, None, None, "ตำบล", "อำเภอ", "จังหวัด", "งบอุดหนุน", "สินเชื่อ", None, None]
    for j, (a, b) in enumerate(zip(top, sub, strict=True), start=1):
        ws.cell(2, j, a)
        ws.cell(3, j, b)
    for col in "ABCIJ":
        ws.merge_cells(f"{col}2:{col}3")
    ws.merge_cells("D2:F2")
    ws.merge_cells("G2:H2")
    rows = [
        [
            "บ้านมั่นคงชุมชนริมทางรถไฟ",
            120,
            "ก่อสร้าง",
            "ในเมือง",
            "เมืองขอนแก่น",
            "ขอนแก่น",
            "3,600,000",
            24000000,
            dt.datetime(2566, 5, 1),
            "การรถไฟแห่งประเทศไทย",
        ],
        [
            "บ้านมั่นคงคลองเตย",
            300,
            "เสร็จสิ้น",
            "คลองเตย",
            "คลองเตย",
            "กรุงเทพมหานคร",
            9000000,
            60000000,
            42005,
            "กรมธนารักษ์",
        ],
        [
            "บ้านมั่นคงชุมชนใหม่",
            40,
            "ขั้นที่ไม่มีจริง",
            "ในเมือง",
            "เมืองขอนแก่น",
            "ขอนแก่น",
            None,
            None,
            "1/6/2567",
            "เอกชน",
        ],
    ]
    for i, r in enumerate(rows, start=4):
        for j, v in enumerate(r, start=1):
            ws.cell(i, j, v)
    path = tmp_path / "projects.xlsx"
    book.save(path)
    return path


def test_xlsx_with_merged_header_rows(con, project_xlsx):
    report = import_file(con, "project", project_xlsx, good_rows=True)
    assert report.rows == 3 and report.stored == 2 and report.quarantined == 1
    assert report.refused[0]["row"] == 6 and report.refused[0]["reason_code"] == "bad_value"
    rows = {r["name"]: r for r in _stored(con, "baan_mankong_project", report.source)}
    rail = rows["บ้านมั่นคงชุมชนริมทางรถไฟ"]
    assert rail["tambon_pcode"] == "TH400101" and rail["stage"] == "construction"
    assert rail["landowner_type"] == "state_railway" and rail["households"] == 120
    assert rail["subsidy_baht"] == 3_600_000 and rail["loan_baht"] == 24_000_000
    assert rail["start_date"].date() == dt.date(2023, 5, 1)
    klong = rows["บ้านมั่นคงคลองเตย"]
    assert klong["tambon_pcode"].startswith("TH10") and klong["stage"] == "completed"
    assert klong["start_date"].date() == dt.date(2015, 1, 1)  # Excel serial 42005


# --- GeoJSON: swapped coordinates, self-intersection, outside Thailand ---------------------------


def _feature(geometry: dict, **props) -> dict:
    return {"type": "Feature", "geometry": geometry, "properties": props}


@pytest.fixture()
def land_geojson(tmp_path) -> Path:
    # Tambon ในเมือง, เมืองขอนแก่น (TH400101) lies around 102.83 E, 16.43 N
    square = [[[102.82, 16.42], [102.83, 16.42], [102.83, 16.43], [102.82, 16.43], [102.82, 16.42]]]
    bowtie = [[[102.82, 16.42], [102.83, 16.43], [102.83, 16.42], [102.82, 16.43], [102.82, 16.42]]]
    features = [
        _feature(
            {"type": "Polygon", "coordinates": square},
            community="ชุมชนหนองแวง",
            tenure="ไม่มั่นคง",
            households=40,
            tambon_pcode="TH400101",
        ),
        _feature(
            {"type": "Point", "coordinates": [16.425, 102.825]},
            community="ชุมชนสลับพิกัด",
            tenure="ถูกไล่รื้อ",
            households=25,
            tambon_pcode="TH400101",
        ),
        _feature(
            {"type": "Polygon", "coordinates": bowtie},
            community="ชุมชนรูปผีเสื้อ",
            tenure="ข้อพิพาท",
            households=12,
            tambon_pcode="400101",
        ),
        _feature(
            {"type": "Point", "coordinates": [139.69, 35.68]},
            community="ชุมชนนอกประเทศ",
            tenure="ไม่มั่นคง",
            households=5,
            tambon_pcode="TH400101",
        ),
        _feature(
            {"type": "Point", "coordinates": [100.5, 13.75]},
            community="ชุมชนผิดที่",
            tenure="ไม่มั่นคง",
            households=5,
            tambon_pcode="TH400101",
        ),
    ]
    path = tmp_path / "land.geojson"
    path.write_text(
        json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False),
        encoding="utf-8",
    )
    return path


def test_geojson_swapped_and_self_intersecting_are_repaired_and_reported(con, land_geojson):
    report = import_file(con, "land_case", land_geojson, good_rows=True)
    assert report.rows == 5 and report.stored == 3 and report.quarantined == 2
    assert {r["row"]: r["reason_code"] for r in report.refused} == {
        4: "outside_thailand",
        5: "location_mismatch",
    }
    repairs = {r["row"]: " ".join(r["repairs"]) for r in report.repairs}
    assert "swapped" in repairs[2] and "made valid" in repairs[3]
    rows = con.execute(
        """SELECT community, ST_X(ST_PointOnSurface(geom)), ST_IsValid(geom),
                                 ST_GeometryType(geom)::VARCHAR, tenure_status
                          FROM land_case WHERE source = ? ORDER BY id""",
        [report.source],
    ).fetchall()
    by_name = {r[0]: r[1:] for r in rows}
    assert by_name["ชุมชนสลับพิกัด"][0] == pytest.approx(102.825)
    assert by_name["ชุมชนรูปผีเสื้อ"][1:3] == (True, "MULTIPOLYGON")
    assert by_name["ชุมชนหนองแวง"][3] == "insecure"


def test_csv_coordinates_are_checked_in_bulk(con, tmp_path):
    path = tmp_path / "points.csv"
    path.write_text(
        "ชุมชน,สถานะที่ดิน,ละติจูด,ลองจิจูด\n"
        "ชุมชนถูกที่,ไม่มั่นคง,16.425,102.825\n"
        "ชุมชนสลับ,ไม่มั่นคง,102.825,16.425\n"
        "ชุมชนญี่ปุ่น,ไม่มั่นคง,35.68,139.69\n"
        "ชุมชนยูทีเอ็ม,ไม่มั่นคง,1817000,265000\n"
        "ชุมชนในทะเล,ไม่มั่นคง,10.0,103.0\n",
        encoding="utf-8",
    )
    report = import_file(con, "land_case", path, good_rows=True)
    assert {r["row"]: r["reason_code"] for r in report.refused} == {
        4: "outside_thailand",
        5: "projected_coordinates",
        6: "outside_tambons",
    }
    assert [r["row"] for r in report.repairs] == [3]
    stored = dict(
        con.execute(
            "SELECT community, tambon_pcode FROM land_case WHERE source = ?", [report.source]
        ).fetchall()
    )
    assert stored == {"ชุมชนถูกที่": "TH400101", "ชุมชนสลับ": "TH400101"}


# --- Shapefile without .cpg, text in cp874 ------------------------------------------------------


def test_shapefile_without_cpg_in_cp874(con, tmp_path):
    import geopandas as gpd
    import shapely

    frame = gpd.GeoDataFrame(
        {
            "name": ["กลุ่มออมทรัพย์บ้านโนนทัน", "เครือข่ายองค์กรชุมชนขอนแก่น"],
            "type": ["ออมทรัพย์", "เครือข่าย"],
            "members": [55, 12],
        },
        geometry=[shapely.Point(102.84, 16.44), shapely.Point(102.83, 16.43)],
        crs=4326,
    )
    path = tmp_path / "orgs.shp"
    frame.to_file(path, encoding="cp874")
    for extra in tmp_path.glob("orgs.cpg"):
        extra.unlink()
    report = import_file(con, "organization", path)
    assert report.status == "committed" and report.stored == 2
    assert report.encoding == "cp874"
    rows = _stored(con, "community_org", report.source)
    assert {r["name"] for r in rows} == set(frame["name"])
    assert {r["org_type"] for r in rows} == {"savings_group", "network"}
    assert all(r["tambon_pcode"].startswith("TH40") for r in rows)  # found by location


def test_geopackage_in_utm_and_zipped_shapefile(con, tmp_path):
    import geopandas as gpd
    import shapely

    square = shapely.box(102.82, 16.42, 102.83, 16.43)
    frame = gpd.GeoDataFrame(
        {"ชื่อโครงการ": ["บ้านมั่นคงหนองแวง"], "ขั้นตอน": ["ก่อสร้าง"], "ครัวเรือน": [80]},
        geometry=[square],
        crs=4326,
    ).to_crs(32648)
    gpkg = tmp_path / "projects.gpkg"
    frame.to_file(gpkg, driver="GPKG")
    report = import_file(con, "project", gpkg)
    assert report.stored == 1 and any("EPSG:32648" in n for n in report.notes)
    area = con.execute(
        "SELECT tambon_pcode, ST_Area(geom) FROM baan_mankong_project WHERE source = 'projects'"
    ).fetchone()
    assert area[0] == "TH400101" and area[1] == pytest.approx(square.area, rel=1e-3)

    shp_dir = tmp_path / "shp"
    shp_dir.mkdir()
    # DBF field names hold 10 bytes: real shapefiles carry short English names
    english = frame.to_crs(4326).rename(
        columns={"ชื่อโครงการ": "name", "ขั้นตอน": "stage", "ครัวเรือน": "households"}
    )
    english.to_file(shp_dir / "projects_shp.shp", encoding="utf-8")
    zipped = tmp_path / "projects_shp.zip"
    with zipfile.ZipFile(zipped, "w") as archive:
        for part in shp_dir.iterdir():
            archive.write(part, part.name)
    report = import_file(con, "project", zipped)
    assert report.stored == 1 and report.inserted == 1


# --- hostile and broken files ---------------------------------------------------------------------


def test_binary_file_named_csv_is_refused(con, tmp_path):
    path = tmp_path / "orgs.csv"
    path.write_bytes(b"\x7fELF\x02\x01\x01" + bytes(range(256)) * 20)
    with pytest.raises(ImportFileError, match="program"):
        import_file(con, "organization", path)
    png = tmp_path / "photo.csv"
    png.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 100)
    with pytest.raises(ImportFileError, match="PNG"):
        import_file(con, "organization", png)


def test_unsure_encoding_is_refused_not_guessed(con, tmp_path):
    path = tmp_path / "latin.csv"
    # Latin-1 accents decode as cp874 into Thai marks with no consonant: nonsense, refused
    path.write_bytes("name,tambon\nCafé résumé naïve,ท\n".encode("latin-1", errors="replace"))
    with pytest.raises(ImportFileError, match="encoding"):
        import_file(con, "organization", path)


def test_utf16_and_utf8_bom_csv_are_read(con, tmp_path):
    text = "ชื่อกลุ่ม,รหัสตำบล\nกลุ่มออมทรัพย์บ้านโนนทัน,TH400101\n"
    for encoding in ("utf-16", "utf-8-sig"):
        path = tmp_path / f"orgs_{encoding}.csv"
        path.write_bytes(text.encode(encoding))
        report = import_file(con, "organization", path)
        assert report.stored == 1, encoding


def test_zip_bomb_xlsx_is_refused(con, tmp_path):
    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\x00" * (60 * 1024 * 1024))
    with pytest.raises(ImportFileError, match="zip bomb"):
        import_file(con, "organization", path)


def test_xml_entity_bomb_xlsx_is_refused(con, tmp_path, project_xlsx):
    bomb = (
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        '<sheetData><row><c t="inlineStr"><is><t>&lol2;</t></is></c></row></sheetData>'
        "</worksheet>"
    )
    path = tmp_path / "entities.xlsx"
    with zipfile.ZipFile(project_xlsx) as src, zipfile.ZipFile(path, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = bomb.encode()
            dst.writestr(item, data)
    with pytest.raises(ImportFileError, match=r"XML bomb|unsafe"):
        import_file(con, "project", path)


def test_oversized_file_is_refused(con, org_csv, monkeypatch):
    import data.importers.safety as safety

    monkeypatch.setattr(safety, "MAX_FILE_BYTES", 100)
    with pytest.raises(ImportFileError, match="limit"):
        import_file(con, "organization", org_csv)


def test_file_without_known_headers_or_required_columns_is_refused(con, tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("a,b,c\n1,2,3\n", encoding="utf-8")
    with pytest.raises(ImportFileError, match="header"):
        import_file(con, "organization", path)
    path.write_text("รหัสตำบล,จำนวนครัวเรือน\nTH400101,3\n", encoding="utf-8")
    with pytest.raises(ImportFileError, match="required column"):
        import_file(con, "project", path)
    assert con.execute("SELECT count(*) FROM import_batch WHERE mode <> 'demo'").fetchone()[0] == 0


def test_pcode_and_names_that_disagree_are_quarantined(con, tmp_path):
    path = tmp_path / "councils.csv"
    path.write_text(
        "รหัสตำบล,ตำบล,อำเภอ,จังหวัด,วันที่จัดตั้ง\n"
        "TH400101,ในเมือง,เมืองขอนแก่น,ขอนแก่น,1 ก.ค. 2551\n"
        "TH100101,ในเมือง,เมืองขอนแก่น,ขอนแก่น,1 ก.ค. 2551\n"
        "TH999999,,,,1 ก.ค. 2551\n",
        encoding="utf-8",
    )
    report = import_file(con, "council", path, good_rows=True)
    assert {r["row"]: r["reason_code"] for r in report.refused} == {
        3: "place_conflict",
        4: "unknown_pcode",
    }
    assert report.stored == 1
    established = con.execute(
        "SELECT established_date FROM tambon_council WHERE source = ?", [report.source]
    ).fetchone()[0]
    assert established == dt.date(2008, 7, 1)


def test_a_coordinator_imports_only_inside_their_area(con, tmp_path):
    path = tmp_path / "bkk_councils.csv"
    path.write_text(
        "รหัสตำบล,วันที่จัดตั้ง\nTH100101,1 ก.ค. 2551\nTH400101,1 ก.ค. 2551\n", encoding="utf-8"
    )
    report = import_file(con, "council", path, good_rows=True, scope="TH10", actor="coord_bkk")
    assert report.stored == 1
    assert [(r["row"], r["reason_code"]) for r in report.refused] == [(3, "outside_scope")]
    qid = int(list_quarantine(con, actor="coord_bkk")["id"].iloc[0])
    still = resubmit(con, qid, scope="TH10")
    assert still.refused[0]["reason_code"] == "outside_scope"
    assert list_quarantine(con, actor="someone_else").empty


def test_imported_text_reaches_the_map_escaped(con, tmp_path):
    from geo.layers import Scope, layers
    from geo.mapping import popup_html

    path = tmp_path / "hostile.csv"
    path.write_text(
        "ชื่อกลุ่ม,ผลิตภัณฑ์,รหัสตำบล,ละติจูด,ลองจิจูด\n"
        '"<script>alert(1)</script>","<img src=x onerror=alert(2)>",TH400101,16.425,102.825\n',
        encoding="utf-8",
    )
    assert import_file(con, "organization", path).stored == 1
    layer = layers()["community_orgs"]
    rows = layer.query(con, Scope("TH4001"), None)
    row = rows[rows["name"] == "<script>alert(1)</script>"].iloc[0].to_dict()
    assert row["data_note"] == "hostile"  # imported, not demo: the source is shown
    html = popup_html(layer, row)
    assert "<script>" not in html and "<img" not in html
    assert "&lt;script&gt;" in html


# --- CLI and docs ---------------------------------------------------------------------------------


def test_cli_prints_summary_and_fails_on_a_refused_file(db_copy, org_csv, capsys):
    from data.__main__ import main

    code = main(["import", "organization", str(org_csv), "--db", str(db_copy)])
    out = capsys.readouterr()
    assert code == 2 and "nothing was imported" in out.err
    summary = json.loads(out.out)
    assert summary["status"] == "refused" and summary["quarantined"] == 4
    code = main(["import", "organization", str(org_csv), "--db", str(db_copy), "--good-rows"])
    summary = json.loads(capsys.readouterr().out)
    assert code == 0 and summary["taken"] == 3 and summary["inserted"] == 3


def test_header_doc_is_current():
    from data.importers.fields import markdown

    doc = Path(__file__).resolve().parent.parent / "docs" / "import-headers.md"
    assert doc.read_text(encoding="utf-8") == markdown(), (
        "run: python -m data.importers.fields > docs/import-headers.md"
    )
