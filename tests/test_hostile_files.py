"""Hostile and broken files, written here, each refused or handled with a clear message in
Thai and English, without taking the importing process down (issue 12).

The files: an XLSX "dimension bomb" (one cell at XFD1048576), a row numbered past the last
row a sheet can have, a workbook that expands about 50 times, a "billion laughs" XML, a
zip bomb, a 200 MB CSV, random bytes named .csv, a multipolygon with parts in Bangkok and
Khon Kaen; plus a parser worker that runs out of memory or time, a need drawing over the
vertex cap, the work files of a killed process, and the import line.
"""

from __future__ import annotations

import os
import random
import re
import subprocess
import sys
import threading
import time
import zipfile
from pathlib import Path

import pytest

from data.importers import ImportFileError, import_file
from data.importers.limits import current_limits

ROOT = Path(__file__).resolve().parent.parent
MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def _assert_bilingual(exc: ImportFileError, *english: str) -> None:
    """A refusal names the problem in English and says it in Thai (no raw exception text)."""
    for word in english:
        assert word in exc.message, exc.message
    assert any("\u0e01" <= ch <= "\u0e5b" for ch in exc.message_th), exc.message_th
    assert exc.message_th != exc.message
    for raw in ("Traceback", "KeyError", "zipfile.", "ValueError:"):
        assert raw not in exc.message and raw not in exc.message_th


def _workbook(tmp_path: Path, name: str, edit=None) -> Path:
    """An organisation workbook (header + two good rows) whose sheet XML ``edit`` rewrites."""
    import openpyxl

    book = openpyxl.Workbook()
    ws = book.active
    ws.append(["ชื่อกลุ่ม", "รหัสตำบล"])
    ws.append(["กลุ่มออมทรัพย์บ้านโนนทัน", "TH400101"])
    ws.append(["กลุ่มสตรีบ้านโนนทัน", "TH400101"])
    plain = tmp_path / f"plain_{name}"
    book.save(plain)
    path = tmp_path / name
    with zipfile.ZipFile(plain) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml" and edit is not None:
                data = edit(data.decode("utf-8")).encode("utf-8")
            dst.writestr(item, data)
    return path


def _declare(xml: str, ref: str) -> str:
    start = xml.index("<dimension ref=")
    end = xml.index("/>", start) + 2
    return xml[:start] + f'<dimension ref="{ref}"/>' + xml[end:]


def _stray_cell(xml: str, ref: str, row: int) -> str:
    cell = f'<row r="{row}"><c r="{ref}" t="inlineStr"><is><t>x</t></is></c></row>'
    return xml.replace("</sheetData>", cell + "</sheetData>")


# --- XLSX ------------------------------------------------------------------------------------


def test_a_declared_dimension_bomb_is_not_walked(con, tmp_path):
    """A1:XFD1048576 declared over two real rows: the rows are read, nothing else."""
    path = _workbook(tmp_path, "declared.xlsx", lambda x: _declare(x, "A1:XFD1048576"))
    assert path.stat().st_size < 10_000
    started = time.perf_counter()
    report = import_file(con, "organization", path)
    assert report.rows == 2 and report.stored == 2
    assert any("XFD1048576" in n and "not used" in n for n in report.notes)
    assert time.perf_counter() - started < 120  # walking 17 billion cells would never end


def test_a_cell_at_xfd1048576_is_refused(con, tmp_path):
    path = _workbook(
        tmp_path,
        "bomb.xlsx",
        lambda x: _stray_cell(_declare(x, "A1:XFD1048576"), "XFD1048576", 1048576),
    )
    assert path.stat().st_size < 10_000
    with pytest.raises(ImportFileError) as err:
        import_file(con, "organization", path)
    _assert_bilingual(err.value, "16,384 columns", "limit")
    assert con.execute("SELECT count(*) FROM import_batch WHERE mode <> 'demo'").fetchone()[0] == 0


def test_a_row_past_the_last_sheet_row_is_refused(con, tmp_path):
    path = _workbook(tmp_path, "row.xlsx", lambda x: _stray_cell(x, "A1048577", 1048577))
    with pytest.raises(ImportFileError) as err:
        import_file(con, "organization", path)
    _assert_bilingual(err.value, "1,048,577", "damaged or crafted")


