"""The priority tambons layer (พื้นที่เร่งด่วน) for the map explorer.

It ranks with the default weights and distance of ``analysis.priorities.PriorityParams``
under the default grouping; the priorities page is where a planner changes them. Values
are raw text; ``geo.mapping`` escapes what it shows.
"""

from __future__ import annotations

import pandas as pd

from geo.layer_defs.fields import DATA_NOTE
from geo.layers import MapLayer, PopupField, Scope, register_layer

TOP = 300


def priority_rows(con, scope: Scope, user) -> pd.DataFrame:
    """The best-ranked ``TOP`` tambons with unmet need inside ``scope``, as polygons."""
    from analysis.priorities import PriorityParams, rank_priorities
    from boundaries.groupings import default_grouping_name

    ranked = rank_priorities(con, PriorityParams(), default_grouping_name(con))
    if scope.provinces is not None:
        ranked = ranked[ranked["pcode"].str[:4].isin(scope.provinces)]
    elif scope.prefix:
        ranked = ranked[ranked["pcode"].str.startswith(scope.prefix)]
    ranked = ranked.head(TOP)
    if ranked.empty:
        return ranked.assign(geojson=pd.Series(dtype=str))
    shapes = con.execute(
        """SELECT pcode, ST_AsGeoJSON(ST_ReducePrecision(
                   ST_SimplifyPreserveTopology(geom, 0.0005), 0.00001)) AS geojson
           FROM tambon WHERE list_contains($codes, pcode)""",
        {"codes": ranked["pcode"].tolist()},
    ).df()
    out = ranked.merge(shapes, on="pcode")
    out["score"] = out["score"].round(0)
    out["near"] = out["project_near"].map({True: "มี · yes", False: "ไม่มี · none within 5 km"})
    out["data_note"] = "ข้อมูลสาธิต · Demo data"
    return out


register_layer(
    MapLayer(
        key="priority_tambons",
        name_th="พื้นที่เร่งด่วน (ค่าตั้งต้น)",
        name_en="Priority tambons (default weights)",
        kind="polygon",
        query=priority_rows,
        popup=(
            PopupField("rank", "อันดับ", "Rank", 0),
            PopupField("name_th", "ตำบล", "Tambon"),
            PopupField("province_th", "จังหวัด", "Province"),
            PopupField("score", "คะแนน", "Score", 0),
            PopupField("unmet", "ยังไม่ได้รับการแก้ไข (ครัวเรือน)", "Unmet need (households)", 0),
            PopupField("near", "โครงการบ้านมั่นคงภายใน 5 กม.", "Baan Mankong within 5 km"),
            DATA_NOTE,
        ),
        title_field="name_th",
        color="#a50f15",
        cluster=False,
        demo_fed=True,
        order=60,
    )
)
