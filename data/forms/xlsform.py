"""Write a form as an XLSForm workbook (``survey``, ``choices``, ``settings`` sheets).

KoboToolbox and ODK Central take the file as it is (they convert it with pyxform); labels
are in Thai and English (``label::Thai (th)``, ``label::English (en)``), Thai by default.
The version is a digest of the form's content, so a changed form always carries a new
version (ODK Central refuses a changed definition under an old version).
"""

from __future__ import annotations

import hashlib
import io
import json
from pathlib import Path

from data.errors import InputError
from data.forms import need_form

FORMS = ("need_report",)
_LANG_COLUMNS = ("label", "hint", "constraint_message", "required_message")


def _survey_header() -> list[str]:
    header = ["type", "name"]
    for column in _LANG_COLUMNS:
        header += [f"{column}::{lang}" for lang in need_form.LANGUAGES]
    return [*header, "required", "constraint", "relevant", "default", "appearance"]


def _survey_rows() -> list[list]:
    rows = []
    for q in need_form.QUESTIONS:
        required_message = ("กรุณาตอบข้อนี้", "This question is required.") if q.required else None
        row: list = [q.xls_type, q.name]
        for pair in (q.label if any(q.label) else None, q.hint, q.constraint_message):
            row += list(pair) if pair else [None, None]
        row += list(required_message) if required_message else [None, None]
        row += ["yes" if q.required else None, q.constraint, q.relevant, q.default, q.appearance]
        rows.append(row)
    return rows


def _choice_rows() -> list[list]:
    return [
        [list_name, code, th, en]
        for list_name, labels in need_form.CHOICES.items()
        for code, (th, en) in labels.items()
    ]


def form_version() -> str:
    """A digest of the questions and choices: changes whenever the form does."""
    doc = json.dumps([_survey_rows(), _choice_rows()], ensure_ascii=False, default=str)
    return hashlib.sha256(doc.encode("utf-8")).hexdigest()[:10]


def xlsform_bytes(form: str = "need_report") -> bytes:
    """The XLSForm workbook of ``form`` (only ``need_report`` so far), as .xlsx bytes."""
    import openpyxl
    from openpyxl.styles import Font

    if form not in FORMS:
        raise InputError(
            f"unknown form {form!r}; one of {', '.join(FORMS)}",
            message_th=f"ไม่รู้จักแบบฟอร์ม {form!r}",
        )
    book = openpyxl.Workbook()
    survey = book.active
    survey.title = "survey"
    choices = book.create_sheet("choices")
    settings = book.create_sheet("settings")
    survey.append(_survey_header())
    for row in _survey_rows():
        survey.append(row)
    choices.append(["list_name", "name", *(f"label::{lang}" for lang in need_form.LANGUAGES)])
    for row in _choice_rows():
        choices.append(row)
    settings.append(["form_title", "form_id", "version", "default_language", "instance_name"])
    settings.append(
        [
            need_form.FORM_TITLE[0],
            need_form.FORM_ID,
            form_version(),
            need_form.LANGUAGES[0],
            "concat(${community_name}, ' (', ${households}, ')')",
        ]
    )
    for sheet in (survey, choices, settings):
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = "A2"
        for column in sheet.columns:
            width = max(len(str(c.value or "")) for c in column)
            sheet.column_dimensions[column[0].column_letter].width = min(max(width, 8), 60)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def write_xlsform(path: str | Path, form: str = "need_report") -> Path:
    """Write the XLSForm of ``form`` to ``path``; returns the path."""
    path = Path(path)
    path.write_bytes(xlsform_bytes(form))
    return path


def file_name(form: str = "need_report") -> str:
    """The name a download of the form gets: ``phang_need_report_<version>.xlsx``."""
    return f"{need_form.FORM_ID}_{form_version()}.xlsx"
