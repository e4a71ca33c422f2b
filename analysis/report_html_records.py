"""The record sections of a printable report card: organisations and councils, Baan
Mankong projects, land cases and verified housing need, each a heading and a table of
escaped cells. Part of :mod:`analysis.report_html` (every name is importable from there).
"""

from __future__ import annotations

from html import escape

import pandas as pd

from analysis.report_card import (
    LANDOWNER_NAMES,
    ORG_TYPE_NAMES,
    STAGE_NAMES,
    STATUS_NAMES,
    TENURE_NAMES,
    ReportCard,
)
from analysis.report_html_format import _name, _t, _table, format_date, format_number
from data.need_reports import PROBLEMS


def _organization_section(card: ReportCard, L: str) -> list[str]:
    """Organisations by type; a tambon's council and groups, else the tambons with a council."""
    parts: list[str] = []
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
    return parts


def _project_section(card: ReportCard, L: str) -> list[str]:
    """Baan Mankong projects: households per stage and one row per project."""
    parts: list[str] = []
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
    return parts


def _land_section(card: ReportCard, L: str) -> list[str]:
    """Land cases, one row each."""
    parts: list[str] = []
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
    return parts


def _need_section(card: ReportCard, L: str) -> list[str]:
    """Verified housing need reports, one row each."""
    parts: list[str] = []
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
    return parts
