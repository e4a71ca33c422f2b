"""Every problem of a housing-need form at once (แจ้งปัญหาทุกช่องพร้อมกัน), for forms that
arrive as JSON (the field app).

:func:`data.need_reports.clean_form` stops at the first bad field, which suits a
Streamlit form re-run but not a phone that sends a whole form from its outbox. Here each
field is checked on its own by the same rules — ``clean_form`` on a form that is known to
be good except for that one field, and :func:`geo.validate.validate_drawing` for the
drawing — so the rules stay in one place and the member sees every problem beside its
field in one answer.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from data.need_reports import NeedForm, NeedFormError, clean_form
from geo.validate import GeometryError, validate_drawing

TEXT_FIELDS = (
    "form_id",
    "community_name",
    "urgency",
    "landowner",
    "description",
    "contact_name",
    "contact_phone",
    "contact_note",
)
_GOOD = NeedForm(
    form_id="known-good-form",
    geometry=None,
    community_name="ชุมชน",
    households=1,
    problems=["other"],
    urgency="medium",
)
# form fields whose rule clean_form applies, and the field the error is shown beside
_CHECKED = {
    "form_id": ("form_id",),
    "community_name": ("community_name",),
    "households": ("households",),
    "problems": ("problems",),
    "urgency": ("urgency",),
    "landowner": ("landowner",),
    "description": ("description",),
    "contact_phone": ("contact_phone",),
    "contact": ("contact_name", "contact_note"),
}


def problem(field: str, th: str, en: str) -> dict:
    return {"field": field, "th": th, "en": en}


def form_from_json(data: dict) -> tuple[NeedForm, list[dict]]:
    """A NeedForm from a decoded JSON object, with the problems of its value types."""
    problems: list[dict] = []
    values: dict[str, Any] = {}
    for name in TEXT_FIELDS:
        value = data.get(name)
        if value is not None and not isinstance(value, str):
            problems.append(problem(name, "ค่าของช่องนี้ต้องเป็นข้อความ", "This field must be text."))
            value = None
        values[name] = value
    chosen = data.get("problems")
    if not isinstance(chosen, list) or not all(isinstance(p, str) for p in chosen):
        chosen = []
    households = data.get("households")
    if not isinstance(households, (int, float, str)) or isinstance(households, bool):
        households = None
    form = NeedForm(
        form_id=values["form_id"] or "",
        geometry=data.get("geometry"),
        community_name=values["community_name"] or "",
        households=households,
        problems=chosen[:20],
        urgency=values["urgency"] or "",
        landowner=values["landowner"] or "unknown",
        description=values["description"] or "",
        contact_name=values["contact_name"],
        contact_phone=values["contact_phone"],
        contact_note=values["contact_note"],
    )
    return form, problems


def check_all(form: NeedForm) -> list[dict]:
    """Every field's problem as ``{"field", "th", "en"}``; an empty list when all is well."""
    found: list[dict] = []
    for shown, fields in _CHECKED.items():
        trial = replace(_GOOD, **{f: getattr(form, f) for f in fields})
        try:
            clean_form(trial)
        except NeedFormError as exc:
            found.append(
                problem(exc.field if exc.field != "contact" else shown, exc.message_th, exc.message)
            )
    if form.geometry is None:
        found.append(
            problem(
                "geometry",
                "ยังไม่ได้ปักหมุดหรือวาดพื้นที่บนแผนที่",
                "Nothing is marked on the map yet: drop a pin or draw an area.",
            )
        )
    else:
        try:
            validate_drawing(form.geometry)
        except GeometryError as exc:
            found.append(problem("geometry", exc.message_th, exc.message))
    return found
