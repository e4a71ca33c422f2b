"""แดชบอร์ดกลุ่มจังหวัด / Cluster and region dashboards: provinces, map, indicators, targets,
comparison with the other clusters, the national assembly seats, and two groupings side by
side. Everything follows the grouping chosen in the sidebar."""

from __future__ import annotations

import re

import altair as alt
import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from analysis.catalogue import catalogue
from analysis.dashboard import (
    DASHBOARD_INDICATORS,
    assembly_seats,
    grouping_differences,
    provinces_of,
    rank_among,
)
from analysis.targets import (
    Target,
    TargetError,
    add_target,
    targets_from_csv,
)
from data.settings import setting
from geo.mapping import View
from ui.auth import require_role
from ui.i18n import lang, tr
from ui.map_cache import map_for
from ui.plan_sections import target_notes
from ui.planning_cache import area_comparison, forget_targets, target_progress
from ui.resources import current_grouping, cursor, groupings

user = require_role("viewer")
L = lang()
grouping = current_grouping()
con = cursor()
indicators = catalogue()
LEVEL_TH = {"cluster": "กลุ่มจังหวัด", "region": "ภาค"}
LEVEL_EN = {"cluster": "Cluster", "region": "Region"}


def md(text: str) -> str:
    """Markdown-escape names a planner typed (groupings, targets) before st.markdown shows them."""
    return re.sub(r"([\\`*_{}\[\]()#+\-.!|<>~$])", r"\\\1", str(text))


def name_of(row) -> str:
    return row["name_th"] if L == "th" else row["name_en"]


def ind_label(key: str) -> str:
    ind = indicators[key]
    return ind.name(L) + (tr(" (ข้อมูลสาธิต)", " (demo)") if ind.demo_fed else "")


def fmt(value, decimals: int) -> str:
    return "–" if pd.isna(value) else f"{float(value):,.{decimals}f}"


st.title(tr("แดชบอร์ดกลุ่มจังหวัดและภาค", "Cluster and region dashboards"))
st.info(
    tr(
        "ตัวชี้วัดที่มีเครื่องหมาย (ข้อมูลสาธิต) คำนวณจากข้อมูลที่สร้างขึ้นเพื่อการสาธิต ไม่ใช่ข้อมูลจริง",
        "Indicators marked (demo) are computed from generated demonstration data, "
        "not real records.",
    )
)

# --- which area
c1, c2, c3 = st.columns([1, 2, 2])
level = c1.radio(
    tr("ระดับ", "Level"),
    ["cluster", "region"],
    format_func=lambda lv: tr(LEVEL_TH[lv], LEVEL_EN[lv]),
    horizontal=True,
    key="dash_level",
)
keys = tuple(k for k in DASHBOARD_INDICATORS if k in indicators)
table = area_comparison(grouping, level, keys)
codes = table["code"].tolist()
labels = {
    r["code"]: (f"{r['no']}. " if level == "cluster" else "") + name_of(r)
    for _, r in table.iterrows()
}
wanted = st.query_params.get("area")
code = c2.selectbox(
    tr(LEVEL_TH[level], LEVEL_EN[level]),
    codes,
    index=codes.index(wanted) if wanted in codes else 0,
    format_func=labels.get,
    key=f"dash_area_{level}_{grouping}",
)
st.query_params["area"] = code
indicator = c3.selectbox(
    tr("ตัวชี้วัดบนแผนที่และกราฟ", "Indicator for the map and chart"),
    list(keys),
    index=list(keys).index("unmet_need_households") if "unmet_need_households" in keys else 0,
    format_func=ind_label,
    key="dash_indicator",
)
area = table.set_index("code").loc[code]
provinces = provinces_of(con, grouping, level, code)

st.header(md(labels[code]))
if level == "cluster":
    st.caption(tr(f"ภาค: {md(area['region_th'])}", f"Region: {md(area['region_en'])}"))
st.markdown(
    f"**{tr('จังหวัด', 'Provinces')} ({len(provinces)}):** "
    + ", ".join(md(n) for n in (provinces["name_th"] if L == "th" else provinces["name_en"]))
)

# --- map and the area's figures
map_col, fig_col = st.columns([1, 1])
with map_col:
    result = map_for(
        View(level, code, "province", grouping),
        indicator,
        "quantiles",
        L,
        (),
        user,
        setting("PHANG_BASEMAP"),
    )
    st_folium(
        result.map,
        key=f"dash_map_{level}",
        height=440,
        use_container_width=True,
        returned_objects=[],
    )
