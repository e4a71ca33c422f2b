"""พื้นที่เร่งด่วน / Priority tambons: housing need against supply, ranked with the planner's
weights and distance; the method is written on the page."""

from __future__ import annotations

import altair as alt
import streamlit as st
from streamlit_folium import st_folium

from analysis.dashboard import areas
from analysis.priorities import METHOD_EN, METHOD_TH, PriorityParams, priority_map, score
from ui.auth import require_role
from ui.i18n import lang, tr
from ui.plan_sections import need_without_plan_section
from ui.planning_cache import priority_candidates
from ui.resources import current_grouping, cursor

require_role("viewer")
L = lang()
grouping = current_grouping()
con = cursor()

st.title(tr("พื้นที่เร่งด่วน: ความต้องการที่อยู่อาศัยเทียบกับการแก้ไข", "Priority tambons: need against supply"))
st.info(
    tr(
        "ข้อมูลสาธิต: องค์กร สภา โครงการบ้านมั่นคง กรณีที่ดิน และคำร้องในระบบนี้สร้างขึ้นเพื่อการสาธิต ไม่ใช่ข้อมูลจริง",
        "Demo data: the organizations, councils, Baan Mankong projects, land cases and need "
        "reports here are generated for demonstration, not real records.",
    )
)

# --- the planner's parameters
with st.container(border=True):
    c1, c2, c3, c4 = st.columns(4)
    w_need = c1.slider(tr("น้ำหนัก: ความต้องการ", "Weight: need"), 0.0, 10.0, 5.0, 0.5)
    w_gap = c2.slider(tr("น้ำหนัก: ไม่มีโครงการใกล้", "Weight: no project near"), 0.0, 10.0, 3.0, 0.5)
    w_ready = c3.slider(tr("น้ำหนัก: ความพร้อม", "Weight: readiness"), 0.0, 10.0, 2.0, 0.5)
    distance = c4.slider(tr("ระยะ (กม.)", "Distance (km)"), 1, 50, 5)
    s1, s2 = st.columns([2, 1])
    regions = areas(con, grouping, "region")
    clusters = areas(con, grouping, "cluster")
    scopes = {"": tr("ทั้งประเทศ", "Whole country")}
    for r in regions.itertuples():
        scopes[f"region:{r.code}"] = tr("ภาค: ", "Region: ") + (
            r.name_th if L == "th" else r.name_en
        )
    for c in clusters.itertuples():
        scopes[f"cluster:{c.code}"] = tr("กลุ่มจังหวัด: ", "Cluster: ") + (
            c.name_th if L == "th" else c.name_en
        )
    within = s1.selectbox(tr("พื้นที่", "Area"), list(scopes), format_func=scopes.get)
    top = s2.number_input(tr("แสดงกี่อันดับ", "How many to show"), 10, 500, 50, 10)

if w_need + w_gap + w_ready <= 0:
    st.warning(tr("ต้องมีน้ำหนักอย่างน้อยหนึ่งด้านมากกว่าศูนย์", "At least one weight must be above zero"))
    st.stop()
params = PriorityParams(w_need, w_gap, w_ready, float(distance))
ranked = score(priority_candidates(grouping, within or None, float(distance)), params)

st.caption(
    tr(
        f"ตำบลที่ยังมีความต้องการที่ไม่ได้รับการแก้ไข {len(ranked):,} ตำบล · "
        f"ไม่มีโครงการบ้านมั่นคงภายใน {distance} กม. {int((~ranked['project_near']).sum()):,} ตำบล"
        if len(ranked)
        else "ไม่มีตำบลที่มีความต้องการที่ยังไม่ได้รับการแก้ไขในพื้นที่นี้",
        f"{len(ranked):,} tambons with unmet need · "
        f"{int((~ranked['project_near']).sum()):,} without a Baan Mankong project within "
        f"{distance} km"
        if len(ranked)
        else "No tambon with unmet need in this area",
    )
)

