"""ผังชุมชน: page config, the shared sidebar (language, account, grouping), navigation."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from ui import account, chrome
from ui.auth import current_user
from ui.errors import show_unexpected
from ui.i18n import LANGS, lang, tr
from ui.resources import current_grouping, groupings, store_problem

HERE = Path(__file__).resolve().parent

st.set_page_config(
    # an emoji favicon is drawn locally; a :material: one is fetched from fonts.gstatic.com
    page_title="ผังชุมชน",
    page_icon="🗺️",
    layout="wide",
    initial_sidebar_state="auto",
)

# (file, Thai title, English title, icon, roles that see it in the menu, url path)
PAGES = [
    ("views/map.py", "แผนที่", "Map", ":material/map:", None, "map"),
    (
        "views/dashboard.py",
        "แดชบอร์ดกลุ่มจังหวัด",
        "Cluster dashboards",
        ":material/dashboard:",
        None,
        "dashboard",
    ),
    ("views/priorities.py", "พื้นที่เร่งด่วน", "Priority tambons", ":material/flag:", None, "priorities"),
    (
        "views/monitoring.py",
        "ติดตามผลรายปี",
        "Monitoring by year",
        ":material/timeline:",
        None,
        "monitoring",
    ),
    ("views/report.py", "รายงานพื้นที่", "Report cards", ":material/description:", None, "report"),
    (
        "views/mark.py",
        "แจ้งความเดือดร้อนที่อยู่อาศัย",
        "Report housing need",
        ":material/add_location_alt:",
        ("viewer", "member"),
        "mark",
    ),
    (
        "views/my_reports.py",
        "ติดตามคำร้อง",
        "Track my reports",
        ":material/receipt_long:",
        ("viewer", "member"),
        "track",
    ),
    (
        "views/verify.py",
        "ตรวจสอบคำร้อง",
        "Verify reports",
        ":material/fact_check:",
        ("coordinator",),
        "verify",
    ),
    (
        "views/import_data.py",
        "นำเข้าข้อมูล",
        "Import data",
        ":material/upload_file:",
        ("coordinator",),
        "import",
    ),
    (
        "views/export.py",
        "ส่งออกข้อมูล",
        "Export layers",
        ":material/download:",
        ("analyst",),
        "export",
    ),
    (
        "views/admin.py",
        "ผู้ดูแลระบบ",
        "Administration",
        ":material/admin_panel_settings:",
        ("admin",),
        "admin",
    ),
]


def sidebar() -> None:
    with st.sidebar:
        choice = st.radio(
            "ภาษา / Language",
            list(LANGS),
            format_func=LANGS.get,
            index=list(LANGS).index(lang()),
            horizontal=True,
            key="lang_radio",
        )
        if choice != st.session_state.get("lang"):
            st.session_state["lang"] = choice
            st.rerun()
        options = groupings()
        if options:
            names = [g["name"] for g in options]
            titles = {
                g["name"]: g["title_th"] if lang() == "th" else g["title_en"] for g in options
            }
            current = current_grouping()
            picked = st.selectbox(
                tr("การจัดกลุ่มจังหวัด", "Province grouping"),
                names,
                index=names.index(current),
                format_func=titles.get,
            )
            st.session_state["grouping"] = picked
        account.sidebar()


def navigation(menu) -> st.navigation:
    """Every page is routed, whatever the role, so a link to a page the user may not use
    opens that page's own message (sign in, or the role it needs) instead of silently
    landing somewhere else. The menu lists only the pages the user's role can use."""
    user = current_user()
    pages, allowed = [], []
    for file, th, en, icon, roles, path in PAGES:
        if not (HERE / file).exists():
            continue
        if path == "map":
            # The default page is served at "/"; an alias (not in the menu) answers "/map" so
            # that a typed or bookmarked /map opens the map instead of "Page not found". Page
            # identity is the url_path, so the default one is registered under another name.
            page = st.Page(file, title=tr(th, en), icon=icon, url_path="home", default=True)
            pages.append(st.Page(file, title=tr(th, en), icon=icon, url_path=path))
        else:
            page = st.Page(file, title=tr(th, en), icon=icon, url_path=path)
        pages.append(page)
        if not roles or user.has(*roles):
            allowed.append(page)
    current = st.navigation(pages, position="hidden")
    with menu:
        for page in allowed:
            st.page_link(page)
        st.divider()
    return current


chrome.inject()
problem = store_problem()
if problem:
    st.title("ผังชุมชน")
    st.error("\n\n".join(problem))  # both languages: the sidebar's switch is not shown yet
    st.stop()
menu = st.sidebar.container()
sidebar()
account.dev_password_banner()
page = navigation(menu)
try:
    page.run()
except Exception as exc:  # st.stop and st.rerun are not Exceptions: they pass through
    show_unexpected(exc)  # the log gets the traceback, the user a reference (ui.errors)
