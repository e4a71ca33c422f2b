"""Choropleth values: an indicator's values for the areas of a shape file, classed and
coloured, and the legend that explains them. Part of :mod:`geo.mapping` (every name is
importable from there).
"""

from __future__ import annotations

import html
from dataclasses import dataclass

from analysis.catalogue import Indicator, compute
from analysis.catalogue import get as get_indicator
from geo.classify import NO_DATA_COLOR, Classes, classify
from geo.map_views import View
from geo.shape_files import ShapeFile


@dataclass(frozen=True)
class Choropleth:
    """An indicator's values for the areas of a shape file, classed and coloured."""

    indicator: Indicator
    values: tuple[float | None, ...]
    classes: Classes
    method: str


def choropleth(
    con, view: View, shapes: ShapeFile, indicator_key: str, method: str = "quantiles", k: int = 5
) -> Choropleth:
    """Values of ``indicator_key`` for the areas in ``shapes``, classed by ``method``."""
    indicator = get_indicator(indicator_key)
    if view.show not in indicator.levels:
        raise ValueError(f"indicator {indicator_key!r} is not defined for {view.show}")
    within = view.code if view.level in ("province", "amphoe", "tambon") else None
    frame = compute(con, indicator_key, view.show, view.grouping, within)
    by_code = dict(zip(frame["pcode"].astype(str), frame["value"], strict=True))
    values = []
    for code in shapes.codes:
        v = by_code.get(code)
        values.append(None if v is None or v != v else round(float(v), indicator.decimals + 2))
    classes = classify(values, method, k, indicator.higher_is)
    return Choropleth(indicator, tuple(values), classes, classes.method.value)


def format_number(value: float | None, decimals: int) -> str:
    if value is None:
        return "–"
    return f"{value:,.{decimals}f}"


def legend_rows(ch: Choropleth, lang: str = "th") -> list[tuple[str, str]]:
    """(colour, label) per class, plus no-data when some area has no value."""
    d = ch.indicator.decimals
    rows = []
    b = ch.classes.breaks
    for i, color in enumerate(ch.classes.colors):
        if b[i] == b[i + 1]:  # one value only (the lowest of a few distinct ones)
            label = format_number(b[i + 1], d)
        else:  # a range, upper edge included (with few distinct values: from the one below)
            label = f"{format_number(b[i], d)} – {format_number(b[i + 1], d)}"
        rows.append((color, label))
    if -1 in ch.classes.labels:
        rows.append((NO_DATA_COLOR, "ไม่มีข้อมูล" if lang == "th" else "No data"))
    return rows


def legend_html(ch: Choropleth, lang: str = "th") -> str:
    """The legend as escaped HTML: indicator, unit, method, classes, demo note."""
    ind = ch.indicator
    method = {
        "quantiles": ("ควอนไทล์", "quantiles"),
        "natural_breaks": ("ช่วงธรรมชาติ (Jenks)", "natural breaks (Jenks)"),
    }[ch.method]
    esc = html.escape
    parts = [
        f'<div style="font-weight:600">{esc(ind.name(lang))}</div>',
        f'<div style="color:#555">{esc(ind.unit(lang))} · '
        f"{esc(method[0] if lang == 'th' else method[1])}</div>",
    ]
    for color, label in legend_rows(ch, lang):
        parts.append(
            f'<div><span style="display:inline-block;width:14px;height:10px;'
            f'background:{color};border:1px solid #999;margin-right:4px"></span>'
            f"{esc(label)}</div>"
        )
    if ind.demo_fed:
        parts.append(
            '<div style="color:#b35806;font-weight:600">'
            + esc("ข้อมูลสาธิต" if lang == "th" else "Demo data")
            + "</div>"
        )
    return "".join(parts)
