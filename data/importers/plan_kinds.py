"""Import kinds for community development plans, their items, people developed and
organisation assessments (migration 0011).

- ``plan`` (แผนพัฒนาชุมชนท้องถิ่น, ``community_plan``): tambon, council, period (start and end
  year, Buddhist era or CE), date adopted, status;
- ``plan_item`` (รายการในแผน, ``plan_item``): the plan it belongs to (``รหัสแผน``, the
  plan's record id, which must already be imported for the same tambon), title,
  dimension, optional point or area (checked like every geometry and required to lie in
  the row's tambon), estimated budget, the agency type it is proposed to, whether it is in
  that agency's plan (with the plan's name and year), the support received, status;
- ``person_developed`` (ผู้ผ่านการพัฒนา, ``person_developed``): a person, the tambon, the
  course or activity and its date. The name goes to ``person_private`` only;
- ``org_assessment`` (การประเมินองค์กร, ``org_assessment``): organisation, date, the form
  (key and version, data in ``assessment_form``/``assessment_criterion``) and a score per
  criterion (``governance=4; finance=3 ...``); the total and pass/fail are computed from
  the form, never typed in.
"""

from __future__ import annotations

import hashlib
import json

from data import vocab
from data.importers.fields import COMMON, Field, _labels
from data.importers.registry import KindSpec, register_kind
from data.importers.values import Problem, arabic_digits, label_key

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


# --- row checks ---------------------------------------------------------------------------------


def check_plan(record: dict, ctx: dict) -> list[Problem]:
    record["geom"] = None
    record["status"] = record.get("status") or "draft"
    start, end = record.get("start_year"), record.get("end_year")
    if start and end and not 0 <= end - start <= 10:
        return [
            Problem(
                "bad_period",
                f"plan period {start}-{end}: the end must come after the start, within 10 years",
                f"ช่วงเวลาของแผน {start + 543}-{end + 543} ไม่ถูกต้อง "
                "(ปีสิ้นสุดต้องไม่ก่อนปีเริ่ม และไม่เกิน 10 ปี)",
            )
        ]
    return []


def _plans(ctx: dict) -> dict[str, set[str]]:
    """Plan record id -> tambons that have a plan with that id (read once per import)."""
    if "plans" not in ctx:
        plans: dict[str, set[str]] = {}
        for ref, pcode in (
            ctx["con"].execute("SELECT source_id, tambon_pcode FROM community_plan").fetchall()
        ):
            plans.setdefault(ref, set()).add(pcode)
        ctx["plans"] = plans
    return ctx["plans"]


def check_item(record: dict, ctx: dict) -> list[Problem]:
    problems = []
    ref = arabic_digits(record["plan_ref"])
    record["plan_ref"] = ref
    tambons = _plans(ctx).get(ref)
    if not tambons or record["tambon_pcode"] not in tambons:
        problems.append(
            Problem(
                "unknown_plan",
                f"no plan with id {ref!r} for tambon {record['tambon_pcode']}; "
                "import the plan first",
                f"ไม่พบแผนรหัส {ref!r} ของตำบลนี้ กรุณานำเข้าแผนก่อน",
            )
        )
    status = record.get("status")
    included = record.get("in_agency_plan")
    support = record.get("support_type") or "none"
    taken = status in ("in_agency_plan", "supported", "completed") or support != "none"
    if included is None:
        included = taken
    if taken and not included:
        problems.append(
            Problem(
                "inconsistent",
                "the item is marked not in the agency's plan but has support or a later status",
                "ระบุว่าไม่ได้บรรจุในแผนหน่วยงาน แต่มีการสนับสนุนหรือสถานะที่บรรจุแล้ว",
            )
        )
    if included and not record.get("agency_type"):
        problems.append(
            Problem(
                "missing_agency",
                "an item in an agency's plan must name the agency type it was proposed to",
                "รายการที่บรรจุในแผนหน่วยงานต้องระบุประเภทหน่วยงาน",
            )
        )
    record["in_agency_plan"] = bool(included)
    record["support_type"] = support
    if not status:
        status = (
            "supported" if support != "none" else ("in_agency_plan" if included else "proposed")
        )
    record["status"] = status
    return problems


def person_key(name: str, pcode: str) -> str:
    """A stable 16-hex key of a person: the normalised name and the tambon."""
    text = f"{label_key(name)}|{pcode}"
    return hashlib.sha1(text.encode("utf-8"), usedforsecurity=False).hexdigest()[:16]


def check_person(record: dict, _ctx: dict) -> list[Problem]:
    record["geom"] = None
    record["person_key"] = person_key(record["person_name"], record["tambon_pcode"])
    return []


def store_private_names(con, records: list[dict]) -> None:
    """Names of people developed go to ``person_private`` only (newest name wins)."""
    rows = {r["person_key"]: r["person_name"] for r in records if r.get("person_name")}
    if rows:
        con.executemany(
            "INSERT INTO person_private (person_key, name, updated_at) VALUES (?, ?, now())"
            " ON CONFLICT (person_key)"
            " DO UPDATE SET name = excluded.name, updated_at = now()",
            list(rows.items()),
        )