def _expanding_workbook(tmp_path: Path) -> Path:
    """About 4.5 MB that expands about 50 times: 1.2 million rows of eight cells."""
    path = _workbook(tmp_path, "expanding.xlsx")
    rows = 1_250_000
    cells = '<c t="inlineStr"><is><t>กลุ่ม</t></is></c>' + "<c><v>7</v></c>" * 7
    out = tmp_path / "expanding_big.xlsx"
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            if item.filename != "xl/worksheets/sheet1.xml":
                dst.writestr(item, src.read(item.filename))
                continue
            member = zipfile.ZipInfo(item.filename)
            member.compress_type = zipfile.ZIP_DEFLATED
            with dst.open(member, "w", force_zip64=True) as fh:
                fh.write(f'<worksheet xmlns="{MAIN_NS}"><sheetData>'.encode())
                for start in range(1, rows + 1, 50_000):
                    block = "".join(
                        f'<row r="{r}">{cells}</row>' for r in range(start, start + 50_000)
                    )
                    fh.write(block.encode())
                fh.write(b"</sheetData></worksheet>")
    return out


def test_a_workbook_expanding_fifty_times_is_refused_before_parsing(con, tmp_path):
    path = _expanding_workbook(tmp_path)
    with zipfile.ZipFile(path) as z:
        info = z.getinfo("xl/worksheets/sheet1.xml")
        ratio = info.file_size / path.stat().st_size
    assert 3e6 < path.stat().st_size < 8e6 and 35 < ratio < 80, (path.stat().st_size, ratio)
    with pytest.raises(ImportFileError) as err:
        import_file(con, "organization", path)
    _assert_bilingual(err.value, "cells", f"{current_limits().max_cells:,}")


BILLION_LAUGHS = (
    '<?xml version="1.0"?>\n<!DOCTYPE lolz [\n <!ENTITY lol "lol">\n'
    + "".join(
        f' <!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">\n'
        for i in range(1, 10)
    )
    + f']>\n<worksheet xmlns="{MAIN_NS}"><sheetData><row r="1"><c r="A1" t="inlineStr">'
    "<is><t>&lol9;</t></is></c></row></sheetData></worksheet>"
)


def test_billion_laughs_is_refused(con, tmp_path):
    path = _workbook(tmp_path, "laughs.xlsx", lambda _x: BILLION_LAUGHS)
    with pytest.raises(ImportFileError) as err:
        import_file(con, "organization", path)
    _assert_bilingual(err.value, "entities", "XML bomb")


def test_billion_laughs_in_shared_strings_is_refused(con, tmp_path):
    path = _workbook(tmp_path, "plain.xlsx")
    laughs = tmp_path / "laughs_sst.xlsx"
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(laughs, "w") as dst:
        for item in src.infolist():
            dst.writestr(item, src.read(item.filename))
        dst.writestr("xl/sharedStrings.xml", BILLION_LAUGHS.replace("worksheet", "sst"))
    with pytest.raises(ImportFileError) as err:
        import_file(con, "organization", laughs)
    _assert_bilingual(err.value, "entities")


def test_a_zip_bomb_is_refused(con, tmp_path):
    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as fh:
            zeros = b"\x00" * (16 << 20)
            for _ in range(40):  # 640 MB of zeros in well under 1 MB
                fh.write(zeros)
    assert path.stat().st_size < 2_000_000
    with pytest.raises(ImportFileError) as err:
        import_file(con, "organization", path)
    _assert_bilingual(err.value, "zip bomb")


def test_a_damaged_workbook_gets_a_clear_message_not_a_parser_error(con, tmp_path):
    path = tmp_path / "damaged.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", f'<worksheet xmlns="{MAIN_NS}"/>')
    with pytest.raises(ImportFileError) as err:
        import_file(con, "organization", path)
    _assert_bilingual(err.value, "cannot be read")


# --- CSV -------------------------------------------------------------------------------------


def test_garbage_bytes_named_csv_are_refused(con, tmp_path):
    rnd = random.Random(7)
    path = tmp_path / "garbage.csv"
    path.write_bytes(bytes(rnd.randrange(256) for _ in range(200_000)))
    with pytest.raises(ImportFileError) as err:
        import_file(con, "organization", path)
    _assert_bilingual(err.value, "binary")
    # high bytes without a NUL: no encoding fits, so nothing is guessed
    path.write_bytes(bytes(rnd.randrange(0x80, 0x100) for _ in range(200_000)))
    with pytest.raises(ImportFileError) as err:
        import_file(con, "organization", path)
    _assert_bilingual(err.value, "encoding")


