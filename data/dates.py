"""Dates shown to people: stored as Christian Era (ISO), shown in Thai as Buddhist Era.

``format_date("2024-02-05", "th")`` gives ``5 ก.พ. 2567``; in English the ISO date. Used by
the pages (through ``ui.i18n.be_year``) and by the printable report cards alike.
"""

from __future__ import annotations

import datetime as dt
import math

BE_OFFSET = 543  # พ.ศ. = ค.ศ. + 543

MONTHS_TH = (
    "ม.ค.",
    "ก.พ.",
    "มี.ค.",
    "เม.ย.",
    "พ.ค.",
    "มิ.ย.",
    "ก.ค.",
    "ส.ค.",
    "ก.ย.",
    "ต.ค.",
    "พ.ย.",
    "ธ.ค.",
)

_MISSING = ("", "NaT", "None", "nan", "<NA>")


def _as_date(value) -> dt.date | None:
    if isinstance(value, dt.datetime):  # pandas Timestamp is a datetime too
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def is_missing(value) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return str(value) in _MISSING


def format_date(value, lang: str = "th") -> str:
    """A stored CE date for people: ``5 ก.พ. 2567`` in Thai, ISO in English, ``–`` when
    missing. A bare year (``2024``) shows as ``2567``; text that is no date comes back as
    it was (callers escape it like any other text)."""
    if is_missing(value):
        return "–"
    day = _as_date(value)
    if day is not None:
        if lang != "th":
            return day.isoformat()
        return f"{day.day} {MONTHS_TH[day.month - 1]} {day.year + BE_OFFSET}"
    text = str(value)
    year = text[:4]
    if lang == "th" and year.isdigit() and (len(text) == 4 or text[4] == "-"):
        return str(int(year) + BE_OFFSET)
    return text
