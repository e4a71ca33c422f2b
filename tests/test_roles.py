"""Roles on every page of issue 5 (streamlit AppTest), and XSS payloads shown as text.

Each page checks the role itself on every run: reached without the role it shows a
message and no data (no table, no map); with the role it works. Free text typed by the
public (community name, description, contact, decision reason) is shown as text in the
tables, the markdown headings and the folium maps.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from data import need_reports as nr
from ui.auth import User

ROOT = Path(__file__).resolve().parent.parent
XSS_NAME = '<img src=x onerror="alert(1)">ชุมชน[ลิงก์](javascript:alert(2))'
XSS_TEXT = "<script>alert(3)</script>**ตัวหนา**"
ANON = None
MEMBER = User("member", "สมาชิก", "member")
ANALYST = User("analyst", "นักวิเคราะห์", "analyst")
COORD_BKK = User("coord_bkk", "ผู้ประสานงาน กทม.", "coordinator", "TH10")
COORD_NORTH = User("coord_north", "ผู้ประสานงานเหนือ", "coordinator", "region:codi-18:north")
ADMIN = User("admin", "ผู้ดูแล", "admin")


@pytest.fixture(scope="module")
def app_db(built_db, tmp_path_factory):
    """A private database for the pages, holding one report full of XSS payloads."""
    from data.store import connect

    path = tmp_path_factory.mktemp("roles") / "roles.duckdb"
    shutil.copy(built_db[0], path)
    con = connect(path)
    try:
        form = nr.NeedForm(
            form_id="roles-xss-0001",
            geometry={
                "type": "Polygon",
                "coordinates": [
                    [[100.53, 13.73], [100.535, 13.73], [100.535, 13.735], [100.53, 13.73]]
                ],
            },
            community_name=XSS_NAME,
            households=12,
            problems=["eviction"],
            urgency="high",
            description=XSS_TEXT,
            contact_name=XSS_TEXT,
        )
        receipt = nr.submit(con, form, actor="member")
    finally:
        con.close()
    old = os.environ.get("PHANG_DB")
    os.environ["PHANG_DB"] = str(path)
    st.cache_resource.clear()
    st.cache_data.clear()
    yield path, receipt
    st.cache_resource.clear()
    st.cache_data.clear()
    if old is None:
        os.environ.pop("PHANG_DB", None)
    else:
        os.environ["PHANG_DB"] = old


def run_page(page: str, user: User | None, **state) -> AppTest:
    at = AppTest.from_file(str(ROOT / page), default_timeout=120)
    if user is not None:
        at.session_state["user"] = user
    for key, value in state.items():
        at.session_state[key] = value
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def shows_no_data(at: AppTest) -> None:
    assert len(at.dataframe) == 0 and len(at.table) == 0
    assert len(at.title) == 0 and len(at.subheader) == 0
    assert not [c for c in at.get("iframe")]  # no map component


REFUSED = [
    ("views/verify.py", ANON, "warning"),
    ("views/verify.py", MEMBER, "error"),
    ("views/verify.py", ANALYST, "error"),
    ("views/admin.py", ANON, "warning"),
    ("views/admin.py", MEMBER, "error"),
    ("views/admin.py", COORD_BKK, "error"),
    ("views/admin.py", ANALYST, "error"),
]


@pytest.mark.parametrize(
    ("page", "user", "kind"),
    REFUSED,
    ids=[f"{p.split('/')[1]}-{u.role if u else 'anonymous'}" for p, u, _ in REFUSED],
)
def test_page_without_the_role_shows_a_message_and_no_data(app_db, page, user, kind):
    at = run_page(page, user)
    messages = at.warning if kind == "warning" else at.error
    assert len(messages) == 1
    text = messages[0].value
    assert "สิทธิ์" in text or "เข้าสู่ระบบ" in text
    shows_no_data(at)
    assert app_db[1].receipt not in str(at)


def test_verify_with_the_role_lists_the_queue_in_scope(app_db):
    _, receipt = app_db
    at = run_page("views/verify.py", COORD_BKK)
    assert at.title[0].value == "ตรวจสอบคำร้อง"
    queue = at.dataframe[0].value
    assert receipt.receipt in set(queue.iloc[:, 0])
    north = run_page("views/verify.py", COORD_NORTH, verify_statuses=["pending"])
    north_queue = north.dataframe[0].value if len(north.dataframe) else None
    assert north_queue is None or receipt.receipt not in set(north_queue.iloc[:, 0])


def test_verify_filters_and_hold(app_db):
    _, receipt = app_db
    # filtered out by urgency, province or status: the page says so and shows no queue
    low = run_page("views/verify.py", COORD_BKK, verify_urgencies=["low"])
    low_ids = set(low.dataframe[0].value.iloc[:, 0]) if len(low.dataframe) else set()
    assert receipt.receipt not in low_ids
    assert all(v == "ไม่เร่งด่วน" for v in low.dataframe[0].value.iloc[:, 5]) if low_ids else True
    held_only = run_page("views/verify.py", COORD_BKK, verify_statuses=["on_hold"])
    assert any("ไม่มีคำร้องที่ตรงกับตัวกรอง" in i.value for i in held_only.info)
    # put the report on hold, with what is missing; the member sees the new status
    at = run_page("views/verify.py", COORD_BKK, verify_report=receipt.report_id)
    assert "hold" in at.radio[0].options or "พักไว้ รอข้อมูลเพิ่มเติม" in at.radio[0].options
    at.radio[0].set_value("hold")
    at.text_area[0].set_value("ขอรูปถ่ายบ้าน")
    at.button[0].click().run()
    assert not at.exception
    assert any(receipt.receipt in s.value for s in at.success)
    held = run_page("views/verify.py", COORD_BKK, verify_statuses=["on_hold"])
    assert receipt.receipt in set(held.dataframe[0].value.iloc[:, 0])
    assert set(held.dataframe[0].value.iloc[:, 6]) == {"รอข้อมูลเพิ่มเติม"}
    track = run_page("views/my_reports.py", ANON)
    track.text_input(key="track_receipt").set_value(receipt.receipt).run()
    shown = " ".join(m.value for m in [*track.info, *track.warning, *track.markdown])
    assert "รอข้อมูลเพิ่มเติม" in shown and "ขอรูปถ่ายบ้าน" in shown
    # back to pending (the next test decides on it)
    at = run_page("views/verify.py", COORD_BKK, verify_report=receipt.report_id)
    at.radio[0].set_value("reopen")
    at.button[0].click().run()
    assert not at.exception and any(receipt.receipt in s.value for s in at.success)


def test_verify_shows_payloads_as_text_and_decides(app_db):
    _, receipt = app_db
    # a row clicked in the queue opens that report (the table's selection sets this key)
    at = run_page("views/verify.py", COORD_BKK, verify_report=receipt.report_id)
    heading = at.subheader[0].value
    assert receipt.receipt in heading.replace("\\", "")
    assert "<img" not in heading and "](" not in heading  # escaped for markdown
    cells = " ".join(str(v) for df in at.dataframe for v in df.value.to_numpy().ravel())
    assert XSS_NAME in cells or XSS_TEXT in cells  # tables show the raw text, as text
    # reject without a reason: refused plainly; with a reason: recorded
    at.radio[0].set_value("reject")
    at.button[0].click().run()
    assert any("เหตุผล" in e.value for e in at.error)
    at.radio[0].set_value("reject")
    at.text_area[0].set_value(XSS_TEXT)
    at.button[0].click().run()
    assert not at.exception
    assert any(receipt.receipt in s.value for s in at.success)


def test_admin_with_the_role_lists_accounts_and_audit(app_db):
    _, receipt = app_db
    at = run_page("views/admin.py", ADMIN)
    accounts = at.dataframe[0].value
    assert {"admin", "coord_bkk", "member"} <= set(accounts.iloc[:, 0])
    at.selectbox(key="audit_table").set_value("need_report")
    at.text_input(key="audit_record").set_value(str(receipt.report_id)).run()
    history = at.dataframe[-1].value
    assert "create" in set(history.iloc[:, 2])
    assert "081" not in history.to_string()  # no contact details in the log


def test_mark_and_track_open_to_everyone(app_db):
    _, receipt = app_db
    at = run_page("views/mark.py", ANON)
    assert "แจ้งความเดือดร้อน" in at.header[0].value
    assert at.session_state["need_form_id"]
    track = run_page("views/my_reports.py", ANON)
    track.text_input(key="track_receipt").set_value(receipt.receipt.lower()).run()
    assert any("รอตรวจสอบ" in i.value or "ไม่ผ่าน" in i.value for i in [*track.info, *track.error])
    text = " ".join(m.value for m in track.markdown)
    assert "<img" not in text and "](" not in text


def test_member_sees_own_reports(app_db):
    _, receipt = app_db
    at = run_page("views/my_reports.py", MEMBER)
    own = at.dataframe[0].value
    assert receipt.receipt in set(own.iloc[:, 0])
    assert XSS_NAME in set(own["ชุมชน"])  # shown as text in the table
    assert list(own.columns[:2]) == ["เลขรับเรื่อง", "สถานะ"]  # status on screen on a phone


def test_maps_escape_every_label(app_db):
    from data.store import connect
    from geo.need_maps import mark_map, verify_map

    path, receipt = app_db
    st.cache_resource.clear()  # release the pages' connection before opening our own
    con = connect(path)
    try:
        report = nr.get_report(con, receipt.report_id)
        html = verify_map(report, nr.nearby(con, receipt.report_id), con=con).get_root().render()
        drawn = mark_map(con, "TH100703", {"type": "Point", "coordinates": [100.53, 13.73]})
        drawn_html = drawn.get_root().render()
    finally:
        con.close()
    i = html.find("<img src=x")
    assert i < 0, html[max(0, i - 400) : i + 100]
    # the label is there, HTML-escaped (folium writes '&' as \u0026 inside its JSON)
    assert "&lt;img src=x" in html or "\\u0026lt;img src=x" in html
    assert "<script>alert(3)" not in html
    assert "leaflet.draw" in drawn_html and "cdn" not in drawn_html.lower()


def _sidebar_script():
    import streamlit as st

    from ui import account
    from ui.auth import current_user

    account.sidebar()
    user = current_user()
    st.write(f"user={user.username or '-'} role={user.role} scope={user.scope}")


def test_sign_in_with_a_builtin_account(app_db):
    at = AppTest.from_function(_sidebar_script, default_timeout=60)
    at.run()
    assert "user=- role=viewer" in at.markdown[-1].value
    at.text_input(key="sign_in_username").set_value("coord_bkk")
    at.text_input(key="sign_in_password").set_value("wrong-password")
    at.sidebar.button[0].click().run()
    assert any("ไม่ถูกต้อง" in e.value for e in at.error)
    assert "user=- role=viewer" in at.markdown[-1].value
    # a rerun the page starts by itself (a map reporting its view) keeps the refusal shown
    at.run()
    assert any("ไม่ถูกต้อง" in e.value for e in at.error)
    at.text_input(key="sign_in_username").set_value("coord_bkk")
    at.text_input(key="sign_in_password").set_value("coord-bkk-phang-dev")
    at.sidebar.button[0].click().run()
    assert "user=coord_bkk role=coordinator scope=TH10" in at.markdown[-1].value
    assert not at.error  # the old refusal went with the press that signed in


def test_disabled_account_is_signed_out_on_the_next_run(app_db):
    from data import accounts
    from ui.resources import connection

    at = AppTest.from_function(_sidebar_script, default_timeout=60)
    at.session_state["user"] = User("analyst", "นักวิเคราะห์", "analyst")
    at.run()
    assert "user=analyst role=analyst" in at.markdown[-1].value
    accounts.set_active(connection().cursor(), "analyst", False, actor="admin")
    try:
        at.run()
        assert "user=- role=viewer" in at.markdown[-1].value
        assert any("ปิดการใช้งาน" in w.value for w in at.warning)
    finally:
        accounts.set_active(connection().cursor(), "analyst", True, actor="admin")


def test_pending_layer_only_for_coordinators_in_scope(app_db):
    from data.store import connect
    from geo.layers import Scope, layers

    path, _ = app_db
    assert "need_pending" not in layers(User("", "", "viewer"))
    assert "need_pending" not in layers(MEMBER)
    assert {"need_verified", "need_pending"} <= set(layers(COORD_BKK))
    st.cache_resource.clear()
    con = connect(path)
    try:
        point = {"type": "Point", "coordinates": [100.5325, 13.7325]}
        nr.submit(con, nr.NeedForm("roles-layer-0001", point, XSS_NAME, 5, ["rent"], "low"))
        pending = layers(COORD_BKK)["need_pending"]
        bkk = pending.query(con, Scope(), COORD_BKK)
        north = pending.query(con, Scope(), COORD_NORTH)
        as_member = pending.query(con, Scope(), MEMBER)
        verified = layers(None)["need_verified"].query(con, Scope(), None)
    finally:
        con.close()
    assert XSS_NAME in set(bkk["community_name"])
    assert XSS_NAME not in set(north["community_name"]) and len(as_member) == 0
    assert XSS_NAME not in set(verified["community_name"])  # not verified: not public
    assert "phone" not in verified.columns and "receipt" not in verified.columns


def test_oidc_account_is_created_as_member(app_db):
    from data import accounts
    from data.store import connect

    st.cache_resource.clear()
    con = connect(app_db[0])
    try:
        issuer = "https://login.example.org"
        acc = accounts.ensure_oidc_account(
            con,
            issuer,
            "sub-1",
            email="Somchai+CODI@example.org",
            email_verified=True,
            name="สมชาย",
        )
        again = accounts.ensure_oidc_account(
            con, issuer, "sub-1", email="other@example.org", email_verified=True, name="x"
        )
        assert acc.role == "member" and acc.auth == "oidc" and again.username == acc.username
        assert accounts.authenticate(con, acc.username, "") is None  # no password sign-in
    finally:
        con.close()


def test_pages_are_only_reached_through_app_py():
    """Streamlit runs files in a ``pages/`` folder beside the entry script directly when a
    fresh server's first request is a deep link (its legacy multipage router), skipping
    app.py's sidebar and navigation. The page files therefore live in ``views/``, and
    every page app.py lists must exist there."""
    import ast

    assert not (ROOT / "pages").exists(), "a pages/ folder re-enables Streamlit's legacy router"
    tree = ast.parse((ROOT / "app.py").read_text(encoding="utf-8"))
    listed = [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and node.value.endswith(".py")
    ]
    assert len(listed) >= 10
    for file in listed:
        assert file.startswith("views/") and (ROOT / file).is_file(), file