def _big_csv(path: Path, megabytes: float, words: int = 40) -> int:
    """An organisation CSV of ``megabytes`` MB: real tambon P-codes, unique ids, one bad
    row at the very end (so the worker must read it all and the check must find it)."""
    rows = 0
    line = "ORG{:09d},กลุ่มออมทรัพย์เพื่อการผลิต ทดสอบหน่วยความจำ {:09d},TH400101,{}\n"
    filler = "ผลิตภัณฑ์ชุมชน " * words
    with open(path, "w", encoding="utf-8") as fh:
        fh.write("รหัส,ชื่อกลุ่ม,รหัสตำบล,ผลิตภัณฑ์\n")
        target = megabytes * 1_000_000
        while fh.tell() < target:
            fh.write("".join(line.format(rows + i, rows + i, filler) for i in range(1000)))
            rows += 1000
        fh.write("ORGBAD,กลุ่มที่ไม่มีตำบล,TH999999,\n")
    return rows + 1


@pytest.mark.parametrize("megabytes", [200])
def test_a_200_mb_csv_is_parsed_in_bounded_memory(tmp_path, megabytes):
    """The worker streams the file: its peak memory stays far below the file's size."""
    from data.importers.isolation import parse_isolated
    from data.importers.limits import current_limits

    path = tmp_path / "big.csv"
    rows = _big_csv(path, megabytes)
    assert path.stat().st_size >= megabytes * 1_000_000
    job = tmp_path / "job"
    job.mkdir()
    parsed = parse_isolated(path, "organization", path.name, job, current_limits())
    assert parsed.rows == rows
    assert parsed.meta["peak_rss_mb"] < 400, parsed.meta["peak_rss_mb"]
    from data.importers.isolation import CHECK_ROWS

    last = None
    seen = 0
    for group in parsed.chunks():
        assert 0 < len(group.rows) <= CHECK_ROWS  # the importing process holds one group
        seen += len(group.rows)
        last = group
    assert seen == rows and last.rows[-1][0] == "ORGBAD"


def test_a_big_csv_import_keeps_every_row(con, tmp_path):
    """Past one group of rows (20,000): ids repeated across groups and a bad last row are
    still found, and the counts add up."""
    path = tmp_path / "orgs.csv"
    rows = _big_csv(path, 5, words=1)
    assert rows > 20_000  # several groups of 5,000 rows
    with open(path, "a", encoding="utf-8") as fh:
        fh.write("ORG000000005,กลุ่มซ้ำ,TH400101,\n")  # repeats a row of the first group
    report = import_file(con, "organization", path, good_rows=True)
    assert report.rows == rows + 1
    assert report.stored == rows - 1 and report.quarantined == 2
    codes = {r["reason_code"] for r in report.refused}
    assert codes == {"unknown_pcode", "duplicate_in_file"}
    stored = con.execute(
        "SELECT count(*) FROM community_org WHERE source = ?", [report.source]
    ).fetchone()[0]
    assert stored == report.stored


# --- the worker's limits --------------------------------------------------------------------


def test_a_worker_out_of_memory_gives_a_clear_message(con, tmp_path, monkeypatch):
    path = tmp_path / "orgs.csv"
    _big_csv(path, 5)
    monkeypatch.setenv("PHANG_IMPORT_WORKER_MB", "120")  # less than Python with pandas needs
    with pytest.raises(ImportFileError) as err:
        import_file(con, "organization", path)
    _assert_bilingual(err.value)
    assert "MB" in err.value.message or "stopped" in err.value.message
    # the importing process is fine: the next import works
    monkeypatch.delenv("PHANG_IMPORT_WORKER_MB")
    small = tmp_path / "small.csv"
    small.write_text("ชื่อกลุ่ม,รหัสตำบล\nกลุ่มออมทรัพย์บ้านโนนทัน,TH400101\n", encoding="utf-8")
    assert import_file(con, "organization", small).stored == 1


def test_a_worker_over_its_time_is_stopped(con, tmp_path, monkeypatch):
    path = tmp_path / "orgs.csv"
    _big_csv(path, 40)
    monkeypatch.setenv("PHANG_IMPORT_TIMEOUT_SECONDS", "1")
    with pytest.raises(ImportFileError) as err:
        import_file(con, "organization", path)
    _assert_bilingual(err.value, "longer than 1 seconds")


