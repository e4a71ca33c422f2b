"""The record tables and dated counts of a report card (รายงานพื้นที่), by P-code prefix.

Split from ``analysis.report_card``: each function reads one kind of record for the tambons
under a prefix. Contact details are never read here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from analysis.catalogue import catalogue
from analysis.rollup import compute_all


@dataclass(frozen=True)
class DatedMeasure:
    """A count read from dated records at two dates."""

    key: str
    name_th: str
    name_en: str
    unit_th: str
    unit_en: str
    at_a: float
    at_b: float
    undated: int  # records without a date (counted in neither column)
    demo_fed: bool = True

    @property
    def change(self) -> float:
        return self.at_b - self.at_a


def dated_measures(con, prefix: str, date_a: dt.date, date_b: dt.date) -> list[DatedMeasure]:
    """Counts from dated records at ``date_a`` and ``date_b`` for tambons under ``prefix``.

    Dissolved organizations and councils are left out at both dates (the records keep no
    dissolution date, so their past cannot be told apart).
    """
    args = {"p": prefix, "a": date_a, "b": date_b}

    def count(sql: str) -> tuple[float, float, int]:
        a, b, undated = con.execute(sql, args).fetchone()
        return float(a or 0), float(b or 0), int(undated or 0)

    specs = [
        (
            "orgs",
            "องค์กรชุมชนที่จดทะเบียนแล้ว",
            "Organizations registered",
            "กลุ่ม",
            "organizations",
            """SELECT count(*) FILTER (registered_date <= $a),
                      count(*) FILTER (registered_date <= $b),
                      count(*) FILTER (registered_date IS NULL)
               FROM community_org WHERE starts_with(tambon_pcode, $p)
                 AND status <> 'dissolved'""",
        ),
        (
            "savings",
            "กลุ่มออมทรัพย์ที่จดทะเบียนแล้ว",
            "Savings groups registered",
            "กลุ่ม",
            "groups",
            """SELECT count(*) FILTER (registered_date <= $a),
                      count(*) FILTER (registered_date <= $b),
                      count(*) FILTER (registered_date IS NULL)
               FROM community_org WHERE starts_with(tambon_pcode, $p)
                 AND status <> 'dissolved' AND org_type = 'savings_group'""",
        ),
        (
            "councils",
            "สภาองค์กรชุมชนตำบลที่จัดตั้งแล้ว",
            "Community councils established",
            "สภา",
            "councils",
            """SELECT count(*) FILTER (established_date <= $a),
                      count(*) FILTER (established_date <= $b),
                      count(*) FILTER (established_date IS NULL)
               FROM tambon_council WHERE starts_with(tambon_pcode, $p)
                 AND status <> 'dissolved'""",
        ),
        (
            "bm_started",
            "ครัวเรือนในโครงการบ้านมั่นคงที่เริ่มแล้ว",
            "Baan Mankong households, projects started",
            "ครัวเรือน",
            "households",
            """SELECT sum(households) FILTER (start_date <= $a),
                      sum(households) FILTER (start_date <= $b),
                      count(*) FILTER (start_date IS NULL)
               FROM baan_mankong_project WHERE starts_with(tambon_pcode, $p)""",
        ),
        (
            "bm_completed",
            "ครัวเรือนในโครงการบ้านมั่นคงที่เสร็จสิ้นแล้ว",
            "Baan Mankong households, projects completed",
            "ครัวเรือน",
            "households",
            """SELECT sum(households) FILTER (completion_date <= $a),
                      sum(households) FILTER (completion_date <= $b),
                      count(*) FILTER (stage = 'completed' AND completion_date IS NULL)
               FROM baan_mankong_project WHERE starts_with(tambon_pcode, $p)""",
        ),
        (
            "need_verified",
            "ครัวเรือนเดือดร้อนที่ตรวจสอบแล้ว",
            "Verified housing-need households",
            "ครัวเรือน",
            "households",
            """WITH v AS (SELECT r.households,
                                 coalesce((SELECT max(d.decided_at) FROM decision d
                                           WHERE d.report_id = r.id AND d.action = 'verify'),
                                          r.updated_at) AS decided
                          FROM need_report r
                          WHERE starts_with(r.tambon_pcode, $p) AND r.status = 'verified')
               SELECT sum(households) FILTER (CAST(decided AS DATE) <= $a),
                      sum(households) FILTER (CAST(decided AS DATE) <= $b), 0 FROM v""",
        ),
    ]
    out = []
    for key, th, en, unit_th, unit_en, sql in specs:
        a, b, undated = count(sql)
        out.append(DatedMeasure(key, th, en, unit_th, unit_en, a, b, undated))
    return out


def _organizations(con, prefix: str) -> pd.DataFrame:
    return con.execute(
        """SELECT o.name, o.org_type, o.chair, o.members, o.capital_baht, o.products,
                  o.registered_date, o.status, o.is_demo, t.name_th AS tambon_th,
                  t.name_en AS tambon_en
           FROM community_org o JOIN tambon t ON t.pcode = o.tambon_pcode
           WHERE starts_with(o.tambon_pcode, $p)
           ORDER BY o.status = 'dissolved', t.name_th, o.name""",
        {"p": prefix},
    ).df()


def _org_types(con, prefix: str) -> pd.DataFrame:
    return con.execute(
        """SELECT org_type, count(*) FILTER (status = 'active') AS active,
                  count(*) FILTER (status IN ('inactive', 'unknown')) AS inactive,
                  count(*) FILTER (status = 'dissolved') AS dissolved,
                  sum(members) FILTER (status <> 'dissolved') AS members,
                  sum(capital_baht) FILTER (status <> 'dissolved') AS capital_baht
           FROM community_org WHERE starts_with(tambon_pcode, $p)
           GROUP BY 1 ORDER BY 2 DESC""",
        {"p": prefix},
    ).df()


def _councils(con, prefix: str) -> pd.DataFrame:
    return con.execute(
        """SELECT c.name, c.established_date, c.member_orgs, c.status, c.is_demo,
                  t.name_th AS tambon_th, t.name_en AS tambon_en
           FROM tambon_council c JOIN tambon t ON t.pcode = c.tambon_pcode
           WHERE starts_with(c.tambon_pcode, $p) ORDER BY t.name_th""",
        {"p": prefix},
    ).df()


def _projects(con, prefix: str) -> pd.DataFrame:
    return con.execute(
        """SELECT b.name, b.stage, b.households, b.communities, b.project_type,
                  b.landowner_type, b.start_date, b.completion_date, b.is_demo,
                  t.name_th AS tambon_th, t.name_en AS tambon_en,
                  ST_X(ST_Centroid(b.geom)) AS lon, ST_Y(ST_Centroid(b.geom)) AS lat
           FROM baan_mankong_project b JOIN tambon t ON t.pcode = b.tambon_pcode
           WHERE starts_with(b.tambon_pcode, $p)
           ORDER BY b.start_date NULLS LAST, b.name""",
        {"p": prefix},
    ).df()


def _land_cases(con, prefix: str) -> pd.DataFrame:
    return con.execute(
        """SELECT l.community, l.households, l.area_rai, l.landowner_type, l.tenure_status,
                  l.is_demo, t.name_th AS tambon_th, t.name_en AS tambon_en,
                  ST_X(ST_Centroid(l.geom)) AS lon, ST_Y(ST_Centroid(l.geom)) AS lat
           FROM land_case l JOIN tambon t ON t.pcode = l.tambon_pcode
           WHERE starts_with(l.tambon_pcode, $p)
           ORDER BY l.tenure_status = 'secure', l.households DESC""",
        {"p": prefix},
    ).df()


def _needs(con, prefix: str) -> pd.DataFrame:
    # verified reports only; never the contact table, nor the receipt (a member's key to
    # follow their own report)
    return con.execute(
        """SELECT phang_mask(r.community_name) AS community_name, r.households, r.problems,
                  r.landowner,
                  r.urgency, r.created_at, r.is_demo, t.name_th AS tambon_th,
                  t.name_en AS tambon_en,
                  ST_X(ST_Centroid(r.geom)) AS lon, ST_Y(ST_Centroid(r.geom)) AS lat
           FROM need_report r JOIN tambon t ON t.pcode = r.tambon_pcode
           WHERE starts_with(r.tambon_pcode, $p) AND r.status = 'verified'
           ORDER BY r.created_at""",
        {"p": prefix},
    ).df()


def _tambon_rows(con, province: str, grouping: str) -> pd.DataFrame:
    keys = [
        k
        for k in (
            "community_orgs",
            "council_present",
            "baan_mankong_households",
            "insecure_land_households",
            "need_verified_households",
            "unmet_need_households",
        )
        if k in catalogue()
    ]
    values = compute_all(con, grouping, keys, levels=("tambon",))
    values = values[values["pcode"].str.startswith(province)]
    wide = values.pivot(index="pcode", columns="key", values="value").reindex(columns=keys)
    names = con.execute(
        """SELECT t.pcode, t.name_th, t.name_en, a.name_th AS amphoe_th, a.name_en AS amphoe_en
           FROM tambon t JOIN amphoe a ON a.pcode = t.amphoe_pcode
           WHERE t.province_pcode = ? ORDER BY a.name_th, t.name_th""",
        [province],
    ).df()
    return names.merge(wide, left_on="pcode", right_index=True, how="left")
