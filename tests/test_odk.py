"""The housing-need form as an XLSForm, and KoboToolbox / ODK Central exports of it imported.

The form passes pyxform (what KoboToolbox and ODK Central run on upload). The exports are
written here in each tool's shape: KoboToolbox ("/" between groups, ``_uuid``,
``_submission_time``, ``meta/instanceID``, Thai labels as answers, geopoint text plus
``_<q>_latitude`` columns, ";"-separated CSV) and ODK Central ("-" between groups, ``KEY``,
``SubmissionDate``, geopoint split into ``-Latitude``/``-Longitude`` columns, choice names),
as CSV and XLSX, each with a geoshape, a bad geopoint and a duplicate submission.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
from xml.etree import ElementTree

import openpyxl
import pytest

from data import need_reports as nr
from data.forms import need_form
from data.forms.xlsform import xlsform_bytes
from data.importers import list_quarantine, odk, resubmit
from data.importers import odk_answers as answers
from data.importers.odk_store import import_submissions

# Si Phum (TH500101), Chiang Mai: a point; Pathum Wan (TH100703), Bangkok: an area.
CNX = (18.79, 98.985)
BKK_RING = [(13.730, 100.530), (13.730, 100.535), (13.735, 100.535), (13.735, 100.530)]

KOBO_HEADERS = [
    "start", "end", "community/community_name", "community/households", "community/problems",
    "community/problems/eviction", "community/problems/insecure_tenure",
    "community/problems/dilapidated", "community/problems/disaster_risk",
    "community/problems/rent", "community/problems/other", "community/landowner",
    "community/urgency", "community/description", "location/location_kind", "location/point",
    "_location/point_latitude", "_location/point_longitude", "_location/point_altitude",
    "_location/point_precision", "location/area", "contact/contact_name",
    "contact/contact_phone", "contact/contact_note", "__version__", "meta/instanceID", "_id",
    "_uuid", "_submission_time", "_validation_status", "_notes", "_status", "_submitted_by",
    "_tags", "_index",
]  # fmt: skip
CENTRAL_HEADERS = [
    "SubmissionDate", "start", "end", "community-community_name", "community-households",
    "community-problems", "community-landowner", "community-urgency", "community-description",
    "location-location_kind", "location-point-Latitude", "location-point-Longitude",
    "location-point-Altitude", "location-point-Accuracy", "location-area",
    "contact-contact_name", "contact-contact_phone", "contact-contact_note",
    "meta-instanceID", "KEY", "SubmitterID", "SubmitterName", "AttachmentsPresent",
    "AttachmentsExpected", "Status", "ReviewState", "DeviceID", "Edits", "FormVersion",
]  # fmt: skip


def geoshape(ring, close=True) -> str:
    points = [*ring, ring[0]] if close else list(ring)
    return ";".join(f"{lat} {lon} 2.5 4.9" for lat, lon in points)


def kobo_rows(prefix: str) -> list[dict]:
    """Four submissions as KoboToolbox exports them with Thai labels as answers."""
    base = {
        "start": "2026-11-30T09:00:00.000+07:00",
        "end": "2026-11-30T09:20:00.000+07:00",
        "__version__": "vc7ecc",
        "_status": "submitted_via_web",
    }
    point = {
        **base,
        "community/community_name": "ชุมชนริมคลองแม่ข่า",
        "community/households": "35",
        "community/problems": "ถูกไล่รื้อ / เสี่ยงถูกไล่ที่ บ้านทรุดโทรม",
        "community/problems/eviction": "1",
        "community/problems/dilapidated": "1",
        "community/landowner": "ที่ราชพัสดุ (กรมธนารักษ์)",
        "community/urgency": "เร่งด่วนมาก",
        "community/description": "น้ำท่วมทุกปี ต้องการที่อยู่ใหม่",
        "location/location_kind": "ปักหมุดตำแหน่งชุมชน",
        "location/point": f"{CNX[0]} {CNX[1]} 310.0 4.8",
        "_location/point_latitude": str(CNX[0]),
        "_location/point_longitude": str(CNX[1]),
        "contact/contact_name": "คุณสมศรี",
        "contact/contact_phone": "081-234-5678",
        "meta/instanceID": f"uuid:{prefix}-0001-4000-8000-000000000001",
        "_uuid": f"{prefix}-0001-4000-8000-000000000001",
        "_id": "101",
        "_submission_time": "2026-11-30T02:21:05",
    }
    area = {
        **base,
        "community/community_name": "ชุมชนบ่อนไก่",
        "community/households": "120",
        "community/problems": "ไม่มีความมั่นคงในการถือครองที่ดิน ค่าเช่าเกินกำลัง",
        "community/landowner": "การรถไฟแห่งประเทศไทย",
        "community/urgency": "เร่งด่วน",
        "location/location_kind": "วาดขอบเขตพื้นที่ชุมชน",
        "location/area": geoshape(BKK_RING),
        "meta/instanceID": f"uuid:{prefix}-0002-4000-8000-000000000002",
        "_uuid": f"{prefix}-0002-4000-8000-000000000002",
        "_id": "102",
        "_submission_time": "2026-11-30T03:00:00",
    }
    bad = dict(
        point,
        **{
            "location/point": "18.79 abc",
            "_location/point_latitude": "",
            "_location/point_longitude": "",
            "meta/instanceID": f"uuid:{prefix}-0003-4000-8000-000000000003",
            "_uuid": f"{prefix}-0003-4000-8000-000000000003",
            "_id": "103",
        },
    )
    return [point, area, bad, dict(point)]  # the last one: the same submission twice


def central_rows(prefix: str) -> list[dict]:
    """Four submissions as ODK Central exports them (choice names, split geopoint)."""
    point = {
        "SubmissionDate": "2026-11-30T02:21:05.123Z",
        "community-community_name": "ชุมชนวัดเกต",
        "community-households": "18",
        "community-problems": "eviction disaster_risk",
        "community-landowner": "temple",
        "community-urgency": "high",
        "community-description": "ริมแม่น้ำปิง",
        "location-location_kind": "point",
        "location-point-Latitude": str(CNX[0]),
        "location-point-Longitude": str(CNX[1]),
        "location-point-Altitude": "305.1",
        "location-point-Accuracy": "3.9",
        "meta-instanceID": f"uuid:{prefix}-0001-4000-8000-00000000000a",
        "KEY": f"uuid:{prefix}-0001-4000-8000-00000000000a",
        "SubmitterName": "enumerator1",
        "ReviewState": "",
        "Edits": "0",
    }
    area = dict(
        point,
        **{
            "community-community_name": "ชุมชนริมทางรถไฟ",
            "community-households": "64",
            "community-problems": "insecure_tenure",
            "community-landowner": "state_railway",
            "community-urgency": "medium",
            "location-location_kind": "area",
            "location-point-Latitude": "",
            "location-point-Longitude": "",
            "location-area": geoshape(BKK_RING, close=False),  # some tools leave it open
            "meta-instanceID": f"uuid:{prefix}-0002-4000-8000-00000000000b",
            "KEY": f"uuid:{prefix}-0002-4000-8000-00000000000b",
        },
    )
    bad = dict(
        point,
        **{
            "location-point-Latitude": "18,79x",
            "meta-instanceID": f"uuid:{prefix}-0003-4000-8000-00000000000c",
            "KEY": f"uuid:{prefix}-0003-4000-8000-00000000000c",
        },
    )
    return [point, area, bad, dict(point)]


def write_csv(path, headers, rows, delimiter=","):
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh, delimiter=delimiter, quoting=csv.QUOTE_ALL)
        writer.writerow(headers)
        for row in rows:
            writer.writerow([row.get(h, "") for h in headers])
    return path


def write_xlsx(path, headers, rows, sheet="need_report"):
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = sheet
    ws.append(headers)
    for row in rows:
        cells = [row.get(h, "") for h in headers]
        ws.append(
            [int(c) if isinstance(c, str) and c.isdigit() and len(c) < 6 else c for c in cells]
        )
    book.save(path)
    return path


SHAPES = {
    "kobo_csv": lambda p, pre: write_csv(p / "kobo.csv", KOBO_HEADERS, kobo_rows(pre), ";"),
    "kobo_xlsx": lambda p, pre: write_xlsx(p / "kobo.xlsx", KOBO_HEADERS, kobo_rows(pre)),
    "central_csv": lambda p, pre: write_csv(p / "central.csv", CENTRAL_HEADERS, central_rows(pre)),
    "central_xlsx": lambda p, pre: write_xlsx(
        p / "central.xlsx", CENTRAL_HEADERS, central_rows(pre)
    ),
}


def imported(con, prefix: str):
    return con.execute(
        "SELECT r.id, r.receipt, r.form_id, s.instance_id, s.source, r.tambon_pcode, r.status, "
        "r.households, r.problems, r.landowner, r.urgency, r.community_name, "
        "ST_GeometryType(r.geom), r.repairs, s.collected_at FROM need_report r "
        "JOIN need_report_submission s ON s.report_id = r.id "
        "WHERE s.submission_key LIKE ? ORDER BY s.submission_key",
        [f"{prefix}%"],
    ).fetchall()


# --- the form ---------------------------------------------------------------------------------


def test_the_xlsform_converts_with_pyxform():
    from pyxform.xls2xform import convert

    warnings: list[str] = []
    result = convert(xlsform=io.BytesIO(xlsform_bytes()), warnings=warnings, file_type=".xlsx")
    xform = result.xform
    assert warnings == []
    assert f'id="{need_form.FORM_ID}"' in xform
    assert 'type="geopoint"' in xform and 'type="geoshape"' in xform
    assert 'lang="Thai (th)" default="true()"' in xform and 'lang="English (en)"' in xform
    # every code the server accepts is a choice, and nothing else
    for codes in (nr.PROBLEMS, nr.LANDOWNERS, nr.URGENCIES):
        for code, (th, en) in codes.items():
            assert f"<name>{code}</name>" in xform
            assert th in xform and en in xform
    assert xform.count("<item>") == sum(len(c) for c in need_form.CHOICES.values())
    # the server's limits are the form's constraints
    assert "&lt;= 10000" in xform and "area(.) &lt;= 20000000" in xform
    assert "regex(., '^[0-9+() -]{6,20}$')" in xform
    binds = {
        b.get("nodeset").rsplit("/", 1)[-1]: b.attrib
        for b in ElementTree.fromstring(xform).iter("{http://www.w3.org/2002/xforms}bind")
    }
    required = {n for n, a in binds.items() if a.get("required") == "true()"}
    assert required == {"community_name", "households", "problems", "landowner", "urgency",
                        "location_kind", "point", "area"}  # fmt: skip
    assert binds["point"]["type"] == "geopoint" and binds["area"]["type"] == "geoshape"
    assert "'area'" in binds["area"]["relevant"] and "'point'" in binds["point"]["relevant"]


def test_the_cli_writes_the_xlsform(tmp_path, capsys):
    from data.__main__ import main

    out = tmp_path / "form.xlsx"
    assert main(["forms", "xlsform", "need_report", "--out", str(out)]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["path"] == str(out) and summary["bytes"] == out.stat().st_size
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["survey", "choices", "settings"]
    header = [c.value for c in book["survey"][1]]
    assert "label::Thai (th)" in header and "label::English (en)" in header
    names = [r[1] for r in book["survey"].iter_rows(min_row=2, values_only=True)]
    assert {"community_name", "households", "problems", "point", "area"} <= set(names)


# --- reading exports (pure) -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "target"),
    [
        ("community/households", ("answer", "households")),
        ("community-households", ("answer", "households")),
        ("households", ("answer", "households")),
        ("จำนวนครัวเรือนที่เดือดร้อน", ("answer", "households")),
        ("ชุมชน/ชื่อชุมชน", ("answer", "community_name")),
        ("_uuid", ("meta", "uuid")),
        ("meta/instanceID", ("meta", "instance")),
        ("meta-instanceID", ("meta", "instance")),
        ("KEY", ("meta", "key")),
        ("_submission_time", ("meta", "submitted")),
        ("SubmissionDate", ("meta", "submitted")),
        ("community/problems/eviction", ("choice", "problems", "eviction")),
        ("_location/point_latitude", ("point", "point", "lat")),
        ("location-point-Longitude", ("point", "point", "lon")),
        ("_id", None),
        ("location-point-Accuracy", None),
        ("other/households", None),
    ],
)
def test_column_names_of_both_tools(header, target):
    assert odk.map_header(header) == target


def test_geopoint_and_geoshape_text_are_latitude_first():
    assert answers.parse_geopoint("18.79 98.985 310.0 4.8") == (98.985, 18.79)
    assert answers.parse_geopoint("18.79 98.985") == (98.985, 18.79)
    ring = answers.parse_geoshape(geoshape(BKK_RING, close=False))
    assert ring[0] == ring[-1] == (100.530, 13.730) and len(ring) == 5
    assert answers.parse_geoshape(geoshape(BKK_RING)) == ring  # a closed ring stays as it was
    for bad in ("18.79 abc", "18.79", "1 2 3 4 5", "nan 98.9", "13.7 100.5;13.8 100.6"):
        with pytest.raises(ValueError):
            (answers.parse_geoshape if ";" in bad else answers.parse_geopoint)(bad)


def test_choices_as_names_or_thai_and_english_labels():
    many = answers.parse_select_multiple
    assert many("problems", "eviction dilapidated") == (["dilapidated", "eviction"], None)
    assert many("problems", "ถูกไล่รื้อ / เสี่ยงถูกไล่ที่ บ้านทรุดโทรม")[0] == ["dilapidated", "eviction"]
    assert many("problems", "Eviction threat; Rent beyond means")[0] == ["eviction", "rent"]
    codes, problem = many("problems", "eviction flood")
    assert codes == [] and problem.code == "bad_choice" and "flood" in problem.message
    assert answers.parse_select_one("urgency", "เร่งด่วนมาก") == ("high", None)
    assert answers.parse_select_one("landowner", "Treasury") == ("treasury", None)
    assert answers.parse_select_one("landowner", "ทรัพย์สินส่วนพระมหากษัตริย์")[0] == "crown_property"
    assert answers.parse_select_one("urgency", "soon")[1].code == "bad_choice"


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_exports_read_in_each_shape(tmp_path, shape):
    table = odk.read_export(SHAPES[shape](tmp_path, "abcdef01"))
    assert table.tool == ("kobo" if shape.startswith("kobo") else "odk_central")
    assert len(table.submissions) == 4
    first = table.submissions[0]
    assert first.key == "abcdef01-0001-4000-8000-00000000000" + ("1" if "kobo" in shape else "a")
    form, problems = answers.to_need_form(first)
    assert problems == [] and form.geometry == {"type": "Point", "coordinates": [98.985, 18.79]}
    assert form.form_id == "odk-" + first.key
    area, _ = answers.to_need_form(table.submissions[1])
    assert area.geometry["type"] == "Polygon"
    assert area.geometry["coordinates"][0][0] == [100.530, 13.730] or tuple(
        area.geometry["coordinates"][0][0]
    ) == (100.530, 13.730)
    _, problems = answers.to_need_form(table.submissions[2])
    assert [p.code for p in problems] == ["bad_geopoint"]


# --- importing into the real database ---------------------------------------------------------


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_import_stores_once_and_quarantines_the_bad_row(con, tmp_path, shape):
    prefix = {"kobo_csv": "aa", "kobo_xlsx": "bb", "central_csv": "cc", "central_xlsx": "dd"}[
        shape
    ] + "0dd1e5"
    path = SHAPES[shape](tmp_path, prefix)
    before = con.execute("SELECT count(*) FROM need_report").fetchone()[0]
    report = import_submissions(con, path, actor="coordinator")
    assert (report.rows, report.inserted, report.unchanged, report.quarantined) == (4, 2, 1, 1)
    assert report.status == "partial"
    assert con.execute("SELECT count(*) FROM need_report").fetchone()[0] == before + 2
    rows = imported(con, prefix)
    assert [r[5] for r in rows] == ["TH500101", "TH100703"]  # tambon from the location
    assert [r[12] for r in rows] == ["POINT", "POLYGON"]
    assert all(r[6] == "pending" for r in rows) and all(r[13] == [] for r in rows)  # no swap
    assert rows[0][4] == ("kobo" if "kobo" in shape else "odk_central")
    assert rows[0][14] is not None  # collected_at from the submission time
    if "kobo" in shape:
        assert rows[0][8] == ["dilapidated", "eviction"] and rows[0][9] == "treasury"
        assert rows[0][10] == "high" and rows[0][11] == "ชุมชนริมคลองแม่ข่า"
        contact = con.execute(
            "SELECT name, phone FROM need_contact WHERE report_id = ?", [rows[0][0]]
        ).fetchone()
        assert contact == ("คุณสมศรี", "081-234-5678")
    # the bad row waits in the quarantine with its reason and its cells
    q = list_quarantine(con, kind="need_report")
    assert len(q) == 1 and q.iloc[0]["reason_code"] == "bad_geopoint"
    assert q.iloc[0]["source_id"] == f"{prefix}-0003-4000-8000-00000000000" + (
        "3" if "kobo" in shape else "c"
    )
    assert "ละติจูด" in q.iloc[0]["reason_th"] and q.iloc[0]["raw"]
    # and the reports are in the verify queue
    queue = nr.queue(con, None, limit=10**6)
    assert {r[1] for r in rows} <= set(queue["receipt"])


def test_reimport_updates_instead_of_duplicating(con, tmp_path):
    prefix = "ee0dd1e5"
    path = SHAPES["kobo_csv"](tmp_path, prefix)
    import_submissions(con, path, actor="coordinator")
    ids = [r[0] for r in imported(con, prefix)]
    again = import_submissions(con, path, actor="coordinator")
    assert (again.inserted, again.updated, again.unchanged) == (0, 0, 3)
    # the same submissions as XLSX: still the same reports
    xlsx = import_submissions(con, SHAPES["kobo_xlsx"](tmp_path, prefix))
    assert (xlsx.inserted, xlsx.updated) == (0, 0)
    # the first import's quarantined row was superseded by the re-import's, not duplicated
    q = list_quarantine(con, status=None, kind="need_report")
    assert sorted(q["status"]) == ["open", "superseded", "superseded"]
    # an edited submission (more households) updates its report, with an audit row
    rows = kobo_rows(prefix)
    rows[0]["community/households"] = rows[3]["community/households"] = "41"
    import_submissions(con, write_csv(tmp_path / "edited.csv", KOBO_HEADERS, rows, ";"))
    now = imported(con, prefix)
    assert [r[0] for r in now] == ids and now[0][7] == 41
    history = con.execute(
        "SELECT before::VARCHAR, after::VARCHAR FROM audit_log WHERE table_name = 'need_report' "
        "AND record_id = ? AND action = 'update'",
        [str(ids[0])],
    ).fetchall()
    assert len(history) == 1 and '"households":35' in history[0][0].replace(" ", "")


def test_an_edit_of_a_decided_report_is_quarantined(con, tmp_path):
    prefix = "ff0dd1e5"
    rows = kobo_rows(prefix)[:2]
    import_submissions(con, write_csv(tmp_path / "a.csv", KOBO_HEADERS, rows, ";"))
    report_id = imported(con, prefix)[0][0]
    nr.decide(
        con, report_id, "verify", nr.Actor("coordinator", "coordinator"), expected_status="pending"
    )
    rows[0]["community/households"] = "99"
    result = import_submissions(con, write_csv(tmp_path / "b.csv", KOBO_HEADERS, rows, ";"))
    assert (result.quarantined, result.unchanged, result.updated) == (1, 1, 0)
    assert result.refused[0]["reason_code"] == "already_decided"
    assert con.execute(
        "SELECT households, status FROM need_report WHERE id = ?", [report_id]
    ).fetchone() == (35, "verified")


def test_outside_the_coordinators_area_is_quarantined(con, tmp_path):
    prefix = "110dd1e5"
    path = SHAPES["central_csv"](tmp_path, prefix)
    report = import_submissions(con, path, actor="coord_bkk", scope="TH10")
    codes = sorted(r["reason_code"] for r in report.refused)
    assert codes == ["bad_geopoint", "outside_scope", "outside_scope"]
    assert [r[5] for r in imported(con, prefix)] == ["TH100703"]


def test_a_quarantined_submission_is_fixed_on_the_import_page(con, tmp_path):
    prefix = "220dd1e5"
    import_submissions(con, SHAPES["kobo_csv"](tmp_path, prefix), actor="coordinator")
    q = list_quarantine(con, kind="need_report").iloc[0]
    still = resubmit(con, int(q["id"]), edits={"location/point": "18.79 98.98x"})
    assert still.status == "refused" and still.refused[0]["reason_code"] == "bad_geopoint"
    assert len(imported(con, prefix)) == 2  # nothing changed
    fixed = resubmit(
        con, int(q["id"]), edits={"location/point": "18.791 98.986 0 5"}, actor="coordinator"
    )
    assert fixed.status == "committed" and fixed.inserted == 1
    assert len(imported(con, prefix)) == 3
    row = con.execute(
        "SELECT status, resolved_table, resolved_record_id FROM quarantine WHERE id = ?",
        [int(q["id"])],
    ).fetchone()
    assert row[0] == "fixed" and row[1] == "need_report" and row[2] == imported(con, prefix)[2][0]


def test_the_cli_imports_an_export(db_copy, tmp_path, capsys):
    from data.__main__ import main

    path = SHAPES["central_xlsx"](tmp_path, "330dd1e5")
    assert main(["import", "need_report", str(path), "--db", str(db_copy)]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert (summary["inserted"], summary["unchanged"], summary["quarantined"]) == (2, 1, 1)
    assert summary["refused"][0]["reason_code"] == "bad_geopoint"
    with contextlib.suppress(SystemExit):
        assert main(["import", "need_report", str(path), "--db", str(db_copy)]) == 0
    assert json.loads(capsys.readouterr().out)["inserted"] == 0


def test_a_file_that_is_not_an_export_is_refused(con, tmp_path):
    from data.importers.errors import ImportFileError

    path = write_csv(tmp_path / "orgs.csv", ["ชื่อกลุ่ม", "ตำบล"], [{"ชื่อกลุ่ม": "x", "ตำบล": "y"}])
    with pytest.raises(ImportFileError) as caught:
        import_submissions(con, path)
    assert "orgs.csv" in caught.value.message and "need_report" in caught.value.message


def test_a_geojson_export_reads_its_properties_and_geometry(tmp_path):
    """Kobo's GeoJSON export: the chosen geo question as the feature's geometry (lon, lat)
    and the answers as properties; a feature without ``_uuid`` is known by its ``id``."""
    rows = kobo_rows("44aa0001")
    features = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [CNX[1], CNX[0], 310.0]},
            "properties": {k: v for k, v in rows[0].items() if not k.startswith("_location")},
        },
        {
            "type": "Feature",
            "id": "uuid:44aa0001-0009-4000-8000-000000000009",
            "geometry": {"type": "Point", "coordinates": [100.532, 13.732]},
            "properties": {
                "community/community_name": "ชุมชนที่ไม่มีข้อความพิกัด",
                "community/households": 7,
                "community/problems": ["rent"],
                "community/urgency": "low",
            },
        },
    ]
    path = tmp_path / "kobo.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}), "utf-8")
    table = odk.read_export(path)
    assert table.format == "geojson" and len(table.submissions) == 2
    first, second = (answers.to_need_form(s)[0] for s in table.submissions)
    assert first.geometry == {"type": "Point", "coordinates": [98.985, 18.79]}
    assert second.form_id == "odk-44aa0001-0009-4000-8000-000000000009"
    assert second.geometry["coordinates"] == [100.532, 13.732]  # the feature's own geometry
    assert second.problems == ["rent"] and second.households == "7"
    assert table.submissions[1].raw["_geometry_wkt"].startswith("POINT")


def test_exports_are_held_to_the_importers_limits(tmp_path, monkeypatch):
    from data.importers.errors import ImportFileError

    path = SHAPES["kobo_csv"](tmp_path, "55aa0001")
    monkeypatch.setenv("PHANG_IMPORT_MAX_ROWS", "3")
    with pytest.raises(ImportFileError) as caught:
        odk.read_export(path)
    assert "4 submissions" in caught.value.message and "3" in caught.value.message_th
    monkeypatch.delenv("PHANG_IMPORT_MAX_ROWS")
    # an XLSX whose XML declares an entity is refused before openpyxl reads it
    book = SHAPES["kobo_xlsx"](tmp_path, "55aa0002")
    hostile = tmp_path / "hostile.xlsx"
    import zipfile

    with zipfile.ZipFile(book) as src, zipfile.ZipFile(hostile, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(
                    b"<worksheet", b'<!DOCTYPE x [<!ENTITY e "boom">]><worksheet', 1
                )
            dst.writestr(info, data)
    with pytest.raises(ImportFileError) as caught:
        odk.read_export(hostile)
    assert "entities" in caught.value.message
