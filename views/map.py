"""แผนที่ / Map explorer: the whole country down to a tambon, coloured by an indicator.

The view (level, area, what it shows, indicator, classes, layers, grouping) lives in the
URL query parameters, so a copied link opens the same view.
"""

from __future__ import annotations

import re

import streamlit as st
from streamlit_folium import st_folium

from analysis.catalogue import catalogue, default_indicator
from data.settings import setting
from geo import mapping
from geo.mapping import View
from ui.auth import require_role
from ui.i18n import lang, tr
from ui.map_cache import map_for
from ui.resources import current_grouping, cursor, gazetteer

user = require_role("viewer")
L = lang()
grouping = current_grouping()
con = cursor()
params = st.query_params


def read_view() -> View:
    """The view the URL names, or the country view when the URL names none (or a bad one)."""
    level = params.get("level", "country")
    code = params.get("area") or None
    try:
        if level != "country":
            mapping.breadcrumb(con, View(level, code, mapping.child_level(level), grouping))
        return mapping.view_of(
            level, code if level != "country" else None, grouping, params.get("show")
        )
    except (KeyError, ValueError):
        return mapping.view_of("country", None, grouping, params.get("show"))


def set_url(**changes: str | None) -> None:
    """Change some query parameters in one step (None removes one)."""
    current = {k: params.get(k) for k in params}
    current.update(changes)
    params.from_dict({k: v for k, v in current.items() if v})


def go(view: View) -> None:
    """Show ``view``: write it into the URL (the next run reads it back)."""
    set_url(level=view.level, show=view.show, area=view.code)


def go_area(level: str, code: str | None) -> None:
    go(mapping.view_of(level, code, grouping))


view = read_view()
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


def on_search() -> None:
    """Jump to the place typed, or keep the match to offer its candidates below."""
    text = (st.session_state.get("map_search") or "").strip()
    st.session_state.pop("map_search_result", None)
    if not text:
        return
    found = gazetteer().match(text)
    if found.pcode:
        go_area(found.level, found.pcode)
        st.session_state["map_search"] = ""
    else:
        st.session_state["map_search_result"] = found


st.text_input(
    tr("ค้นหาพื้นที่ (ตำบล อำเภอ จังหวัด หรือรหัส)", "Find a place (tambon, amphoe, province or P-code)"),
    key="map_search",
    placeholder=tr("เช่น ต.บางรัก กรุงเทพ", "e.g. Bang Rak"),
    on_change=on_search,
)
found = st.session_state.get("map_search_result")
if found is not None:
    if found.status == "ambiguous" and found.candidates:
        st.caption(tr("พบหลายแห่ง เลือกหนึ่งแห่ง:", "Several places match; pick one:"))
    else:
        # echo the search without markdown, so typed [links](...) or images stay text
        typed = re.sub(r"[\\`*_\[\]()#!<>|~]", "", st.session_state.get("map_search", ""))[:80]
        st.warning(tr(f"ไม่พบพื้นที่ชื่อ “{typed}”", f"No place called “{typed}” was found"))
        if found.candidates:
            st.caption(tr("หรือหมายถึง:", "Did you mean:"))
    for cand in found.candidates[:6]:
        label = f"{cand.path_th or cand.name_th} ({cand.name_en}, {cand.pcode})"
        if st.button(label, key=f"cand_{cand.pcode}"):
            st.session_state.pop("map_search_result", None)
            go_area(cand.level, cand.pcode)
            st.rerun()

# --- breadcrumb: every level above; picking one goes up
crumbs = mapping.breadcrumb(con, view)
crumb_pick = st.pills(
    tr("ตำแหน่ง", "You are here"),
    list(range(len(crumbs))),
    default=len(crumbs) - 1,
    format_func=lambda i: ("" if i == 0 else "› ") + crumbs[i].name(L),
    key=f"crumbs_{view.level}_{view.code}_{L}",
)
if crumb_pick is not None and crumb_pick != len(crumbs) - 1:
    go_area(crumbs[crumb_pick].level, crumbs[crumb_pick].code)
    st.rerun()

# --- what to show: child level, indicator, classes, layers
# (keys carry the language: a select keeps showing the label it drew, so after switching
# language a select under the same key would still read in the other language)
# map on the left (first on a phone), the choices beside it
map_col, side = st.columns([3, 1], gap="medium")
levels = mapping.showable_levels(view.level)
if len(levels) > 1:  # a tambon shows only itself
    show = side.selectbox(
        tr("แสดงระดับ", "Show areas as"),
        levels,
        index=levels.index(view.show),
        format_func=lambda lv: mapping.level_name(lv, L),
        key=f"show_{view.level}_{view.code}_{L}",
    )
    if show != view.show:
        go(mapping.with_show(view, show))
        st.rerun()
keys = list(indicators)
picked = side.selectbox(
    tr("ตัวชี้วัด", "Indicator"),
    keys,
    index=keys.index(indicator_key),
    format_func=lambda k: (
        indicators[k].name(L)
        + (tr(" (ข้อมูลสาธิต)", " (demo data)") if indicators[k].demo_fed else "")
    ),
    key=f"map_indicator_{L}",
)
if picked != indicator_key:
    set_url(ind=picked)
    st.rerun()
methods = {
    "quantiles": tr("ควอนไทล์", "Quantiles"),
    "natural_breaks": tr("ช่วงธรรมชาติ", "Natural breaks"),
}
picked_method = side.selectbox(
    tr("แบ่งช่วง", "Classes"),
    list(methods),
    index=list(methods).index(method),
    format_func=methods.get,
    key=f"map_method_{L}",
)
if picked_method != method:
    set_url(method=picked_method)
    st.rerun()
if allowed_layers:
    chosen = side.multiselect(
        tr("ชั้นข้อมูล", "Layers"),
        list(allowed_layers),
        default=list(layer_keys),
        format_func=lambda k: (
            allowed_layers[k].name(L)
            + (tr(" (ข้อมูลสาธิต)", " (demo)") if allowed_layers[k].demo_fed else "")
        ),
        key=f"layers_{view.level}_{view.code}_{L}",
        placeholder=tr("เลือกชั้นข้อมูล", "Choose layers"),
    )
    if tuple(chosen) != layer_keys:
        set_url(layers=",".join(chosen) or None)
        st.rerun()

# --- go down: pick an area inside this one (or click it on the map)
if view.level != "tambon":
    down = view.show
    options_view = mapping.with_show(view, down)
    shapes = mapping.shape_file(con, options_view)
    if len(shapes.codes) > 400:
        down = mapping.child_level(view.level)
        shapes = mapping.shape_file(con, mapping.with_show(view, down))
    names = {
        code: (th if L == "th" else en)
        for code, (th, en) in zip(shapes.codes, shapes.names, strict=True)
    }
    target = side.selectbox(
        tr(
            f"เลือก{mapping.level_name(down, 'th')}เพื่อดูรายละเอียด",
            "Open "
            + ("an " if mapping.level_name(down, "en").lower()[0] in "aeiou" else "a ")
            + mapping.level_name(down, "en").lower(),
        ),
        [None, *sorted(names, key=names.get)],
        format_func=lambda c: "—" if c is None else names[c],
        key=f"down_{view.level}_{view.code}_{down}_{L}",
    )
    if target:
        go_area(down, target)
        st.rerun()

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
            go_area(view.show, code)
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
