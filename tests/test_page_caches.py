"""What the pages keep in memory follows the database: a boundary rebuild made elsewhere (the
command line, another app server on PostgreSQL) reaches the place-name matcher and the mark
map's outlines without a restart."""

from __future__ import annotations

import shutil
import uuid

import pytest
import streamlit as st

NEW_NAME = "บึงตะวันสาย"  # a name no tambon has


@pytest.fixture
def page_store(built_db, tmp_path, monkeypatch):
    db = tmp_path / "pages.duckdb"
    shutil.copy(built_db[0], db)
    monkeypatch.setenv("PHANG_DB", str(db))
    st.cache_resource.clear()
    st.cache_data.clear()
    yield db
    st.cache_resource.clear()
    st.cache_data.clear()


def _rebuild_with_a_renamed_tambon(con, pcode: str) -> None:
    """What a rebuild elsewhere leaves: new names and a new map-shape build."""
    con.execute("UPDATE tambon SET name_th = ? WHERE pcode = ?", [NEW_NAME, pcode])
    con.execute(
        "INSERT INTO map_shape_build (id, shapes, seconds) VALUES (?, 0, 0)", [uuid.uuid4().hex]
    )


def test_the_matcher_and_outlines_follow_a_boundary_rebuild(page_store):
    from ui import resources
    from ui.need_cache import mark_outlines

    con = resources.connection()
    pcode, amphoe = con.execute(
        "SELECT pcode, amphoe_pcode FROM tambon ORDER BY pcode LIMIT 1"
    ).fetchone()
    first = resources.gazetteer()
    assert resources.gazetteer() is first  # kept while the boundaries stay the same
    assert first.match(NEW_NAME, level="tambon").pcode is None
    rows, _level = mark_outlines(amphoe)
    assert NEW_NAME not in {r[1] for r in rows}

    _rebuild_with_a_renamed_tambon(con.cursor(), pcode)
    assert resources.gazetteer() is first  # the build id is asked at most every 5 s
    resources.boundaries_build.clear()  # as when those seconds have passed
    second = resources.gazetteer()
    assert second is not first
    assert second.match(NEW_NAME, level="tambon").pcode == pcode
    rows, _level = mark_outlines(amphoe)
    assert NEW_NAME in {r[1] for r in rows}


def test_planning_figures_follow_an_import_within_seconds(page_store, tmp_path):
    """An organisation imported elsewhere counts on the dashboard once the records'
    version is asked again (every 5 s), not after the minute the figures used to be kept."""
    from data.importers import import_file
    from ui import planning_cache, resources

    grouping = resources.groupings()[0]["name"]

    def organisations() -> int:
        frame = planning_cache.area_comparison(grouping, "region", ("community_orgs",))
        return int(frame["community_orgs"].sum())

    before = organisations()
    csv = tmp_path / "orgs.csv"
    csv.write_text(
        "ชื่อกลุ่ม,ประเภท,จำนวนสมาชิก,ตำบล,อำเภอ,จังหวัด\n"
        "กลุ่มออมทรัพย์ทดสอบแคช,ออมทรัพย์,20,ท่าถ่าน,พนมสารคาม,ฉะเชิงเทรา\n",
        encoding="utf-8",
    )
    report = import_file(resources.connection().cursor(), "organization", csv)
    assert report.stored == 1, report
    assert organisations() == before  # the version is reused for up to 5 s
    planning_cache._version.clear()  # as when those seconds have passed
    assert organisations() == before + 1
