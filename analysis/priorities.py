"""Need against supply: which tambons should come first (พื้นที่เร่งด่วน).

A tambon is a candidate when it has unmet housing need (``unmet_need_households`` of the
catalogue: verified need and insecure land not covered by a settled Baan Mankong project
or secure land). Each candidate gets three scores between 0 and 1:

* **need** — ``log(1 + unmet) / log(1 + largest unmet among candidates)``: the log keeps a
  few very large urban cases from flattening every other tambon to zero;
* **gap** — 1 when no Baan Mankong project (any stage) lies within ``distance_km`` of the
  tambon, else 0. Distances are metres in UTM (zone 47N west of 102°E, 48N east of it;
  projects are projected into the tambon's zone), from a point inside the tambon
  (``ST_PointOnSurface``) to each project's centroid, computed in DuckDB spatial;
* **readiness** — half for an active community council, half for active savings groups
  (``min(groups, 3) / 3``): where people are organised, a project can start.

``score = 100 * (w_need*need + w_gap*gap + w_ready*readiness) / (w_need + w_gap + w_ready)``
and tambons are ranked by score (ties: more unmet need first, then P-code).
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass

import pandas as pd

from analysis.indicators.planning import NEED_LEDGER_SQL

#: The search radius for the nearest project shown beside each tambon (beyond: "far").
SEARCH_KM = 30.0


@dataclass(frozen=True)
class PriorityParams:
    """The planner's choices: weights (any non-negative numbers) and the distance in km."""

    w_need: float = 0.5
    w_gap: float = 0.3
    w_ready: float = 0.2
    distance_km: float = 5.0

    def __post_init__(self) -> None:
        for name in ("w_need", "w_gap", "w_ready"):
            value = getattr(self, name)
            if not (isinstance(value, int | float) and math.isfinite(value) and value >= 0):
                raise ValueError(f"{name} must be a finite number >= 0, not {value!r}")
        if self.w_need + self.w_gap + self.w_ready <= 0:
            raise ValueError("at least one weight must be above zero")
        if not (0 < self.distance_km <= 200):
            raise ValueError(f"distance_km must be in (0, 200], not {self.distance_km!r}")

    @property
    def total_weight(self) -> float:
        return self.w_need + self.w_gap + self.w_ready


def _utm(expr: str) -> str:
    return (
        f"CASE WHEN ST_X({expr}) < 102 "
        f"THEN ST_Transform({expr}, 'EPSG:4326', 'EPSG:32647', always_xy := true) "
        f"ELSE ST_Transform({expr}, 'EPSG:4326', 'EPSG:32648', always_xy := true) END"
    )


def _nearest_sql(radius_m: float) -> str:
    """Per candidate tambon: the distance in metres to the nearest project within radius."""
    return f"""
    cand_pt AS (SELECT c.pcode, p, CASE WHEN ST_X(p) < 102 THEN 47 ELSE 48 END AS zone,
                       {_utm("p")} AS u
                FROM (SELECT t.pcode, ST_PointOnSurface(t.geom) AS p FROM tambon t
                      JOIN cand USING (pcode)) c),
    cand_xy AS (SELECT pcode, zone, ST_X(u) AS x, ST_Y(u) AS y FROM cand_pt),
    proj_pt AS (SELECT ST_Centroid(geom) AS p FROM baan_mankong_project
                WHERE geom IS NOT NULL),
    proj_xy AS (SELECT 47 AS zone,
                       ST_X(ST_Transform(p, 'EPSG:4326', 'EPSG:32647', always_xy := true)) AS x,
                       ST_Y(ST_Transform(p, 'EPSG:4326', 'EPSG:32647', always_xy := true)) AS y
                FROM proj_pt
                UNION ALL
                SELECT 48,
                       ST_X(ST_Transform(p, 'EPSG:4326', 'EPSG:32648', always_xy := true)),
                       ST_Y(ST_Transform(p, 'EPSG:4326', 'EPSG:32648', always_xy := true))
                FROM proj_pt),
    nearest AS (SELECT c.pcode, sqrt(min((c.x - b.x) ^ 2 + (c.y - b.y) ^ 2)) AS metres
                FROM cand_xy c JOIN proj_xy b ON b.zone = c.zone
                     AND b.x BETWEEN c.x - {radius_m} AND c.x + {radius_m}
                     AND b.y BETWEEN c.y - {radius_m} AND c.y + {radius_m}
                GROUP BY c.pcode)"""


