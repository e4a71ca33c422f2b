"""The columns of the first four kinds of record: :class:`Field` (a column's database name,
value type and the headers, Thai or English, that name it), the place and location
columns every kind may carry (:data:`COMMON`) and each kind's own (:data:`KIND_FIELDS`;
kinds defined elsewhere add theirs through :mod:`data.importers.registry`).

Split from :mod:`data.importers.fields`, which re-exports every name here.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from data.importers.field_labels import (
    ARRANGEMENTS,
    LANDOWNERS,
    ORG_TYPES,
    PROJECT_TYPES,
    STAGES,
    STATUSES,
    TENURE,
)


@dataclass(frozen=True)
class Field:
    """One column of a kind: its database name, value type and the headers that name it.

    ``type`` is ``text``, ``int``, ``money``, ``float``, ``date`` or ``enum`` (``labels``
    maps label keys to codes; ``fallback`` is used for an unknown label, else it is
    refused).
    """

    name: str
    type: str
    label_th: str
    label_en: str
    aliases: tuple[str, ...]
    required: bool = False
    labels: dict[str, str] = field(default_factory=dict)
    fallback: str | None = None


# Columns every kind may carry: identity, place, location.
COMMON = (
    Field(
        "source_id",
        "text",
        "รหัสอ้างอิง",
        "Record id",
        (
            "รหัส",
            "รหัสอ้างอิง",
            "รหัสกลุ่ม",
            "รหัสโครงการ",
            "รหัสกรณี",
            "รหัสสภา",
            "เลขที่",
            "id",
            "source_id",
            "record id",
            "code",
        ),
    ),
    Field(
        "tambon_pcode",
        "text",
        "รหัสตำบล",
        "Tambon P-code",
        (
            "รหัสตำบล",
            "รหัสพื้นที่",
            "pcode",
            "p-code",
            "tambon pcode",
            "tambon_pcode",
            "adm3_pcode",
            "tambon code",
            "geocode",
        ),
    ),
    Field(
        "tambon",
        "text",
        "ตำบล",
        "Tambon",
        (
            "ตำบล",
            "แขวง",
            "ตำบล/แขวง",
            "ชื่อตำบล",
            "tambon",
            "subdistrict",
            "sub-district",
            "khwaeng",
            "adm3_th",
            "adm3_en",
        ),
    ),
    Field(
        "amphoe",
        "text",
        "อำเภอ",
        "Amphoe",
        (
            "อำเภอ",
            "เขต",
            "อำเภอ/เขต",
            "ชื่ออำเภอ",
            "amphoe",
            "amphur",
            "district",
            "khet",
            "adm2_th",
            "adm2_en",
        ),
    ),
    Field(
        "province",
        "text",
        "จังหวัด",
        "Province",
        ("จังหวัด", "ชื่อจังหวัด", "province", "changwat", "adm1_th", "adm1_en"),
    ),
    Field(
        "address", "text", "ที่อยู่/ที่ตั้ง", "Address", ("ที่อยู่", "ที่ตั้ง", "สถานที่ตั้ง", "address", "location")
    ),
    Field("lat", "float", "ละติจูด", "Latitude", ("ละติจูด", "lat", "latitude", "y", "พิกัด y")),
    Field(
        "lon",
        "float",
        "ลองจิจูด",
        "Longitude",
        ("ลองจิจูด", "lon", "lng", "long", "longitude", "x", "พิกัด x"),
    ),
    Field("wkt", "text", "รูปร่าง (WKT)", "Shape (WKT)", ("wkt", "geometry", "geom", "รูปแปลง")),
)

KIND_FIELDS: dict[str, tuple[Field, ...]] = {
    "organization": (
        Field(
            "name",
            "text",
            "ชื่อกลุ่ม/องค์กร",
            "Name",
            (
                "ชื่อกลุ่ม",
                "ชื่อองค์กร",
                "ชื่อกลุ่มองค์กร",
                "ชื่อกลุ่ม/องค์กร",
                "กลุ่ม/องค์กร",
                "ชื่อ",
                "name",
                "organization",
                "organisation",
                "group name",
            ),
            required=True,
        ),
        Field(
            "org_type",
            "enum",
            "ประเภทกลุ่ม",
            "Type",
            ("ประเภท", "ประเภทกลุ่ม", "ประเภทองค์กร", "type", "org type", "kind"),
            labels=ORG_TYPES,
            fallback="other",
        ),
        Field(
            "village_name",
            "text",
            "หมู่บ้าน/ชุมชน",
            "Village",
            ("หมู่บ้าน", "ชื่อหมู่บ้าน", "ชุมชน", "หมู่ที่", "หมู่", "village", "community"),
        ),
        Field(
            "chair",
            "text",
            "ประธาน",
            "Chair",
            ("ประธาน", "ประธานกลุ่ม", "ชื่อประธาน", "ผู้นำกลุ่ม", "chair", "chairperson", "leader"),
        ),
        Field(
            "members",
            "int",
            "จำนวนสมาชิก",
            "Members",
            ("สมาชิก", "จำนวนสมาชิก", "members", "member count"),
        ),
        Field(
            "capital_baht",
            "money",
            "เงินทุน (บาท)",
            "Capital (baht)",
            ("เงินทุน", "ทุน", "เงินทุนหมุนเวียน", "ทุนดำเนินงาน", "capital", "fund", "capital baht"),
        ),
        Field(
            "products",
            "text",
            "ผลิตภัณฑ์",
            "Products",
            ("ผลิตภัณฑ์", "สินค้า", "ผลิตภัณฑ์/บริการ", "products", "product"),
        ),
        Field(
            "registered_date",
            "date",
            "วันที่จดทะเบียน/จัดตั้ง",
            "Registered",
            (
                "วันที่จดทะเบียน",
                "วันที่จัดตั้ง",
                "วันจัดตั้ง",
                "จัดตั้งเมื่อ",
                "ปีที่จัดตั้ง",
                "registered",
                "registered date",
                "established",
                "founded",
            ),
        ),
        Field(
            "status",
            "enum",
            "สถานะ",
            "Status",
            ("สถานะ", "สถานะกลุ่ม", "status"),
            labels=STATUSES,
            fallback="unknown",
        ),
    ),
    "council": (
        Field(
            "name",
            "text",
            "ชื่อสภา",
            "Name",
            ("ชื่อสภา", "ชื่อสภาองค์กรชุมชน", "สภาองค์กรชุมชน", "name", "council"),
        ),
        Field(
            "established_date",
            "date",
            "วันที่จัดตั้ง",
            "Established",
            (
                "วันที่จัดตั้ง",
                "วันจัดตั้ง",
                "วันที่จดแจ้ง",
                "จัดตั้งเมื่อ",
                "ปีที่จัดตั้ง",
                "established",
                "established date",
                "registered",
            ),
        ),
        Field(
            "member_orgs",
            "int",
            "องค์กรสมาชิก",
            "Member organizations",
            (
                "องค์กรสมาชิก",
                "จำนวนองค์กรสมาชิก",
                "จำนวนองค์กร",
                "member organizations",
                "member orgs",
                "members",
            ),
        ),
        Field(
            "status",
            "enum",
            "สถานะ",
            "Status",
            ("สถานะ", "status"),
            labels=STATUSES,
            fallback="unknown",
        ),
    ),
    "project": (
        Field(
            "name",
            "text",
            "ชื่อโครงการ/ชุมชน",
            "Name",
            ("ชื่อโครงการ", "โครงการ", "ชื่อชุมชน", "ชุมชน", "name", "project", "project name"),
            required=True,
        ),
        Field(
            "communities",
            "int",
            "จำนวนชุมชน",
            "Communities",
            ("จำนวนชุมชน", "ชุมชนที่เข้าร่วม", "communities"),
        ),
        Field(
            "households",
            "int",
            "จำนวนครัวเรือน",
            "Households",
            ("จำนวนครัวเรือน", "ครัวเรือน", "จำนวนหลังคาเรือน", "ครัวเรือนเป้าหมาย", "households", "hh"),
        ),
        Field(
            "project_type",
            "enum",
            "รูปแบบโครงการ",
            "Project type",
            ("รูปแบบ", "รูปแบบโครงการ", "รูปแบบการพัฒนา", "ประเภทโครงการ", "type", "project type"),
            labels=PROJECT_TYPES,
        ),
        Field(
            "landowner_type",
            "enum",
            "เจ้าของที่ดิน",
            "Landowner",
            ("เจ้าของที่ดิน", "ประเภทเจ้าของที่ดิน", "ที่ดินของ", "landowner", "land owner", "landowner type"),
            labels=LANDOWNERS,
        ),
        Field(
            "land_arrangement",
            "enum",
            "การจัดการที่ดิน",
            "Land arrangement",
            (
                "การจัดการที่ดิน",
                "รูปแบบการถือครอง",
                "การถือครองที่ดิน",
                "land arrangement",
                "tenure arrangement",
            ),
            labels=ARRANGEMENTS,
        ),
        Field(
            "stage",
            "enum",
            "ขั้นตอน",
            "Stage",
            ("ขั้นตอน", "สถานะโครงการ", "ความก้าวหน้า", "stage", "progress", "status"),
            required=True,
            labels=STAGES,
        ),
        Field(
            "subsidy_baht",
            "money",
            "งบอุดหนุน (บาท)",
            "Subsidy (baht)",
            ("งบอุดหนุน", "เงินอุดหนุน", "งบประมาณอุดหนุน", "subsidy", "grant"),
        ),
        Field(
            "loan_baht",
            "money",
            "สินเชื่อ (บาท)",
            "Loan (baht)",
            ("สินเชื่อ", "เงินกู้", "วงเงินสินเชื่อ", "loan"),
        ),
        Field(
            "start_date",
            "date",
            "วันเริ่ม",
            "Start",
            ("วันเริ่ม", "วันที่เริ่ม", "เริ่มโครงการ", "ปีที่เริ่ม", "start", "start date"),
        ),
        Field(
            "completion_date",
            "date",
            "วันแล้วเสร็จ",
            "Completion",
            (
                "วันแล้วเสร็จ",
                "วันที่แล้วเสร็จ",
                "แล้วเสร็จ",
                "ปีที่แล้วเสร็จ",
                "completion",
                "completed date",
                "completion date",
                "end date",
            ),
        ),
    ),
    "land_case": (
        Field(
            "community",
            "text",
            "ชุมชน",
            "Community",
            ("ชุมชน", "ชื่อชุมชน", "ชื่อกรณี", "community", "name"),
            required=True,
        ),
        Field(
            "households",
            "int",
            "จำนวนครัวเรือน",
            "Households",
            ("จำนวนครัวเรือน", "ครัวเรือน", "จำนวนหลังคาเรือน", "households", "hh"),
        ),
        Field(
            "area_rai",
            "float",
            "เนื้อที่ (ไร่)",
            "Area (rai)",
            ("เนื้อที่", "พื้นที่", "เนื้อที่ไร่", "จำนวนไร่", "area", "area rai", "rai"),
        ),
        Field(
            "landowner_type",
            "enum",
            "เจ้าของที่ดิน",
            "Landowner",
            ("เจ้าของที่ดิน", "ประเภทเจ้าของที่ดิน", "ที่ดินของ", "landowner", "land owner", "landowner type"),
            labels=LANDOWNERS,
        ),
        Field(
            "tenure_status",
            "enum",
            "สถานะการถือครอง",
            "Tenure status",
            (
                "สถานะการถือครอง",
                "สถานะที่ดิน",
                "ความมั่นคงในที่ดิน",
                "สถานะ",
                "tenure",
                "tenure status",
                "status",
            ),
            required=True,
            labels=TENURE,
        ),
    ),
}
