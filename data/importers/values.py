"""Cell values as CODI staff type them: Thai digits, baht amounts, Buddhist-era dates.

Every parser returns ``(value, problem)``: ``problem`` is None when the cell is fine (or
empty, value None), else a :class:`Problem` with a reason code and Thai and English text.
Parsers are pure and cached on the raw text, so a 100,000-row file with repeated values
costs little.

Dates (วันที่) are stored in the Christian era (CE). A year of 2400 or more is Buddhist
era (พ.ศ., CE + 543) and converted; a year 1900-2199 is CE; anything else is refused.
Two-digit years (15/03/67) are ambiguous (2567 BE = 2024, or 1967?) and flagged, as is a
day/month order that only works as month/day (03/15/2567).
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

BE_OFFSET = 543
MIN_YEAR_CE = 1900
MAX_YEAR_CE = 2199
_THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_EXCEL_EPOCH = dt.date(1899, 12, 30)


@dataclass(frozen=True)
class Problem:
    """Why a value was refused: a reason code and messages in Thai and English."""

    code: str
    message: str
    message_th: str
    candidates: tuple = ()


def clean_text(value: object) -> str | None:
    """NFC text with invisible characters removed and spaces collapsed; None when empty."""
    if value is None:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    text = unicodedata.normalize("NFC", str(value))
    text = _INVISIBLE.sub("", text)
    text = " ".join(text.split())
    return text or None


def arabic_digits(text: str) -> str:
    """Thai digits (๐-๙) to 0-9."""
    return text.translate(_THAI_DIGITS)


_NUMBER_JUNK = re.compile(
    r"(บาท|baht|฿|thb|ครัวเรือน|หลังคาเรือน|ครอบครัว|คน|ราย|ไร่|rai|"
    r"กลุ่ม|แห่ง|ชุมชน|households?|members?|\s)",
    re.IGNORECASE,
)
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)")
_MILLION = re.compile(r"(ล้าน|million)$", re.IGNORECASE)


@lru_cache(maxsize=65536)
def _parse_number_text(text: str) -> tuple[float | None, str | None]:
    t = arabic_digits(text).strip()
    scale = 1.0
    t = _NUMBER_JUNK.sub("", t).replace(",", "")
    if _MILLION.search(t):
        scale = 1e6
        t = _MILLION.sub("", t)
    if t in ("", "-", "–"):
        return None, None
    if not _NUMBER.fullmatch(t):
        return None, "bad"
    value = float(t) * scale
    if value < 0:
        return None, "negative"
    return value, None


def parse_number(
    value: object, *, integer: bool = False
) -> tuple[float | int | None, Problem | None]:
    """A count or an amount: ``"1,250"``, ``"๑๒๕๐"``, ``"2.5 ล้าน"``, ``"30 ครัวเรือน"``."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None, None
    if isinstance(value, bool):
        return None, Problem("bad_number", f"not a number: {value!r}", f"ไม่ใช่ตัวเลข: {value!r}")
    if isinstance(value, int | float):
        number, err = float(value), ("negative" if value < 0 else None)
    else:
        text = clean_text(value)
        if text is None:
            return None, None
        number, err = _parse_number_text(text)
    if err == "negative":
        return None, Problem("bad_number", f"negative number: {value}", f"ตัวเลขติดลบ: {value}")
    if err:
        return None, Problem("bad_number", f"not a number: {value}", f"ไม่ใช่ตัวเลข: {value}")
    if number is None:
        return None, None
    if integer:
        if abs(number - round(number)) > 1e-9:
            return None, Problem(
                "bad_number", f"not a whole number: {value}", f"ต้องเป็นจำนวนเต็ม: {value}"
            )
        return round(number), None
    return number, None


