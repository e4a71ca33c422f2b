"""The dashboard's targets section: progress of the area and the country, every area's
progress for one target, the notes, and (coordinators, analysts) adding targets."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from analysis.catalogue import catalogue
from analysis.targets import Target, TargetError, add_target, targets_from_csv
from ui.auth import User
from ui.dashboard_figures import LEVEL_TH, fmt, ind_label, md
from ui.i18n import lang, tr
from ui.plan_sections import target_notes
from ui.planning_cache import forget_targets, target_progress


def targets_section(con, user: User, grouping: str, level: str, code: str, labels: dict) -> None:
    """Strategic targets and progress for the chosen area."""
    L = lang()
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
            "Targets and indicators by year, with trends: "
            "the “Monitoring by year” page in the menu",
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
        add_targets(con, user, targets)


def add_targets(con, user: User, targets) -> None:
    """Add a target through a form, or many from a CSV."""
    L = lang()
    indicators = catalogue()
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
