"""The printable report card: one self-contained HTML file (รายงานพื้นที่ฉบับพิมพ์).

Inline CSS, the map as inline SVG, no script and no request to anywhere: the file opens
offline in any browser and prints on A4. Every text that came from a record is escaped.
Thai views show dates in the Buddhist Era (พ.ศ. = ค.ศ. + 543).

The style sheet and cell formatting are in :mod:`analysis.report_html_format`, the record
sections (organisations, projects, land cases, needs) in
:mod:`analysis.report_html_records`, the plan section in :mod:`analysis.report_html_plans`;
every name stays importable from here.
"""

from __future__ import annotations

import math
from html import escape

from analysis.report_card import (
    MARKER_STYLE,
    ReportCard,
    card_markers,
    svg_map,
)
from analysis.report_html_format import (
    CSS,
    FONT_STACK,
    LEVEL_NAMES,
    MAX_ROWS,
    YES_NO,
    _crumb,
    _name,
    _t,
    _table,
    _value,
    demo_banner,
    document_start,
    format_date,
    format_number,
)
from analysis.report_html_plans import render_plans
from analysis.report_html_records import (
    _land_section,
    _need_section,
    _organization_section,
    _project_section,
)


def render_html(card: ReportCard, lang: str = "th") -> str:
    """The printable, self-contained HTML of ``card`` in ``lang`` (``"th"`` or ``"en"``)."""
    if lang not in ("th", "en"):
        raise ValueError(f"lang must be 'th' or 'en', not {lang!r}")
    L = lang
    level_name = _name(LEVEL_NAMES[card.level], L)
    title = f"{level_name}{'' if L == 'th' else ' '}{escape(card.name(L))}"
    crumbs = " › ".join(_crumb(lv, th if L == "th" else en, L) for lv, th, en in card.parents)
    parts = [
        *document_start(L, f"{_t(L, 'รายงานพื้นที่', 'Report card')}: {title}"),
        f"<h1>{_t(L, 'รายงานพื้นที่', 'Report card')} · {title}</h1>",
        f'<div class="crumbs">{crumbs} · {escape(card.pcode)}</div>',
    ]
    if card.has_demo:
        parts.append(demo_banner(L))
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
        value, unit = _value(row, row.value, card.level, L)
        parts.append(
            f'<div class="kpi"><small>{escape(row.name_th if L == "th" else row.name_en)}'
            f"</small><b>{escape(value)}</b><small>{escape(unit)}</small></div>"
        )
    parts.append("</div></div>")

    parts.append(f"<h2>{_t(L, 'ตัวชี้วัด', 'Indicators')}</h2>")
    compare_col = (
        _t(L, "จังหวัด", "Province") if card.level == "tambon" else _t(L, "ทั้งประเทศ", "Country")
    )
    rows = []
    for r in card.indicators.itertuples():
        other = r.province_value if card.level == "tambon" else r.national_value
        value, unit = _value(r, r.value, card.level, L)
        # the comparison column is a share of tambons (%), whatever this area shows
        other_value, other_unit = _value(r, other, "province", L)
        rows.append(
            [
                escape(r.name_th if L == "th" else r.name_en)
                + (" *" if r.demo_fed and card.has_demo else ""),
                escape(value),
                escape(other_value),
                escape(unit or other_unit),
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
    parts += _organization_section(card, L)
    parts += _project_section(card, L)
    parts += _land_section(card, L)
    parts += _need_section(card, L)
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


__all__ = [
    "CSS",
    "FONT_STACK",
    "LEVEL_NAMES",
    "MAX_ROWS",
    "YES_NO",
    "_crumb",
    "_land_section",
    "_name",
    "_need_section",
    "_organization_section",
    "_project_section",
    "_t",
    "_table",
    "_value",
    "file_name",
    "format_date",
    "format_number",
    "render_html",
]
