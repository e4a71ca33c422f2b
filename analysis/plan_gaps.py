"""Need without a plan (ความเดือดร้อนที่ยังไม่มีแผน): tambons with unmet housing need or
eviction cases and no current community development plan, ranked.

A tambon qualifies when its unmet housing need (``unmet_need_households``: verified need and
insecure land not covered by settled Baan Mankong projects or secure land) is above zero,
or a land case of its records faces eviction, and it has no plan in force in the as-of
year (``analysis.indicators.plans.CURRENT_PLANS_SQL``; a draft, an ended plan or none at
all count the same). Ranked by households at stake: unmet need plus households under
eviction threat, ties by P-code. A plan made there is where agencies would meet the need.
"""

from __future__ import annotations

import pandas as pd

from analysis.indicators.planning import NEED_LEDGER_SQL
from analysis.indicators.plans import AS_OF, CURRENT_PLANS_SQL
from analysis.priorities import _within_sql

METHOD_TH = (
    "ตำบลที่ยังมีความต้องการที่อยู่อาศัยที่ไม่ได้รับการแก้ไข หรือมีชุมชนเสี่ยงถูกไล่รื้อ และไม่มีแผนพัฒนาชุมชน"
    "ที่ใช้อยู่ในปีนั้น (ไม่มีแผน มีแต่ร่าง หรือแผนสิ้นสุดแล้ว) เรียงตามจำนวนครัวเรือนที่เดือดร้อน "
    "(ความต้องการที่ยังไม่ได้รับการแก้ไข รวมครัวเรือนที่เสี่ยงถูกไล่รื้อ)"
)
METHOD_EN = (
    "Tambons with unmet housing need or a community under eviction threat and no community "
    "development plan in force that year (none, only a draft, or an ended plan), ranked by "
    "households at stake (unmet need plus households under eviction threat)."
)

_STATUS_TH = {"none": "ไม่มีแผน", "draft": "มีร่างแผน", "ended": "แผนสิ้นสุดแล้ว"}
_STATUS_EN = {"none": "no plan", "draft": "draft only", "ended": "plan ended"}


def need_without_plan(
    con,
    grouping: str | None = None,
    *,
    within: str | None = None,
    scope=None,
    limit: int | None = None,
) -> pd.DataFrame:
    """Tambons with need and no current plan, most households at stake first.

    ``within`` is a P-code prefix or ``cluster:<code>``/``region:<code>`` of ``grouping``
    (as on the priorities page); ``scope`` a ``geo.layers.Scope`` (map layers). Columns:
    ``rank, pcode, name_th, name_en, amphoe_th, amphoe_en, province_th, province_en,
    cluster_code, region_code, unmet, eviction, at_stake, plan_status ('none'|'draft'|'ended'),
    plan_label`` (Thai · English).
    """
    if grouping is None:
        from boundaries.groupings import default_grouping_name

        grouping = default_grouping_name(con)
    where, args = _within_sql(within)
    if scope is not None:
        where = f"{where} AND {scope.matches_sql('c.pcode')}"
    sql = f"""
    WITH ledger AS ({NEED_LEDGER_SQL}),
    eviction AS (SELECT tambon_pcode AS pcode, sum(coalesce(households, 0)) AS hh
                 FROM land_case WHERE tenure_status = 'eviction_threat' GROUP BY 1),
    current AS (SELECT DISTINCT tambon_pcode AS pcode FROM ({CURRENT_PLANS_SQL})),
    anyplan AS (SELECT tambon_pcode AS pcode, bool_or(status = 'draft') AS draft
                FROM community_plan WHERE start_year <= {AS_OF} GROUP BY 1),
    c AS (SELECT l.pcode, l.unmet, coalesce(e.hh, 0) AS eviction
          FROM ledger l LEFT JOIN eviction e ON e.pcode = l.pcode
          WHERE (l.unmet > 0 OR e.pcode IS NOT NULL)
            AND l.pcode NOT IN (SELECT pcode FROM current))
    SELECT c.pcode, t.name_th, t.name_en, a.name_th AS amphoe_th, a.name_en AS amphoe_en,
           p.name_th AS province_th,
           p.name_en AS province_en, gp.cluster_code, gc.region_code, c.unmet, c.eviction,
           c.unmet + c.eviction AS at_stake,
           CASE WHEN ap.pcode IS NULL THEN 'none' WHEN ap.draft THEN 'draft' ELSE 'ended' END
               AS plan_status
    FROM c
    JOIN tambon t ON t.pcode = c.pcode
    JOIN amphoe a ON a.pcode = t.amphoe_pcode
    JOIN province p ON p.pcode = t.province_pcode
    JOIN grouping_province gp ON gp.province_pcode = t.province_pcode
         AND gp.grouping = $grouping
    JOIN grouping_cluster gc ON gc.grouping = gp.grouping AND gc.code = gp.cluster_code
    LEFT JOIN anyplan ap ON ap.pcode = c.pcode
    WHERE {where}
    ORDER BY at_stake DESC, c.pcode"""
    frame = con.execute(sql, {"grouping": grouping, **args}).df()
    frame.insert(0, "rank", range(1, len(frame) + 1))
    frame["plan_label"] = [
        f"{_STATUS_TH[s]} · {_STATUS_EN[s]}" for s in frame["plan_status"].astype(str)
    ]
    return frame.head(limit) if limit else frame


def plan_status_label(status: str, lang: str = "th") -> str:
    return (_STATUS_TH if lang == "th" else _STATUS_EN)[status]
