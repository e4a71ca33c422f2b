"""The housing-need form (แบบแจ้งความเดือดร้อนด้านที่อยู่อาศัย) as field-survey questions.

The same fields as the mark page (``views/mark.py``) and :class:`data.need_reports.NeedForm`,
with the same code lists (:data:`data.need_reports.PROBLEMS`, ``LANDOWNERS``, ``URGENCIES``)
and, as XLSForm constraints, the limits the server checks again on import
(:func:`data.need_reports.clean_form`, :func:`geo.validate.validate_drawing`). The XLSForm
writer and the importer of Kobo/ODK exports both read :data:`QUESTIONS`, so a question
renamed here is renamed in both.
"""

from __future__ import annotations

from dataclasses import dataclass

from data.need_reports import (
    DESCRIPTION_MAX,
    HOUSEHOLDS_MAX,
    LANDOWNERS,
    NAME_MAX,
    PROBLEMS,
    URGENCIES,
)
from geo.validate import AREA_LIMIT_M2, THAILAND_BBOX

Text = tuple[str, str]  # (Thai, English)

FORM_ID = "phang_need_report"
FORM_TITLE: Text = ("แจ้งความเดือดร้อนด้านที่อยู่อาศัย (ผังชุมชน)", "Housing need report (Phang Chumchon)")
LANGUAGES = ("Thai (th)", "English (en)")

LOCATION_KINDS: dict[str, Text] = {
    "point": ("ปักหมุดตำแหน่งชุมชน", "Drop a pin on the community"),
    "area": ("วาดขอบเขตพื้นที่ชุมชน", "Draw the community's area"),
}
#: list_name -> code -> (Thai, English); the codes are what the server stores
CHOICES: dict[str, dict[str, Text]] = {
    "problem": PROBLEMS,
    "landowner": LANDOWNERS,
    "urgency": URGENCIES,
    "location_kind": LOCATION_KINDS,
}


@dataclass(frozen=True)
class Question:
    """One row of the XLSForm ``survey`` sheet."""

    type: str
    name: str
    label: Text = ("", "")
    hint: Text | None = None
    list_name: str | None = None
    required: bool = False
    constraint: str | None = None
    constraint_message: Text | None = None
    relevant: str | None = None
    default: str | None = None
    appearance: str | None = None

    @property
    def xls_type(self) -> str:
        return f"{self.type} {self.list_name}" if self.list_name else self.type


_X0, _Y0, _X1, _Y1 = THAILAND_BBOX
_IN_THAILAND = (
    f"selected-at(., 0) >= {_Y0:g} and selected-at(., 0) <= {_Y1:g} "
    f"and selected-at(., 1) >= {_X0:g} and selected-at(., 1) <= {_X1:g}"
)