def rank_priorities(
    con,
    params: PriorityParams,
    grouping: str,
    *,
    within: str | None = None,
    limit: int | None = None,
) -> pd.DataFrame:
    """Candidate tambons ranked by priority score, best first.

    ``within`` limits to a province/amphoe P-code prefix, or to a cluster or region code of
    ``grouping`` (``"cluster:c01"``, ``"region:north"``). Columns: those of
    ``candidates`` plus ``project_near, need_score, gap_score, readiness, score, rank``.
    """
    frame = candidates(con, grouping, within=within, search_km=params.distance_km)
    return score(frame, params, limit=limit)


def candidates(
    con, grouping: str, *, within: str | None = None, search_km: float = SEARCH_KM
) -> pd.DataFrame:
    """The tambons with unmet need and what the score reads, before any weighting.

    Columns: ``pcode, name_th, name_en, amphoe_th, province_th, province_en, cluster_code,
    region_code, unmet, demand, supply, nearest_km`` (NaN when no project lies within
    ``max(SEARCH_KM, search_km)`` east-west and north-south), ``council, savings_groups,
    lon, lat`` (the point inside the tambon distances are measured from). Weights change
    nothing here, so a page can keep this frame while a planner moves the sliders.
    """
    radius_m = max(SEARCH_KM, search_km) * 1000.0
    where, args = _within_sql(within)
    sql = f"""
    WITH ledger AS ({NEED_LEDGER_SQL}),
    cand AS (SELECT * FROM ledger WHERE unmet > 0),
    {_nearest_sql(radius_m)},
    council AS (SELECT DISTINCT tambon_pcode AS pcode FROM tambon_council
                WHERE status = 'active'),
    savings AS (SELECT tambon_pcode AS pcode, count(*) AS n FROM community_org
                WHERE org_type = 'savings_group' AND status = 'active' GROUP BY 1)
    SELECT c.pcode, t.name_th, t.name_en, a.name_th AS amphoe_th, p.name_th AS province_th,
           p.name_en AS province_en, gp.cluster_code, gc.region_code,
           c.unmet, c.demand, c.supply, n.metres / 1000.0 AS nearest_km,
           (k.pcode IS NOT NULL) AS council, coalesce(s.n, 0) AS savings_groups,
           ST_X(cp.p) AS lon, ST_Y(cp.p) AS lat
    FROM cand c
    JOIN cand_pt cp ON cp.pcode = c.pcode
    JOIN tambon t ON t.pcode = c.pcode
    JOIN amphoe a ON a.pcode = t.amphoe_pcode
    JOIN province p ON p.pcode = t.province_pcode
    JOIN grouping_province gp ON gp.province_pcode = t.province_pcode
         AND gp.grouping = $grouping
    JOIN grouping_cluster gc ON gc.grouping = gp.grouping AND gc.code = gp.cluster_code
    LEFT JOIN nearest n ON n.pcode = c.pcode
    LEFT JOIN council k ON k.pcode = c.pcode
    LEFT JOIN savings s ON s.pcode = c.pcode
    WHERE {where}"""
    return con.execute(sql, {"grouping": grouping, **args}).df()


def score(frame: pd.DataFrame, params: PriorityParams, limit: int | None = None) -> pd.DataFrame:
    """Add the three scores, the weighted score and the rank to candidate rows (pure)."""
    out = frame.copy()
    if out.empty:
        for col in ("project_near", "need_score", "gap_score", "readiness", "score", "rank"):
            out[col] = pd.Series(dtype=float)
        return out
    top = math.log1p(float(out["unmet"].max()))
    out["need_score"] = out["unmet"].astype(float).map(math.log1p) / top if top > 0 else 0.0
    near = out["nearest_km"].notna() & (out["nearest_km"] <= params.distance_km)
    out["project_near"] = near
    out["gap_score"] = (~near).astype(float)
    out["readiness"] = 0.5 * out["council"].astype(float) + 0.5 * (
        out["savings_groups"].clip(upper=3).astype(float) / 3.0
    )
    total = params.total_weight
    out["score"] = (
        100.0
        * (
            params.w_need * out["need_score"]
            + params.w_gap * out["gap_score"]
            + params.w_ready * out["readiness"]
        )
        / total
    )
    out = out.sort_values(["score", "unmet", "pcode"], ascending=[False, False, True])
    out["rank"] = range(1, len(out) + 1)
    out = out.reset_index(drop=True)
    return out.head(limit) if limit else out


