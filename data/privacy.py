"""Personal contact details inside text people typed (ข้อมูลติดต่อส่วนบุคคล): find and mask them.

Anything a member typed (a community name, a description) may hold a phone number, an
e-mail address or a national ID number. Before such text leaves the system (exports, the
OGC API, report cards, map popups) it goes through :func:`mask_contacts`, which

1. normalises the text: Thai digits (๐-๙) and full-width digits become ASCII digits,
   full-width ``＠`` and ``．`` become ``@`` and ``.``, every kind of dash becomes ``-``,
   zero-width characters and soft hyphens are removed (they hide a number from a pattern
   while staying invisible to a reader);
2. replaces with ``***``:

   * Thai national ID numbers: 13 digits whose last is the check digit, however they are
     grouped (``1-2345-67890-12-1``, ``1 2345 67890 12 1``);
   * Thai phone numbers: mobile (0 + 9 digits) and landline (0 + 8 digits), also written
     with +66/66 instead of the 0, in any grouping with spaces, dots, dashes, slashes or
     brackets (``๐๘๑-๒๓๔-๕๖๗๘``, ``081.234.5678``, ``(02) 123 4567``, ``+66 81 234 5678``);
   * e-mail addresses, also obfuscated: ``name (at) gmail (dot) com``, ``name[at]gmail.com``,
     ``name at gmail dot com``, ``name แอท gmail ดอท com``.

The patterns run on the normalised text; the spans they find are mapped back, so the rest of
the text comes back exactly as it was typed.

Use :func:`mask_contacts` on values, or :func:`mask_columns` on a pandas DataFrame after a
query. In SQL every database has ``phang_mask(text)``, a macro stored by migration 0009
(the same patterns without look-arounds; it masks every 13-digit run, as SQL cannot check
the ID check digit, and returns the normalised text). :func:`register_sql` adds the precise
Python version under the same name to a *private* DuckDB connection (an in-memory one the
caller owns, as ``geo.export_query`` uses for Arrow batches): never to the shared database
connection, because DuckDB keeps a Python function in the database's catalog while freeing
it with the connection that registered it, and another connection of the same database
calling it afterwards crashes the process.
"""

from __future__ import annotations

import re

MASK = "***"
SQL_FUNCTION = "phang_mask"

_TRANSLATE = {
    **{0x0E50 + i: str(i) for i in range(10)},  # Thai digits ๐-๙
    **{0xFF10 + i: str(i) for i in range(10)},  # full-width digits
    0xFF20: "@",  # ＠
    0xFE6B: "@",  # ﹫
    0xFF0E: ".",  # ．
    0x3002: ".",  # 。
    0xFF0B: "+",  # ＋
    0xFF08: "(",
    0xFF09: ")",
    0x00A0: " ",  # no-break space
    0x202F: " ",
    0x3000: " ",
    **dict.fromkeys((0x2010, 0x2011, 0x2012, 0x2013, 0x2014, 0x2015, 0x2212, 0xFE63, 0xFF0D), "-"),
    # invisible characters that split a number without a reader seeing it
    **dict.fromkeys((0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF, 0x00AD), None),
}

_SEP = r"[ \t.\-/()]{0,3}"
# 13 digits in any grouping (checked for the national-ID check digit before masking)
_ID13 = re.compile(rf"(?<![\d])\d(?:{_SEP}\d){{12}}(?![\d])")
# 0 + 8 or 9 digits, or +66 / 66 + 8 or 9 digits; an opening bracket may come first
_PHONE = re.compile(rf"(?<![\d+])(?:\(\s?)?(?:\+\s?66|66|0)(?:{_SEP}\d){{8,9}}(?![\d])")

_LOCAL = r"[a-z0-9](?:[a-z0-9._%+\-]{0,63})"
_LABEL = r"[a-z0-9](?:[a-z0-9\-]{0,61}[a-z0-9])?"
_OPEN, _CLOSE = r"[(\[{<]", r"[)\]}>]"
_AT_SIGN = r"\s{0,2}@\s{0,2}"
_AT_WORD = rf"(?:\s*{_OPEN}\s*(?:at|แอท)\s*{_CLOSE}\s*|\s+(?:at|แอท)\s+|\s*(?:แอท)\s*)"
_DOT_SIGN = r"\."
_DOT_WORD = rf"(?:\s*{_OPEN}\s*(?:dot|ดอท|จุด)\s*{_CLOSE}\s*|\s+(?:dot|ดอท|จุด)\s+|\s*(?:ดอท)\s*)"
_DOT_ANY = rf"(?:{_DOT_WORD}|\s?\.\s?)"
# With a real "@" any top-level domain counts; with a spelled-out "at" or "dot" only the
# usual ones, so that ordinary English ("look at this. ok") is not taken for an address.
_TLDS = (
    r"(?:com|net|org|info|biz|edu|gov|mil|int|io|me|co|asia|xyz|online|site|app|dev|"
    r"th|uk|us|jp|cn|sg|my|la|kh|mm|vn|au|de|fr)"
)
_EMAIL_PLAIN = re.compile(
    rf"(?<![a-z0-9._%+\-]){_LOCAL}{_AT_SIGN}{_LABEL}(?:{_DOT_ANY}{_LABEL})*{_DOT_ANY}[a-z]{{2,24}}(?![a-z0-9])",
    re.IGNORECASE,
)
_EMAIL_WORDS = re.compile(
    rf"(?<![a-z0-9._%+\-]){_LOCAL}(?:{_AT_WORD}|{_AT_SIGN}){_LABEL}"
    rf"(?:(?:{_DOT_WORD}|{_DOT_SIGN}){_LABEL})*(?:{_DOT_WORD}|{_DOT_SIGN}){_TLDS}(?![a-z0-9])",
    re.IGNORECASE,
)


