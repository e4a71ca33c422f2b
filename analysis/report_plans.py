"""The plan part of a report card (แผนพัฒนาชุมชน): plans, items, uptake by agency and the
people developed, for a tambon, or rolled up for a province, cluster or region.

"Current" means in force in the as-of year (``analysis.indicators.plans``): this year, or
the year of an ``analysis.monitoring.as_of_year`` cursor. People are counted, never named:
``person_private`` is not read here.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from analysis.indicators.plans import AS_OF, CURRENT_PLANS_SQL

LEVELS = ("tambon", "province", "cluster", "region")


@dataclass
class PlanSection:
    """Plain data for the plan part of a card (no HTML)."""

    level: str
    code: str
    year: int
    plans: pd.DataFrame  # tambon_th, tambon_en, council, start_year, end_year, adopted_date,
    # status, current, items, is_demo
    items: pd.DataFrame  # title, dimension, budget_baht, agency_type, in_agency_plan,
    # agency_plan_name, agency_plan_year, support_type, support_baht, status, tambon_*
    uptake: pd.DataFrame  # agency_type, items, included, supported, support_baht
    people: pd.DataFrame  # course, people, places, first_date, last_date
    people_total: int
    children: pd.DataFrame  # province/cluster/region: one row per tambon/province below
    has_demo: bool = False


def _where(level: str, column: str) -> str:
    """SQL condition on a tambon P-code ``column`` for the area ``$code`` at ``level``."""
    if level in ("tambon", "province"):
        return f"starts_with({column}, $code)"
    if level == "cluster":
        return f"""substr({column}, 1, 4) IN (SELECT province_pcode FROM grouping_province
                   WHERE grouping = $grouping AND cluster_code = $code)"""
    if level == "region":
        return f"""substr({column}, 1, 4) IN (SELECT gp.province_pcode FROM grouping_province gp
                   JOIN grouping_cluster gc ON gc.grouping = gp.grouping
                        AND gc.code = gp.cluster_code
                   WHERE gp.grouping = $grouping AND gc.region_code = $code)"""
    raise ValueError(f"level must be one of {', '.join(LEVELS)}, not {level!r}")


def plan_section(con, level: str, code: str, grouping: str) -> PlanSection:
    """The plan part of the card of area ``code`` at ``level`` under ``grouping``."""
    args = {"code": code, "grouping": grouping}
    where_p = _where(level, "p.tambon_pcode")
    where_i = _where(level, "i.tambon_pcode")
    year = int(con.execute(f"SELECT {AS_OF}").fetchone()[0])
    sql_args = {k: v for k, v in args.items() if level in ("cluster", "region") or k == "code"}
    plans = con.execute(
        f"""SELECT t.name_th AS tambon_th, t.name_en AS tambon_en, p.council, p.start_year,
                   p.end_year, p.adopted_date, p.status, p.is_demo,
                   c.source_id IS NOT NULL AS current,
                   (SELECT count(*) FROM plan_item i WHERE i.plan_ref = p.source_id
                        AND i.tambon_pcode = p.tambon_pcode) AS items
            FROM community_plan p JOIN tambon t ON t.pcode = p.tambon_pcode
            LEFT JOIN ({CURRENT_PLANS_SQL}) c ON c.source_id = p.source_id
                 AND c.tambon_pcode = p.tambon_pcode
            WHERE {where_p}
            ORDER BY current DESC, p.start_year DESC, t.name_th""",
        sql_args,
    ).df()
    items = con.execute(
        f"""SELECT i.title, i.dimension, i.budget_baht, i.agency_type, i.agency_name,
                   i.in_agency_plan, i.agency_plan_name, i.agency_plan_year, i.support_type,
                   i.support_baht, i.status, i.is_demo, t.name_th AS tambon_th,
                   t.name_en AS tambon_en
            FROM plan_item i JOIN tambon t ON t.pcode = i.tambon_pcode
            JOIN ({CURRENT_PLANS_SQL}) c ON c.source_id = i.plan_ref
                 AND c.tambon_pcode = i.tambon_pcode
            WHERE {where_i}
            ORDER BY t.name_th, i.dimension, i.title""",
        sql_args,
    ).df()
    uptake = _uptake(items)
    people = con.execute(
        f"""SELECT course, count(DISTINCT tambon_pcode || person_key) AS people,
                   count(*) AS places, min(activity_date) AS first_date,
                   max(activity_date) AS last_date
            FROM person_developed i
            WHERE {where_i} AND year(activity_date) <= {AS_OF}
            GROUP BY 1 ORDER BY people DESC, course""",
        sql_args,
    ).df()
    total = con.execute(
        f"""SELECT count(DISTINCT tambon_pcode || person_key) FROM person_developed i
            WHERE {where_i} AND year(activity_date) <= {AS_OF}""",
        sql_args,
    ).fetchone()[0]
    children = _children(con, level, code, grouping) if level != "tambon" else pd.DataFrame()
    return PlanSection(
        level=level,
        code=code,
        year=year,
        plans=plans,
        items=items,
        uptake=uptake,
        people=people,
        people_total=int(total or 0),
        children=children,
        has_demo=bool(plans["is_demo"].any() or items["is_demo"].any()),
    )


def _uptake(items: pd.DataFrame) -> pd.DataFrame:
    """Items of current plans per agency type: proposed, included, supported, money."""
    if items.empty:
        return pd.DataFrame(
            columns=["agency_type", "items", "included", "supported", "support_baht"]
        )
    frame = items.assign(
        supported=items["in_agency_plan"] & (items["support_type"] != "none"),
        money=items["support_baht"].fillna(0),
    )
    out = frame.groupby("agency_type", dropna=False).agg(
        items=("title", "size"),
        included=("in_agency_plan", "sum"),
        supported=("supported", "sum"),
        support_baht=("money", "sum"),
    )
    return out.reset_index().sort_values(["items", "agency_type"], ascending=[False, True])


def _children(con, level: str, code: str, grouping: str) -> pd.DataFrame:
    """Below a province, one row per tambon; below a cluster or region, per province."""
    from analysis.rollup import compute_all

    keys = [
        "plan_stage",
        "plans_current_tambons",
        "plan_items",
        "plan_item_uptake",
        "plans_linked_tambons",
        "leaders_developed",
        "quality_org_tambons_assessed",
    ]
    child = "tambon" if level == "province" else "province"
    usable = [k for k in keys if k != "plan_stage" or child == "tambon"]
    values = compute_all(con, grouping, usable, levels=(child,))
    wide = values.pivot(index="pcode", columns="key", values="value").reindex(columns=usable)
    if child == "tambon":
        names = con.execute(
            "SELECT pcode, name_th, name_en FROM tambon WHERE province_pcode = $code "
            "ORDER BY name_th",
            {"code": code},
        ).df()
    else:
        names = con.execute(
            f"""SELECT p.pcode, p.name_th, p.name_en FROM province p
                WHERE {_where(level, "p.pcode")} ORDER BY p.name_th""",
            {"code": code, "grouping": grouping},
        ).df()
    return names.merge(wide, left_on="pcode", right_index=True, how="left")