_THAI_MONTHS = {
    "มกราคม": 1,
    "มค": 1,
    "กุมภาพันธ์": 2,
    "กพ": 2,
    "มีนาคม": 3,
    "มีค": 3,
    "เมษายน": 4,
    "เมย": 4,
    "พฤษภาคม": 5,
    "พค": 5,
    "มิถุนายน": 6,
    "มิย": 6,
    "กรกฎาคม": 7,
    "กค": 7,
    "สิงหาคม": 8,
    "สค": 8,
    "กันยายน": 9,
    "กย": 9,
    "ตุลาคม": 10,
    "ตค": 10,
    "พฤศจิกายน": 11,
    "พย": 11,
    "ธันวาคม": 12,
    "ธค": 12,
    "jan": 1,
    "january": 1,
    "feb": 2,
    "february": 2,
    "mar": 3,
    "march": 3,
    "apr": 4,
    "april": 4,
    "may": 5,
    "jun": 6,
    "june": 6,
    "jul": 7,
    "july": 7,
    "aug": 8,
    "august": 8,
    "sep": 9,
    "sept": 9,
    "september": 9,
    "oct": 10,
    "october": 10,
    "nov": 11,
    "november": 11,
    "dec": 12,
    "december": 12,
}
_NUMERIC_DMY = re.compile(r"(\d{1,2})[/\-.](\d{1,2})[/\-.](\d{2}|\d{4})")
_NUMERIC_YMD = re.compile(r"(\d{4})[/\-.](\d{1,2})[/\-.](\d{1,2})")
_WORD_DATE = re.compile(r"(\d{1,2})\s*([^\d\s]+)\s*(\d{2}|\d{4})")
_YEAR_ONLY = re.compile(r"(?:พ\.?ศ\.?|ค\.?ศ\.?)?\s*(\d{4})")
_TIME_TAIL = re.compile(r"[ T]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?$")
_ERA_BE = re.compile(r"พ\.?\s*ศ\.?|\bB\.?E\.?", re.IGNORECASE)
_ERA_CE = re.compile(r"ค\.?\s*ศ\.?|\bA\.?D\.?|\bC\.?E\.?", re.IGNORECASE)


def _year_to_ce(year: int, raw: str) -> tuple[int | None, Problem | None]:
    if year >= 2400:
        year -= BE_OFFSET
    if MIN_YEAR_CE <= year <= MAX_YEAR_CE:
        return year, None
    return None, Problem("date_out_of_range", f"year out of range: {raw}", f"ปีอยู่นอกช่วงที่รับได้: {raw}")


def _make(y: int, m: int, d: int, raw: str) -> tuple[dt.date | None, Problem | None]:
    try:
        return dt.date(y, m, d), None
    except ValueError:
        return None, Problem("bad_date", f"no such date: {raw}", f"ไม่มีวันที่นี้: {raw}")


@lru_cache(maxsize=65536)
def _parse_date_text(raw: str) -> tuple[dt.date | None, Problem | None]:
    text = arabic_digits(raw).strip()
    text = _TIME_TAIL.sub("", text)
    be_marked = bool(_ERA_BE.search(text))
    ce_marked = bool(_ERA_CE.search(text))
    text = _ERA_CE.sub("", _ERA_BE.sub("", text)).strip()
    if re.fullmatch(r"\d{5}(\.0+)?", text):
        return excel_serial(float(text), raw)
    if m := _NUMERIC_YMD.fullmatch(text):
        y, mo, d = (int(g) for g in m.groups())
        year, problem = _year_to_ce(y, raw)
        return (None, problem) if problem else _make(year, mo, d, raw)
    if m := _NUMERIC_DMY.fullmatch(text):
        d, mo, ystr = m.groups()
        d, mo = int(d), int(mo)
        if len(ystr) == 2 and not (be_marked or ce_marked):
            yy = int(ystr)
            options = (f"{yy + 2500 - BE_OFFSET}-{mo:02d}-{d:02d}", f"{1900 + yy}-{mo:02d}-{d:02d}")
            return None, Problem(
                "date_ambiguous",
                f"two-digit year in {raw}: Buddhist era 25{ystr} or 19{ystr}? write the full year",
                f"ปีสองหลักใน {raw}: พ.ศ. 25{ystr} หรือ ค.ศ. 19{ystr}? กรุณาเขียนปีเต็ม",
                options,
            )
        y = int(ystr) + (2500 if be_marked and len(ystr) == 2 else 0)
        if len(ystr) == 2 and ce_marked:
            y = 1900 + int(ystr) if int(ystr) > 30 else 2000 + int(ystr)
        year, problem = _year_to_ce(y, raw)
        if problem:
            return None, problem
        if mo > 12 and d <= 12:
            return None, Problem(
                "date_ambiguous",
                f"{raw} reads as month/day/year; Thai dates are day/month/year: check it",
                f"{raw} อ่านได้เป็น เดือน/วัน/ปี แต่วันที่ไทยเป็น วัน/เดือน/ปี กรุณาตรวจสอบ",
                (f"{year}-{d:02d}-{mo:02d}",),
            )
        return _make(year, mo, d, raw)
    if m := _WORD_DATE.fullmatch(text):
        d, word, ystr = m.groups()
        month = _THAI_MONTHS.get(re.sub(r"[.\s]", "", word).lower())
        if month is None:
            return None, Problem("bad_date", f"not a date: {raw}", f"ไม่ใช่วันที่: {raw}")
        y = int(ystr)
        if len(ystr) == 2:
            # a Thai month name with a two-digit year is Buddhist era in practice (มี.ค. 67)
            y = 2500 + y if not ce_marked else (1900 + y if y > 30 else 2000 + y)
        year, problem = _year_to_ce(y, raw)
        return (None, problem) if problem else _make(year, month, int(d), raw)
    if m := _YEAR_ONLY.fullmatch(text):
        year, problem = _year_to_ce(int(m.group(1)), raw)
        return (None, problem) if problem else (dt.date(year, 1, 1), None)
    return None, Problem("bad_date", f"not a date: {raw}", f"ไม่ใช่วันที่: {raw}")


