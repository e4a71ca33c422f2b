"""The printable report card: one self-contained HTML file (รายงานพื้นที่ฉบับพิมพ์).

Inline CSS, the map as inline SVG, no script and no request to anywhere: the file opens
offline in any browser and prints on A4. Every text that came from a record is escaped.
Thai views show dates in the Buddhist Era (พ.ศ. = ค.ศ. + 543).
"""

from __future__ import annotations

import math
from html import escape

import pandas as pd

from analysis.report_card import (
    LANDOWNER_NAMES,
    MARKER_STYLE,
    ORG_TYPE_NAMES,
    STAGE_NAMES,
    STATUS_NAMES,
    TENURE_NAMES,
    ReportCard,
    card_markers,
    svg_map,
)
from analysis.report_html_plans import render_plans
from data import dates
from data.need_reports import PROBLEMS

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


def render_html(card: ReportCard, lang: str = "th") -> str:
    """The printable, self-contained HTML of ``card`` in ``lang`` (``"th"`` or ``"en"``)."""
    if lang not in ("th", "en"):
        raise ValueError(f"lang must be 'th' or 'en', not {lang!r}")
    L = lang
    level_name = _name(LEVEL_NAMES[card.level], L)
    title = f"{level_name}{'' if L == 'th' else ' '}{escape(card.name(L))}"
    crumbs = " › ".join(_crumb(lv, th if L == "th" else en, L) for lv, th, en in card.parents)
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{L}"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_t(L, 'รายงานพื้นที่', 'Report card')}: {title}</title>",
        f"<style>{CSS}</style></head><body>",
        f"<h1>{_t(L, 'รายงานพื้นที่', 'Report card')} · {title}</h1>",
        f'<div class="crumbs">{crumbs} · {escape(card.pcode)}</div>',
    ]
    if card.has_demo:
        parts.append(
            '<div class="demo">'
            + _t(
                L,
                "ข้อมูลสาธิต: รายงานนี้มีข้อมูลที่สร้างขึ้นเพื่อการสาธิต ไม่ใช่ข้อมูลจริง",
                "Demo data: this report includes generated demonstration records, not real ones",
            )
            + "</div>"
        )
    svg = svg_map(
        card.area_wkb, card.child_wkb, card_markers(card), title=card.name(L), width=420, height=320
    )
    legend = "".join(
        f'<span style="color:{MARKER_STYLE[k][0]}">{MARKER_STYLE[k][1]}</span>'
        f"<span>{escape(label)}</span>"
        for k, label in (
            ("project", _t(L, "โครงการบ้านมั่นคง", "Baan Mankong project")),
            ("land", _t(L, "กรณีที่ดิน", "Land case")),
            ("need", _t(L, "ความเดือดร้อนที่ตรวจสอบแล้ว", "Verified need")),
        )
    )
    parts.append(
        f'<div class="top"><div><div class="map">{svg}</div>'
        f'<div class="legend">{legend}</div></div><div class="kpis">'
    )
    for row in card.indicators.head(8).itertuples():
        parts.append(
            f'<div class="kpi"><small>{escape(row.name_th if L == "th" else row.name_en)}'
            f"</small><b>{format_number(row.value, row.decimals)}</b>"
            f"<small>{escape(row.unit_th if L == 'th' else row.unit_en)}</small></div>"
        )
    parts.append("</div></div>")

    parts.append(f"<h2>{_t(L, 'ตัวชี้วัด', 'Indicators')}</h2>")
    compare_col = (
        _t(L, "จังหวัด", "Province") if card.level == "tambon" else _t(L, "ทั้งประเทศ", "Country")
    )
    rows = []
    for r in card.indicators.itertuples():
        other = r.province_value if card.level == "tambon" else r.national_value
        rows.append(
            [
                escape(r.name_th if L == "th" else r.name_en)
                + (" *" if r.demo_fed and card.has_demo else ""),
                format_number(r.value, r.decimals),
                format_number(other, r.decimals),
                escape(r.unit_th if L == "th" else r.unit_en),
            ]
        )
    parts.append(
        _table(
            [
                (_t(L, "ตัวชี้วัด", "Indicator"), False),
                (_t(L, "พื้นที่นี้", "This area"), True),
                (compare_col, True),
                (_t(L, "หน่วย", "Unit"), False),
            ],
            rows,
            len(rows),
        )
    )
    if card.has_demo:
        parts.append(
            f'<p class="note">* {_t(L, "คำนวณจากข้อมูลสาธิต", "computed from demo data")}</p>'
        )

    a, b = format_date(card.date_a, L), format_date(card.date_b, L)
    parts.append(f"<h2>{_t(L, 'การเปลี่ยนแปลง', 'Change')} ({a} → {b})</h2>")
    rows = []
    for m in card.measures:
        arrow = "up" if m.change > 0 else "down" if m.change < 0 else ""
        note = (
            f' <span class="note">({_t(L, "ไม่มีวันที่", "undated")} {m.undated:,})</span>'
            if m.undated
            else ""
        )
        rows.append(
            [
                escape(m.name_th if L == "th" else m.name_en) + note,
                format_number(m.at_a),
                format_number(m.at_b),
                f'<span class="{arrow}">{m.change:+,.0f}</span>',
                escape(m.unit_th if L == "th" else m.unit_en),
            ]
        )
    parts.append(
        _table(
            [
                (_t(L, "รายการ", "Measure"), False),
                (a, True),
                (b, True),
                (_t(L, "เปลี่ยนแปลง", "Change"), True),
                (_t(L, "หน่วย", "Unit"), False),
            ],
            rows,
            len(rows),
        )
    )
    parts.append(
        f'<p class="note">{_t(L, "นับจากวันที่ในทะเบียน: วันจดทะเบียนกลุ่ม วันจัดตั้งสภา วันเริ่มและวันเสร็จของโครงการ และวันที่ตรวจสอบคำร้อง กรณีที่ดินไม่มีวันที่จึงแสดงตามสถานะปัจจุบัน", "Counted from the dates on the records: registration, establishment, project start and completion, and need verification. Land cases carry no date and are shown as they stand.")}</p>'  # noqa: E501
    )

    if card.level == "province" and not card.tambons.empty:
        parts.append(f"<h2>{_t(L, 'ตำบลในจังหวัด', 'Tambons in the province')}</h2>")
        rows = []
        for r in card.tambons.itertuples():
            rows.append(
                [
                    escape(r.amphoe_th if L == "th" else r.amphoe_en),
                    escape(r.name_th if L == "th" else r.name_en),
                    format_number(getattr(r, "community_orgs", math.nan)),
                    "✓" if getattr(r, "council_present", 0) == 100 else "–",
                    format_number(getattr(r, "baan_mankong_households", math.nan)),
                    format_number(getattr(r, "insecure_land_households", math.nan)),
                    format_number(getattr(r, "need_verified_households", math.nan)),
                    format_number(getattr(r, "unmet_need_households", math.nan)),
                ]
            )
        rows.sort(key=lambda r: -float((r[7] if r[7] != "–" else "0").replace(",", "")))
        parts.append(
            _table(
                [
                    (_t(L, "อำเภอ", "Amphoe"), False),
                    (_t(L, "ตำบล", "Tambon"), False),
                    (_t(L, "องค์กร", "Orgs"), True),
                    (_t(L, "สภา", "Council"), False),
                    (_t(L, "บ้านมั่นคง (ครัวเรือน)", "Baan Mankong hh"), True),
                    (_t(L, "ที่ดินไม่มั่นคง (ครัวเรือน)", "Insecure land hh"), True),
                    (_t(L, "เดือดร้อน (ตรวจสอบแล้ว)", "Verified need hh"), True),
                    (_t(L, "ยังไม่ได้รับการแก้ไข", "Unmet need hh"), True),
                ],
                rows,
                len(rows),
            )
        )

    parts.append(f"<h2>{_t(L, 'องค์กรชุมชนและสภาองค์กรชุมชน', 'Organizations and council')}</h2>")
    if not card.org_types.empty:
        rows = [
            [
                _name(ORG_TYPE_NAMES.get(r.org_type), L, r.org_type),
                format_number(r.active),
                format_number(r.inactive),
                format_number(r.dissolved),
                format_number(r.members),
                format_number(r.capital_baht),
            ]
            for r in card.org_types.itertuples()
        ]
        parts.append(
            _table(
                [
                    (_t(L, "ประเภท", "Type"), False),
                    (_t(L, "ดำเนินการ", "Active"), True),
                    (_t(L, "ไม่เคลื่อนไหว", "Inactive"), True),
                    (_t(L, "ยุบเลิก", "Dissolved"), True),
                    (_t(L, "สมาชิก", "Members"), True),
                    (_t(L, "ทุน (บาท)", "Capital (baht)"), True),
                ],
                rows,
                len(rows),
            )
        )
    if card.level == "tambon":
        if card.councils.empty:
            parts.append(
                f"<p>{_t(L, 'ยังไม่มีสภาองค์กรชุมชนตำบลในทะเบียน', 'No community council is registered')}</p>"  # noqa: E501
            )
        for c in card.councils.itertuples():
            parts.append(
                "<p>"
                + escape(c.name or _t(L, "สภาองค์กรชุมชนตำบล", "Tambon community council"))
                + f" · {_t(L, 'จัดตั้ง', 'established')} {format_date(c.established_date, L)}"
                + f" · {_t(L, 'สมาชิก', 'member organizations')} {format_number(c.member_orgs)}"
                + f" · {_name(STATUS_NAMES.get(c.status), L, c.status)}</p>"
            )
        rows = [
            [
                escape(str(o.name)),
                _name(ORG_TYPE_NAMES.get(o.org_type), L, o.org_type),
                escape(str(o.chair or "–")),
                format_number(o.members),
                format_number(o.capital_baht),
                escape(str(o.products or "–")),
                format_date(o.registered_date, L),
                _name(STATUS_NAMES.get(o.status), L, o.status),
            ]
            for o in card.organizations.itertuples()
        ]
        if rows:
            parts.append(
                _table(
                    [
                        (_t(L, "ชื่อกลุ่ม", "Name"), False),
                        (_t(L, "ประเภท", "Type"), False),
                        (_t(L, "ประธาน", "Chair"), False),
                        (_t(L, "สมาชิก", "Members"), True),
                        (_t(L, "ทุน (บาท)", "Capital"), True),
                        (_t(L, "ผลิตภัณฑ์", "Products"), False),
                        (_t(L, "จดทะเบียน", "Registered"), False),
                        (_t(L, "สถานะ", "Status"), False),
                    ],
                    rows,
                    len(rows),
                )
            )
    else:
        with_council = int((card.tambons.get("council_present", pd.Series()) == 100).sum())
        parts.append(
            "<p>"
            + _t(
                L,
                f"ตำบลที่มีสภาองค์กรชุมชน {with_council:,} จาก {len(card.tambons):,} ตำบล",
                f"{with_council:,} of {len(card.tambons):,} tambons have a community council",
            )
            + "</p>"
        )

    parts.append(f"<h2>{_t(L, 'โครงการบ้านมั่นคง', 'Baan Mankong projects')}</h2>")
    stage_counts = card.projects.groupby("stage")["households"].agg(["count", "sum"])
    if not card.projects.empty:
        parts.append(
            "<p>"
            + " · ".join(
                f"{_name(STAGE_NAMES[s], L)} {int(stage_counts.loc[s, 'count']):,} "
                f"({format_number(stage_counts.loc[s, 'sum'])} {_t(L, 'ครัวเรือน', 'hh')})"
                for s in STAGE_NAMES
                if s in stage_counts.index
            )
            + "</p>"
        )
    rows = [
        [
            escape(str(p.name)),
            escape(p.tambon_th if L == "th" else p.tambon_en),
            _name(STAGE_NAMES.get(p.stage), L, p.stage),
            format_number(p.households),
            _name(LANDOWNER_NAMES.get(p.landowner_type), L, p.landowner_type),
            format_date(p.start_date, L),
            format_date(p.completion_date, L),
        ]
        for p in card.projects.itertuples()
    ]
    parts.append(
        _table(
            [
                (_t(L, "โครงการ", "Project"), False),
                (_t(L, "ตำบล", "Tambon"), False),
                (_t(L, "ขั้นตอน", "Stage"), False),
                (_t(L, "ครัวเรือน", "Households"), True),
                (_t(L, "เจ้าของที่ดิน", "Landowner"), False),
                (_t(L, "เริ่ม", "Started"), False),
                (_t(L, "เสร็จ", "Completed"), False),
            ],
            rows,
            len(rows),
        )
        if rows
        else f"<p>{_t(L, 'ไม่มีโครงการในทะเบียน', 'No project is registered')}</p>"
    )

    parts.append(f"<h2>{_t(L, 'กรณีที่ดิน', 'Land cases')}</h2>")
    rows = [
        [
            escape(str(c.community)),
            escape(c.tambon_th if L == "th" else c.tambon_en),
            format_number(c.households),
            format_number(c.area_rai, 1),
            _name(LANDOWNER_NAMES.get(c.landowner_type), L, c.landowner_type),
            _name(TENURE_NAMES.get(c.tenure_status), L, c.tenure_status),
        ]
        for c in card.land_cases.itertuples()
    ]
    parts.append(
        _table(
            [
                (_t(L, "ชุมชน", "Community"), False),
                (_t(L, "ตำบล", "Tambon"), False),
                (_t(L, "ครัวเรือน", "Households"), True),
                (_t(L, "ไร่", "Rai"), True),
                (_t(L, "เจ้าของที่ดิน", "Landowner"), False),
                (_t(L, "สถานะ", "Tenure"), False),
            ],
            rows,
            len(rows),
        )
        if rows
        else f"<p>{_t(L, 'ไม่มีกรณีที่ดินในทะเบียน', 'No land case is registered')}</p>"
    )

    parts.append(f"<h2>{_t(L, 'ความเดือดร้อนที่ตรวจสอบแล้ว', 'Verified housing need')}</h2>")
    rows = [
        [
            escape(str(n.community_name)),
            escape(n.tambon_th if L == "th" else n.tambon_en),
            format_number(n.households),
            escape(
                ", ".join(
                    (PROBLEMS.get(p) or (p, p))[0 if L == "th" else 1]
                    for p in (n.problems if n.problems is not None else [])
                )
            ),
            _name(LANDOWNER_NAMES.get(n.landowner), L, n.landowner),
            format_date(n.created_at, L),
        ]
        for n in card.needs.itertuples()
    ]
    parts.append(
        _table(
            [
                (_t(L, "ชุมชน", "Community"), False),
                (_t(L, "ตำบล", "Tambon"), False),
                (_t(L, "ครัวเรือน", "Households"), True),
                (_t(L, "ปัญหา", "Problems"), False),
                (_t(L, "เจ้าของที่ดิน", "Landowner"), False),
                (_t(L, "วันที่แจ้ง", "Reported"), False),
            ],
            rows,
            len(rows),
        )
        if rows
        else f"<p>{_t(L, 'ยังไม่มีคำร้องที่ตรวจสอบแล้ว', 'No verified need report yet')}</p>"
    )
    parts.append(render_plans(card.plans, L))
    parts.append(
        "<footer>"
        + _t(
            L,
            f"สร้างเมื่อ {format_date(card.generated_at, L)} {card.generated_at:%H:%M} น. · "
            f"การจัดกลุ่มจังหวัด {escape(card.grouping)} · ขอบเขตการปกครอง: OCHA COD-AB "
            "(กรมแผนที่ทหาร 2565) · ผังชุมชน พอช.",
            f"Generated {format_date(card.generated_at, L)} {card.generated_at:%H:%M} · "
            f"grouping {escape(card.grouping)} · Boundaries: OCHA COD-AB (Royal Thai Survey "
            "Department, 2022) · ผังชุมชน, CODI",
        )
        + "</footer></body></html>"
    )
    return "\n".join(parts)


def file_name(card: ReportCard) -> str:
    """A safe download name: ``report-TH100101-2026-11-22.html``."""
    return f"report-{card.pcode}-{card.date_b.isoformat()}.html"
