"""The columns of the planning import kinds (``plan``, ``plan_item``, ``person_developed``,
``org_assessment``): their coded-value labels and Thai/English headers.

Part of :mod:`data.importers.plan_kinds` (every name is importable from there), which
registers the kinds.
"""

from __future__ import annotations

from data import vocab
from data.importers.fields import COMMON, Field, _labels

PLAN_STATUS = _labels(
    {
        "draft": ("ร่าง", "ร่างแผน", "กำลังจัดทำ", "draft"),
        "adopted": ("ประกาศใช้", "ประกาศใช้แล้ว", "รับรองแล้ว", "ใช้อยู่", "adopted", "in force"),
        "under_review": ("ทบทวน", "อยู่ระหว่างทบทวน", "ปรับปรุงแผน", "under review", "review"),
        "ended": ("สิ้นสุด", "สิ้นสุดแล้ว", "หมดอายุ", "ended", "expired"),
    },
    vocab.PLAN_STATUS,
)
DIMENSIONS = _labels(
    {
        "social": ("สังคม", "ด้านสังคม", "social"),
        "economic": ("เศรษฐกิจ", "ด้านเศรษฐกิจ", "อาชีพ", "รายได้", "economic", "economy"),
        "resources_environment": (
            "ทรัพยากร",
            "สิ่งแวดล้อม",
            "ทรัพยากรธรรมชาติและสิ่งแวดล้อม",
            "ทรัพยากรและสิ่งแวดล้อม",
            "resources",
            "environment",
            "resources and environment",
        ),
        "housing_land": (
            "ที่อยู่อาศัย",
            "ที่ดิน",
            "ที่อยู่อาศัยและที่ดิน",
            "ที่ดินและที่อยู่อาศัย",
            "housing",
            "land",
            "housing and land",
        ),
        "welfare": ("สวัสดิการ", "สวัสดิการชุมชน", "welfare"),
        "other": ("อื่นๆ", "อื่น ๆ", "other"),
    },
    vocab.PLAN_DIMENSIONS,
)
AGENCIES = _labels(
    {
        "local_government": (
            "อปท",
            "องค์กรปกครองส่วนท้องถิ่น",
            "อบต",
            "องค์การบริหารส่วนตำบล",
            "เทศบาล",
            "local government",
            "lao",
        ),
        "amphoe": ("อำเภอ", "ที่ว่าการอำเภอ", "amphoe", "district"),
        "province": ("จังหวัด", "แผนพัฒนาจังหวัด", "ศาลากลางจังหวัด", "province"),
        "ministry": ("กระทรวง", "กระทรวง/กรม", "ส่วนราชการ", "ministry", "department"),
        "partner": ("ภาคี", "ภาคีพัฒนา", "องค์กรพัฒนาเอกชน", "มูลนิธิ", "partner", "ngo"),
    },
    vocab.AGENCY_TYPES,
)
SUPPORT = _labels(
    {
        "none": ("ไม่มี", "ยังไม่ได้รับ", "ไม่ได้รับ", "none"),
        "money": ("เงิน", "งบประมาณ", "เงินงบประมาณ", "money", "cash", "budget"),
        "in_kind": ("สิ่งของ", "วัสดุ", "แรงงาน", "วิชาการ", "in kind", "inkind"),
        "money_and_in_kind": ("เงินและสิ่งของ", "ทั้งเงินและสิ่งของ", "money and in kind", "both"),
    },
    vocab.SUPPORT_TYPES,
)
ITEM_STATUS = _labels(
    {
        "proposed": ("เสนอ", "เสนอแล้ว", "รอพิจารณา", "proposed"),
        "in_agency_plan": (
            "บรรจุแล้ว",
            "บรรจุในแผน",
            "บรรจุในแผนหน่วยงาน",
            "in agency plan",
            "included",
        ),
        "supported": ("ได้รับการสนับสนุน", "ได้รับงบประมาณ", "supported", "funded"),
        "completed": ("เสร็จ", "แล้วเสร็จ", "ดำเนินการแล้วเสร็จ", "completed", "done"),
        "dropped": ("ไม่ได้รับการพิจารณา", "ตกไป", "ยกเลิก", "dropped", "cancelled"),
    },
    vocab.PLAN_ITEM_STATUS,
)


def _id(*aliases: str) -> Field:
    """The record id with the kind's own headers first, then the common ones."""
    common = next(f for f in COMMON if f.name == "source_id")
    return Field("source_id", "text", common.label_th, common.label_en, aliases + common.aliases)


PLAN_FIELDS = (
    _id("รหัสแผน", "รหัสแผนพัฒนา", "plan id", "plan code"),
    Field(
        "council",
        "text",
        "สภาองค์กรชุมชนที่จัดทำ",
        "Council",
        ("สภาองค์กรชุมชน", "ชื่อสภา", "ผู้จัดทำแผน", "council"),
    ),
    Field(
        "start_year",
        "year",
        "ปีเริ่มต้นแผน",
        "Start year",
        ("ปีเริ่มต้น", "ปีเริ่มแผน", "ปีเริ่ม", "ตั้งแต่ปี", "start year", "period start"),
        required=True,
    ),
    Field(
        "end_year",
        "year",
        "ปีสิ้นสุดแผน",
        "End year",
        ("ปีสิ้นสุด", "ปีสิ้นสุดแผน", "ถึงปี", "end year", "period end"),
        required=True,
    ),
    Field(
        "adopted_date",
        "date",
        "วันที่ประกาศใช้",
        "Adopted",
        ("วันที่ประกาศใช้", "วันที่รับรองแผน", "ประกาศใช้เมื่อ", "adopted", "adopted date"),
    ),
    Field(
        "status",
        "enum",
        "สถานะแผน",
        "Plan status",
        ("สถานะแผน", "สถานะ", "status", "plan status"),
        labels=PLAN_STATUS,
    ),
)

