"""Planning layers (ชั้นข้อมูลแผนพัฒนาชุมชน): plan items by dimension and by uptake, their areas,
and the tambons with need but no current plan.

Tambons by plan status are a choropleth (indicators ``plan_stage`` and
``plan_current_share``), not a layer. Items are drawn at their own point (an area item at a
point inside it); items without a location are not drawn. The item layers are declared by
their ``source`` SQL, so the map draws them from vector tiles (``geo.tiles``) like the
community layers: a region's thousands of items are not written into the page. Queries
return raw text; ``geo.mapping`` escapes every value it shows. Plan items carry no personal
data.
"""

from __future__ import annotations

from data import vocab
from geo.layer_defs.community import DEMO_NOTE, _label
from geo.layer_defs.fields import DATA_NOTE, PLACE
from geo.layers import MapLayer, PopupField, Scope, register_layer

DIMENSION = vocab.both(vocab.PLAN_DIMENSIONS)
AGENCY = vocab.both(vocab.AGENCY_TYPES)
SUPPORT = vocab.both(vocab.SUPPORT_TYPES)
UPTAKE = vocab.both(vocab.UPTAKE)

#: uptake of an item: supported, in the agency's plan, or not (yet) taken up
UPTAKE_SQL = (
    "CASE WHEN i.in_agency_plan AND i.support_type <> 'none' THEN 'supported' "
    "WHEN i.in_agency_plan THEN 'included' ELSE 'not_taken_up' END"
)
DIMENSION_COLORS = {
    "social": "#e7298a",
    "economic": "#d95f02",
    "resources_environment": "#1b9e77",
    "housing_land": "#7570b3",
    "welfare": "#e6ab02",
    "other": "#666666",
}
UPTAKE_COLORS = {"supported": "#1a9850", "included": "#91cf60", "not_taken_up": "#fc8d59"}


def items_source(where: str = "TRUE", polygons: bool = False) -> str:
    """The ``source`` SQL of a plan-item layer: every item with a location meeting ``where``
    (a fixed SQL condition), at a point inside it, or its area when ``polygons``."""
    geom = "i.geom" if polygons else "ST_PointOnSurface(i.geom)"
    kind = (
        "ST_GeometryType(i.geom) IN ('POLYGON', 'MULTIPOLYGON')"
        if polygons
        else "i.geom IS NOT NULL"
    )
    return f"""
    SELECT i.id, {geom} AS geom, i.tambon_pcode AS pcode, i.title,
           {_label("i.dimension", DIMENSION)} AS dimension, i.budget_baht,
           {_label("i.agency_type", AGENCY)} AS agency, {_label(UPTAKE_SQL, UPTAKE)} AS uptake,
           i.agency_plan_name, i.agency_plan_year + 543 AS agency_plan_year_be,
           {_label("i.support_type", SUPPORT)} AS support, i.support_baht,
           p.start_year + 543 || '-' || p.end_year + 543 AS plan_period_be,
           t.name_th AS tambon, {DEMO_NOTE.format(a="i")} AS data_note
    FROM plan_item i
    LEFT JOIN community_plan p ON p.source_id = i.plan_ref AND p.tambon_pcode = i.tambon_pcode
    LEFT JOIN tambon t ON t.pcode = i.tambon_pcode
    WHERE {kind} AND i.status <> 'dropped' AND {where}"""


#: what the items' tiles show changes with the items, their plans and the tambon names
ITEMS_VERSION = (
    "SELECT count(*), max(id), max(imported_at), "
    "(SELECT max(imported_at) FROM community_plan), "
    "(SELECT max(built_at) FROM map_shape_build) FROM plan_item"
)


