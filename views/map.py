"""แผนที่ / Map explorer: the whole country down to a tambon, coloured by an indicator.

The view (level, area, what it shows, indicator, classes, layers, grouping) lives in the
URL query parameters, so a copied link opens the same view.
"""

from __future__ import annotations

import streamlit as st
from streamlit_folium import st_folium

from analysis.catalogue import catalogue, default_indicator
from data.settings import setting
from geo import mapping
from ui.auth import require_role
from ui.i18n import lang, tr
from ui.map_cache import map_for
from ui.map_choices import choices
from ui.map_navigation import breadcrumb, go_area, read_view, search, set_url
from ui.resources import current_grouping, cursor

user = require_role("viewer")
L = lang()
grouping = current_grouping()
con = cursor()
params = st.query_params

view = read_view(con, grouping)
indicators = {k: i for k, i in catalogue().items() if view.show in i.levels}
indicator_key = (
    params.get("ind") if params.get("ind") in indicators else default_indicator(indicators)
)
method = (
    params.get("method") if params.get("method") in ("quantiles", "natural_breaks") else "quantiles"
)
allowed_layers = mapping.layer_choices(user, view)
layer_keys = tuple(k for k in params.get("layers", "").split(",") if k in allowed_layers)
set_url(
    level=view.level,
    show=view.show,
    area=view.code,
    ind=indicator_key,
    method=method,
    grouping=grouping,
    layers=",".join(layer_keys) or None,
)

st.title(tr("แผนที่ชุมชน", "Community map"))

# --- search: any province, amphoe or tambon by name (Thai or English) or P-code
search(grouping)

# --- breadcrumb: every level above; picking one goes up
breadcrumb(con, view, grouping)

# --- what to show: child level, indicator, classes, layers; an area to open
# map on the left (first on a phone), the choices beside it
map_col, side = st.columns([3, 1], gap="medium")
choices(con, side, view, grouping, indicators, indicator_key, method, allowed_layers, layer_keys)

# --- the map
result = map_for(view, indicator_key, method, L, layer_keys, user, setting("PHANG_BASEMAP"))
ind = result.choropleth.indicator
if ind.demo_fed:
    map_col.info(
        tr(
            "ตัวชี้วัดนี้คำนวณจากข้อมูลสาธิต ไม่ใช่ข้อมูลจริง",
            "This indicator is computed from demo data, not real records.",
        )
    )
demo_layers: dict[str, list[str]] = {}  # one line per demo note, naming its layers
for key in result.layers_drawn:
    if allowed_layers[key].demo_fed:
        demo_layers.setdefault(allowed_layers[key].demo_note(L), []).append(
            allowed_layers[key].name(L)
        )
for note, names in demo_layers.items():
    map_col.caption(f"⚠ {note}: {', '.join(names)}")
for key, cut in result.layers_cut.items():
    map_col.caption(
        tr(
            f"{allowed_layers[key].name(L)}: แสดงไม่ครบ (ตัด {cut:,} จุด) ซูมเข้าเพื่อดูเพิ่ม",
            f"{allowed_layers[key].name(L)}: {cut:,} features not drawn; zoom in",
        )
    )
with map_col:
    state = st_folium(
        result.map,
        key="map",
        height=560,
        use_container_width=True,
        returned_objects=["last_clicked"],
    )
click = (state or {}).get("last_clicked")
if click and view.level != "tambon":
    seen = (view, round(click["lat"], 6), round(click["lng"], 6))
    if st.session_state.get("map_last_click") != seen:
        st.session_state["map_last_click"] = seen
        code = mapping.area_at(con, view, click["lng"], click["lat"])
        if code:
            go_area(view.show, code, grouping)
            st.rerun()

if len(result.shapes.codes) > 1:
    with map_col.expander(tr("พื้นที่ที่มีค่าสูงสุดและต่ำสุด", "Highest and lowest areas")):
        for highest, title in ((True, tr("สูงสุด", "Highest")), (False, tr("ต่ำสุด", "Lowest"))):
            rows = mapping.ranking(result, 10, highest)
            st.caption(title)
            st.dataframe(
                [
                    {
                        tr("พื้นที่", "Area"): r["name_th"] if L == "th" else r["name_en"],
                        tr("รหัส", "P-code"): r["pcode"],
                        f"{ind.name(L)} ({ind.unit(L)})": mapping.format_number(
                            r["value"], ind.decimals
                        ),
                    }
                    for r in rows
                ],
                hide_index=True,
                width="stretch",
            )

map_col.caption(
    tr(
        f"{ind.definition('th')} · ขอบเขตการปกครอง: OCHA COD-AB (กรมแผนที่ทหาร 2565)",
        f"{ind.definition('en')} · Boundaries: OCHA COD-AB (Royal Thai Survey Dept., 2022)",
    )
)
con.close()