ITEM_FIELDS = (
    _id("รหัสรายการ", "รหัสโครงการ", "ลำดับรายการ", "item id"),
    Field(
        "plan_ref",
        "text",
        "รหัสแผน",
        "Plan id",
        ("รหัสแผน", "รหัสแผนพัฒนา", "แผน", "plan id", "plan", "plan ref"),
        required=True,
    ),
    Field(
        "title",
        "text",
        "ชื่อโครงการ/กิจกรรม",
        "Title",
        ("ชื่อโครงการ", "โครงการ", "กิจกรรม", "ชื่อรายการ", "รายการ", "title", "item", "project"),
        required=True,
    ),
    Field(
        "dimension",
        "enum",
        "ด้าน",
        "Dimension",
        ("ด้าน", "มิติ", "ประเด็น", "ด้านการพัฒนา", "dimension", "theme"),
        required=True,
        labels=DIMENSIONS,
    ),
    Field(
        "budget_baht",
        "money",
        "งบประมาณโดยประมาณ (บาท)",
        "Estimated budget (baht)",
        ("งบประมาณ", "งบประมาณโดยประมาณ", "ประมาณการงบประมาณ", "budget", "estimated budget"),
    ),
    Field(
        "agency_type",
        "enum",
        "เสนอต่อหน่วยงาน",
        "Proposed to",
        (
            "เสนอต่อ",
            "เสนอต่อหน่วยงาน",
            "ประเภทหน่วยงาน",
            "หน่วยงานเป้าหมาย",
            "agency type",
            "proposed to",
        ),
        labels=AGENCIES,
    ),
    Field(
        "agency_name",
        "text",
        "ชื่อหน่วยงาน",
        "Agency",
        ("ชื่อหน่วยงาน", "หน่วยงาน", "agency", "agency name"),
    ),
    Field(
        "in_agency_plan",
        "bool",
        "บรรจุในแผนหน่วยงาน",
        "In the agency's plan",
        ("บรรจุในแผน", "บรรจุในแผนหน่วยงาน", "บรรจุแล้ว", "included", "in agency plan"),
    ),
    Field(
        "agency_plan_name",
        "text",
        "ชื่อแผนของหน่วยงาน",
        "Agency plan",
        ("ชื่อแผนหน่วยงาน", "ชื่อแผนของหน่วยงาน", "แผนที่บรรจุ", "agency plan", "agency plan name"),
    ),
    Field(
        "agency_plan_year",
        "year",
        "ปีของแผนหน่วยงาน",
        "Agency plan year",
        ("ปีแผนหน่วยงาน", "ปีของแผนหน่วยงาน", "ปีงบประมาณ", "agency plan year", "fiscal year"),
    ),
    Field(
        "support_type",
        "enum",
        "การสนับสนุนที่ได้รับ",
        "Support received",
        ("การสนับสนุน", "การสนับสนุนที่ได้รับ", "ประเภทการสนับสนุน", "support", "support type"),
        labels=SUPPORT,
    ),
    Field(
        "support_baht",
        "money",
        "เงินสนับสนุนที่ได้รับ (บาท)",
        "Support received (baht)",
        ("เงินสนับสนุน", "งบที่ได้รับ", "เงินที่ได้รับ", "support baht", "support received baht"),
    ),
    Field(
        "status",
        "enum",
        "สถานะรายการ",
        "Item status",
        ("สถานะรายการ", "สถานะ", "status", "item status"),
        labels=ITEM_STATUS,
    ),
)

PERSON_FIELDS = (
    Field(
        "person_name",
        "text",
        "ชื่อ-สกุล",
        "Name",
        ("ชื่อสกุล", "ชื่อ-สกุล", "ชื่อ-นามสกุล", "ชื่อผู้เข้าร่วม", "ชื่อ", "name", "person", "full name"),
        required=True,
    ),
    Field(
        "course",
        "text",
        "หลักสูตร/กิจกรรม",
        "Course or activity",
        ("หลักสูตร", "หลักสูตร/กิจกรรม", "กิจกรรม", "การอบรม", "course", "activity", "training"),
        required=True,
    ),
    Field(
        "activity_date",
        "date",
        "วันที่",
        "Date",
        ("วันที่", "วันที่อบรม", "วันที่จัดกิจกรรม", "date", "activity date"),
        required=True,
    ),
)

ASSESSMENT_FIELDS = (
    Field(
        "organization",
        "text",
        "ชื่อองค์กร",
        "Organisation",
        ("ชื่อองค์กร", "ชื่อกลุ่ม", "องค์กร", "organization", "organisation"),
        required=True,
    ),
    Field("org_ref", "text", "รหัสองค์กร", "Organisation id", ("รหัสองค์กร", "รหัสกลุ่ม", "org id")),
    Field(
        "assessed_date",
        "date",
        "วันที่ประเมิน",
        "Assessed",
        ("วันที่ประเมิน", "ประเมินเมื่อ", "วันที่", "assessed", "date assessed", "date"),
        required=True,
    ),
    Field("form_key", "text", "แบบประเมิน", "Form", ("แบบประเมิน", "form", "form key")),
    Field(
        "form_version",
        "int",
        "ฉบับของแบบประเมิน",
        "Form version",
        ("ฉบับ", "ฉบับที่", "รุ่นแบบประเมิน", "version", "form version"),
    ),
    Field(
        "scores",
        "text",
        "คะแนนรายเกณฑ์",
        "Scores",
        ("คะแนน", "คะแนนรายเกณฑ์", "scores", "criteria scores"),
        required=True,
    ),
)
