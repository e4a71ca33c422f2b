"""Community data layers: organizations, councils, Baan Mankong projects, land cases.

Queries return raw text; ``geo.mapping`` escapes every value it shows. Each row says
whether it is demo data (``data_note``), since imported and demo rows may be mixed. The
chair's name is not shown on the public map. Each layer is declared by its ``source`` SQL
(every feature, with ``id``, ``geom`` and ``pcode``), which also feeds its vector tiles.
"""

from __future__ import annotations

from data import vocab
from geo.layer_defs.fields import HOUSEHOLDS, PLACE
from geo.layers import MapLayer, PopupField, register_layer

ORG_TYPE = vocab.both(vocab.ORG_TYPES)
STAGE = vocab.both(vocab.PROJECT_STAGES)
LANDOWNER = vocab.both(vocab.LANDOWNERS)
TENURE = vocab.both(vocab.TENURE)
COUNCIL_STATUS = vocab.both(vocab.ORG_STATUS)
DEMO_NOTE = "CASE WHEN {a}.is_demo THEN 'ข้อมูลสาธิต · Demo data' ELSE {a}.source END"


def _label(column: str, labels: dict[str, str]) -> str:
    """A SQL CASE turning a code column into its Thai · English label (fixed texts only)."""
    whens = " ".join(
        f"WHEN '{code}' THEN '{text.replace(chr(39), chr(39) * 2)}'"
        for code, text in labels.items()
    )
    return f"CASE {column} {whens} ELSE {column} END"


ORGANIZATIONS = f"""
    SELECT o.id, coalesce(o.geom, v.geom) AS geom, o.tambon_pcode AS pcode,
           o.name, {_label("o.org_type", ORG_TYPE)} AS org_type, o.members, o.capital_baht,
           o.products, t.name_th AS tambon, {DEMO_NOTE.format(a="o")} AS data_note
    FROM community_org o
    LEFT JOIN village v ON v.id = o.village_id
    LEFT JOIN tambon t ON t.pcode = o.tambon_pcode
    WHERE coalesce(o.geom, v.geom) IS NOT NULL AND o.status <> 'dissolved'"""

COUNCILS = f"""
    SELECT c.id, c.geom, c.tambon_pcode AS pcode, c.name,
           c.member_orgs,
           {_label("c.status", COUNCIL_STATUS)} AS status, t.name_th AS tambon,
           {DEMO_NOTE.format(a="c")} AS data_note
    FROM tambon_council c LEFT JOIN tambon t ON t.pcode = c.tambon_pcode
    WHERE c.geom IS NOT NULL AND c.status <> 'dissolved'"""

PROJECTS = f"""
    SELECT p.id, ST_PointOnSurface(p.geom) AS geom, p.tambon_pcode AS pcode,
           p.name, {_label("p.stage", STAGE)} AS stage, p.households, p.communities,
           {_label("p.landowner_type", LANDOWNER)} AS landowner,
           t.name_th AS tambon, {DEMO_NOTE.format(a="p")} AS data_note
    FROM baan_mankong_project p LEFT JOIN tambon t ON t.pcode = p.tambon_pcode
    WHERE p.geom IS NOT NULL"""


def _changes(table: str) -> str:
    """A cheap fingerprint of ``table`` for tile versions: importers stamp ``imported_at``
    on every insert and update; a build rewrites the tambon names (the shapes build id)."""
    return (
        f"SELECT count(*), max(id), max(imported_at), "
        f"(SELECT max(built_at) FROM map_shape_build) FROM {table}"
    )


def _land_case_sql(polygons: bool) -> str:
    where = (
        "ST_GeometryType(l.geom) IN ('POLYGON', 'MULTIPOLYGON')"
        if polygons
        else "l.geom IS NOT NULL"
    )
    shape = "l.geom" if polygons else "ST_PointOnSurface(l.geom)"
    return f"""
    SELECT l.id, {shape} AS geom, l.tambon_pcode AS pcode,
           l.community, {_label("l.tenure_status", TENURE)} AS tenure,
           l.households, l.area_rai, {_label("l.landowner_type", LANDOWNER)} AS landowner,
           t.name_th AS tambon, {DEMO_NOTE.format(a="l")} AS data_note
    FROM land_case l LEFT JOIN tambon t ON t.pcode = l.tambon_pcode
    WHERE {where}"""


LAND_CASES = _land_case_sql(polygons=False)
LAND_CASE_AREAS = _land_case_sql(polygons=True)


_COMMUNITY_TENURE = (
    PopupField("community", "ชุมชน", "Community"),
    PopupField("tenure", "สถานะการถือครอง", "Tenure"),
)
_LANDOWNER = PopupField("landowner", "เจ้าของที่ดิน", "Landowner")

register_layer(
    MapLayer(
        key="community_orgs",
        name_th="กลุ่ม/องค์กรชุมชน",
        name_en="Community organizations",
        kind="point",
        source=ORGANIZATIONS,
        version_sql=_changes("community_org"),
        popup=(
            PopupField("name", "ชื่อกลุ่ม", "Name"),
            PopupField("org_type", "ประเภท", "Type"),
            PopupField("members", "สมาชิก", "Members", 0),
            PopupField("capital_baht", "เงินทุน (บาท)", "Capital (baht)", 0),
            PopupField("products", "ผลิตภัณฑ์", "Products"),
            *PLACE,
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
        key="councils",
        name_th="สภาองค์กรชุมชนตำบล",
        name_en="Tambon community councils",
        kind="point",
        source=COUNCILS,
        version_sql=_changes("tambon_council"),
        popup=(
            PopupField("name", "ชื่อสภา", "Council"),
            PopupField("member_orgs", "องค์กรสมาชิก", "Member organizations", 0),
            PopupField("status", "สถานะ", "Status"),
            *PLACE,
        ),
        title_field="name",
        color="#2166ac",
        cluster=True,
        demo_fed=True,
        min_level="region",
        order=19,
    )
)

register_layer(
    MapLayer(
        key="baan_mankong",
        name_th="โครงการบ้านมั่นคง",
        name_en="Baan Mankong projects",
        kind="point",
        source=PROJECTS,
        version_sql=_changes("baan_mankong_project"),
        popup=(
            PopupField("name", "โครงการ", "Project"),
            PopupField("stage", "ขั้นตอน", "Stage"),
            HOUSEHOLDS,
            PopupField("communities", "ชุมชน", "Communities", 0),
            _LANDOWNER,
            *PLACE,
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
        source=LAND_CASES,
        version_sql=_changes("land_case"),
        popup=(
            *_COMMUNITY_TENURE,
            HOUSEHOLDS,
            PopupField("area_rai", "เนื้อที่ (ไร่)", "Area (rai)", 1),
            _LANDOWNER,
            *PLACE,
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
        source=LAND_CASE_AREAS,
        version_sql=_changes("land_case"),
        popup=(
            *_COMMUNITY_TENURE,
            HOUSEHOLDS,
            *PLACE,
        ),
        title_field="community",
        color="#f46d43",
        cluster=False,
        demo_fed=True,
        min_level="province",
        order=23,
    )
)