def _within_sql(within: str | None) -> tuple[str, dict]:
    if not within:
        return "TRUE", {}
    kind, _, code = within.partition(":")
    if kind == "cluster" and code:
        return "gp.cluster_code = $code", {"code": code}
    if kind == "region" and code:
        return "gc.region_code = $code", {"code": code}
    if within.startswith("TH") and within[2:].isdigit():
        return "starts_with(c.pcode, $code)", {"code": within}
    raise ValueError(
        f"within must be a P-code prefix, 'cluster:<code>' or 'region:<code>', not {within!r}"
    )


METHOD_TH = (
    "ตำบลที่เข้าข่ายคือตำบลที่ยังมีความต้องการที่อยู่อาศัยที่ไม่ได้รับการแก้ไข "
    "(ครัวเรือนในคำร้องที่ตรวจสอบแล้วและในกรณีที่ดินที่ไม่มั่นคง ลบด้วยครัวเรือนในโครงการบ้านมั่นคงที่"
    "ได้ข้อยุติที่ดินและสินเชื่อแล้วและที่ดินที่มั่นคงแล้ว) แต่ละตำบลได้คะแนน 3 ด้าน ระหว่าง 0 ถึง 1: "
    "ความต้องการ = log(1+ครัวเรือนที่ยังไม่ได้รับการแก้ไข) ÷ log(1+ค่าสูงสุด); "
    "ช่องว่าง = 1 เมื่อไม่มีโครงการบ้านมั่นคงภายในระยะที่เลือก (วัดเป็นเมตรในระบบ UTM โซน 47/48 "
    "จากจุดภายในตำบลถึงจุดกึ่งกลางโครงการ) มิฉะนั้น 0; ความพร้อม = ครึ่งหนึ่งจากสภาองค์กรชุมชนที่ดำเนินการอยู่ "
    "อีกครึ่งจากกลุ่มออมทรัพย์ที่ดำเนินการอยู่ (สูงสุด 3 กลุ่ม) "
    "คะแนนรวม = 100 × ผลรวมถ่วงน้ำหนัก ÷ ผลรวมน้ำหนัก"
)
METHOD_EN = (
    "Candidates are tambons with unmet housing need (households in verified need reports "
    "and on insecure land, minus households in Baan Mankong projects with land and finance "
    "settled and on secure land). Each gets three scores from 0 to 1: need = "
    "log(1 + unmet households) / log(1 + the largest); gap = 1 when no Baan Mankong project "
    "lies within the chosen distance (metres in UTM zone 47N/48N, from a point inside the "
    "tambon to each project's centroid), else 0; readiness = half for an active community "
    "council, half for active savings groups (up to 3). Score = 100 × weighted sum ÷ sum "
    "of weights."
)


SCORE_COLORS = ("#fee5d9", "#fcae91", "#fb6a4a", "#de2d26", "#a50f15")


