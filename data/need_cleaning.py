"""Checking and normalising what the mark form sends: the fields (:func:`clean_form`,
raising :class:`~data.need_model.NeedFormError` naming the field), the content hash that
makes a resent form idempotent, and fresh form ids and receipt codes.

Split from :mod:`data.need_reports`, which re-exports every name here.
"""

from __future__ import annotations

import hashlib
import json
import re
import secrets
import unicodedata
from typing import Any

import shapely

from data.need_model import LANDOWNERS, PROBLEMS, URGENCIES, NeedForm, NeedFormError
from geo.validate import CleanGeometry

HOUSEHOLDS_MAX = 10_000
NAME_MAX, DESCRIPTION_MAX = 200, 2000
_RECEIPT_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford base32
_FORM_ID = re.compile(r"^[A-Za-z0-9_-]{8,64}$")
_PHONE = re.compile(r"^[0-9+() -]{6,20}$")
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"), None)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def new_form_id() -> str:
    """A fresh id for a form being opened (URL-safe, 22 characters)."""
    return secrets.token_urlsafe(16)


def new_receipt() -> str:
    """A receipt code such as ``NR-7K2M-Q9XD`` (no I, L, O, U: easy to read out)."""
    chars = [secrets.choice(_RECEIPT_ALPHABET) for _ in range(8)]
    return "NR-" + "".join(chars[:4]) + "-" + "".join(chars[4:])


def clean_text(value: Any, limit: int) -> str:
    """NFC-normalised text without zero-width or control characters, trimmed."""
    text = "" if value is None else str(value)
    text = unicodedata.normalize("NFC", text).translate(_INVISIBLE)
    text = _CONTROL.sub("", text).strip()
    return text[: limit + 1]


def _households(value: Any) -> int:
    text = str(value).strip().replace(",", "") if value is not None else ""
    try:
        number = float(text)
    except ValueError:
        number = float("nan")
    if not number == number or number != int(number):
        raise NeedFormError(
            "households",
            f"Households affected must be a whole number, not {text!r}.",
            f"จำนวนครัวเรือนต้องเป็นจำนวนเต็ม ไม่ใช่ {text!r}",
        )
    n = int(number)
    if not 1 <= n <= HOUSEHOLDS_MAX:
        raise NeedFormError(
            "households",
            f"Households affected must be between 1 and {HOUSEHOLDS_MAX:,}, not {n:,}.",
            f"จำนวนครัวเรือนต้องอยู่ระหว่าง 1 ถึง {HOUSEHOLDS_MAX:,} (ได้รับ {n:,})",
        )
    return n


def clean_form(form: NeedForm) -> dict:
    """The form's fields checked and normalised; raises NeedFormError naming the field."""
    if not isinstance(form.form_id, str) or not _FORM_ID.match(form.form_id):
        raise NeedFormError(
            "form_id",
            "The form id is missing or malformed; reload the page.",
            "รหัสแบบฟอร์มไม่ถูกต้อง กรุณาโหลดหน้าใหม่",
        )
    name = clean_text(form.community_name, NAME_MAX)
    if not name:
        raise NeedFormError("community_name", "Give the community's name.", "กรุณากรอกชื่อชุมชน")
    if len(name) > NAME_MAX:
        raise NeedFormError(
            "community_name",
            f"The community name is longer than {NAME_MAX} characters.",
            f"ชื่อชุมชนยาวเกิน {NAME_MAX} ตัวอักษร",
        )
    problems = sorted({str(p) for p in (form.problems or [])})
    unknown = [p for p in problems if p not in PROBLEMS]
    if unknown or not problems:
        raise NeedFormError(
            "problems",
            "Choose at least one problem from the list"
            + (f" (unknown: {', '.join(unknown)})." if unknown else "."),
            "กรุณาเลือกปัญหาอย่างน้อยหนึ่งข้อจากรายการ",
        )
    if form.urgency not in URGENCIES:
        raise NeedFormError(
            "urgency", f"Urgency must be one of {', '.join(URGENCIES)}.", "กรุณาเลือกระดับความเร่งด่วน"
        )
    landowner = form.landowner or "unknown"
    if landowner not in LANDOWNERS:
        raise NeedFormError(
            "landowner",
            f"Landowner must be one of {', '.join(LANDOWNERS)}.",
            "ประเภทเจ้าของที่ดินไม่อยู่ในรายการ",
        )
    description = clean_text(form.description, DESCRIPTION_MAX)
    if len(description) > DESCRIPTION_MAX:
        raise NeedFormError(
            "description",
            f"The description is longer than {DESCRIPTION_MAX} characters.",
            f"รายละเอียดยาวเกิน {DESCRIPTION_MAX} ตัวอักษร",
        )
    contact = {
        "name": clean_text(form.contact_name, 200) or None,
        "phone": clean_text(form.contact_phone, 20) or None,
        "note": clean_text(form.contact_note, 500) or None,
    }
    if contact["phone"] and not _PHONE.match(contact["phone"]):
        raise NeedFormError(
            "contact_phone",
            "The phone number may hold only digits, spaces, +, - and brackets.",
            "เบอร์โทรศัพท์ใช้ได้เฉพาะตัวเลข เว้นวรรค + - และวงเล็บ",
        )
    if (contact["name"] and len(contact["name"]) > 200) or (
        contact["note"] and len(contact["note"]) > 500
    ):
        raise NeedFormError("contact", "The contact details are too long.", "ข้อมูลติดต่อยาวเกินไป")
    return {
        "community_name": name,
        "households": _households(form.households),
        "problems": problems,
        "urgency": form.urgency,
        "landowner": landowner,
        "description": description,
        "contact": contact,
    }


def content_hash(fields: dict, geometry: CleanGeometry) -> str:
    """SHA-256 of the cleaned content: the same form sent twice hashes the same."""
    geom = shapely.set_precision(geometry.geom, 1e-9)
    doc = dict(fields, geometry=shapely.to_wkt(geom, rounding_precision=9))
    text = json.dumps(doc, ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