with fig_col:
    rows = []
    for key in keys:
        ind = indicators[key]
        rank = rank_among(table, code, key)
        rows.append(
            {
                tr("ตัวชี้วัด", "Indicator"): ind_label(key),
                tr("ค่า", "Value"): fmt(area[key], ind.decimals) + f" {ind.unit(L)}",
                tr("อันดับ", "Rank"): f"{rank[0]}/{rank[1]}" if rank else "–",
            }
        )
    st.table(pd.DataFrame(rows).set_index(tr("ตัวชี้วัด", "Indicator")))
    st.caption(
        tr(
            "อันดับ 1 = ดีที่สุดเมื่อเทียบกับพื้นที่อื่นในระดับเดียวกัน (ตัวชี้วัดที่ค่าสูงแปลว่าแย่ อันดับ 1 คือค่าต่ำสุด)",
            "Rank 1 = best among the other areas at this level (for indicators where higher is "
            "worse, rank 1 is the lowest)",
        )
    )

# --- compared with the others
st.subheader(tr(f"เทียบกับ{LEVEL_TH[level]}อื่น", f"Compared with the other {level}s"))
chart = table.assign(label=[labels[c] for c in table["code"]], selected=table["code"] == code)
st.altair_chart(
    alt.Chart(chart)
    .mark_bar()
    .encode(
        x=alt.X(
            f"{indicator}:Q",
            title=f"{indicators[indicator].name(L)} ({indicators[indicator].unit(L)})",
        ),
        y=alt.Y(
            "label:N", sort="-x", title=None, axis=alt.Axis(labelLimit=180, labelOverlap=False)
        ),
        color=alt.condition(alt.datum.selected, alt.value("#c0392b"), alt.value("#7f9cb5")),
        tooltip=["label:N", alt.Tooltip(f"{indicator}:Q", format=",.1f")],
    )
    .properties(height=max(160, 26 * len(chart))),
    width="stretch",
)

# --- targets
st.subheader(tr("เป้าหมายยุทธศาสตร์และความก้าวหน้า", "Strategic targets and progress"))
targets, prog = target_progress(grouping)
by_key = {t.key: t for t in targets}
here = prog[(prog["level"] == level) & (prog["code"] == code)]
nation = prog[prog["level"] == "nation"]
bars = pd.concat(
    [
        here.assign(where=labels[code]),
        nation.assign(where=tr("ทั้งประเทศ", "Whole country")),
    ]
)
bars["target_name"] = bars["target"].map(lambda k: by_key[k].name(L))
bars["shown"] = bars["percent"].clip(upper=150)
st.altair_chart(
    alt.Chart(bars)
    .mark_bar()
    .encode(
        x=alt.X(
            "shown:Q", title=tr("% ของเป้าหมาย", "% of target"), scale=alt.Scale(domain=[0, 150])
        ),
        y=alt.Y("target_name:N", title=None, axis=alt.Axis(labelLimit=170)),
        yOffset="where:N",
        color=alt.Color("where:N", title=None, legend=alt.Legend(orient="bottom")),
        tooltip=[
            "target_name:N",
            "where:N",
            alt.Tooltip("current:Q", format=",.0f"),
            alt.Tooltip("target_share:Q", format=",.0f"),
            alt.Tooltip("percent:Q", format=".0f"),
        ],
    )
    + alt.Chart(pd.DataFrame({"x": [100]})).mark_rule(color="#333").encode(x="x:Q"),
    width="stretch",
)
rows = []
for t in targets:
    mine = here[here["target"] == t.key]
    nat = nation[nation["target"] == t.key]
    rows.append(
        {
            tr("เป้าหมาย", "Target"): t.name(L),
            tr("ปี", "Years"): (
                f"{t.start_year + 543}–{t.end_year + 543}"
                if L == "th"
                else f"{t.start_year}–{t.end_year}"
            ),
            tr("เป้าทั้งประเทศ", "National target"): f"{t.target_value:,.0f} {t.unit(L)}",
            tr("ส่วนของพื้นที่นี้", "This area's share"): fmt(mine["target_share"].iloc[0], 0)
            if len(mine)
            else "–",
            tr("ปัจจุบัน (พื้นที่นี้)", "Now (this area)"): fmt(mine["current"].iloc[0], 0)
            if len(mine)
            else "–",
            tr("ปัจจุบัน (ประเทศ)", "Now (country)"): fmt(nat["current"].iloc[0], 0),
            tr("วัดจาก", "Measured by"): ind_label(t.indicator_key),
        }
    )
