"""Every catalogue indicator at every level in one DuckDB query.

``analysis.catalogue.compute`` answers one indicator at one level; dashboards, report cards
and the benchmark need all of them at once. ``compute_all`` stacks every indicator's
tambon numerator/denominator (``UNION ALL``) and rolls the stack up to tambon, amphoe,
province, cluster and region with ``GROUPING SETS`` — the same arithmetic as ``compute``
(``scale * sum(num) / sum(den)``), so both agree to the last digit.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from analysis.catalogue import LEVELS, catalogue

_LEVEL_COLUMNS = {
    "tambon": "pcode",
    "amphoe": "amphoe_pcode",
    "province": "province_pcode",
    "cluster": "cluster_code",
    "region": "region_code",
}


_AREAS_SQL = {
    "tambon": "SELECT 'tambon' AS level, pcode FROM tambon",
    "amphoe": "SELECT DISTINCT 'amphoe' AS level, amphoe_pcode AS pcode FROM tambon",
    "province": "SELECT DISTINCT 'province' AS level, province_pcode AS pcode FROM tambon",
    "cluster": "SELECT 'cluster' AS level, code AS pcode FROM grouping_cluster "
    "WHERE grouping = $grouping",
    "region": "SELECT 'region' AS level, code AS pcode FROM grouping_region "
    "WHERE grouping = $grouping",
}


def _stack_sql(keys: list[str]) -> str:
    indicators = catalogue()
    parts = []
    for key in keys:
        ind = indicators[key]
        den = "den" if ind.has_denominator else "NULL::DOUBLE"
        parts.append(
            f"SELECT '{key}' AS key, pcode, num::DOUBLE AS num, {den} AS den "
            f"FROM ({ind.tambon_sql})"
        )
    return "\nUNION ALL\n".join(parts)


def compute_all(
    con,
    grouping: str,
    keys: Iterable[str] | None = None,
    levels: Iterable[str] = LEVELS,
) -> pd.DataFrame:
    """Values of many indicators at many levels: columns ``level, key, pcode, num, den, value``.

    ``keys`` defaults to the whole catalogue and ``levels`` to all five; an indicator is
    only reported at the levels it declares. Areas with no rows still appear (``num`` 0),
    because every tambon of the grouping is joined before grouping.
    """
    indicators = catalogue()
    keys = list(keys) if keys is not None else list(indicators)
    unknown = [k for k in keys if k not in indicators]
    if unknown:
        raise KeyError(f"unknown indicators {unknown}; known: {', '.join(indicators)}")
    levels = list(dict.fromkeys(levels))
    bad = [lv for lv in levels if lv not in LEVELS]
    if bad:
        raise ValueError(f"levels must be among {', '.join(LEVELS)}, not {bad}")
    if not keys or not levels:
        return pd.DataFrame(columns=["level", "key", "pcode", "num", "den", "value"])
    meta = ", ".join(
        f"('{k}', {float(indicators[k].scale)!r}, {str(indicators[k].has_denominator).lower()}, "
        f"[{', '.join(repr(lv) for lv in indicators[k].levels)}])"
        for k in keys
    )
    rollups = " UNION ALL ".join(
        f"SELECT '{lv}' AS level, key, {_LEVEL_COLUMNS[lv]} AS pcode, sum(num) AS num, "
        "sum(den) AS den FROM j GROUP BY ALL"
        for lv in levels
    )
    areas = " UNION ALL ".join(_AREAS_SQL[lv] for lv in levels)
    sql = f"""
        WITH v AS ({_stack_sql(keys)}),
             t AS (SELECT t.pcode, t.amphoe_pcode, t.province_pcode, gp.cluster_code,
                          gc.region_code
                   FROM tambon t
                   JOIN grouping_province gp ON gp.province_pcode = t.province_pcode
                        AND gp.grouping = $grouping
                   JOIN grouping_cluster gc ON gc.grouping = gp.grouping
                        AND gc.code = gp.cluster_code),
             j AS MATERIALIZED (SELECT v.key, v.num, v.den, t.* FROM v JOIN t USING (pcode)),
             r AS ({rollups}),
             m AS (SELECT key, scale, has_den, unnest(levels) AS level
                   FROM (VALUES {meta}) AS m(key, scale, has_den, levels)),
             a AS ({areas})
        SELECT a.level, m.key, a.pcode, coalesce(r.num, 0) AS num,
               CASE WHEN m.has_den THEN coalesce(r.den, 0) END AS den,
               CASE WHEN NOT m.has_den THEN m.scale * coalesce(r.num, 0)
                    WHEN coalesce(r.den, 0) <> 0 THEN m.scale * coalesce(r.num, 0) / r.den
               END AS value
        FROM a JOIN m ON m.level = a.level
        LEFT JOIN r ON r.level = a.level AND r.key = m.key AND r.pcode = a.pcode"""
    return con.execute(sql, {"grouping": grouping}).df()


def table(frame: pd.DataFrame, level: str, keys: Iterable[str] | None = None) -> pd.DataFrame:
    """One level of ``compute_all``'s result as a wide table: index pcode, one column per key."""
    rows = frame[frame["level"] == level]
    if keys is not None:
        rows = rows[rows["key"].isin(list(keys))]
    wide = rows.pivot(index="pcode", columns="key", values="value")
    if keys is not None:
        wide = wide.reindex(columns=[k for k in keys if k in wide.columns])
    return wide