# --- shapes --------------------------------------------------------------------------------


def _square(x: float, y: float, d: float = 0.005):
    from shapely.geometry import Polygon

    return Polygon([(x, y), (x + d, y), (x + d, y + d), (x, y + d)])


def test_a_multipolygon_in_bangkok_and_khon_kaen_is_not_stored_in_one(con, tmp_path):
    import geopandas as gpd
    from shapely.geometry import MultiPolygon

    both = MultiPolygon([_square(102.825, 16.425), _square(100.53, 13.74)])
    frame = gpd.GeoDataFrame(
        {
            "name": ["บ้านมั่นคงสองจังหวัด", "บ้านมั่นคงหนองแวง"],
            "households": [40, 30],
            "stage": ["ก่อสร้าง", "ก่อสร้าง"],
        },
        geometry=[both, MultiPolygon([_square(102.825, 16.425)])],
        crs=4326,
    )
    shp = tmp_path / "shp"
    shp.mkdir()
    frame.to_file(shp / "projects.shp", encoding="utf-8")
    path = tmp_path / "projects.zip"
    with zipfile.ZipFile(path, "w") as z:
        for f in shp.iterdir():
            z.write(f, f.name)
    report = import_file(con, "project", path, good_rows=True)
    assert report.rows == 2 and report.stored == 1 and report.quarantined == 1
    refusal = report.refused[0]
    assert refusal["row"] == 1 and refusal["reason_code"] == "parts_in_several_provinces"
    assert "Bangkok" in refusal["reason"] and "Khon Kaen" in refusal["reason"]
    assert "กรุงเทพมหานคร" in refusal["reason_th"] and "ขอนแก่น" in refusal["reason_th"]
    names = [
        r[0]
        for r in con.execute(
            "SELECT name FROM baan_mankong_project WHERE source = ?", [report.source]
        ).fetchall()
    ]
    assert names == ["บ้านมั่นคงหนองแวง"]


def test_an_imported_shape_over_the_vertex_cap_is_quarantined(con, tmp_path, monkeypatch):
    import json

    from shapely.geometry import Point

    ring = Point(102.83, 16.43).buffer(0.003, quad_segs=500)  # 2,001 vertices
    feature = {
        "type": "Feature",
        "geometry": json.loads(json.dumps(ring.__geo_interface__)),
        "properties": {"community": "ชุมชนละเอียด", "tenure": "ไม่มั่นคง", "households": 5},
    }
    path = tmp_path / "land.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [feature]}))
    monkeypatch.setenv("PHANG_IMPORT_MAX_VERTICES", "1000")
    report = import_file(con, "land_case", path, good_rows=True)
    assert report.stored == 0 and report.refused[0]["reason_code"] == "too_many_vertices"
    assert "2,001" in report.refused[0]["reason"] and "1,000" in report.refused[0]["reason_th"]


def test_a_need_polygon_of_200000_vertices_is_refused(con):
    import numpy as np

    from data import need_reports as nr
    from geo.validate import GeometryError, validate_drawing

    angle = np.linspace(0, 2 * np.pi, 200_000, endpoint=False)
    ring = [[102.83 + 0.002 * np.cos(a), 16.43 + 0.002 * np.sin(a)] for a in angle]
    drawing = {"type": "Polygon", "coordinates": [[*ring, ring[0]]]}  # 200,001 positions
    with pytest.raises(GeometryError) as err:
        validate_drawing(drawing)
    assert err.value.code == "too_many_vertices"
    assert "200,001" in err.value.message and "5,000" in err.value.message_th
    form = nr.NeedForm(
        form_id=nr.new_form_id(),
        community_name="ชุมชนทดสอบ",
        households=10,
        problems=("eviction",),
        urgency=next(iter(nr.URGENCIES)),
        geometry=drawing,
    )
    with pytest.raises(GeometryError):
        nr.submit(con, form, actor="member")
    assert (
        con.execute(
            "SELECT count(*) FROM need_report WHERE form_id = ?", [form.form_id]
        ).fetchone()[0]
        == 0
    )


# --- work files, the line ------------------------------------------------------------------