def score_color(score: float) -> str:
    """Five classes of 20 points each, light to dark red."""
    idx = min(int(max(score, 0.0) // 20), len(SCORE_COLORS) - 1)
    return SCORE_COLORS[idx]


def priority_map(con, ranked: pd.DataFrame, lang: str = "th", top: int = 100, height: int = 520):
    """A folium map of the ``top`` ranked tambons coloured by score, with the projects nearby.

    Tooltips are built from escaped text (folium does not escape). Leaflet is served from
    the local copies (``geo.static_assets``), so nothing is fetched from outside.
    """
    import html as _html

    import folium

    from geo.static_assets import use_local_assets

    use_local_assets()
    rows = ranked.head(top)
    m = folium.Map(
        location=[13.0, 101.0],
        zoom_start=6,
        tiles=None,
        prefer_canvas=True,
        control_scale=False,  # MetricScale below: kilometres only
        height=height,
    )
    from geo.area_layer import MetricScale

    MetricScale().add_to(m)
    if rows.empty:
        m.fit_bounds([[5.6, 97.3], [20.5, 105.7]])
        return m
    shapes = (
        con.execute(
            """SELECT pcode, ST_AsGeoJSON(ST_ReducePrecision(
                          ST_SimplifyPreserveTopology(geom, 0.001), 0.0001)) AS gj
           FROM tambon WHERE list_contains($codes, pcode)""",
            {"codes": rows["pcode"].tolist()},
        )
        .df()
        .set_index("pcode")["gj"]
    )
    bounds = con.execute(
        """SELECT min(ST_XMin(geom)), min(ST_YMin(geom)), max(ST_XMax(geom)), max(ST_YMax(geom))
           FROM tambon WHERE list_contains($codes, pcode)""",
        {"codes": rows["pcode"].tolist()},
    ).fetchone()
    hh = "ครัวเรือน" if lang == "th" else "households"
    outline = con.execute(
        "SELECT ST_AsGeoJSON(ST_ReducePrecision(ST_SimplifyPreserveTopology(geom, 0.02), 0.001)) "
        "FROM province"
    ).fetchall()
    folium.GeoJson(
        {
            "type": "FeatureCollection",
            "features": [
                {"type": "Feature", "properties": {}, "geometry": json.loads(g)} for (g,) in outline
            ],
        },
        style_function=lambda _f: {
            "fillColor": "#f7f7f7",
            "color": "#9aa5b1",
            "weight": 0.6,
            "fillOpacity": 1,
        },
        interactive=False,
    ).add_to(m)
    prio = folium.FeatureGroup(name="priorities")
    for r in rows.itertuples():
        name = r.name_th if lang == "th" else r.name_en
        province = r.province_th if lang == "th" else r.province_en
        label = (
            f"#{r.rank} {_html.escape(str(name))}, {_html.escape(str(province))}<br>"
            f"{'คะแนน' if lang == 'th' else 'score'} {r.score:.0f} · "
            f"{'ยังไม่ได้รับการแก้ไข' if lang == 'th' else 'unmet'} {r.unmet:,.0f} {hh}"
        )
        color = score_color(r.score)
        folium.GeoJson(
            json.loads(shapes[r.pcode]),
            style_function=lambda _f, c=color: {
                "fillColor": c,
                "color": "#67000d",
                "weight": 0.8,
                "fillOpacity": 0.8,
            },
            tooltip=folium.Tooltip(label),
        ).add_to(prio)
        centre = (r.lat, r.lon)
        folium.CircleMarker(
            list(centre),
            radius=3 + r.score / 25,
            color="#67000d",
            weight=1,
            fill=True,
            fill_color=color,
            fill_opacity=0.95,
            tooltip=folium.Tooltip(label),
        ).add_to(prio)
    projects = con.execute(
        f"""SELECT ST_Y(ST_Centroid(geom)) AS lat, ST_X(ST_Centroid(geom)) AS lon, name, stage
            FROM baan_mankong_project
            WHERE geom IS NOT NULL
              AND ST_X(ST_Centroid(geom)) BETWEEN {bounds[0] - 0.5} AND {bounds[2] + 0.5}
              AND ST_Y(ST_Centroid(geom)) BETWEEN {bounds[1] - 0.5} AND {bounds[3] + 0.5}
            LIMIT 3000"""
    ).df()
    # one GeoJSON layer for all projects (names pre-escaped: GeoJsonTooltip inserts HTML)
    group = folium.GeoJson(
        {
            "type": "FeatureCollection",
            "features": [
                {
                    "type": "Feature",
                    "properties": {"name": _html.escape(str(p.name))},
                    "geometry": {
                        "type": "Point",
                        "coordinates": [round(p.lon, 5), round(p.lat, 5)],
                    },
                }
                for p in projects.itertuples()
            ],
        },
        marker=folium.CircleMarker(
            radius=2, color="#1a9850", fill=True, fill_opacity=0.7, weight=0
        ),
        tooltip=folium.GeoJsonTooltip(fields=["name"], labels=False),
    )
    group.add_to(m)
    prio.add_to(m)
    m.fit_bounds([[bounds[1], bounds[0]], [bounds[3], bounds[2]]])
    return m