QUESTIONS: tuple[Question, ...] = (
    Question("start", "start"),
    Question("end", "end"),
    Question("begin_group", "community", ("ชุมชน", "Community")),
    Question(
        "text",
        "community_name",
        ("ชื่อชุมชน", "Community name"),
        required=True,
        constraint=f"string-length(normalize-space(.)) >= 1 and string-length(.) <= {NAME_MAX}",
        constraint_message=(
            f"กรุณากรอกชื่อชุมชน ไม่เกิน {NAME_MAX} ตัวอักษร",
            f"Give the community's name, at most {NAME_MAX} characters.",
        ),
    ),
    Question(
        "integer",
        "households",
        ("จำนวนครัวเรือนที่เดือดร้อน", "Households affected"),
        required=True,
        constraint=f". >= 1 and . <= {HOUSEHOLDS_MAX}",
        constraint_message=(
            f"จำนวนครัวเรือนต้องอยู่ระหว่าง 1 ถึง {HOUSEHOLDS_MAX:,}",
            f"Households affected must be between 1 and {HOUSEHOLDS_MAX:,}.",
        ),
    ),
    Question(
        "select_multiple",
        "problems",
        ("ปัญหา (เลือกได้หลายข้อ)", "Problems (choose any)"),
        list_name="problem",
        required=True,
    ),
    Question(
        "select_one",
        "landowner",
        ("เจ้าของที่ดิน (ถ้าทราบ)", "Landowner (if known)"),
        list_name="landowner",
        required=True,
        default="unknown",
    ),
    Question(
        "select_one",
        "urgency",
        ("ความเร่งด่วน", "Urgency"),
        list_name="urgency",
        required=True,
    ),
    Question(
        "text",
        "description",
        ("รายละเอียด", "Description"),
        constraint=f"string-length(.) <= {DESCRIPTION_MAX}",
        constraint_message=(
            f"รายละเอียดยาวเกิน {DESCRIPTION_MAX} ตัวอักษร",
            f"The description is longer than {DESCRIPTION_MAX} characters.",
        ),
        appearance="multiline",
    ),
    Question("end_group", "community"),
    Question("begin_group", "location", ("ตำแหน่ง", "Location")),
    Question(
        "select_one",
        "location_kind",
        ("ระบุตำแหน่งแบบใด", "How to give the location"),
        list_name="location_kind",
        required=True,
        default="point",
    ),
    Question(
        "geopoint",
        "point",
        ("ตำแหน่งชุมชน", "Where the community is"),
        hint=("ยืนที่ชุมชนแล้วบันทึกพิกัด", "Stand at the community and record the location."),
        required=True,
        relevant="${location_kind} = 'point'",
        constraint=_IN_THAILAND,
        constraint_message=("ตำแหน่งต้องอยู่ในประเทศไทย", "The location must be in Thailand."),
    ),
    Question(
        "geoshape",
        "area",
        ("ขอบเขตพื้นที่ชุมชน", "The community's area"),
        hint=(
            "เดินหรือแตะรอบขอบเขตชุมชน อย่างน้อยสามมุม",
            "Walk or tap around the community's edge, at least three corners.",
        ),
        required=True,
        relevant="${location_kind} = 'area'",
        constraint=f"area(.) > 0 and area(.) <= {AREA_LIMIT_M2:.0f}",
        constraint_message=(
            f"พื้นที่ต้องมีขนาดและไม่เกิน {AREA_LIMIT_M2 / 1e6:g} ตารางกิโลเมตร",
            f"The area must have a size and be at most {AREA_LIMIT_M2 / 1e6:g} km².",
        ),
    ),
    Question("end_group", "location"),
    Question(
        "begin_group",
        "contact",
        ("ข้อมูลติดต่อ (ไม่บังคับ เห็นเฉพาะผู้ประสานงาน)", "Contact (optional, seen by coordinators only)"),
    ),
    Question(
        "text",
        "contact_name",
        ("ชื่อผู้ติดต่อ", "Contact name"),
        constraint="string-length(.) <= 200",
        constraint_message=("ชื่อยาวเกิน 200 ตัวอักษร", "The name is longer than 200 characters."),
    ),
    Question(
        "text",
        "contact_phone",
        ("เบอร์โทรศัพท์", "Phone"),
        constraint="regex(., '^[0-9+() -]{6,20}$')",
        constraint_message=(
            "เบอร์โทรศัพท์ใช้ได้เฉพาะตัวเลข เว้นวรรค + - และวงเล็บ (6-20 ตัว)",
            "The phone number may hold only digits, spaces, +, - and brackets (6-20).",
        ),
        appearance="numbers",
    ),
    Question(
        "text",
        "contact_note",
        ("หมายเหตุ", "Note"),
        constraint="string-length(.) <= 500",
        constraint_message=("หมายเหตุยาวเกิน 500 ตัวอักษร", "The note is longer than 500 characters."),
    ),
    Question("end_group", "contact"),
)

#: the answers the importer reads, by question name
ANSWERS = tuple(q.name for q in QUESTIONS if q.type not in ("begin_group", "end_group"))
GROUPS = tuple(q.name for q in QUESTIONS if q.type == "begin_group")


def question(name: str) -> Question:
    """The answer question called ``name``."""
    for q in QUESTIONS:
        if q.name == name and q.type not in ("begin_group", "end_group"):
            return q
    raise KeyError(name)
