"""The export layer of housing need reports (schema 0004): verified reports only, never
contact details; what members typed (community name, description) only on request, masked.

Declared here, registered by :mod:`geo.export_layers` (in the order of :data:`LAYERS`).
"""

from __future__ import annotations

from data.need_reports import LANDOWNERS as NEED_LANDOWNERS
from data.need_reports import PROBLEMS as NEED_PROBLEMS
from data.need_reports import URGENCIES as NEED_URGENCIES
from geo.export_layers_community import DEMO_FIELD, TAMBON_FIELDS
from geo.export_registry import Field, LayerSpec

URGENCY = {"low": ("น้อย", "Low"), "medium": ("ปานกลาง", "Medium"), "high": ("สูง", "High")}

LAYERS: tuple[LayerSpec, ...] = (
    LayerSpec(
        key="need_reports",
        title_th="ความเดือดร้อนด้านที่อยู่อาศัย (ตรวจสอบแล้ว)",
        title_en="Housing need reports (verified)",
        description_th="พื้นที่ความเดือดร้อนด้านที่อยู่อาศัยที่สมาชิกแจ้งและผู้ประสานงานตรวจสอบแล้ว "
        "ไม่มีข้อมูลติดต่อ ไม่มีชื่อชุมชนและข้อความบรรยายที่สมาชิกพิมพ์เว้นแต่ขอ",
        description_en="Housing need marked by community members and verified by coordinators; "
        "never contact details; what members typed (community name, description) only on "
        "request",
        sources=("members", "cod_ab"),
        sql="""SELECT r.id, r.community_name, r.households, array_to_string(r.problems, ';')
                  AS problems, r.landowner, r.urgency, r.area_m2,
                  CAST(r.created_at AS DATE) AS reported_on, r.description,
                  r.tambon_pcode, t.name_th AS tambon_th, p.name_th AS province_th,
                  r.is_demo, r.status, r.geom
           FROM need_report r LEFT JOIN tambon t ON t.pcode = r.tambon_pcode
           LEFT JOIN province p ON p.pcode = t.province_pcode
           WHERE r.status = 'verified'""",
        fields=(
            Field("id", "รหัส", "ID", "integer"),
            # typed by the member: free text (left out unless asked for, masked even then)
            Field("community_name", "ชุมชน", "Community", free_text=True),
            Field(
                "households",
                "จำนวนครัวเรือน",
                "Households",
                "integer",
                "ครัวเรือน",
                "households",
                count=True,
            ),
            Field(
                "problems",
                "ปัญหา",
                "Problems",
                description_en="';'-separated: eviction, insecure_tenure, dilapidated, "
                "disaster_risk, rent, other",
                labels=NEED_PROBLEMS,
                multi=True,
            ),
            Field("landowner", "เจ้าของที่ดิน", "Landowner", labels=NEED_LANDOWNERS),
            Field("urgency", "ความเร่งด่วน", "Urgency", labels=NEED_URGENCIES),
            Field("area_m2", "พื้นที่", "Area", "real", "ตร.ม.", "m²"),
            Field("reported_on", "วันที่แจ้ง", "Reported on", "date"),
            Field("description", "รายละเอียด", "Description", free_text=True),
            *TAMBON_FIELDS,
            DEMO_FIELD,
        ),
        geometry_type="Geometry",
        date_column="reported_on",
        demo_column="is_demo",
        suppress_area_column="tambon_pcode",
        order_by="id",
        requires=("need_report",),
        notes=(
            "Only verified reports; contact details, receipts and accounts are never exported.",
        ),
    ),
)