st.table(pd.DataFrame(rows).set_index(tr("เป้าหมาย", "Target")))
pick = st.selectbox(
    tr(f"ความก้าวหน้าของทุก{LEVEL_TH[level]}", f"Progress of every {level}"),
    [t.key for t in targets],
    format_func=lambda k: by_key[k].name(L),
    key="dash_target",
)
every = prog[(prog["target"] == pick) & (prog["level"] == level)].copy()
every["label"] = every["code"].map(labels)
every["selected"] = every["code"] == code
every["shown"] = every["percent"].clip(upper=150)
st.altair_chart(
    alt.Chart(every)
    .mark_bar()
    .encode(
        x=alt.X(
            "shown:Q",
            title=tr("% ของส่วนเป้าหมายของพื้นที่", "% of the area's share of the target"),
            scale=alt.Scale(domain=[0, 150]),
        ),
        y=alt.Y(
            "label:N", sort="-x", title=None, axis=alt.Axis(labelLimit=180, labelOverlap=False)
        ),
        color=alt.condition(alt.datum.selected, alt.value("#c0392b"), alt.value("#7f9cb5")),
        tooltip=[
            "label:N",
            alt.Tooltip("current:Q", format=",.0f"),
            alt.Tooltip("target_share:Q", format=",.0f"),
            alt.Tooltip("percent:Q", format=".0f"),
        ],
    )
    .properties(height=max(140, 26 * len(every)))
    + alt.Chart(pd.DataFrame({"x": [100]})).mark_rule(color="#333").encode(x="x:Q"),
    width="stretch",
)
target_notes(targets, prog, md)
st.caption(
    tr(
        "ค่าของเป้าหมายและตัวชี้วัดรายปี พร้อมแนวโน้ม: หน้า “ติดตามผลรายปี” ในเมนู",
        "Targets and indicators by year, with trends: the “Monitoring by year” page in the menu",
    )
)
st.caption(
    tr(
        "ส่วนของแต่ละพื้นที่ = เป้าทั้งประเทศ × สัดส่วนตำบล (หรือจังหวัด) ของพื้นที่ เป็นสมมติฐานของระบบนี้ "
        "ไม่ใช่การแบ่งเป้าอย่างเป็นทางการของ พอช.",
        "An area's share = the national target × the area's share of tambons (or provinces): "
        "this system's assumption, not an official CODI split.",
    )
)
if user.has("coordinator", "analyst"):
    with st.expander(tr("เพิ่มเป้าหมาย", "Add a target")):
        with st.form("add_target"):
            f1, f2 = st.columns(2)
            key = f1.text_input(tr("รหัส (อังกฤษตัวเล็ก)", "Key (lowercase)"))
            value = f2.number_input(tr("ค่าเป้าหมาย", "Target value"), min_value=0.0, step=1.0)
            name_th = f1.text_input(tr("ชื่อ (ไทย)", "Name (Thai)"))
            name_en = f2.text_input(tr("ชื่อ (อังกฤษ)", "Name (English)"))
            ind_key = f1.selectbox(
                tr("วัดจากตัวชี้วัด", "Measured by"), list(indicators), format_func=ind_label
            )
            unit_th = f2.text_input(tr("หน่วย", "Unit"), value=indicators[ind_key].unit_th)
            y1 = f1.number_input(
                tr("ปีเริ่ม (พ.ศ.)", "Start year (CE)"), 1990, 2800, 2569 if L == "th" else 2026
            )
            y2 = f2.number_input(
                tr("ปีสิ้นสุด (พ.ศ.)", "End year (CE)"), 1990, 2800, 2570 if L == "th" else 2027
            )
            basis = f1.selectbox(
                tr("แบ่งเป้าตาม", "Split by"),
                ["tambons", "provinces", "none"],
                format_func=lambda b: {
                    "tambons": tr("จำนวนตำบล", "tambons"),
                    "provinces": tr("จำนวนจังหวัด", "provinces"),
                    "none": tr("ไม่แบ่ง", "not split"),
                }[b],
            )
            note = f2.text_input(
                tr("หมายเหตุถ้าตัวชี้วัดเป็นตัวแทน (อังกฤษ)", "Proxy note, if the indicator is a proxy")
            )
            if st.form_submit_button(tr("บันทึก", "Save")):
                try:
                    start, end = (int(y1) - 543, int(y2) - 543) if L == "th" else (int(y1), int(y2))
                    add_target(
                        con,
                        Target(
                            key.strip(),
                            name_th.strip(),
                            (name_en or name_th).strip(),
                            value,
                            unit_th,
                            indicators[ind_key].unit_en,
                            start,
                            end,
                            ind_key,
                            bool(note.strip()),
                            "",
                            note.strip(),
                            basis,
                            "planner",
                        ),
                        user.username or "anonymous",
                    )
                    forget_targets()
                    st.success(tr("บันทึกแล้ว", "Saved"))
                    st.rerun()
                except TargetError as exc:
                    st.error(exc.message_th if L == "th" else str(exc))
        upload = st.file_uploader(tr("หรือนำเข้าจาก CSV", "Or import a CSV"), type=["csv"])
        if upload is not None and st.button(tr("นำเข้า", "Import")):
            try:
                for t in targets_from_csv(upload.getvalue().decode("utf-8-sig")):
                    add_target(con, t, user.username or "anonymous", replace=True)
                forget_targets()
                st.success(tr("นำเข้าแล้ว", "Imported"))
                st.rerun()
            except (TargetError, UnicodeDecodeError) as exc:
                st.error(str(exc))

