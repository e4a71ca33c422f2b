"""The dashboard's shared readings (names, indicator labels, numbers) and its first
sections: the area's map with its figures, and the bar chart comparing it with the others."""

from __future__ import annotations

import re

import altair as alt
import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from analysis.catalogue import catalogue
from analysis.dashboard import rank_among
from data.settings import setting
from geo.mapping import View
from ui.auth import User
from ui.i18n import lang, tr
from ui.map_cache import map_for

LEVEL_TH = {"cluster": "กลุ่มจังหวัด", "region": "ภาค"}
LEVEL_EN = {"cluster": "Cluster", "region": "Region"}


def md(text: str) -> str:
    """Markdown-escape names a planner typed (groupings, targets) before st.markdown shows them."""
    return re.sub(r"([\\`*_{}\[\]()#+\-.!|<>~$])", r"\\\1", str(text))


def name_of(row) -> str:
    return row["name_th"] if lang() == "th" else row["name_en"]


def ind_label(key: str) -> str:
    ind = catalogue()[key]
    return ind.name(lang()) + (tr(" (ข้อมูลสาธิต)", " (demo)") if ind.demo_fed else "")


def fmt(value, decimals: int) -> str:
    return "–" if pd.isna(value) else f"{float(value):,.{decimals}f}"


def map_and_figures(
    user: User,
    grouping: str,
    level: str,
    code: str,
    indicator: str,
    table: pd.DataFrame,
    keys: tuple[str, ...],
) -> None:
    """The area on the map (left) and its value and rank for every indicator (right)."""
    L = lang()
    indicators = catalogue()
    area = table.set_index("code").loc[code]
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


def compared_with_others(
    table: pd.DataFrame, labels: dict, code: str, level: str, indicator: str
) -> None:
    """Every area of the level on one bar chart, the chosen one in red."""
    L = lang()
    indicators = catalogue()
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
