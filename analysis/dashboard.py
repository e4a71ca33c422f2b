"""Cluster and region dashboards (แดชบอร์ดกลุ่มจังหวัด/ภาค) for any province grouping.

Seed 001 makes the province cluster the unit where planning, budget and reporting are
organised; seed 002's national assembly (สมัชชาระดับชาติ) seats 3 representatives per
province, 2 per cluster and 5 per region. Everything here takes the grouping as an
argument, so switching or editing a grouping recomputes every figure.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from analysis.catalogue import catalogue
from analysis.rollup import compute_all

#: The indicators a dashboard shows by default (all in the catalogue; others can be added).
DASHBOARD_INDICATORS = (
    "tambons",
    "community_orgs",
    "community_orgs_per_tambon",
    "council_present",
    "savings_groups_active",
    "baan_mankong_households",
    "baan_mankong_households_completed",
    "insecure_land_households",
    "need_verified_households",
    "unmet_need_households",
    "need_coverage",
)

GROUP_LEVELS = ("cluster", "region")


def _check_level(level: str) -> None:
    if level not in GROUP_LEVELS:
        raise ValueError(f"level must be 'cluster' or 'region', not {level!r}")


def areas(con, grouping: str, level: str) -> pd.DataFrame:
    """The clusters or regions of ``grouping``: ``code, no, name_th, name_en, region_code,
    region_th, region_en, provinces`` (region columns repeat the area itself for regions)."""
    _check_level(level)
    if level == "cluster":
        sql = """SELECT c.code, c.no, c.name_th, c.name_en, c.region_code,
                        r.name_th AS region_th, r.name_en AS region_en,
                        (SELECT count(*) FROM grouping_province gp
                         WHERE gp.grouping = c.grouping AND gp.cluster_code = c.code) AS provinces
                 FROM grouping_cluster c
                 JOIN grouping_region r ON r.grouping = c.grouping AND r.code = c.region_code
                 WHERE c.grouping = $g ORDER BY c.no"""
    else:
        sql = """SELECT r.code, r.no, r.name_th, r.name_en, r.code AS region_code,
                        r.name_th AS region_th, r.name_en AS region_en,
                        (SELECT count(*) FROM grouping_province gp JOIN grouping_cluster c
                           ON c.grouping = gp.grouping AND c.code = gp.cluster_code
                         WHERE gp.grouping = r.grouping AND c.region_code = r.code) AS provinces
                 FROM grouping_region r WHERE r.grouping = $g ORDER BY r.no"""
    return con.execute(sql, {"g": grouping}).df()


def provinces_of(con, grouping: str, level: str, code: str) -> pd.DataFrame:
    """The provinces in cluster or region ``code``: ``pcode, name_th, name_en, cluster_code,
    cluster_th, cluster_en, tambons``, by cluster then name."""
    _check_level(level)
    column = "c.code" if level == "cluster" else "c.region_code"
    return con.execute(
        f"""SELECT p.pcode, p.name_th, p.name_en, c.code AS cluster_code,
                   c.name_th AS cluster_th, c.name_en AS cluster_en,
                   (SELECT count(*) FROM tambon t WHERE t.province_pcode = p.pcode) AS tambons
            FROM grouping_province gp
            JOIN grouping_cluster c ON c.grouping = gp.grouping AND c.code = gp.cluster_code
            JOIN province p ON p.pcode = gp.province_pcode
            WHERE gp.grouping = $g AND {column} = $code
            ORDER BY c.no, p.name_th""",
        {"g": grouping, "code": code},
    ).df()


def comparison(
    con, grouping: str, level: str, keys: tuple[str, ...] = DASHBOARD_INDICATORS
) -> pd.DataFrame:
    """Every cluster (or region) of ``grouping`` with the values of ``keys``, one row per area.

    Columns: the ``areas`` columns, then one column per indicator key.
    """
    _check_level(level)
    keys = tuple(k for k in keys if level in catalogue()[k].levels)
    values = compute_all(con, grouping, keys, levels=(level,))
    wide = values.pivot(index="pcode", columns="key", values="value").reindex(columns=list(keys))
    out = areas(con, grouping, level).merge(wide, left_on="code", right_index=True, how="left")
    return out.reset_index(drop=True)


def rank_among(table: pd.DataFrame, code: str, key: str) -> tuple[int, int] | None:
    """(rank, of how many) of area ``code`` on indicator ``key``, rank 1 = the "better" end.

    For indicators where higher is worse, rank 1 is the lowest value; for neutral ones the
    highest. None when the area has no value.
    """
    ind = catalogue()[key]
    column = table.set_index("code")[key].astype(float)
    if code not in column.index or pd.isna(column[code]):
        return None
    ascending = ind.higher_is == "worse"
    ranks = column.rank(ascending=ascending, method="min")
    return int(ranks[code]), int(column.notna().sum())


@dataclass(frozen=True)
class AssemblyRule:
    """Seats per province, per cluster and per region (seed 002, 2007: 3, 2 and 5)."""

    per_province: int = 3
    per_cluster: int = 2
    per_region: int = 5

    def __post_init__(self) -> None:
        for name in ("per_province", "per_cluster", "per_region"):
            value = getattr(self, name)
            if not isinstance(value, int) or value < 0:
                raise ValueError(f"{name} must be a whole number >= 0, not {value!r}")


def assembly_seats(con, grouping: str, rule: AssemblyRule = AssemblyRule()) -> pd.DataFrame:
    """The national assembly composition for ``grouping``, one row per region plus a total.

    Columns: ``region_code, name_th, name_en, provinces, clusters, province_seats,
    cluster_seats, region_seats, seats``; the last row has ``region_code`` ``"total"``.
    """
    frame = con.execute(
        """SELECT r.code AS region_code, r.no, r.name_th, r.name_en,
                  count(DISTINCT gp.province_pcode) AS provinces,
                  count(DISTINCT c.code) AS clusters
           FROM grouping_region r
           LEFT JOIN grouping_cluster c ON c.grouping = r.grouping AND c.region_code = r.code
           LEFT JOIN grouping_province gp ON gp.grouping = c.grouping
                AND gp.cluster_code = c.code
           WHERE r.grouping = $g GROUP BY ALL ORDER BY r.no""",
        {"g": grouping},
    ).df()
    frame = frame.drop(columns="no")
    frame["province_seats"] = frame["provinces"] * rule.per_province
    frame["cluster_seats"] = frame["clusters"] * rule.per_cluster
    frame["region_seats"] = rule.per_region
    frame["seats"] = frame["province_seats"] + frame["cluster_seats"] + frame["region_seats"]
    total = {
        "region_code": "total",
        "name_th": "รวมทั้งประเทศ",
        "name_en": "Whole country",
        **{
            c: int(frame[c].sum())
            for c in (
                "provinces",
                "clusters",
                "province_seats",
                "cluster_seats",
                "region_seats",
                "seats",
            )
        },
    }
    return pd.concat([frame, pd.DataFrame([total])], ignore_index=True)


def grouping_differences(con, grouping_a: str, grouping_b: str) -> pd.DataFrame:
    """Provinces whose cluster or region name differs between two groupings.

    Columns: ``pcode, name_th, name_en, cluster_a, region_a, cluster_b, region_b`` (Thai
    names of the cluster/region each grouping puts the province in).
    """
    return con.execute(
        """WITH g AS (SELECT gp.grouping, gp.province_pcode, c.name_th AS cluster,
                             r.name_th AS region
                      FROM grouping_province gp
                      JOIN grouping_cluster c ON c.grouping = gp.grouping
                           AND c.code = gp.cluster_code
                      JOIN grouping_region r ON r.grouping = c.grouping
                           AND r.code = c.region_code)
           SELECT p.pcode, p.name_th, p.name_en, a.cluster AS cluster_a, a.region AS region_a,
                  b.cluster AS cluster_b, b.region AS region_b
           FROM province p
           JOIN g a ON a.province_pcode = p.pcode AND a.grouping = $a
           JOIN g b ON b.province_pcode = p.pcode AND b.grouping = $b
           WHERE a.cluster <> b.cluster OR a.region <> b.region
           ORDER BY p.name_th""",
        {"a": grouping_a, "b": grouping_b},
    ).df()
