"""รายงานพื้นที่ / Report cards for a tambon or a province: viewable here, downloadable as a
printable self-contained HTML file. The area and dates live in the URL (?level=&area=)."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from analysis.report_card import report_card
from analysis.report_html import file_name, format_date, render_html
from ui.auth import require_role
from ui.i18n import lang, tr
from ui.resources import current_grouping, cursor

require_role("viewer")
L = lang()
grouping = current_grouping()
con = cursor()
params = st.query_params

st.title(tr("รายงานพื้นที่", "Report cards"))


def pick_area(
    column, label: str, table: str, wanted: str, key: str, *, within=None, default: str = ""
) -> str:
    """A selectbox of the areas of ``table`` (``within`` = (parent column, P-code) narrows
    them), sorted by Thai name, opening on ``wanted`` when it is one of them, else on
    ``default``, else on the first."""
    where, args = (f"WHERE {within[0]} = ?", [within[1]]) if within else ("", [])
    rows = con.execute(
        f"SELECT pcode, name_th, name_en FROM {table} {where} ORDER BY name_th", args
    ).fetchall()
    names = {code: (th if L == "th" else en) for code, th, en in rows}
    codes = list(names)
    choice = wanted if wanted in names else default
    return column.selectbox(
        label,
        codes,
        index=codes.index(choice) if choice in names else 0,
        format_func=names.get,
        key=key,
    )


url_level = params.get("level") if params.get("level") in ("tambon", "province") else "province"
url_area = params.get("area") or ""

c1, c2, c3, c4 = st.columns([1, 2, 2, 2])
level = c1.radio(
    tr("ระดับ", "Level"),
    ["province", "tambon"],
    index=["province", "tambon"].index(url_level),
    format_func=lambda lv: tr("จังหวัด", "Province") if lv == "province" else tr("ตำบล", "Tambon"),
    key="report_level",
)
province = pick_area(
    c2, tr("จังหวัด", "Province"), "province", url_area[:4], "report_province", default="TH10"
)
pcode = province
if level == "tambon":
    amphoe = pick_area(
        c3,
        tr("อำเภอ", "Amphoe"),
        "amphoe",
        url_area[:6],
        f"report_amphoe_{province}",
        within=("province_pcode", province),
    )
    pcode = pick_area(
        c4,
        tr("ตำบล", "Tambon"),
        "tambon",
        url_area,
        f"report_tambon_{amphoe}",
        within=("amphoe_pcode", amphoe),
    )
params["level"] = level
params["area"] = pcode

d1, d2, _ = st.columns([1, 1, 2])
date_a = d1.date_input(
    tr("เทียบจากวันที่", "Compare from"),
    dt.date(2021, 12, 31),
    min_value=dt.date(1990, 1, 1),
    max_value=dt.date.today(),
    key="report_date_a",
)
date_b = d2.date_input(
    tr("ถึงวันที่", "To"),
    dt.date.today(),
    min_value=dt.date(1990, 1, 1),
    max_value=dt.date.today(),
    key="report_date_b",
)
if L == "th":
    st.caption(f"{format_date(date_a, 'th')} → {format_date(date_b, 'th')}")
if date_a > date_b:
    st.warning(tr("วันเริ่มต้องไม่หลังวันสิ้นสุด", "The first date must not be after the second"))
    st.stop()

card = report_card(con, level, pcode, grouping, date_a, date_b)
page = render_html(card, L)
st.download_button(
    tr("ดาวน์โหลดรายงาน (HTML พร้อมพิมพ์)", "Download the report (printable HTML)"),
    page.encode("utf-8"),
    file_name=file_name(card),
    mime="text/html",
    type="primary",
    key="report_download",
)
st.caption(
    tr(
        "ไฟล์เปิดได้โดยไม่ต้องต่ออินเทอร์เน็ต สั่งพิมพ์หรือบันทึกเป็น PDF จากเบราว์เซอร์ได้",
        "The file opens offline; print it or save it as PDF from the browser.",
    )
)
# the card is this program's own HTML: every record's text in it is escaped, no script
st.iframe(page, height="content")
con.close()