POPUP = (
    PopupField("title", "โครงการ/กิจกรรม", "Item"),
    PopupField("dimension", "ด้าน", "Dimension"),
    PopupField("budget_baht", "งบประมาณโดยประมาณ (บาท)", "Estimated budget (baht)", 0),
    PopupField("agency", "เสนอต่อ", "Proposed to"),
    PopupField("uptake", "การรับไปดำเนินการ", "Uptake"),
    PopupField("agency_plan_name", "บรรจุในแผน", "In the plan"),
    PopupField("agency_plan_year_be", "ปีของแผน (พ.ศ.)", "Plan year (BE)", 0),
    PopupField("support", "การสนับสนุน", "Support"),
    PopupField("support_baht", "เงินสนับสนุน (บาท)", "Support (baht)", 0),
    PopupField("plan_period_be", "ช่วงแผนตำบล (พ.ศ.)", "Tambon plan period (BE)"),
    *PLACE,
)

for n, (code, (th, en)) in enumerate(vocab.PLAN_DIMENSIONS.items()):
    register_layer(
        MapLayer(
            key=f"plan_items_{code}",
            name_th=f"แผนชุมชน: {th}",
            name_en=f"Plan items: {en.lower()}",
            kind="point",
            source=items_source(f"i.dimension = '{code}'"),
            version_sql=ITEMS_VERSION,
            popup=POPUP,
            title_field="title",
            color=DIMENSION_COLORS[code],
            cluster=True,
            demo_fed=True,
            min_level="region",
            order=30 + n,
        )
    )

for n, (code, (th, en)) in enumerate(vocab.UPTAKE.items()):
    register_layer(
        MapLayer(
            key=f"plan_uptake_{code}",
            name_th=f"แผนชุมชน: {th}",
            name_en=f"Plan items: {en.lower()}",
            kind="point",
            source=items_source(f"{UPTAKE_SQL} = '{code}'"),
            version_sql=ITEMS_VERSION,
            popup=POPUP,
            title_field="title",
            color=UPTAKE_COLORS[code],
            cluster=True,
            demo_fed=True,
            min_level="region",
            order=40 + n,
        )
    )

register_layer(
    MapLayer(
        key="plan_item_areas",
        name_th="แผนชุมชน: พื้นที่ของโครงการ",
        name_en="Plan items: areas",
        kind="polygon",
        source=items_source(polygons=True),
        version_sql=ITEMS_VERSION,
        popup=POPUP,
        title_field="title",
        color="#1b9e77",
        cluster=False,
        demo_fed=True,
        min_level="province",
        order=45,
    )
)


def need_without_plan_rows(con, scope: Scope, user) -> object:
    """Tambons with unmet housing need or eviction cases and no current plan, as polygons."""
    from analysis.plan_gaps import need_without_plan

    frame = need_without_plan(con, scope=scope)
    if frame.empty:
        return frame.assign(geojson=[])
    shapes = con.execute(
        """SELECT pcode, ST_AsGeoJSON(ST_ReducePrecision(
                   ST_SimplifyPreserveTopology(geom, 0.0005), 0.00001)) AS geojson
           FROM tambon WHERE list_contains($codes, pcode)""",
        {"codes": frame["pcode"].tolist()},
    ).df()
    out = frame.merge(shapes, on="pcode")
    demo = con.execute("SELECT count(*) FROM community_plan WHERE is_demo").fetchone()[0]
    out["data_note"] = (
        "ข้อมูลสาธิต · Demo data" if demo else "ทะเบียนแผนและข้อมูลชุมชน · Plan and community records"
    )
    return out


register_layer(
    MapLayer(
        key="need_without_plan",
        name_th="ความเดือดร้อนที่ยังไม่มีแผนตำบล",
        name_en="Need without a plan",
        kind="polygon",
        query=need_without_plan_rows,
        popup=(
            PopupField("rank", "อันดับ", "Rank", 0),
            PopupField("name_th", "ตำบล", "Tambon"),
            PopupField("province_th", "จังหวัด", "Province"),
            PopupField("unmet", "ยังไม่ได้รับการแก้ไข (ครัวเรือน)", "Unmet need (households)", 0),
            PopupField("eviction", "ถูกไล่รื้อ (ครัวเรือน)", "Eviction threat (households)", 0),
            PopupField("plan_label", "แผนตำบล", "Tambon plan"),
            DATA_NOTE,
        ),
        title_field="name_th",
        color="#6a3d9a",
        cluster=False,
        demo_fed=True,
        max_features=500,
        order=61,
    )
)