shown = ranked.head(int(top))
st_folium(
    priority_map(con, ranked, L, top=int(top)),
    key="priority_map",
    height=480,
    use_container_width=True,
    returned_objects=[],
)
st.caption(
    tr(
        f"{int(top)} อันดับแรก · สีแดงเข้ม = คะแนนสูง · จุดสีเขียว = โครงการบ้านมั่นคง (ข้อมูลสาธิต)",
        f"The top {int(top)} · darker red = higher score · green dots = Baan Mankong projects "
        "(demo data)",
    )
)
with st.container():
    view = shown.assign(
        tambon=shown["name_th"] if L == "th" else shown["name_en"],
        province=shown["province_th"] if L == "th" else shown["province_en"],
        council=shown["council"].map({True: "✓", False: "–"}),
    )[
        [
            "rank",
            "tambon",
            "amphoe_th",
            "province",
            "score",
            "unmet",
            "nearest_km",
            "council",
            "savings_groups",
        ]
    ]
    st.dataframe(
        view,
        hide_index=True,
        width="stretch",
        height=520,
        column_config={
            "rank": st.column_config.NumberColumn(tr("อันดับ", "Rank"), width="small"),
            "tambon": tr("ตำบล", "Tambon"),
            "amphoe_th": tr("อำเภอ", "Amphoe"),
            "province": tr("จังหวัด", "Province"),
            "score": st.column_config.ProgressColumn(
                tr("คะแนน", "Score"), min_value=0, max_value=100, format="%.0f"
            ),
            "unmet": st.column_config.NumberColumn(
                tr("ยังไม่ได้รับการแก้ไข (ครัวเรือน)", "Unmet (households)"), format="%d"
            ),
            "nearest_km": st.column_config.NumberColumn(
                tr("โครงการใกล้สุด (กม.)", "Nearest project (km)"), format="%.1f"
            ),
            "council": tr("สภาฯ", "Council"),
            "savings_groups": st.column_config.NumberColumn(
                tr("กลุ่มออมทรัพย์", "Savings groups"), format="%d"
            ),
        },
    )
    st.download_button(
        tr("ดาวน์โหลดอันดับ (CSV)", "Download the ranking (CSV)"),
        ranked.drop(columns=["region_code"]).to_csv(index=False).encode("utf-8-sig"),
        file_name=f"priorities-{grouping}-{within.replace(':', '-') or 'all'}.csv",
        mime="text/csv",
    )
if len(shown):
    parts = shown.head(20).assign(
        label=lambda f: (
            f["rank"].astype(str) + ". " + (f["name_th"] if L == "th" else f["name_en"])
        ),
        need=lambda f: 100 * params.w_need * f["need_score"] / params.total_weight,
        gap=lambda f: 100 * params.w_gap * f["gap_score"] / params.total_weight,
        ready=lambda f: 100 * params.w_ready * f["readiness"] / params.total_weight,
    )
    names = {
        "need": tr("ความต้องการ", "Need"),
        "gap": tr("ไม่มีโครงการใกล้", "No project near"),
        "ready": tr("ความพร้อม", "Readiness"),
    }
    long = parts.melt(id_vars=["label", "rank"], value_vars=list(names), var_name="part")
    long["part"] = long["part"].map(names)
    st.subheader(tr("คะแนนของ 20 อันดับแรกแยกตามด้าน", "What makes up the top 20 scores"))
    st.altair_chart(
        alt.Chart(long)
        .mark_bar()
        .encode(
            x=alt.X("value:Q", title=tr("คะแนน", "Score"), scale=alt.Scale(domain=[0, 100])),
            y=alt.Y(
                "label:N", sort=alt.SortField("rank"), title=None, axis=alt.Axis(labelOverlap=False)
            ),
            color=alt.Color("part:N", title=None, legend=alt.Legend(orient="bottom", columns=3)),
            tooltip=["label:N", "part:N", alt.Tooltip("value:Q", format=".1f")],
        )
        .properties(height=420),
        width="stretch",
    )

need_without_plan_section(con, grouping, within or None, int(top))

with st.expander(tr("วิธีคิดคะแนน", "How the score is computed"), expanded=True):
    st.markdown(METHOD_TH if L == "th" else METHOD_EN)
    st.markdown(
        tr(
            f"น้ำหนักที่ใช้ตอนนี้: ความต้องการ {w_need:g} · ไม่มีโครงการใกล้ {w_gap:g} "
            f"(ระยะ {distance} กม.) · ความพร้อม {w_ready:g}",
            f"Weights now: need {w_need:g} · no project near {w_gap:g} (within {distance} km) "
            f"· readiness {w_ready:g}",
        )
    )
con.close()
