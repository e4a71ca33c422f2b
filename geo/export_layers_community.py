"""Export layers of the CODI registries (schema 0003): community organizations, tambon
community councils, Baan Mankong projects and land cases.

A record without a location of its own is placed at a point inside its tambon, and its
``location_source`` column says so. Personal names (a group's chair) are never exported.

Declared here, registered by :mod:`geo.export_layers` (in the order of :data:`LAYERS`).
"""

from __future__ import annotations

from data import vocab
from geo.export_registry import Field, LayerSpec, label_sql

ORG_STATUS = vocab.ORG_STATUS
ORG_TYPES = vocab.ORG_TYPES
PROJECT_STAGES = vocab.PROJECT_STAGES
TENURE_STATUS = vocab.TENURE
LANDOWNER = vocab.LANDOWNERS

#: the record's tambon and its names (also on the need reports)
TAMBON_FIELDS = (
    Field("tambon_pcode", "รหัสตำบล", "Tambon P-code"),
    Field("tambon_th", "ชื่อตำบล", "Tambon name (Thai)"),
    Field("province_th", "ชื่อจังหวัด", "Province name (Thai)"),
)
_LOCATION = Field(
    "location_source",
    "ที่มาของตำแหน่ง",
    "Location source",
    description_en="recorded = the record's own location; tambon = a point inside "
    "its tambon (the record has no location)",
)
#: whether the record is synthetic demo data
DEMO_FIELD = Field("is_demo", "ข้อมูลสาธิต", "Demo record", "boolean")


def _community_sql(table: str, columns: str, point_only: bool = True) -> str:
    """Rows of a community table with tambon names; a row without a location gets a point
    inside its tambon, and says so in ``location_source``."""
    fallback = "ST_PointOnSurface(t.geom)"
    return f"""SELECT {columns}, x.tambon_pcode, t.name_th AS tambon_th,
                      p.name_th AS province_th,
                      CASE WHEN x.geom IS NULL THEN 'tambon' ELSE 'recorded' END
                          AS location_source,
                      x.is_demo, coalesce(x.geom, {fallback}) AS geom
               FROM {table} x LEFT JOIN tambon t ON t.pcode = x.tambon_pcode
               LEFT JOIN province p ON p.pcode = t.province_pcode"""


