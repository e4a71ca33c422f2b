"""The verify queue shows field-app reports like any other: a form as the field app sends
it (JSON, checked field by field by data.need_fields, stored by data.need_reports.submit)
appears in the coordinator's queue page (streamlit AppTest) with its receipt."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import streamlit as st
from streamlit.testing.v1 import AppTest

from data import need_reports as nr
from data.need_fields import check_all, form_from_json
from ui.auth import User

ROOT = Path(__file__).resolve().parent.parent
FIELD_JSON = {
    "form_id": "field-app-verify-01",
    "geometry": {
        "type": "Polygon",
        "coordinates": [
            [
                [100.749, 18.569],
                [100.752, 18.569],
                [100.752, 18.572],
                [100.749, 18.572],
                [100.749, 18.569],
            ]
        ],
    },
    "community_name": "ชุมชนจากแอปภาคสนาม",
    "households": 17,
    "problems": ["eviction", "rent"],
    "urgency": "high",
    "landowner": "unknown",
    "description": "",
    "contact_name": None,
    "contact_phone": None,
    "contact_note": None,
}


def test_field_report_in_the_verify_queue(built_db, tmp_path):
    from data.store import connect

    path = tmp_path / "verify.duckdb"
    shutil.copy(built_db[0], path)
    form, problems = form_from_json(FIELD_JSON)
    assert problems == [] and check_all(form) == []
    con = connect(path)
    try:
        receipt = nr.submit(con, form, actor="member")
        again = nr.submit(con, form, actor="member")  # the phone's resend
    finally:
        con.close()
    assert again.already_saved and again.receipt == receipt.receipt
    old = os.environ.get("PHANG_DB")
    os.environ["PHANG_DB"] = str(path)
    st.cache_resource.clear()
    st.cache_data.clear()
    try:
        at = AppTest.from_file(str(ROOT / "views/verify.py"), default_timeout=120)
        at.session_state["user"] = User(
            "coord_north", "เหนือ", "coordinator", "region:codi-18:north"
        )
        at.run()
        assert not at.exception, [e.value for e in at.exception]
        queue = at.dataframe[0].value
        rows = queue[queue.iloc[:, 0] == receipt.receipt]
        assert len(rows) == 1, queue.head()
        assert "ชุมชนจากแอปภาคสนาม" in rows.to_string()
    finally:
        st.cache_resource.clear()
        st.cache_data.clear()
        if old is None:
            os.environ.pop("PHANG_DB", None)
        else:
            os.environ["PHANG_DB"] = old
