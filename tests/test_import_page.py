"""The import page in streamlit's AppTest: roles, the quarantine fixed from its candidates."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT, pages_store

HOSTILE = '<img src=x onerror="alert(1)">[link](http://example.com)'


@pytest.fixture(scope="module")
def page_db(built_db, tmp_path_factory, store_kind, request):
    """A private database (on the module's store) with one refused import whose rows wait
    in the quarantine."""
    from data.importers import import_file
    from data.store import connect

    folder = tmp_path_factory.mktemp("importdb")
    with pages_store(store_kind, request, built_db, folder) as target:
        csv = folder / "councils.csv"
        csv.write_text(
            f"ชื่อสภา,ตำบล,วันที่จัดตั้ง\n{HOSTILE},ในเมือง,1 ก.ค. 2551\n"
            "สภาองค์กรชุมชนตำบลท่าถ่าน,ท่าถ่าน,15/03/67\n",
            encoding="utf-8",
        )
        con = connect(target)
        try:
            import_file(con, "council", csv)
        finally:
            con.close()
        yield target


def _page(role: str | None) -> AppTest:
    from ui.auth import User

    at = AppTest.from_file(str(ROOT / "views" / "import_data.py"), default_timeout=60)
    if role:
        at.session_state["user"] = User(role, role, role)
    return at


def test_page_needs_a_coordinator(page_db):
    at = _page(None)
    at.run()
    assert not at.exception
    assert at.warning and not at.dataframe and not at.tabs
    at = _page("member")
    at.run()
    assert at.error and not at.dataframe


def test_quarantined_row_is_fixed_by_picking_a_candidate(page_db):
    at = _page("coordinator")
    at.run()
    assert not at.exception, at.exception
    assert len(at.tabs) == 3
    # user text is shown only in tables or escaped: never as markdown or HTML
    markdown = " ".join(m.value for m in at.markdown)
    assert "<img" not in markdown and "](http" not in markdown
    picks = at.selectbox(key="q_pick")
    row2 = [i for i, o in enumerate(picks.options) if "แถว 2" in o]
    assert row2, picks.options
    picks.select_index(row2[0]).run()
    at.radio[0].set_value("TH400101")  # ต.ในเมือง อ.เมืองขอนแก่น among the candidates
    assert any("ขอนแก่น" in o for o in at.radio[0].options)
    next(b for b in at.button if b.label.startswith("ส่งตรวจใหม่")).click().run()
    assert not at.exception, at.exception
    from data.store import connect

    con = connect(page_db)
    try:
        saved = con.execute(
            "SELECT name, tambon_pcode FROM tambon_council WHERE source = 'councils'"
        ).fetchall()
        status = con.execute(
            "SELECT row_number, status FROM quarantine ORDER BY row_number"
        ).fetchall()
    finally:
        con.close()
    assert saved == [(HOSTILE, "TH400101")]
    assert status == [(2, "fixed"), (3, "open")]
