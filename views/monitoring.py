"""ติดตามผลรายปี / Monitoring by year: every target and indicator as at the end of a chosen
year (judged by the records' own dates), trends per region and cluster, and the plans of a
region or cluster rolled up."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from analysis.catalogue import catalogue
from analysis.dashboard import areas
from analysis.monitoring import as_of_year, trend, years_available
from analysis.rollup import compute_all
from analysis.targets import list_targets, progress
from ui.auth import require_role
from ui.i18n import lang, tr
from ui.plan_sections import rolled_up_plans_section
from ui.resources import current_grouping, cursor

require_role("viewer")
L = lang()
grouping = current_grouping()
con = cursor()
indicators = catalogue()


def year_label(y: int) -> str:
    return f"พ.ศ. {y + 543}" if L == "th" else str(y)


def fmt(value, decimals: int = 0) -> str:
    return "–" if pd.isna(value) else f"{float(value):,.{decimals}f}"


st.title(tr("ติดตามผลรายปี", "Monitoring by year"))
st.caption(
    tr(
        "ค่าของทุกเป้าหมายและตัวชี้วัด ณ สิ้นปีที่เลือก ตามวันที่ในทะเบียน (องค์กรนับจากวันจดทะเบียน สภาฯ จากวันจัดตั้ง "
        "โครงการจากวันเริ่ม และนับว่าเสร็จจากวันแล้วเสร็จ แผนจากปีของแผนและวันประกาศใช้) "
        "ระเบียนที่ไม่มีวันที่นับเฉพาะปีปัจจุบัน "
        "กรณีที่ดินไม่มีวันที่จึงแสดงตามสภาพปัจจุบัน · ข้อมูลสาธิต",
        "Every target and indicator as at the end of the chosen year, by the records' dates "
        "(organisations from registration, councils from establishment, projects from their "
        "start and completed from their completion date, plans from their years and adoption). "
        "Records without a date count in the current year only; land cases carry no date and "
        "show as they stand · demo data",
    )
)
years = years_available()
year = st.select_slider(
    tr("ปี", "Year"), years, value=years[-1], format_func=year_label, key="monitor_year"
)
regions = areas(con, grouping, "region")
clusters = areas(con, grouping, "cluster")
choices = {"": tr("ทั้งประเทศ", "Whole country")}
for level, frame in (("region", regions), ("cluster", clusters)):
    for r in frame.itertuples():
        choices[f"{level}:{r.code}"] = tr("ภาค: " if level == "region" else "กลุ่มจังหวัด: ", "")
        choices[f"{level}:{r.code}"] += r.name_th if L == "th" else r.name_en
area = st.selectbox(tr("พื้นที่", "Area"), list(choices), format_func=choices.get, key="monitor_area")
area_level, _, area_code = area.partition(":")

with as_of_year(con, int(year)) as cur:
    targets = list_targets(cur)
    prog = progress(cur, grouping, targets)
    values = compute_all(cur, grouping, levels=("region", "cluster"))

# --- targets at the year
st.subheader(tr(f"เป้าหมาย ณ สิ้นปี {year_label(year)}", f"Targets at the end of {year_label(year)}"))
rows = []
for t in targets:
    mine = prog[(prog["target"] == t.key)]
    mine = (
        mine[(mine["level"] == area_level) & (mine["code"] == area_code)]
        if area
        else mine[mine["level"] == "nation"]
    )
    row = mine.iloc[0] if len(mine) else None
    rows.append(
        {
            tr("เป้าหมาย", "Target"): t.name(L),
            tr("นิยาม", "Definition"): t.definition(L),
            tr("ส่วนของเป้า", "Target share"): fmt(row["target_share"] if row is not None else None),
            tr("ค่าที่วัดได้", "Measured"): fmt(row["current"] if row is not None else None),
            "%": fmt(row["percent"] if row is not None else None, 1),
            tr("ตัวแทนเดิม (เทียบ)", "Former proxy (comparison)"): (
                fmt(row["proxy"])
                if row is not None and not t.is_proxy
                else tr("ยังใช้ตัวแทน", "still a proxy")
            ),
        }
    )
st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")

# --- every indicator at the year
st.subheader(tr("ตัวชี้วัดทั้งหมด", "Every indicator"))
regional = values[values["level"] == "region"]
table = []
for key, ind in indicators.items():
    if "region" not in ind.levels:
        continue
    here = regional[regional["key"] == key]
    if area:
        src = values[(values["level"] == area_level) & (values["pcode"] == area_code)]
        value = src[src["key"] == key]["value"].sum(min_count=1)
    else:
        num, den = here["num"].sum(), here["den"].sum()
        value = ind.scale * (num / den if ind.has_denominator and den else num)
        value = None if ind.has_denominator and not den else value
    table.append(
        {
            tr("ตัวชี้วัด", "Indicator"): ind.name(L),
            tr("ค่า", "Value"): fmt(value, ind.decimals),
            tr("หน่วย", "Unit"): ind.unit(L),
            tr("นิยาม", "Definition"): ind.definition(L),
        }
    )
st.dataframe(pd.DataFrame(table), hide_index=True, width="stretch", height=320)

# --- trends per region and cluster
st.subheader(tr("แนวโน้มรายภาคและกลุ่มจังหวัด", "Trends by region and cluster"))
trendable = {k: i for k, i in indicators.items() if "region" in i.levels}
by_target = {t.indicator_key: t for t in targets}
pick = st.selectbox(
    tr("ตัวชี้วัด", "Indicator"),
    list(trendable),
    index=list(trendable).index("plans_linked_tambons")
    if "plans_linked_tambons" in trendable
    else 0,
    format_func=lambda k: (
        trendable[k].name(L) + (tr(" (เป้าหมาย)", " (target)") if k in by_target else "")
    ),
    key="monitor_trend",
)
frame = trend(con, grouping, [pick], years)
names = {("region", r.code): r.name_th if L == "th" else r.name_en for r in regions.itertuples()}
names |= {
    ("cluster", c.code): f"{c.no}. " + (c.name_th if L == "th" else c.name_en)
    for c in clusters.itertuples()
}
frame["area"] = [
    names.get((lv, c), c) for lv, c in zip(frame["level"], frame["pcode"], strict=True)
]
frame["year_shown"] = frame["year"] + (543 if L == "th" else 0)
for level, title in (
    ("region", tr("รายภาค", "By region")),
    ("cluster", tr("รายกลุ่มจังหวัด", "By cluster")),
):
    st.altair_chart(
        alt.Chart(frame[frame["level"] == level], title=title)
        .mark_line(point=True)
        .encode(
            x=alt.X("year_shown:O", title=tr("ปี (พ.ศ.)", "Year")),
            y=alt.Y("value:Q", title=f"{trendable[pick].name(L)} ({trendable[pick].unit(L)})"),
            color=alt.Color("area:N", title=None, legend=alt.Legend(orient="right", columns=1)),
            tooltip=["area:N", "year_shown:O", alt.Tooltip("value:Q", format=",.1f")],
        )
        .properties(height=300 if level == "region" else 380),
        width="stretch",
    )

# --- the plans of a region or cluster rolled up
rolled_up_plans_section(con, grouping, int(year), regions, clusters, names)
con.close()