LAYERS: tuple[LayerSpec, ...] = (
    LayerSpec(
        key="organizations",
        title_th="องค์กรชุมชน",
        title_en="Community organizations",
        description_th="กลุ่มและองค์กรชุมชนที่ผู้ประสานงานนำเข้า (ไม่รวมชื่อประธานและข้อมูลติดต่อ)",
        description_en="Community groups and organizations imported by coordinators (without the "
        "chair's name or any contact details)",
        sources=("codi", "cod_ab"),
        sql=_community_sql(
            "community_org",
            f"""x.id, x.name, x.org_type,
        {label_sql("x.org_type", ORG_TYPES, 0)} AS org_type_th, x.members, x.capital_baht,
        x.products, x.registered_date, x.status, x.village_name""",
        ),
        fields=(
            Field("id", "รหัส", "ID", "integer"),
            Field("name", "ชื่อองค์กร", "Name"),
            Field("org_type", "ประเภท (รหัส)", "Type code"),
            Field("org_type_th", "ประเภท", "Type (Thai)"),
            Field("members", "จำนวนสมาชิก", "Members", "integer", "คน", "persons", count=True),
            Field("capital_baht", "ทุน", "Capital", "real", "บาท", "THB"),
            Field("products", "ผลิตภัณฑ์", "Products"),
            Field("registered_date", "วันที่จดทะเบียน", "Registered on", "date"),
            Field("status", "สถานะ", "Status", labels=ORG_STATUS),
            Field("village_name", "หมู่บ้าน", "Village"),
            *TAMBON_FIELDS,
            _LOCATION,
            DEMO_FIELD,
        ),
        status_column="status",
        statuses=ORG_STATUS,
        date_column="registered_date",
        demo_column="is_demo",
        order_by="id",
        requires=("community_org",),
        notes=("The chair's name is personal data and is not exported.",),
    ),
    LayerSpec(
        key="councils",
        title_th="สภาองค์กรชุมชนตำบล",
        title_en="Tambon community councils",
        description_th="สภาองค์กรชุมชนตำบล วันที่จัดตั้ง และจำนวนองค์กรสมาชิก",
        description_en="Tambon community councils, when they were established and their member "
        "organizations",
        sources=("codi", "cod_ab"),
        sql=_community_sql(
            "tambon_council", "x.id, x.name, x.established_date, x.member_orgs, x.status"
        ),
        fields=(
            Field("id", "รหัส", "ID", "integer"),
            Field("name", "ชื่อสภา", "Name"),
            Field("established_date", "วันที่จัดตั้ง", "Established on", "date"),
            Field(
                "member_orgs",
                "องค์กรสมาชิก",
                "Member organizations",
                "integer",
                "องค์กร",
                "organizations",
            ),
            Field("status", "สถานะ", "Status", labels=ORG_STATUS),
            *TAMBON_FIELDS,
            _LOCATION,
            DEMO_FIELD,
        ),
        status_column="status",
        statuses=ORG_STATUS,
        date_column="established_date",
        demo_column="is_demo",
        order_by="id",
        requires=("tambon_council",),
    ),
    LayerSpec(
        key="projects",
        title_th="โครงการบ้านมั่นคง",
        title_en="Baan Mankong projects",
        description_th="โครงการบ้านมั่นคง ขั้นตอน จำนวนชุมชนและครัวเรือน งบอุดหนุนและสินเชื่อ",
        description_en="Baan Mankong (secure housing) projects: stage, communities, households, "
        "subsidy and loan",
        sources=("codi", "cod_ab"),
        sql=_community_sql(
            "baan_mankong_project",
            f"""x.id, x.name, x.stage,
        {label_sql("x.stage", PROJECT_STAGES, 0)} AS stage_th, x.communities, x.households,
        x.project_type, x.landowner_type, x.land_arrangement, x.subsidy_baht, x.loan_baht,
        x.start_date, x.completion_date""",
        ),
        fields=(
            Field("id", "รหัส", "ID", "integer"),
            Field("name", "ชื่อโครงการ", "Name"),
            Field("stage", "ขั้นตอน (รหัส)", "Stage code"),
            Field("stage_th", "ขั้นตอน", "Stage (Thai)"),
            Field("communities", "จำนวนชุมชน", "Communities", "integer", "ชุมชน", "communities"),
            Field(
                "households",
                "จำนวนครัวเรือน",
                "Households",
                "integer",
                "ครัวเรือน",
                "households",
                count=True,
            ),
            Field("project_type", "ลักษณะโครงการ", "Project type", labels=vocab.PROJECT_TYPES),
            Field("landowner_type", "เจ้าของที่ดิน", "Landowner type", labels=LANDOWNER),
            Field(
                "land_arrangement",
                "รูปแบบการถือครองที่ดิน",
                "Land arrangement",
                labels=vocab.LAND_ARRANGEMENTS,
            ),
            Field("subsidy_baht", "งบอุดหนุน", "Subsidy", "real", "บาท", "THB"),
            Field("loan_baht", "สินเชื่อ", "Loan", "real", "บาท", "THB"),
            Field("start_date", "วันที่เริ่ม", "Started on", "date"),
            Field("completion_date", "วันที่แล้วเสร็จ", "Completed on", "date"),
            *TAMBON_FIELDS,
            _LOCATION,
            DEMO_FIELD,
        ),
        geometry_type="Geometry",
        status_column="stage",
        statuses=PROJECT_STAGES,
        date_column="start_date",
        demo_column="is_demo",
        order_by="id",
        requires=("baan_mankong_project",),
    ),
    LayerSpec(
        key="land_cases",
        title_th="กรณีปัญหาที่ดิน",
        title_en="Land cases",
        description_th="ชุมชนที่มีปัญหาความมั่นคงในที่ดิน เจ้าของที่ดิน และสถานะการถือครอง",
        description_en="Communities with land tenure problems: landowner and tenure status",
        sources=("codi", "cod_ab"),
        sql=_community_sql(
            "land_case",
            f"""x.id, x.community, x.households, x.area_rai,
        x.landowner_type, {label_sql("x.landowner_type", LANDOWNER, 0)} AS landowner_th,
        x.tenure_status, {label_sql("x.tenure_status", TENURE_STATUS, 0)} AS tenure_status_th,
        CAST(x.imported_at AS DATE) AS imported_on""",
        ),
        fields=(
            Field("id", "รหัส", "ID", "integer"),
            Field("community", "ชุมชน", "Community"),
            Field(
                "households",
                "จำนวนครัวเรือน",
                "Households",
                "integer",
                "ครัวเรือน",
                "households",
                count=True,
            ),
            Field("area_rai", "เนื้อที่", "Area", "real", "ไร่", "rai"),
            Field("landowner_type", "เจ้าของที่ดิน (รหัส)", "Landowner code"),
            Field("landowner_th", "เจ้าของที่ดิน", "Landowner (Thai)"),
            Field("tenure_status", "สถานะการถือครอง (รหัส)", "Tenure status code"),
            Field("tenure_status_th", "สถานะการถือครอง", "Tenure status (Thai)"),
            Field("imported_on", "วันที่นำเข้า", "Imported on", "date"),
            *TAMBON_FIELDS,
            _LOCATION,
            DEMO_FIELD,
        ),
        geometry_type="Geometry",
        status_column="tenure_status",
        statuses=TENURE_STATUS,
        date_column="imported_on",
        demo_column="is_demo",
        order_by="id",
        requires=("land_case",),
    ),
)
