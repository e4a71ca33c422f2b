"""The map page's navigation: the view kept in the URL query parameters (so a copied
link opens the same view), the place search, and the breadcrumb that goes up."""

from __future__ import annotations

import re

import streamlit as st

from geo import mapping
from geo.mapping import View
from ui.i18n import lang, tr
from ui.resources import gazetteer


def read_view(con, grouping: str) -> View:
    """The view the URL names, or the country view when the URL names none (or a bad one)."""
    params = st.query_params
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
    current = {k: st.query_params.get(k) for k in st.query_params}
    current.update(changes)
    st.query_params.from_dict({k: v for k, v in current.items() if v})


def go(view: View) -> None:
    """Show ``view``: write it into the URL (the next run reads it back)."""
    set_url(level=view.level, show=view.show, area=view.code)


def go_area(level: str, code: str | None, grouping: str) -> None:
    go(mapping.view_of(level, code, grouping))


def on_search(grouping: str) -> None:
    """Jump to the place typed, or keep the match to offer its candidates below."""
    text = (st.session_state.get("map_search") or "").strip()
    st.session_state.pop("map_search_result", None)
    if not text:
        return
    found = gazetteer().match(text)
    if found.pcode:
        go_area(found.level, found.pcode, grouping)
        st.session_state["map_search"] = ""
    else:
        st.session_state["map_search_result"] = found


def search(grouping: str) -> None:
    """Any province, amphoe or tambon by name (Thai or English) or P-code; a sure match
    jumps there, otherwise the candidates are offered as buttons."""
    st.text_input(
        tr(
            "ค้นหาพื้นที่ (ตำบล อำเภอ จังหวัด หรือรหัส)", "Find a place (tambon, amphoe, province or P-code)"
        ),
        key="map_search",
        placeholder=tr("เช่น ต.บางรัก กรุงเทพ", "e.g. Bang Rak"),
        on_change=on_search,
        args=(grouping,),
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
                go_area(cand.level, cand.pcode, grouping)
                st.rerun()


def breadcrumb(con, view: View, grouping: str) -> None:
    """Every level above the view; picking one goes up."""
    L = lang()
    crumbs = mapping.breadcrumb(con, view)
    crumb_pick = st.pills(
        tr("ตำแหน่ง", "You are here"),
        list(range(len(crumbs))),
        default=len(crumbs) - 1,
        format_func=lambda i: ("" if i == 0 else "› ") + crumbs[i].name(L),
        key=f"crumbs_{view.level}_{view.code}_{L}",
    )
    if crumb_pick is not None and crumb_pick != len(crumbs) - 1:
        go_area(crumbs[crumb_pick].level, crumbs[crumb_pick].code, grouping)
        st.rerun()