# --- the national assembly of seed 002
st.subheader(tr("องค์ประกอบสมัชชาระดับชาติ", "National assembly composition"))
seats = assembly_seats(con, grouping)
seat_table = seats.assign(name=seats["name_th"] if L == "th" else seats["name_en"])[
    ["name", "provinces", "clusters", "province_seats", "cluster_seats", "region_seats", "seats"]
]
seat_table.columns = [
    tr("ภาค", "Region"),
    tr("จังหวัด", "Provinces"),
    tr("กลุ่มจังหวัด", "Clusters"),
    tr("ผู้แทนจังหวัด (3 คน/จังหวัด)", "Province seats (3 each)"),
    tr("ผู้แทนกลุ่มจังหวัด (2 คน/กลุ่ม)", "Cluster seats (2 each)"),
    tr("ผู้แทนภาค (5 คน/ภาค)", "Region seats (5 each)"),
    tr("รวม", "Total"),
]
st.table(seat_table.set_index(seat_table.columns[0]))
st.caption(
    tr(
        "ตามองค์ประกอบสมัชชาระดับชาติในการสัมมนาปี 2550: ผู้แทนจังหวัดละ 3 คน กลุ่มจังหวัดละ 2 คน ภาคละ 5 คน "
        "คำนวณใหม่ทุกครั้งที่เปลี่ยนการจัดกลุ่ม",
        "Seed 002 (2007): 3 representatives per province, 2 per cluster, 5 per region; "
        "recomputed for whichever grouping is chosen.",
    )
)

# --- two groupings side by side
st.subheader(tr("เทียบการจัดกลุ่มสองแบบ", "Two groupings side by side"))
options = [g["name"] for g in groupings()]
titles = {g["name"]: g["title_th"] if L == "th" else g["title_en"] for g in groupings()}
others = [n for n in options if n != grouping]
if not others:
    st.caption(
        tr(
            "มีการจัดกลุ่มเพียงแบบเดียว นำเข้าแบบใหม่ได้ด้วย python -m data groupings import FILE.csv",
            "Only one grouping exists; import another with "
            "python -m data groupings import FILE.csv",
        )
    )
else:
    other = st.selectbox(tr("เทียบกับ", "Compare with"), others, format_func=titles.get)
    left, right = st.columns(2)
    for col, name in ((left, grouping), (right, other)):
        with col:
            st.markdown(f"**{md(titles[name])}**")
            regions = area_comparison(name, "region", (indicator,))
            ind = indicators[indicator]
            shown = pd.DataFrame(
                {
                    tr("ภาค", "Region"): regions["name_th"] if L == "th" else regions["name_en"],
                    tr("จังหวัด", "Provinces"): regions["provinces"],
                    f"{ind.name(L)} ({ind.unit(L)})": [
                        fmt(v, ind.decimals) for v in regions[indicator]
                    ],
                }
            )
            st.table(shown.set_index(shown.columns[0]))
            s = assembly_seats(con, name)
            st.markdown(
                tr("ที่นั่งสมัชชารวม", "Assembly seats")
                + f": **{int(s['seats'].iloc[-1]):,}** "
                + tr(
                    f"({int(s['provinces'].iloc[-1])} จังหวัด, {int(s['clusters'].iloc[-1])} "
                    f"กลุ่ม, {len(s) - 1} ภาค)",
                    f"({int(s['provinces'].iloc[-1])} provinces, {int(s['clusters'].iloc[-1])} "
                    f"clusters, {len(s) - 1} regions)",
                )
            )
    moved = grouping_differences(con, grouping, other)
    st.caption(
        tr(f"จังหวัดที่อยู่ต่างกลุ่มหรือต่างภาค: {len(moved)}", f"Provinces placed differently: {len(moved)}")
    )
    if len(moved):
        moved.columns = [
            "pcode",
            tr("จังหวัด", "Province"),
            "name_en",
            tr(f"กลุ่ม ({titles[grouping]})", f"Cluster ({titles[grouping]})"),
            tr(f"ภาค ({titles[grouping]})", f"Region ({titles[grouping]})"),
            tr(f"กลุ่ม ({titles[other]})", f"Cluster ({titles[other]})"),
            tr(f"ภาค ({titles[other]})", f"Region ({titles[other]})"),
        ]
        st.table(moved.drop(columns=["pcode", "name_en"]).set_index(moved.columns[1]))
con.close()
