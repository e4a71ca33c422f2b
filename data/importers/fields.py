"""What each kind of record holds, and the column headers (Thai or English) that name it.

This is the one table of header aliases; ``docs/import-headers.md`` is generated from it
(``python -m data.importers.fields > docs/import-headers.md``) and a test keeps the two in
step. Headers are compared by :func:`header_key`: case, spaces, punctuation and a unit in
brackets (``เงินทุน (บาท)``) do not matter.

Kinds (``KIND``): ``organization`` (กลุ่ม/องค์กรชุมชน), ``council`` (สภาองค์กรชุมชนตำบล),
``project`` (โครงการบ้านมั่นคง), ``land_case`` (กรณีปัญหาที่ดิน).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from data import vocab
from data.importers.values import label_key

KINDS = ["organization", "council", "project", "land_case"]  # more register (registry.py)
KIND_NAMES = {
    "organization": ("กลุ่ม/องค์กรชุมชน", "Community organizations"),
    "council": ("สภาองค์กรชุมชนตำบล", "Tambon community councils"),
    "project": ("โครงการบ้านมั่นคง", "Baan Mankong projects"),
    "land_case": ("กรณีปัญหาที่ดิน", "Land cases"),
    # not a registry kind: Kobo/ODK submissions of the XLSForm (data.importers.odk)
    "need_report": (
        "คำร้องจากแบบสอบถามภาคสนาม (Kobo/ODK)",
        "Housing need from field surveys (Kobo/ODK)",
    ),
}
TABLES = {
    "organization": "community_org",
    "council": "tambon_council",
    "project": "baan_mankong_project",
    "land_case": "land_case",
}


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


def _labels(table: dict[str, tuple[str, ...]], shown: vocab.Labels | None = None) -> dict[str, str]:
    """Label key -> code from the aliases, plus the labels the product itself shows
    (``shown``, from :mod:`data.vocab`), so a file the product exported imports back."""
    out = {}
    for code, words in table.items():
        out[label_key(code)] = code
        for word in (*words, *(shown or {}).get(code, ())):
            out[label_key(word)] = code
    return out


ORG_TYPES = _labels(
    {
        "savings_group": (
            "กลุ่มออมทรัพย์",
            "ออมทรัพย์",
            "กลุ่มออมทรัพย์เพื่อการผลิต",
            "สัจจะออมทรัพย์",
            "savings",
            "savings group",
        ),
        "welfare_fund": (
            "กองทุนสวัสดิการชุมชน",
            "กองทุนสวัสดิการ",
            "สวัสดิการชุมชน",
            "สวัสดิการ",
            "welfare",
            "welfare fund",
        ),
        "womens_group": (
            "กลุ่มสตรี",
            "กลุ่มแม่บ้าน",
            "แม่บ้าน",
            "สตรี",
            "women",
            "women's group",
            "womens group",
        ),
        "occupational_group": (
            "กลุ่มอาชีพ",
            "อาชีพ",
            "วิสาหกิจชุมชน",
            "occupational",
            "occupational group",
            "livelihood",
        ),
        "network": ("เครือข่าย", "เครือข่ายองค์กรชุมชน", "network"),
        "other": ("อื่นๆ", "อื่น ๆ", "อื่น", "other"),
    },
    vocab.ORG_TYPES,
)
STATUSES = _labels(
    {
        "active": ("ดำเนินการอยู่", "ดำเนินการ", "ยังดำเนินการ", "เปิด", "active", "ปกติ"),
        "inactive": ("หยุดดำเนินการ", "ไม่ดำเนินการ", "ชะลอ", "inactive", "dormant"),
        "dissolved": ("ยุบ", "ยุบเลิก", "เลิก", "ปิด", "dissolved", "closed"),
        "unknown": ("ไม่ทราบ", "unknown"),
    },
    vocab.ORG_STATUS,
)
PROJECT_TYPES = _labels(
    {
        "onsite_upgrading": (
            "ปรับปรุงในที่เดิม",
            "ปรับปรุงชุมชนในที่เดิม",
            "on-site upgrading",
            "onsite upgrading",
            "upgrading",
        ),
        "reblocking": ("ปรับผัง", "ปรับผังชุมชน", "reblocking", "re-blocking"),
        "reconstruction": ("ก่อสร้างใหม่ในที่เดิม", "รื้อสร้างใหม่", "สร้างใหม่", "reconstruction"),
        "nearby_relocation": ("ย้ายไปที่ใหม่ใกล้เคียง", "ย้ายใกล้ที่เดิม", "ย้ายที่ใกล้เคียง", "nearby relocation"),
        "relocation": ("ย้ายที่ใหม่", "ย้ายไปที่ใหม่", "relocation"),
    },
    vocab.PROJECT_TYPES,
)
LANDOWNERS = _labels(
    {
        "treasury": ("กรมธนารักษ์", "ที่ราชพัสดุ", "ธนารักษ์", "treasury", "treasury department"),
        "state_railway": (
            "การรถไฟแห่งประเทศไทย",
            "การรถไฟ",
            "รฟท",
            "ที่ดินรถไฟ",
            "state railway",
            "srt",
            "railway",
        ),
        "crown_property": (
            "สำนักงานทรัพย์สินพระมหากษัตริย์",
            "สำนักงานทรัพย์สินส่วนพระมหากษัตริย์",
            "ทรัพย์สินส่วนพระมหากษัตริย์",
            "ทรัพย์สิน",
            "crown property",
            "cpb",
        ),
        "private": ("เอกชน", "ที่ดินเอกชน", "private"),
        "local_authority": (
            "องค์กรปกครองส่วนท้องถิ่น",
            "อปท",
            "เทศบาล",
            "อบต",
            "ท้องถิ่น",
            "local authority",
            "municipality",
        ),
        "temple": ("วัด", "ที่ธรณีสงฆ์", "ธรณีสงฆ์", "temple", "wat"),
        "other": ("อื่นๆ", "อื่น ๆ", "อื่น", "other", "ที่สาธารณะ", "ป่าไม้", "กรมเจ้าท่า"),
    },
    vocab.LANDOWNERS,
)
ARRANGEMENTS = _labels(
    {
        "long_lease": ("เช่าระยะยาว", "เช่ายาว", "เช่า", "long lease", "lease"),
        "cooperative_ownership": (
            "กรรมสิทธิ์สหกรณ์",
            "สหกรณ์เป็นเจ้าของ",
            "กรรมสิทธิ์ร่วม",
            "cooperative ownership",
            "cooperative",
        ),
        "purchase": ("ซื้อที่ดิน", "ซื้อ", "purchase", "bought"),
        "other": ("อื่นๆ", "อื่น ๆ", "อื่น", "other"),
    },
    vocab.LAND_ARRANGEMENTS,
)
STAGES = _labels(
    {
        "survey": ("สำรวจข้อมูล", "สำรวจ", "survey"),
        "savings": ("ออมทรัพย์", "ออมเงิน", "ระดมเงินออม", "savings"),
        "land_negotiation": ("เจรจาที่ดิน", "จัดหาที่ดิน", "land negotiation", "negotiation"),
        "loan_approved": ("อนุมัติสินเชื่อ", "อนุมัติงบประมาณ", "อนุมัติ", "loan approved", "approved"),
        "construction": ("ก่อสร้าง", "กำลังก่อสร้าง", "ระหว่างก่อสร้าง", "construction"),
        "completed": ("เสร็จสิ้น", "แล้วเสร็จ", "เสร็จ", "completed", "complete", "done"),
    },
    vocab.PROJECT_STAGES,
)
TENURE = _labels(
    {
        "secure": ("มั่นคง", "ถือครองมั่นคง", "secure"),
        "insecure": ("ไม่มั่นคง", "ไม่มีความมั่นคง", "insecure", "บุกรุก", "อยู่อาศัยโดยไม่มีสิทธิ์"),
        "eviction_threat": ("ถูกไล่รื้อ", "เสี่ยงถูกไล่รื้อ", "ไล่รื้อ", "eviction threat", "eviction"),
        "dispute": ("ข้อพิพาท", "พิพาท", "คดีความ", "dispute", "conflict"),
    },
    vocab.TENURE,
)

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

# Columns that are read but never stored (running numbers, remarks).
IGNORED = ("ลำดับ", "ลำดับที่", "ที่", "no", "#", "หมายเหตุ", "remark", "remarks", "note")


def header_key(text: object) -> str:
    """Comparison key of a column header: NFC, lower case, no unit in brackets, no spaces."""
    if text is None:
        return ""
    t = unicodedata.normalize("NFC", str(text)).strip().lower()
    t = re.sub(r"\((บาท|baht|ไร่|rai|คน|ครัวเรือน|พ\.?ศ\.?|ค\.?ศ\.?)\)", "", t)
    t = t.replace("\u0e4d\u0e32", "\u0e33")
    return re.sub(r"[\s.,;:()\[\]\\\-_'\"*]+", "", t)


def fields_for(kind: str) -> tuple[Field, ...]:
    """Every field of ``kind``: its own first, then the common place and location fields."""
    if kind not in KIND_FIELDS:
        raise KeyError(f"unknown kind {kind!r}; one of {', '.join(KINDS)}")
    own = KIND_FIELDS[kind]
    names = {f.name for f in own}  # a kind may name the record id its own way
    return own + tuple(f for f in COMMON if f.name not in names)


def alias_index(kind: str) -> dict[str, str]:
    """Header key -> field name for ``kind`` (the kind's own fields win a shared alias)."""
    index: dict[str, str] = {}
    for f in fields_for(kind):
        for alias in (f.name, *f.aliases):
            index.setdefault(header_key(alias), f.name)
    return index


def markdown() -> str:
    """The header alias table as Markdown (the content of ``docs/import-headers.md``)."""
    lines = [
        "# Import column headers (หัวคอลัมน์ที่นำเข้าได้)",
        "",
        "Generated from `data/importers/fields.py` by "
        "`python -m data.importers.fields > docs/import-headers.md`; a test checks it is current.",
        "",
        "Headers are matched ignoring case, spaces, punctuation and a unit in brackets "
        "(`เงินทุน (บาท)` = `เงินทุน`). A header row may sit below title rows and may be split "
        "over two merged rows (XLSX). Unknown columns are reported and ignored. Places are "
        "given by a tambon P-code (`TH100101` or `100101`), or by tambon/amphoe/province "
        "names (one column each, or one address column), or by a location (lat/lon, WKT, "
        "or the geometry of a GeoJSON/Shapefile/GeoPackage). Dates may be Buddhist era "
        "(15/03/2567, 2567-03-15, 15 มี.ค. 2567) or CE, or Excel date cells; they are stored "
        "as CE. Thai digits are accepted everywhere.",
        "",
    ]
    for kind in KINDS:
        th, en = KIND_NAMES[kind]
        lines += [
            f"## `{kind}`: {th} ({en}), table `{TABLES[kind]}`",
            "",
            "| field | meaning | type | required | headers accepted |",
            "| --- | --- | --- | --- | --- |",
        ]
        for f in fields_for(kind):
            aliases = ", ".join(f"`{a}`" for a in f.aliases)
            lines.append(
                f"| `{f.name}` | {f.label_th} / {f.label_en} | {f.type} | "
                f"{'yes' if f.required else ''} | {aliases} |"
            )
        enums = [f for f in KIND_FIELDS[kind] if f.type == "enum"]
        for f in enums:
            lines += [
                "",
                f"Values of `{f.name}`"
                + (f" (unknown labels become `{f.fallback}`)" if f.fallback else "")
                + ":",
                "",
            ]
            by_code: dict[str, list[str]] = {}
            for label, code in f.labels.items():
                by_code.setdefault(code, []).append(label)
            for code, labels in by_code.items():
                lines.append(f"- `{code}`: " + ", ".join(labels))
        lines.append("")
    lines += ["Columns ignored without a warning: " + ", ".join(f"`{c}`" for c in IGNORED), ""]
    return "\n".join(lines)


# Kinds defined in their own modules register themselves (data.importers.registry).
from data.importers import plan_kinds as _plan_kinds  # noqa: E402, F401

if __name__ == "__main__":
    # run as a script this file is ``__main__``; the kinds registered themselves into the
    # imported module, so print that module's table
    from data.importers import fields as _fields

    print(_fields.markdown(), end="")
