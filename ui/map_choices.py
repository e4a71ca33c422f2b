"""The map page's choices beside the map: the level shown, the indicator, the classes,
the layers, and an area inside this one to open. Each change is written into the URL.

Keys carry the language: a select keeps showing the label it drew, so after switching
language a select under the same key would still read in the other language.
"""

from __future__ import annotations

import streamlit as st

from geo import mapping
from geo.mapping import View
from ui.i18n import lang, tr
from ui.map_navigation import go, go_area, set_url


def choices(
    con,
    side,
    view: View,
    grouping: str,
    indicators: dict,
    indicator_key: str,
    method: str,
    allowed_layers: dict,
    layer_keys: tuple[str, ...],
) -> None:
    """The selects in the ``side`` column; a change reruns the page on the new URL."""
    L = lang()
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
            go_area(down, target, grouping)
            st.rerun()
