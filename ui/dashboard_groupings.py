"""The dashboard's last sections: the national assembly's seats for the chosen grouping,
and two groupings side by side (with adding a grouping from a CSV)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analysis.catalogue import catalogue
from analysis.dashboard import assembly_seats, grouping_differences
from ui import grouping_upload
from ui.dashboard_figures import fmt, md
from ui.i18n import lang, tr
from ui.planning_cache import area_comparison
from ui.resources import forget_groupings, groupings


def assembly_section(con, grouping: str) -> None:
    """The national assembly of seed 002, recomputed for ``grouping``."""
    L = lang()
    st.subheader(tr("องค์ประกอบสมัชชาระดับชาติ", "National assembly composition"))
    seats = assembly_seats(con, grouping)
    seat_table = seats.assign(name=seats["name_th"] if L == "th" else seats["name_en"])[
        [
            "name",
            "provinces",
            "clusters",
            "province_seats",
            "cluster_seats",
            "region_seats",
            "seats",
        ]
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


def grouping_stored(name: str, summary: dict) -> None:
    forget_groupings()
    st.session_state["grouping_added"] = tr(
        f"บันทึกการจัดกลุ่ม {name} แล้ว: {summary['provinces']} จังหวัด "
        f"{summary['clusters']} กลุ่ม {summary['regions']} ภาค",
        f"Grouping {name} stored: {summary['provinces']} provinces, "
        f"{summary['clusters']} clusters, {summary['regions']} regions",
    )
    st.rerun()


def groupings_section(con, grouping: str, indicator: str) -> None:
    """The chosen grouping and another side by side, and the provinces placed differently."""
    L = lang()
    indicators = catalogue()
    st.subheader(tr("เทียบการจัดกลุ่มสองแบบ", "Two groupings side by side"))
    options = [g["name"] for g in groupings()]
    titles = {g["name"]: g["title_th"] if L == "th" else g["title_en"] for g in groupings()}
    others = [n for n in options if n != grouping]
    added = st.session_state.pop("grouping_added", None)
    if added:
        st.success(md(added))

    if not others:
        st.caption(
            tr(
                "มีการจัดกลุ่มเพียงแบบเดียว เพิ่มแบบใหม่จากไฟล์ CSV ด้านล่างเพื่อเทียบกัน",
                "Only one grouping exists; add another from a CSV below to compare them.",
            )
        )
    grouping_upload.section(grouping_stored)
    if others:
        other = st.selectbox(tr("เทียบกับ", "Compare with"), others, format_func=titles.get)
        left, right = st.columns(2)
        for col, name in ((left, grouping), (right, other)):
            with col:
                st.markdown(f"**{md(titles[name])}**")
                regions = area_comparison(name, "region", (indicator,))
                ind = indicators[indicator]
                shown = pd.DataFrame(
                    {
                        tr("ภาค", "Region"): regions["name_th"]
                        if L == "th"
                        else regions["name_en"],
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
            tr(
                f"จังหวัดที่อยู่ต่างกลุ่มหรือต่างภาค: {len(moved)}",
                f"Provinces placed differently: {len(moved)}",
            )
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