def normalise(text: str) -> str:
    """``text`` with Thai and full-width digits as ASCII, dashes unified, invisible
    characters removed (see the module docstring)."""
    return text.translate(_TRANSLATE)


def valid_national_id(digits: str) -> bool:
    """Is ``digits`` (13 ASCII digits) a Thai national ID number with a right check digit?

    The check digit is ``(11 - sum(d_i * (13 - i) for the first 12 digits) % 11) % 10``.
    """
    if len(digits) != 13 or not digits.isdigit() or digits[0] == "0":
        return False
    total = sum(int(d) * (13 - i) for i, d in enumerate(digits[:12]))
    return (11 - total % 11) % 10 == int(digits[12])


def _normalised_with_positions(text: str) -> tuple[str, list[int]]:
    """The normalised text and, for each of its characters, its index in ``text``."""
    chars, where = [], []
    for i, ch in enumerate(text):
        mapped = _TRANSLATE.get(ord(ch), ch)
        if mapped is None:
            continue
        chars.append(mapped)
        where.append(i)
    return "".join(chars), where


def contact_spans(text: str) -> list[tuple[int, int]]:
    """Where ``text`` holds contact details: merged (start, end) spans of ``text`` itself
    (the patterns run on the normalised text; spans are mapped back)."""
    norm, where = _normalised_with_positions(text)
    spans = []
    for match in _ID13.finditer(norm):
        if valid_national_id(re.sub(r"\D", "", match.group(0))):
            spans.append(match.span())
    for pattern in (_EMAIL_PLAIN, _EMAIL_WORDS, _PHONE):
        spans.extend(m.span() for m in pattern.finditer(norm))
    merged: list[list[int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(where[s], where[e - 1] + 1) for s, e in merged]


def mask_contacts(text: str | None) -> str | None:
    """``text`` with phone numbers, e-mail addresses (also obfuscated) and national ID
    numbers replaced by ``***``; everything else is left as it was typed (Thai digits
    included). ``None`` stays ``None``."""
    if text is None:
        return None
    if not isinstance(text, str):
        text = str(text)
    spans = contact_spans(text)
    if not spans:
        return text
    out, last = [], 0
    for start, end in spans:
        out.append(text[last:start])
        out.append(MASK)
        last = end
    out.append(text[last:])
    return "".join(out)


def has_contacts(text: str | None) -> bool:
    """Does ``text`` hold something :func:`mask_contacts` would mask?"""
    return text is not None and bool(contact_spans(str(text)))


def mask_columns(frame, *columns: str):
    """``frame`` (a pandas DataFrame) with contact details masked in ``columns`` (in place;
    also returned)."""
    for column in columns:
        if column in frame.columns:
            frame[column] = [
                mask_contacts(v) if isinstance(v, str) else v for v in frame[column].tolist()
            ]
    return frame


def register_sql(con) -> None:
    """Add ``phang_mask(VARCHAR) -> VARCHAR`` (:func:`mask_contacts`) to a private DuckDB
    connection that the caller owns and closes (see the module docstring: never the
    shared database connection)."""
    import pyarrow as pa

    known = con.execute(
        "SELECT count(*) FROM duckdb_functions() WHERE function_name = ?", [SQL_FUNCTION]
    ).fetchone()[0]
    if known:
        return

    # no annotations: DuckDB evaluates them, and pyarrow is imported here, not globally
    def _mask(values):
        return pa.array([mask_contacts(v) for v in values.to_pylist()], type=pa.string())

    con.create_function(
        SQL_FUNCTION,
        _mask,
        ["VARCHAR"],
        "VARCHAR",
        type="arrow",
        null_handling="special",
        side_effects=False,
    )