def test_work_files_of_a_killed_import_are_removed(tmp_path, monkeypatch):
    from data.importers.tempfiles import sweep

    monkeypatch.setenv("PHANG_IMPORT_TMP", str(tmp_path / "work"))
    script = (
        "import os, signal\n"
        "from data.importers.tempfiles import work_dir, save_upload\n"
        "with work_dir('upload') as d:\n"
        "    save_upload(b'a,b\\n1,2\\n', 'orgs.csv', d)\n"
        "    print(d, flush=True)\n"
        "    os.kill(os.getpid(), signal.SIGKILL)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=dict(os.environ, PYTHONPATH=str(ROOT)),
        capture_output=True,
        text=True,
        check=False,
    )
    left = Path(done.stdout.strip())
    assert done.returncode == -9 and (left / "upload.csv").exists()  # the crash left it
    assert left in sweep()
    assert not left.exists()


def test_imports_wait_in_line_and_are_told_their_place(con, tmp_path, monkeypatch):
    import data.importers.queue as q

    line = q.ImportQueue(1)
    monkeypatch.setattr(q, "_QUEUE", line)
    small = tmp_path / "small.csv"
    small.write_text("ชื่อกลุ่ม,รหัสตำบล\nกลุ่มออมทรัพย์บ้านโนนทัน,TH400101\n", encoding="utf-8")
    places: list[int] = []
    results = []
    release = threading.Event()
    holding = threading.Event()

    def hold():
        with line.slot():
            holding.set()
            release.wait(60)

    holder = threading.Thread(target=hold)
    holder.start()
    holding.wait(10)
    cur = con.cursor()
    worker = threading.Thread(
        target=lambda: results.append(
            import_file(cur, "organization", small, waiting=places.append)
        )
    )
    worker.start()
    deadline = time.time() + 30
    while not places and time.time() < deadline:
        time.sleep(0.05)
    assert places and places[0] == 1 and not results  # waiting, first in line
    assert line.snapshot() == (1, 1)
    release.set()
    worker.join(300)
    holder.join(10)
    assert results and results[0].stored == 1
    assert line.snapshot() == (0, 0)


# --- the app answers while a big import runs ----------------------------------------------


@pytest.mark.browser
def test_the_app_answers_other_sessions_while_a_big_import_runs(
    app_server, browser, output_dir, tmp_path
):
    """A coordinator imports a 45 MB CSV; meanwhile another visitor loads the map page."""
    from tests.conftest import offline_page
    from tests.test_browser_import import _sign_in_and_open_import

    base, _db = app_server
    path = tmp_path / "big_registry.csv"
    rows = _big_csv(path, 45, words=8)
    assert path.stat().st_size < 50 * 1024 * 1024  # under the app's upload limit
    page, outside, _errors = offline_page(browser, width=1440, height=1100)
    _sign_in_and_open_import(page, base)
    page.get_by_test_id("stTabs").locator("input[type=file]").set_input_files(str(path))
    page.get_by_text(path.name).first.wait_for(timeout=60000)
    page.wait_for_timeout(1000)
    page.get_by_role("button", name="นำเข้า", exact=True).click()
    busy = page.get_by_text(re.compile("กำลังอ่านไฟล์|ตรวจแล้ว|กำลังบันทึก")).first
    busy.wait_for(timeout=120000)
    started = time.perf_counter()
    other, other_outside, _ = offline_page(browser, width=1440, height=900)
    other.goto(f"{base}/", wait_until="domcontentloaded")
    other.get_by_text("ภาษา / Language").first.wait_for(state="attached", timeout=120000)
    other.wait_for_timeout(1500)
    answered = time.perf_counter() - started
    still_busy = page.get_by_text(re.compile("กำลังอ่านไฟล์|ตรวจแล้ว|กำลังบันทึก")).count() > 0
    page.screenshot(path=str(output_dir / "import_busy_1440.png"), full_page=True)
    other.screenshot(path=str(output_dir / "import_busy_other_session_1440.png"))
    assert still_busy, f"the import ended before the other page answered ({answered:.1f} s)"
    # all or nothing: the bad last row keeps the file out, and says so
    page.get_by_text("ยังไม่นำเข้า").first.wait_for(timeout=600000)
    body = page.inner_text("body")
    assert f"มีปัญหา 1 จาก {rows:,} แถว" in body
    page.screenshot(path=str(output_dir / "import_big_done_1440.png"), full_page=True)
    assert not outside and not other_outside
    other.context.close()
    page.context.close()
