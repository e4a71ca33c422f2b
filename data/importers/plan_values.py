"""Value parsers the plan records need besides ``values``: a year and a yes/no.

Years in Thai files are usually Buddhist era (ปีงบประมาณ 2567): a year from 2400 up is read
as BE and stored as CE (2567 -> 2024); a CE year must lie in 1990-2199. Anything else is
refused, so a BE year is never stored as CE.
"""

from __future__ import annotations

import math

from data.importers.values import Problem, arabic_digits, clean_text, label_key, parse_date

BE_OFFSET = 543
YEAR_CE = (1990, 2199)

_YES = {"ใช่", "มี", "บรรจุ", "บรรจุแล้ว", "ได้รับการบรรจุ", "yes", "y", "true", "1", "x", "✓"}
_NO = {"ไม่", "ไม่ใช่", "ไม่มี", "ไม่บรรจุ", "ยังไม่บรรจุ", "no", "n", "false", "0", "-"}
YES = {label_key(w) for w in _YES}
NO = {label_key(w) for w in _NO}


def parse_year(value: object) -> tuple[int | None, Problem | None]:
    """A year as CE from ``2567``, ``พ.ศ. 2567``, ``2024``, ``๒๕๖๗`` or a date."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None, None
    text = clean_text(value)
    if text is None or text in ("-", "–"):
        return None, None
    digits = arabic_digits(text)
    for mark in ("พ.ศ.", "พ.ศ", "ปี", "ค.ศ.", "ค.ศ", "BE", "CE", "AD"):
        digits = digits.replace(mark, "")
    digits = digits.strip().removesuffix(".0")
    if not digits.isdigit():
        date, _problem = parse_date(value)
        if date is not None:
            return date.year, None
        return None, _bad(text)
    year = int(digits)
    if year >= 2400:
        year -= BE_OFFSET
    if YEAR_CE[0] <= year <= YEAR_CE[1]:
        return year, None
    return None, _bad(text)


def _bad(text: str) -> Problem:
    return Problem(
        "bad_year",
        f"not a year between {YEAR_CE[0]} and {YEAR_CE[1]} (or พ.ศ. "
        f"{YEAR_CE[0] + BE_OFFSET}-{YEAR_CE[1] + BE_OFFSET}): {text!r}",
        f"ปีไม่ถูกต้อง: {text!r} (ใช้ พ.ศ. {YEAR_CE[0] + BE_OFFSET}-{YEAR_CE[1] + BE_OFFSET} "
        f"หรือ ค.ศ. {YEAR_CE[0]}-{YEAR_CE[1]})",
    )


def parse_bool(value: object) -> tuple[bool | None, Problem | None]:
    """Yes or no: ``ใช่``/``ไม่``, ``บรรจุ``/``ไม่บรรจุ``, ``yes``/``no``, ``1``/``0``."""
    if isinstance(value, bool):
        return value, None
    text = clean_text(value)
    if text is None:
        return None, None
    key = label_key(text)
    if key in YES:
        return True, None
    if key in NO:
        return False, None
    return None, Problem(
        "bad_value",
        f"not yes or no: {text!r} (use ใช่/ไม่ใช่ or yes/no)",
        f"ไม่ใช่ค่า ใช่/ไม่ใช่: {text!r}",
    )
