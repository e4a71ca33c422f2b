"""Unexpected errors show a plain message with a reference, never a traceback, a path or a
version; the server log holds the details under the same reference."""

from __future__ import annotations

import logging
import os
import re
import shutil
import tomllib
from pathlib import Path

import pytest
import streamlit as st

ROOT = Path(__file__).resolve().parent.parent
SECRET_PATH = "/srv/phang/secret/internal.duckdb"
LEAKS = ("Traceback", 'File "', "site-packages", ".py", "/work", SECRET_PATH, "RuntimeError")
REFERENCE = re.compile(r"E-[0-9A-F]{8}")


def test_streamlit_shows_no_error_details():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["client"]["showErrorDetails"] == "none"


@pytest.fixture()
def page_db(db_copy):
    old = os.environ.get("PHANG_DB")
    os.environ["PHANG_DB"] = str(db_copy)
    st.cache_resource.clear()
    st.cache_data.clear()
    yield db_copy
    st.cache_resource.clear()
    st.cache_data.clear()
    if old is None:
        os.environ.pop("PHANG_DB", None)
    else:
        os.environ["PHANG_DB"] = old


class _Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def test_a_page_error_shows_a_reference_and_no_internals(page_db, monkeypatch):
    from streamlit.testing.v1 import AppTest

    import data.need_reports

    caught = _Records()
    logging.getLogger("phang.errors").addHandler(caught)
    monkeypatch.setattr(caught, "level", logging.ERROR)

    def broken(*_args, **_kwargs):
        raise RuntimeError(f"cannot read {SECRET_PATH} (duckdb 1.5.5)")

    monkeypatch.setattr(data.need_reports, "by_receipt", broken)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    at.run()  # the pages' own url paths are known after a first run
    at.switch_page("views/my_reports.py")
    at.run()
    assert not at.exception
    assert [t.value for t in at.title] == ["ติดตามคำร้อง"], [e.value for e in at.error]
    at.text_input(key="track_receipt").input("NR-AAAA-AAAA").run()
    assert not at.exception, [e.value for e in at.exception]
    shown = " ".join(e.value for e in at.error)
    ref = REFERENCE.search(shown)
    assert ref, shown
    assert "รหัสอ้างอิง" in shown
    page_text = " ".join(str(getattr(el, "value", "")) for el in at.main)
    for leak in LEAKS:
        assert leak not in page_text, leak
    # the log has the details under the same reference
    logging.getLogger("phang.errors").removeHandler(caught)
    logged = caught.records
    assert logged and ref.group(0) in logged[-1].getMessage()
    assert SECRET_PATH in str(logged[-1].exc_info[1])


def test_english_message(monkeypatch):
    from ui.errors import message

    assert "reference E-00000000" in message("E-00000000", "en")
    assert "E-00000000" in message("E-00000000", "th") and "reference" not in message(
        "E-00000000", "th"
    )


@pytest.mark.browser
def test_forced_error_in_the_running_app_shows_no_path(built_db, browser, tmp_path):
    """The real server (serve.py: on_script_error, config.toml) on a database whose
    groupings table is broken: the sidebar fails outside any page."""
    from data.store import connect
    from tests.app_process import running_app
    from tests.conftest import offline_page

    db = tmp_path / "broken.duckdb"
    shutil.copy(built_db[0], db)
    con = connect(db)
    con.execute('ALTER TABLE "grouping" RENAME TO grouping_gone')
    con.close()
    log_path = tmp_path / "server.log"
    with running_app(db, log_path) as url:
        page, _outside, _errors = offline_page(browser)
        page.goto(url + "/", wait_until="networkidle")
        page.get_by_text(REFERENCE).first.wait_for(timeout=60_000)
        text = page.inner_text("body")
        page.context.close()
    ref = REFERENCE.search(text).group(0)
    for leak in ("Traceback", 'File "', "site-packages", "/tmp", "/work", ".py", "duckdb"):
        assert leak not in text, leak
    log = log_path.read_text(encoding="utf-8")
    assert ref in log and "Traceback" in log and "grouping" in log
