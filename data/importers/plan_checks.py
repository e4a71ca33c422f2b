"""Row checks of the planning import kinds: plan periods, items against their plan,
people developed (a key of the name; the name itself kept apart) and organisation
assessments scored on the form in force.

Part of :mod:`data.importers.plan_kinds` (every name is importable from there), which
registers the kinds.
"""

from __future__ import annotations

import hashlib
import json

from data.importers.values import Problem, arabic_digits, label_key


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
