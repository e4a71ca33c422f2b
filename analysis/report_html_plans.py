"""The plan part of a printable report card as HTML (every record's text escaped)."""

from __future__ import annotations

import datetime as dt
from html import escape

from analysis.report_html_format import (
    LEVEL_NAMES,
    _name,
    _t,
    _table,
    demo_banner,
    document_start,
    format_date,
    format_number,
)
from analysis.report_plans import PlanSection
from data import vocab


def render_plans(section: PlanSection | None, lang: str = "th") -> str:
    """The plan section: plans, items of current plans, uptake by agency, people developed
    and, for a province, cluster or region, one row per area below."""
    if section is None:
        return ""
    L = lang
    year = section.year + 543 if L == "th" else section.year
    parts = [
        f"<h2>{_t(L, 'แผนพัฒนาชุมชนท้องถิ่น', 'Community development plans')} "
        f"({_t(L, 'ปี พ.ศ.', 'year')} {year})</h2>"
    ]
    plans = section.plans
    current = int(plans["current"].sum()) if not plans.empty else 0
    parts.append(
        "<p>"
        + _t(
            L,
            f"แผนที่ใช้อยู่ {current:,} แผน จากทั้งหมด {len(plans):,} แผน · "
            f"ผู้ผ่านการพัฒนา {section.people_total:,} คน",
            f"{current:,} current plans of {len(plans):,} · "
            f"{section.people_total:,} people developed",
        )
        + "</p>"
    )
    if section.level == "tambon" or len(plans) <= 30:
        rows = [
            [
                escape(p.tambon_th if L == "th" else p.tambon_en),
                escape(str(p.council or "–")),
                _period(p.start_year, p.end_year, L),
                format_date(p.adopted_date, L),
                _name(vocab.PLAN_STATUS.get(p.status), L, p.status)
                + (f" ({_t(L, 'ใช้อยู่', 'current')})" if p.current else ""),
                format_number(p.items),
            ]
            for p in plans.itertuples()
        ]
        parts.append(
            _table(
                [
                    (_t(L, "ตำบล", "Tambon"), False),
                    (_t(L, "สภาองค์กรชุมชน", "Council"), False),
                    (_t(L, "ช่วงแผน", "Period"), False),
                    (_t(L, "ประกาศใช้", "Adopted"), False),
                    (_t(L, "สถานะ", "Status"), False),
                    (_t(L, "รายการ", "Items"), True),
                ],
                rows,
                len(rows),
            )
            if rows
            else f"<p>{_t(L, 'ยังไม่มีแผนในทะเบียน', 'No plan is registered')}</p>"
        )
    if section.level == "tambon":
        rows = [
            [
                escape(str(i.title)),
                _name(vocab.PLAN_DIMENSIONS.get(i.dimension), L, i.dimension),
                format_number(i.budget_baht),
                _name(vocab.AGENCY_TYPES.get(i.agency_type), L, i.agency_type),
                escape(str(i.agency_plan_name or "–"))
                + (f" ({_year(i.agency_plan_year, L)})" if i.in_agency_plan else ""),
                _name(vocab.SUPPORT_TYPES.get(i.support_type), L, i.support_type),
                format_number(i.support_baht),
            ]
            for i in section.items.itertuples()
        ]
        if rows:
            parts.append(f"<h3>{_t(L, 'รายการในแผนที่ใช้อยู่', 'Items of the current plan')}</h3>")
            parts.append(
                _table(
                    [
                        (_t(L, "โครงการ/กิจกรรม", "Item"), False),
                        (_t(L, "ด้าน", "Dimension"), False),
                        (_t(L, "งบประมาณ (บาท)", "Budget (baht)"), True),
                        (_t(L, "เสนอต่อ", "Proposed to"), False),
                        (_t(L, "บรรจุในแผน", "In the plan"), False),
                        (_t(L, "การสนับสนุน", "Support"), False),
                        (_t(L, "เงินสนับสนุน (บาท)", "Support (baht)"), True),
                    ],
                    rows,
                    len(rows),
                )
            )
    rows = [
        [
            _name(vocab.AGENCY_TYPES.get(u.agency_type), L, u.agency_type),
            format_number(u.items),
            format_number(u.included),
            format_number(u.supported),
            format_number(u.support_baht),
        ]
        for u in section.uptake.itertuples()
    ]
    if rows:
        parts.append(f"<h3>{_t(L, 'การรับไปดำเนินการของหน่วยงาน', 'Uptake by agency')}</h3>")
        parts.append(
            _table(
                [
                    (_t(L, "หน่วยงาน", "Agency"), False),
                    (_t(L, "เสนอ", "Proposed"), True),
                    (_t(L, "บรรจุในแผน", "In its plan"), True),
                    (_t(L, "สนับสนุนแล้ว", "Supported"), True),
                    (_t(L, "เงินสนับสนุน (บาท)", "Support (baht)"), True),
                ],
                rows,
                len(rows),
            )
        )
    rows = [
        [
            escape(str(p.course)),
            format_number(p.people),
            format_date(p.first_date, L),
            format_date(p.last_date, L),
        ]
        for p in section.people.itertuples()
    ]
    if rows:
        parts.append(f"<h3>{_t(L, 'ผู้ผ่านการพัฒนา', 'People developed')}</h3>")
        parts.append(
            _table(
                [
                    (_t(L, "หลักสูตร/กิจกรรม", "Course or activity"), False),
                    (_t(L, "คน", "People"), True),
                    (_t(L, "ครั้งแรก", "First"), False),
                    (_t(L, "ล่าสุด", "Latest"), False),
                ],
                rows,
                len(rows),
            )
        )
    if not section.children.empty:
        parts.append(_children(section, L))
    return "\n".join(parts)


