"""แดชบอร์ดกลุ่มจังหวัด / Cluster and region dashboards: provinces, map, indicators, targets,
comparison with the other clusters, the national assembly seats, and two groupings side by
side. Everything follows the grouping chosen in the sidebar."""

from __future__ import annotations

import streamlit as st

from analysis.catalogue import catalogue
from analysis.dashboard import DASHBOARD_INDICATORS, provinces_of
from ui.auth import require_role
from ui.dashboard_figures import (
    LEVEL_EN,
    LEVEL_TH,
    compared_with_others,
    ind_label,
    map_and_figures,
    md,
    name_of,
)
from ui.dashboard_groupings import assembly_section, groupings_section
from ui.dashboard_targets import targets_section
from ui.i18n import lang, tr
from ui.planning_cache import area_comparison
from ui.resources import current_grouping, cursor

user = require_role("viewer")
L = lang()
grouping = current_grouping()
con = cursor()
indicators = catalogue()

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
map_and_figures(user, grouping, level, code, indicator, table, keys)

# --- compared with the others
compared_with_others(table, labels, code, level, indicator)

# --- targets
targets_section(con, user, grouping, level, code, labels)

# --- the national assembly of seed 002
assembly_section(con, grouping)

# --- two groupings side by side
groupings_section(con, grouping, indicator)
con.close()