def _forms(ctx: dict) -> dict:
    """(form_key, version) -> {valid_from, pass_total, criteria: {code: (max, labels)}}."""
    if "forms" not in ctx:
        forms: dict = {}
        con = ctx["con"]
        for key, version, valid_from, pass_total in con.execute(
            "SELECT form_key, version, valid_from, pass_total FROM assessment_form"
        ).fetchall():
            forms[(key, version)] = {"valid_from": valid_from, "pass": pass_total, "criteria": {}}
        for key, version, code, th, en, top in con.execute(
            "SELECT form_key, version, code, label_th, label_en, max_score "
            "FROM assessment_criterion ORDER BY position"
        ).fetchall():
            if (key, version) in forms:
                forms[(key, version)]["criteria"][code] = (top, {label_key(th), label_key(en)})
        ctx["forms"] = forms
    return ctx["forms"]


def check_assessment(record: dict, ctx: dict) -> list[Problem]:
    record["geom"] = None
    forms = _forms(ctx)
    key = (record.get("form_key") or "org_quality").strip()
    record["form_key"] = key
    version = record.get("form_version")
    if version is None:  # the newest version in force on the date assessed
        usable = [
            v
            for (k, v), f in forms.items()
            if k == key and f["valid_from"] <= record["assessed_date"]
        ]
        version = max(usable, default=None)
    form = forms.get((key, version))
    if form is None:
        return [
            Problem(
                "unknown_form",
                f"no assessment form {key!r} version {version} in force on "
                f"{record['assessed_date']}",
                f"ไม่พบแบบประเมิน {key!r} ฉบับที่ {version} ที่ใช้ในวันที่ประเมิน",
            )
        ]
    record["form_version"] = version
    scores, problems = _scores(record["scores"], form["criteria"])
    if problems:
        return problems
    record["scores"] = json.dumps(scores, sort_keys=True)
    record["total_score"] = float(sum(scores.values()))
    record["passed"] = record["total_score"] >= form["pass"]
    return []


def _scores(text: str, criteria: dict) -> tuple[dict, list[Problem]]:
    """``governance=4; finance=3`` (codes or Thai/English labels; ``:`` also works)."""
    by_label = {lab: code for code, (_top, labels) in criteria.items() for lab in labels}
    by_label.update({label_key(code): code for code in criteria})
    scores: dict[str, float] = {}
    bad: list[str] = []
    for part in arabic_digits(text).replace("\n", ";").replace(",", ";").split(";"):
        if not part.strip():
            continue
        name, sep, value = part.replace(":", "=").partition("=")
        code = by_label.get(label_key(name))
        try:
            number = float(value)
        except ValueError:
            number = None
        if not sep or code is None or number is None or not 0 <= number <= criteria[code][0]:
            bad.append(part.strip())
            continue
        scores[code] = number
    missing = [c for c in criteria if c not in scores]
    problems = []
    if bad or missing:
        problems.append(
            Problem(
                "bad_scores",
                f"scores not on the form (unknown criterion or out of range): {bad}; "
                f"criteria without a score: {missing}",
                f"คะแนนไม่ตรงกับแบบประเมิน (เกณฑ์ไม่รู้จักหรือเกินช่วง): {bad}; เกณฑ์ที่ไม่มีคะแนน: {missing}",
            )
        )
    return scores, problems


_PLACE = ("tambon_pcode",)
register_kind(
    KindSpec(
        "plan",
        "แผนพัฒนาชุมชนท้องถิ่น",
        "Community development plans",
        "community_plan",
        PLAN_FIELDS,
        (*_PLACE, "council", "start_year", "end_year", "adopted_date", "status", "geom"),
        natural_key=("start_year", "end_year"),
        check_row=check_plan,
    )
)
register_kind(
    KindSpec(
        "plan_item",
        "รายการในแผนพัฒนาชุมชน",
        "Community plan items",
        "plan_item",
        ITEM_FIELDS,
        (
            *_PLACE,
            "plan_ref",
            "title",
            "dimension",
            "budget_baht",
            "agency_type",
            "agency_name",
            "in_agency_plan",
            "agency_plan_name",
            "agency_plan_year",
            "support_type",
            "support_baht",
            "status",
            "geom",
        ),
        natural_key=("plan_ref", "title"),
        check_row=check_item,
    )
)
register_kind(
    KindSpec(
        "person_developed",
        "ผู้ผ่านการพัฒนา",
        "People developed",
        "person_developed",
        PERSON_FIELDS,
        (*_PLACE, "person_key", "course", "activity_date", "geom"),
        column_types={"person_key": "VARCHAR"},
        keep=("person_name",),
        natural_key=("person_name", "course", "activity_date"),
        check_row=check_person,
        after_write=store_private_names,
    )
)
register_kind(
    KindSpec(
        "org_assessment",
        "การประเมินองค์กรชุมชน",
        "Organisation assessments",
        "org_assessment",
        ASSESSMENT_FIELDS,
        (
            *_PLACE,
            "organization",
            "org_ref",
            "assessed_date",
            "form_key",
            "form_version",
            "scores",
            "total_score",
            "passed",
            "geom",
        ),
        column_types={"total_score": "DOUBLE", "passed": "BOOLEAN"},
        natural_key=("organization", "assessed_date"),
        check_row=check_assessment,
    )
)
