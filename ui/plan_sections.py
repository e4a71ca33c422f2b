"""Page sections for community plans, shared by the priorities, dashboard and monitoring
pages (Streamlit glue over ``analysis.plan_gaps``, ``analysis.targets`` and
``analysis.report_plans``)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analysis.catalogue import catalogue
from analysis.monitoring import as_of_year
from analysis.plan_gaps import METHOD_EN, METHOD_TH, need_without_plan
from analysis.report_html_plans import plans_card_file_name, render_plans, render_plans_card
from analysis.report_plans import plan_section
from ui.i18n import lang, tr


def need_without_plan_section(con, grouping: str, within: str | None, top: int = 50) -> None:
    """ "Need without a plan": tambons with unmet need or evictions and no current plan."""
    L = lang()
    st.subheader(tr("ความเดือดร้อนที่ยังไม่มีแผนพัฒนาชุมชน", "Need without a plan"))
    frame = need_without_plan(con, grouping, within=within or None)
    st.caption(METHOD_TH if L == "th" else METHOD_EN)
    if frame.empty:
        st.info(tr("ไม่มีตำบลที่เดือดร้อนโดยไม่มีแผนในพื้นที่นี้", "No tambon with need and no plan here"))
        return
    counts = frame["plan_status"].value_counts()
    st.markdown(
        tr(
            f"**{len(frame):,}** ตำบล: ไม่มีแผน {counts.get('none', 0):,} · มีแต่ร่าง "
            f"{counts.get('draft', 0):,} · แผนสิ้นสุดแล้ว {counts.get('ended', 0):,} · "
            f"ครัวเรือนที่เดือดร้อนรวม {int(frame['at_stake'].sum()):,}",
            f"**{len(frame):,}** tambons: no plan {counts.get('none', 0):,} · draft only "
            f"{counts.get('draft', 0):,} · plan ended {counts.get('ended', 0):,} · "
            f"{int(frame['at_stake'].sum()):,} households at stake",
        )
    )
    shown = frame.head(int(top))
    view = pd.DataFrame(
        {
            "rank": shown["rank"],
            "tambon": shown["name_th"] if L == "th" else shown["name_en"],
            "amphoe": shown["amphoe_th"] if L == "th" else shown["amphoe_en"],
            "province": shown["province_th"] if L == "th" else shown["province_en"],
            "unmet": shown["unmet"],
            "eviction": shown["eviction"],
            "at_stake": shown["at_stake"],
            "plan": shown["plan_label"].str.split(" · ").str[0 if L == "th" else 1],
        }
    )
    st.dataframe(
        view,
        hide_index=True,
        width="stretch",
        height=360,
        column_config={
            "rank": st.column_config.NumberColumn(tr("อันดับ", "Rank"), width="small"),
            "tambon": tr("ตำบล", "Tambon"),
            "amphoe": tr("อำเภอ", "Amphoe"),
            "province": tr("จังหวัด", "Province"),
            "unmet": st.column_config.NumberColumn(
                tr("ยังไม่ได้รับการแก้ไข (ครัวเรือน)", "Unmet (households)"), format="%d"
            ),
            "eviction": st.column_config.NumberColumn(
                tr("เสี่ยงถูกไล่รื้อ (ครัวเรือน)", "Eviction threat (households)"), format="%d"
            ),
            "at_stake": st.column_config.ProgressColumn(
                tr("ครัวเรือนที่เดือดร้อน", "Households at stake"),
                min_value=0,
                max_value=float(frame["at_stake"].max()),
                format="%d",
            ),
            "plan": tr("แผนตำบล", "Tambon plan"),
        },
    )
    st.download_button(
        tr("ดาวน์โหลดรายการ (CSV)", "Download the list (CSV)"),
        frame.drop(columns=["plan_label"]).to_csv(index=False).encode("utf-8-sig"),
        file_name=f"need-without-plan-{grouping}-{(within or 'all').replace(':', '-')}.csv",
        mime="text/csv",
        key="need_without_plan_csv",
    )


def target_notes(targets, progress: pd.DataFrame, md) -> None:
    """Under the targets: each one's definition, and the proxy it replaced (with its value)
    or the proxy it is still measured by. ``md`` escapes planner-typed text."""
    L = lang()
    indicators = catalogue()
    nation = progress[progress["level"] == "nation"].set_index("target")
    for t in targets:
        line = f"**{md(t.name(L))}** — {md(t.definition(L))}"
        if t.is_proxy:
            line += f" ⚠️ {tr('ยังวัดด้วยตัวแทน', 'Still measured by a proxy')}: {md(t.proxy_note(L))}"
        elif t.proxy_indicator_key in indicators and t.key in nation.index:
            proxy = indicators[t.proxy_indicator_key]
            value = nation.loc[t.key, "proxy"]
            shown = "–" if pd.isna(value) else f"{value:,.0f}"
            line += (
                f" · {md(t.proxy_note(L))} — {tr('ค่าตัวแทนเพื่อเทียบ', 'proxy value for comparison')}"
                f" ({md(proxy.name(L))}): {shown}"
            )
        st.caption(line)


def area_names(frame: pd.DataFrame, code: str, level: str) -> tuple[str, str]:
    """(Thai, English) name of a cluster (with its number) or a region, for the card."""
    row = frame.set_index("code").loc[code]
    if level == "cluster":
        return f"ที่ {row['no']} · {row['name_th']}", f"{row['no']} · {row['name_en']}"
    return row["name_th"], row["name_en"]


def rolled_up_plans_section(
    con, grouping: str, year: int, regions: pd.DataFrame, clusters: pd.DataFrame, names: dict
) -> None:
    """The plans of a chosen region or cluster as at the end of ``year``, with a printable
    card to download. ``names`` maps (level, code) to the name shown in the list."""
    L = lang()
    st.subheader(tr("แผนพัฒนาชุมชนรายภาคและกลุ่มจังหวัด", "Community plans by region and cluster"))
    level = st.radio(
        tr("ระดับ", "Level"),
        ["cluster", "region"],
        format_func=lambda lv: (
            tr("กลุ่มจังหวัด", "Cluster") if lv == "cluster" else tr("ภาค", "Region")
        ),
        horizontal=True,
        key="monitor_plan_level",
    )
    frame = clusters if level == "cluster" else regions
    code = st.selectbox(
        tr("กลุ่มจังหวัด", "Cluster") if level == "cluster" else tr("ภาค", "Region"),
        frame["code"].tolist(),
        format_func=lambda c: names.get((level, c), c),
        key=f"monitor_{level}",
    )
    with as_of_year(con, year) as cur:
        section = plan_section(cur, level, code, grouping)
    # the section is this program's own HTML: every record's text in it is escaped
    st.html(render_plans(section, L))
    label = (
        tr(
            "ดาวน์โหลดรายงานแผนของกลุ่มจังหวัด (HTML พิมพ์ได้)",
            "Download the cluster's plans report (printable HTML)",
        )
        if level == "cluster"
        else tr(
            "ดาวน์โหลดรายงานแผนของภาค (HTML พิมพ์ได้)",
            "Download the region's plans report (printable HTML)",
        )
    )
    names_of_area = area_names(frame, code, level)
    st.download_button(
        label,
        # built when the button is pressed, not on every run of the page
        lambda: render_plans_card(section, names_of_area, grouping, L),
        file_name=plans_card_file_name(section),
        mime="text/html",
        key="monitor_plans_card",
    )
