"""Community data layers: organizations, Baan Mankong projects, land cases (points and areas).

Queries return raw text; ``geo.mapping`` escapes every value it shows. Each row says
whether it is demo data (``data_note``), since imported and demo rows may be mixed. The
chair's name is not shown on the public map.
"""

from __future__ import annotations

from data import vocab
from geo.layers import MapLayer, PopupField, Scope, register_layer

ORG_TYPE = vocab.both(vocab.ORG_TYPES)
STAGE = vocab.both(vocab.PROJECT_STAGES)
LANDOWNER = vocab.both(vocab.LANDOWNERS)
TENURE = vocab.both(vocab.TENURE)
DEMO_NOTE = "CASE WHEN {a}.is_demo THEN 'ข้อมูลสาธิต · Demo data' ELSE {a}.source END"


def _label(column: str, labels: dict[str, str]) -> str:
    """A SQL CASE turning a code column into its Thai · English label (fixed texts only)."""
    whens = " ".join(
        f"WHEN '{code}' THEN '{text.replace(chr(39), chr(39) * 2)}'"
        for code, text in labels.items()
    )
    return f"CASE {column} {whens} ELSE {column} END"


def organization_rows(con, scope: Scope, user) -> object:
    """Community organizations in ``scope``: own point, else their village's point."""
    return con.execute(
        f"""SELECT ST_X(coalesce(o.geom, v.geom)) AS lon, ST_Y(coalesce(o.geom, v.geom)) AS lat,
                   o.name, {_label("o.org_type", ORG_TYPE)} AS org_type, o.members,
                   o.capital_baht, o.products, t.name_th AS tambon, o.tambon_pcode AS pcode,
                   {DEMO_NOTE.format(a="o")} AS data_note
            FROM community_org o
            LEFT JOIN village v ON v.id = o.village_id
            LEFT JOIN tambon t ON t.pcode = o.tambon_pcode
            WHERE coalesce(o.geom, v.geom) IS NOT NULL AND o.status <> 'dissolved'
              AND {scope.matches_sql("o.tambon_pcode")}
            ORDER BY o.id"""
    ).df()


def project_rows(con, scope: Scope, user) -> object:
    """Baan Mankong projects in ``scope`` (an area project drawn at a point inside it)."""
    return con.execute(
        f"""SELECT ST_X(ST_PointOnSurface(p.geom)) AS lon, ST_Y(ST_PointOnSurface(p.geom)) AS lat,
                   p.name, {_label("p.stage", STAGE)} AS stage, p.households, p.communities,
                   {_label("p.landowner_type", LANDOWNER)} AS landowner,
                   t.name_th AS tambon, p.tambon_pcode AS pcode,
                   {DEMO_NOTE.format(a="p")} AS data_note
            FROM baan_mankong_project p LEFT JOIN tambon t ON t.pcode = p.tambon_pcode
            WHERE p.geom IS NOT NULL AND {scope.matches_sql("p.tambon_pcode")}
            ORDER BY p.id"""
    ).df()


def _land_case_sql(scope: Scope, polygons: bool) -> str:
    where = (
        "ST_GeometryType(l.geom) IN ('POLYGON', 'MULTIPOLYGON')"
        if polygons
        else "l.geom IS NOT NULL"
    )
    shape = (
        "ST_AsGeoJSON(l.geom) AS geojson"
        if polygons
        else "ST_X(ST_PointOnSurface(l.geom)) AS lon, ST_Y(ST_PointOnSurface(l.geom)) AS lat"
    )
    return f"""SELECT {shape}, l.community, {_label("l.tenure_status", TENURE)} AS tenure,
                      l.households, l.area_rai,
                      {_label("l.landowner_type", LANDOWNER)} AS landowner,
                      t.name_th AS tambon, l.tambon_pcode AS pcode,
                      {DEMO_NOTE.format(a="l")} AS data_note
               FROM land_case l LEFT JOIN tambon t ON t.pcode = l.tambon_pcode
               WHERE {where} AND {scope.matches_sql("l.tambon_pcode")}
               ORDER BY l.id"""


def land_case_rows(con, scope: Scope, user) -> object:
    """Land cases in ``scope`` as points (an area case at a point inside it)."""
    return con.execute(_land_case_sql(scope, polygons=False)).df()


def land_case_area_rows(con, scope: Scope, user) -> object:
    """Land cases in ``scope`` whose area is known, as polygons."""
    return con.execute(_land_case_sql(scope, polygons=True)).df()


_PLACE = (
    PopupField("tambon", "ตำบล", "Tambon"),
    PopupField("pcode", "รหัสตำบล", "P-code"),
    PopupField("data_note", "ที่มา", "Source"),
)

register_layer(
    MapLayer(
        key="community_orgs",
        name_th="กลุ่ม/องค์กรชุมชน",
        name_en="Community organizations",
        kind="point",
        query=organization_rows,
        popup=(
            PopupField("name", "ชื่อกลุ่ม", "Name"),
            PopupField("org_type", "ประเภท", "Type"),
            PopupField("members", "สมาชิก", "Members", 0),
            PopupField("capital_baht", "เงินทุน (บาท)", "Capital (baht)", 0),
            PopupField("products", "ผลิตภัณฑ์", "Products"),
            *_PLACE,
        ),
        title_field="name",
        color="#7b3294",
        cluster=True,
        demo_fed=True,
        min_level="region",
        order=20,
    )
)

register_layer(
    MapLayer(
        key="baan_mankong",
        name_th="โครงการบ้านมั่นคง",
        name_en="Baan Mankong projects",
        kind="point",
        query=project_rows,
        popup=(
            PopupField("name", "โครงการ", "Project"),
            PopupField("stage", "ขั้นตอน", "Stage"),
            PopupField("households", "ครัวเรือน", "Households", 0),
            PopupField("communities", "ชุมชน", "Communities", 0),
            PopupField("landowner", "เจ้าของที่ดิน", "Landowner"),
            *_PLACE,
        ),
        title_field="name",
        color="#1a9850",
        cluster=True,
        demo_fed=True,
        order=21,
    )
)

register_layer(
    MapLayer(
        key="land_cases",
        name_th="กรณีปัญหาที่ดิน",
        name_en="Land cases",
        kind="point",
        query=land_case_rows,
        popup=(
            PopupField("community", "ชุมชน", "Community"),
            PopupField("tenure", "สถานะการถือครอง", "Tenure"),
            PopupField("households", "ครัวเรือน", "Households", 0),
            PopupField("area_rai", "เนื้อที่ (ไร่)", "Area (rai)", 1),
            PopupField("landowner", "เจ้าของที่ดิน", "Landowner"),
            *_PLACE,
        ),
        title_field="community",
        color="#d73027",
        cluster=True,
        demo_fed=True,
        order=22,
    )
)

register_layer(
    MapLayer(
        key="land_case_areas",
        name_th="ขอบเขตที่ดินชุมชน",
        name_en="Land case areas",
        kind="polygon",
        query=land_case_area_rows,
        popup=(
            PopupField("community", "ชุมชน", "Community"),
            PopupField("tenure", "สถานะการถือครอง", "Tenure"),
            PopupField("households", "ครัวเรือน", "Households", 0),
            *_PLACE,
        ),
        title_field="community",
        color="#f46d43",
        cluster=False,
        demo_fed=True,
        min_level="province",
        order=23,
    )
)