def excel_serial(serial: float, raw: object = None) -> tuple[dt.date | None, Problem | None]:
    """An Excel date serial (days since 1899-12-30) as a date, checked for range."""
    raw = serial if raw is None else raw
    if not 1 <= serial <= 150000:
        return None, Problem("bad_date", f"not a date: {raw}", f"ไม่ใช่วันที่: {raw}")
    date = _EXCEL_EPOCH + dt.timedelta(days=int(serial))
    year, problem = _year_to_ce(date.year, str(raw))
    if problem:
        return None, problem
    return date.replace(year=year) if year != date.year else date, None


def parse_date(value: object) -> tuple[dt.date | None, Problem | None]:
    """A date as CE, from ``15/03/2567``, ``2567-03-15``, ``15 มี.ค. 2567``, an Excel serial
    or a spreadsheet date cell (whose year 2567 is read as Buddhist era)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None, None
    if isinstance(value, dt.datetime | dt.date):
        d = value.date() if isinstance(value, dt.datetime) else value
        year, problem = _year_to_ce(d.year, d.isoformat())
        if problem:
            return None, problem
        try:
            return d.replace(year=year), None
        except ValueError:  # 29 February in a BE year that is not a CE leap year
            return None, Problem(
                "bad_date", f"no such date: {d.isoformat()}", f"ไม่มีวันที่นี้: {d.isoformat()}"
            )
    if isinstance(value, int | float) and not isinstance(value, bool):
        if 1900 <= value <= 2199 or 2443 <= value <= 2742:
            return parse_date(str(int(value)))
        return excel_serial(float(value))
    text = clean_text(value)
    if text is None or text in ("-", "–"):
        return None, None
    return _parse_date_text(text)


def label_key(text: str) -> str:
    """A comparison key for labels: NFC, lower case, without spaces or punctuation."""
    text = unicodedata.normalize("NFC", arabic_digits(text)).lower()
    text = text.replace("\u0e4d\u0e32", "\u0e33")
    return re.sub(r"[\s.,;:()\[\]/\\\-_'\"]+", "", text)


def parse_enum(
    value: object, labels: dict[str, str], field: str, fallback: str | None = None
) -> tuple[str | None, Problem | None]:
    """Map a label (Thai, English or the code itself) to its code.

    ``labels`` maps label keys (see :func:`label_key`) to codes; a label that contains one
    of the keys also matches (longest key first). Unknown labels give ``fallback`` when
    set, else a ``bad_value`` problem listing the allowed codes.
    """
    text = clean_text(value)
    if text is None:
        return None, None
    key = label_key(text)
    if key in labels:
        return labels[key], None
    for label in sorted(labels, key=len, reverse=True):
        if len(label) >= 3 and label in key:
            return labels[label], None
    if fallback is not None:
        return fallback, None
    allowed = ", ".join(sorted(set(labels.values())))
    return None, Problem(
        "bad_value",
        f"{field}: unknown value {text!r} (allowed: {allowed})",
        f"{field}: ไม่รู้จักค่า {text!r} (ค่าที่ใช้ได้: {allowed})",
    )