def render_plans_card(
    section: PlanSection,
    area: tuple[str, str],
    grouping: str,
    lang: str = "th",
    generated_at: dt.datetime | None = None,
) -> str:
    """A printable, self-contained HTML card of one area's plans rolled up (used for a
    cluster or region, which have no full report card): ``area`` is its (Thai, English)
    name, shown escaped."""
    if lang not in ("th", "en"):
        raise ValueError(f"lang must be 'th' or 'en', not {lang!r}")
    L = lang
    now = generated_at or dt.datetime.now()
    level = LEVEL_NAMES.get(section.level)
    level_name = _name(level, L) if level else escape(section.level)
    name = area[0] if L == "th" else area[1]
    if L == "th" and level and name.startswith(level[0]):  # ภาคเหนือ, not ภาคภาคเหนือ
        title = escape(name)
    else:
        title = f"{level_name}{'' if L == 'th' else ' '}{escape(name)}"
    heading = _t(L, "รายงานแผนพัฒนาชุมชน", "Community plans report")
    return "\n".join(
        [
            *document_start(L, f"{heading}: {title}"),
            f"<h1>{heading} · {title}</h1>",
            f'<div class="crumbs">{escape(section.code)}</div>',
            demo_banner(L) if section.has_demo else "",
            render_plans(section, L),
            "<footer>"
            + _t(
                L,
                f"สร้างเมื่อ {format_date(now, L)} {now:%H:%M} น. · การจัดกลุ่มจังหวัด "
                f"{escape(grouping)} · ผังชุมชน พอช.",
                f"Generated {format_date(now, L)} {now:%H:%M} · grouping {escape(grouping)}"
                " · ผังชุมชน, CODI",
            )
            + "</footer></body></html>",
        ]
    )


def plans_card_file_name(section: PlanSection) -> str:
    """A safe download name: ``plans-cluster-c01-2024.html``."""
    code = "".join(c for c in str(section.code) if c.isalnum() or c in "-_")[:40]
    return f"plans-{section.level}-{code}-{section.year}.html"


def _period(start, end, lang: str) -> str:
    return f"{_year(start, lang)}–{_year(end, lang)}"


def _year(value, lang: str) -> str:
    if value is None or value != value:
        return "–"
    return str(int(value) + 543) if lang == "th" else str(int(value))


def _children(section: PlanSection, L: str) -> str:
    child_th, child_en = (
        ("ตำบล", "Tambon") if section.level == "province" else ("จังหวัด", "Province")
    )
    frame = section.children
    stage = "plan_stage" in frame.columns
    rows = [
        [
            escape(r.name_th if L == "th" else r.name_en),
            *([format_number(r.plan_stage)] if stage else [format_number(r.plans_current_tambons)]),
            format_number(r.plan_items),
            format_number(r.plan_item_uptake),
            format_number(r.plans_linked_tambons),
            format_number(r.leaders_developed),
            format_number(r.quality_org_tambons_assessed),
        ]
        for r in frame.itertuples()
    ]
    first = (
        (_t(L, "ขั้นของแผน (0-4)", "Plan stage (0-4)"), True)
        if stage
        else (_t(L, "ตำบลที่มีแผนใช้อยู่", "Tambons with a current plan"), True)
    )
    return f"<h3>{_t(L, child_th + 'ในพื้นที่', child_en + 's in the area')}</h3>" + _table(
        [
            (_t(L, child_th, child_en), False),
            first,
            (_t(L, "รายการ", "Items"), True),
            (_t(L, "% บรรจุในแผนหน่วยงาน", "% taken up"), True),
            (_t(L, "ตำบลที่แผนเชื่อมโยงและได้รับการสนับสนุน", "Tambons linked and supported"), True),
            (_t(L, "ผู้ผ่านการพัฒนา", "People developed"), True),
            (_t(L, "ตำบลที่มีองค์กรผ่านการประเมิน", "Tambons with a quality organisation"), True),
        ],
        rows,
        len(rows),
    )
