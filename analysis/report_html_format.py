"""The printable report card's style sheet and cell formatting: fonts, A4 CSS, dates in
the Buddhist Era in Thai, numbers, names of coded values, breadcrumbs and tables (cells
already escaped). Part of :mod:`analysis.report_html` (every name is importable from
there).
"""

from __future__ import annotations

import math
from html import escape

import pandas as pd

from data import dates

#: Thai-capable fonts first (Debian fonts-thai-tlwg provides Loma, Garuda, Kinnari...).
FONT_STACK = (
    "'Sarabun', 'TH Sarabun New', 'Noto Sans Thai', 'Leelawadee UI', 'Loma', 'Garuda', "
    "'Tlwg Typo', 'Kinnari', 'Norasi', 'Tahoma', sans-serif"
)
LEVEL_NAMES = {
    "region": ("ภาค", "Region"),
    "cluster": ("กลุ่มจังหวัด", "Cluster"),
    "province": ("จังหวัด", "Province"),
    "amphoe": ("อำเภอ", "Amphoe"),
    "tambon": ("ตำบล", "Tambon"),
}
MAX_ROWS = 60  # long lists are cut in print; the page says how many are left out

CSS = f"""
@page {{ size: A4; margin: 14mm 12mm; }}
* {{ box-sizing: border-box; }}
body {{ font-family: {FONT_STACK}; color: #1d2733; margin: 0 auto; max-width: 190mm;
        font-size: 11pt; line-height: 1.45; background: #fff; padding: 8px; }}
h1 {{ font-size: 19pt; margin: 0 0 2px; color: #16486e; }}
h2 {{ font-size: 13pt; margin: 18px 0 6px; color: #16486e; border-bottom: 2px solid #d6e2ec;
      padding-bottom: 2px; break-after: avoid; }}
.crumbs {{ color: #51606f; font-size: 10pt; }}
.demo {{ background: #fff4d6; border: 1px solid #e8b730; padding: 6px 10px; margin: 8px 0;
         border-radius: 4px; font-weight: bold; }}
.top {{ display: flex; gap: 14px; align-items: flex-start; flex-wrap: wrap; }}
.map {{ flex: 0 0 auto; border: 1px solid #c9d4de; }}
.map svg {{ display: block; max-width: 100%; height: auto; }}
.legend {{ font-size: 9pt; color: #333; margin-top: 4px; }}
.legend span {{ margin-right: 10px; }}
.kpis {{ flex: 1 1 200px; display: grid; grid-template-columns: 1fr 1fr; gap: 6px; }}
.kpi {{ border: 1px solid #d6e2ec; border-radius: 4px; padding: 4px 8px; }}
.kpi b {{ display: block; font-size: 15pt; color: #16486e; }}
.kpi small {{ color: #51606f; }}
table {{ border-collapse: collapse; width: 100%; font-size: 9.5pt; margin: 4px 0;
         page-break-inside: auto; }}
th, td {{ border-bottom: 1px solid #e1e7ee; padding: 3px 5px; text-align: left;
          vertical-align: top; }}
th {{ background: #eef3f8; }}
td.n, th.n {{ text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }}
tr {{ break-inside: avoid; }}
.up {{ color: #1a7f37; }} .down {{ color: #b42318; }}
.note {{ color: #51606f; font-size: 9pt; }}
footer {{ margin-top: 18px; color: #51606f; font-size: 8.5pt; border-top: 1px solid #d6e2ec;
          padding-top: 4px; }}
"""


def _t(lang: str, th: str, en: str) -> str:
    return th if lang == "th" else en


def format_date(value, lang: str = "th") -> str:
    """A stored CE date shown in Thai as ``5 ก.พ. 2567`` (Buddhist Era), else ISO; escaped."""
    return escape(dates.format_date(value, lang))


def format_number(value, decimals: int = 0) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)) or pd.isna(value):
        return "–"
    return f"{float(value):,.{decimals}f}"


#: indicators that are a yes/no for one tambon (a share of tambons above it)
YES_NO = ("council_present",)


def _value(row, value, level: str, lang: str) -> tuple[str, str]:
    """(value, unit) of an indicator row as read on the card: a tambon has a council or
    not (yes/no), where a province has a share of tambons (%)."""
    if row.key in YES_NO and level == "tambon":
        if value is None or value != value:
            return "–", ""
        return (_t(lang, "มี", "Yes"), "") if value >= 50 else (_t(lang, "ไม่มี", "No"), "")
    return format_number(value, row.decimals), row.unit_th if lang == "th" else row.unit_en


def _name(pair: tuple[str, str] | None, lang: str, fallback: str = "") -> str:
    if not pair:
        return escape(str(fallback or "–"))
    return escape(pair[0] if lang == "th" else pair[1])


def _crumb(level: str, name: str, lang: str) -> str:
    """``อำเภอ เมือง``; no prefix when the name already says its level (ภาคเหนือ, กลุ่ม...)."""
    prefix = LEVEL_NAMES[level][0 if lang == "th" else 1]
    if lang == "th" and (name.startswith(prefix) or level in ("region", "cluster")):
        return escape(name)
    return f"{escape(prefix)} {escape(name)}"


def document_start(lang: str, title: str) -> list[str]:
    """The opening lines of a printable card: doctype, head with ``title`` (already
    escaped) and the style sheet, and the body's heading."""
    return [
        "<!DOCTYPE html>",
        f'<html lang="{lang}"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{title}</title>",
        f"<style>{CSS}</style></head><body>",
    ]


def demo_banner(lang: str) -> str:
    """The notice a card carries when any of its records are demonstration data."""
    return (
        '<div class="demo">'
        + _t(
            lang,
            "ข้อมูลสาธิต: รายงานนี้มีข้อมูลที่สร้างขึ้นเพื่อการสาธิต ไม่ใช่ข้อมูลจริง",
            "Demo data: this report includes generated demonstration records, not real ones",
        )
        + "</div>"
    )


def _table(headers: list[tuple[str, bool]], rows: list[list[str]], total: int) -> str:
    """Rows are already-escaped cell HTML; ``headers`` are (label, numeric)."""
    head = "".join(f'<th class="{"n" if n else ""}">{escape(h)}</th>' for h, n in headers)
    body = "".join(
        "<tr>"
        + "".join(
            f'<td class="{"n" if headers[i][1] else ""}">{cell}</td>' for i, cell in enumerate(r)
        )
        + "</tr>"
        for r in rows[:MAX_ROWS]
    )
    more = ""
    if total > MAX_ROWS:
        more = f'<p class="note">… +{total - MAX_ROWS:,}</p>'
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>{more}"
