"""Report cards (รายงานพื้นที่) for a tambon or a province: the data, and a printable file.

``report_card`` gathers what a planner takes to a meeting: where the area is (a small map),
its indicators, how dated records changed between two dates, its organizations and
council, Baan Mankong projects and their stages, land cases and verified housing need.
``render_html`` turns it into one self-contained HTML file (inline CSS, the map as inline
SVG, a Thai-capable font stack, no request to anywhere) that prints on A4.

Change between two dates uses the dates on the records: organizations' registration
dates, councils' establishment dates, projects' start and completion dates, and the time a
coordinator verified a need report. Land cases carry no date and are shown as they stand.
Records with no date are counted only in today's column and the card says how many.
Contact details of need reports are never read here.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field

import pandas as pd

from analysis.catalogue import catalogue
from analysis.report_plans import PlanSection, plan_section
from analysis.report_records import (
    DatedMeasure,
    _councils,
    _land_cases,
    _needs,
    _org_types,
    _organizations,
    _projects,
    _tambon_rows,
    dated_measures,
)
from analysis.report_svg import MARKER_STYLE, SvgMarker, card_markers, svg_map
from analysis.rollup import compute_all
from data import vocab

__all__ = [
    "MARKER_STYLE",
    "DatedMeasure",
    "ReportCard",
    "SvgMarker",
    "card_markers",
    "dated_measures",
    "report_card",
    "svg_map",
]

LEVELS = ("tambon", "province")

#: Indicators shown on a card, in order (those the catalogue lacks are skipped).
CARD_INDICATORS = (
    "community_orgs",
    "savings_groups_active",
    "council_present",
    "community_leaders",
    "baan_mankong_households",
    "baan_mankong_households_completed",
    "insecure_land_households",
    "eviction_threat_households",
    "need_verified_households",
    "housing_demand_households",
    "unmet_need_households",
    "need_coverage",
    "plan_stage",
    "plan_current_share",
    "plan_item_uptake",
    "leaders_developed",
    "quality_org_tambons_assessed",
)

STAGE_NAMES = vocab.PROJECT_STAGES
TENURE_NAMES = vocab.TENURE
STATUS_NAMES = vocab.ORG_STATUS
ORG_TYPE_NAMES = vocab.ORG_TYPES
LANDOWNER_NAMES = vocab.LANDOWNERS


@dataclass
class ReportCard:
    """Everything a report card shows, as plain data (no HTML)."""

    level: str
    pcode: str
    name_th: str
    name_en: str
    parents: list[tuple[str, str, str]]  # (level, Thai name, English name), largest first
    grouping: str
    date_a: dt.date
    date_b: dt.date
    indicators: pd.DataFrame  # key, name_th, name_en, unit_th, unit_en, value, decimals,
    # demo_fed, province_value (tambon cards: the province around it), national_value
    measures: list[DatedMeasure]
    organizations: pd.DataFrame
    org_types: pd.DataFrame  # org_type, active, inactive, dissolved
    councils: pd.DataFrame
    projects: pd.DataFrame
    land_cases: pd.DataFrame
    needs: pd.DataFrame
    tambons: pd.DataFrame  # province cards: one row per tambon with its key figures
    area_wkb: bytes
    child_wkb: list[bytes] = field(default_factory=list)
    has_demo: bool = False
    generated_at: dt.datetime = field(default_factory=dt.datetime.now)
    plans: PlanSection | None = None  # plans, items, uptake, people developed

    def name(self, lang: str = "th") -> str:
        return self.name_th if lang == "th" else self.name_en


def _check(level: str, pcode: str) -> None:
    if level not in LEVELS:
        raise ValueError(f"level must be 'tambon' or 'province', not {level!r}")
    digits = 6 if level == "tambon" else 2
    if not (
        isinstance(pcode, str)
        and pcode.startswith("TH")
        and pcode[2:].isdigit()
        and len(pcode) == 2 + digits
    ):
        raise ValueError(f"{pcode!r} is not a {level} P-code")


def report_card(
    con,
    level: str,
    pcode: str,
    grouping: str,
    date_a: dt.date,
    date_b: dt.date | None = None,
) -> ReportCard:
    """The report card of tambon or province ``pcode`` comparing ``date_a`` with ``date_b``.

    ``date_b`` defaults to today. Raises ValueError for a bad level/P-code/dates and
    KeyError when the area does not exist.
    """
    _check(level, pcode)
    date_b = date_b or dt.date.today()
    if date_a > date_b:
        raise ValueError(f"date_a ({date_a}) must not be after date_b ({date_b})")
    table = "tambon" if level == "tambon" else "province"
    row = con.execute(
        f"SELECT name_th, name_en, ST_AsWKB(geom) FROM {table} WHERE pcode = ?", [pcode]
    ).fetchone()
    if row is None:
        raise KeyError(f"no {level} with P-code {pcode}")
    name_th, name_en, wkb = row
    parents = _parents(con, level, pcode, grouping)
    prefix = pcode
    children = []
    if level == "province":
        children = [
            bytes(r[0])
            for r in con.execute(
                "SELECT ST_AsWKB(geom) FROM tambon WHERE province_pcode = ?", [pcode]
            ).fetchall()
        ]
    card = ReportCard(
        level=level,
        pcode=pcode,
        name_th=name_th,
        name_en=name_en,
        parents=parents,
        grouping=grouping,
        date_a=date_a,
        date_b=date_b,
        indicators=_indicators(con, level, pcode, grouping),
        measures=dated_measures(con, prefix, date_a, date_b),
        organizations=_organizations(con, prefix),
        org_types=_org_types(con, prefix),
        councils=_councils(con, prefix),
        projects=_projects(con, prefix),
        land_cases=_land_cases(con, prefix),
        needs=_needs(con, prefix),
        tambons=_tambon_rows(con, pcode, grouping) if level == "province" else pd.DataFrame(),
        area_wkb=bytes(wkb),
        child_wkb=children,
        plans=plan_section(con, level, pcode, grouping),
    )
    card.has_demo = bool(
        any(
            "is_demo" in f.columns and f["is_demo"].any()
            for f in (card.organizations, card.councils, card.projects, card.land_cases, card.needs)
        )
        or card.plans.has_demo
    )
    return card


def _parents(con, level: str, pcode: str, grouping: str) -> list[tuple[str, str, str]]:
    province = pcode[:4]
    row = con.execute(
        """SELECT r.name_th, r.name_en, c.name_th, c.name_en, p.name_th, p.name_en
           FROM grouping_province gp
           JOIN grouping_cluster c ON c.grouping = gp.grouping AND c.code = gp.cluster_code
           JOIN grouping_region r ON r.grouping = c.grouping AND r.code = c.region_code
           JOIN province p ON p.pcode = gp.province_pcode
           WHERE gp.grouping = ? AND gp.province_pcode = ?""",
        [grouping, province],
    ).fetchone()
    out = []
    if row:
        out += [("region", row[0], row[1]), ("cluster", row[2], row[3])]
        if level == "tambon":
            out.append(("province", row[4], row[5]))
    if level == "tambon":
        amphoe = con.execute(
            "SELECT name_th, name_en FROM amphoe WHERE pcode = ?", [pcode[:6]]
        ).fetchone()
        if amphoe:
            out.append(("amphoe", amphoe[0], amphoe[1]))
    return out


def _indicators(con, level: str, pcode: str, grouping: str) -> pd.DataFrame:
    indicators = catalogue()
    keys = [k for k in CARD_INDICATORS if k in indicators and level in indicators[k].levels]
    values = compute_all(con, grouping, keys, levels=("region", "province", level))
    # the values of this area, of its province (for tambons) and of the whole country
    mine = values[(values["level"] == level) & (values["pcode"] == pcode)].set_index("key")
    prov = values[(values["level"] == "province") & (values["pcode"] == pcode[:4])]
    prov = prov.set_index("key")
    regions = values[values["level"] == "region"]
    rows = []
    for key in keys:
        ind = indicators[key]
        nat = regions[regions["key"] == key]
        num, den = nat["num"].sum(), nat["den"].sum()
        national = ind.scale * num / den if ind.has_denominator and den else ind.scale * num
        if (ind.has_denominator and not den) or nat.empty:  # not defined nationally
            national = math.nan
        rows.append(
            {
                "key": key,
                "name_th": ind.name_th,
                "name_en": ind.name_en,
                "unit_th": ind.unit_th,
                "unit_en": ind.unit_en,
                "decimals": ind.decimals,
                "demo_fed": ind.demo_fed,
                "value": mine["value"].get(key, math.nan),
                "province_value": prov["value"].get(key, math.nan),
                "national_value": national,
            }
        )
    return pd.DataFrame(rows)
