"""What each kind of record holds, and the column headers (Thai or English) that name it.

This is the one table of header aliases; ``docs/import-headers.md`` is generated from it
(``python -m data.importers.fields > docs/import-headers.md``) and a test keeps the two in
step. Headers are compared by :func:`header_key`: case, spaces, punctuation and a unit in
brackets (``เงินทุน (บาท)``) do not matter.

Kinds (``KIND``): ``organization`` (กลุ่ม/องค์กรชุมชน), ``council`` (สภาองค์กรชุมชนตำบล),
``project`` (โครงการบ้านมั่นคง), ``land_case`` (กรณีปัญหาที่ดิน).

The tables themselves live beside this module, and every name is importable from here:
:mod:`data.importers.field_columns` (:class:`Field`, :data:`COMMON`, :data:`KIND_FIELDS`)
and :mod:`data.importers.field_labels` (the labels of coded values).
"""

from __future__ import annotations

import re
import unicodedata

from data.importers.field_columns import COMMON, KIND_FIELDS, Field
from data.importers.field_labels import (
    ARRANGEMENTS,
    LANDOWNERS,
    ORG_TYPES,
    PROJECT_TYPES,
    STAGES,
    STATUSES,
    TENURE,
    _labels,
)

__all__ = [
    "ARRANGEMENTS",
    "COMMON",
    "IGNORED",
    "KINDS",
    "KIND_FIELDS",
    "KIND_NAMES",
    "LANDOWNERS",
    "ORG_TYPES",
    "PROJECT_TYPES",
    "STAGES",
    "STATUSES",
    "TABLES",
    "TENURE",
    "Field",
    "_labels",
    "alias_index",
    "fields_for",
    "header_key",
    "markdown",
]


KINDS = ["organization", "council", "project", "land_case"]  # more register (registry.py)
KIND_NAMES = {
    "organization": ("กลุ่ม/องค์กรชุมชน", "Community organizations"),
    "council": ("สภาองค์กรชุมชนตำบล", "Tambon community councils"),
    "project": ("โครงการบ้านมั่นคง", "Baan Mankong projects"),
    "land_case": ("กรณีปัญหาที่ดิน", "Land cases"),
    # not a registry kind: Kobo/ODK submissions of the XLSForm (data.importers.odk)
    "need_report": (
        "คำร้องจากแบบสอบถามภาคสนาม (Kobo/ODK)",
        "Housing need from field surveys (Kobo/ODK)",
    ),
}
TABLES = {
    "organization": "community_org",
    "council": "tambon_council",
    "project": "baan_mankong_project",
    "land_case": "land_case",
}


# Columns that are read but never stored (running numbers, remarks).
IGNORED = ("ลำดับ", "ลำดับที่", "ที่", "no", "#", "หมายเหตุ", "remark", "remarks", "note")


def header_key(text: object) -> str:
    """Comparison key of a column header: NFC, lower case, no unit in brackets, no spaces."""
    if text is None:
        return ""
    t = unicodedata.normalize("NFC", str(text)).strip().lower()
    t = re.sub(r"\((บาท|baht|ไร่|rai|คน|ครัวเรือน|พ\.?ศ\.?|ค\.?ศ\.?)\)", "", t)
    t = t.replace("\u0e4d\u0e32", "\u0e33")
    return re.sub(r"[\s.,;:()\[\]\\\-_'\"*]+", "", t)


def fields_for(kind: str) -> tuple[Field, ...]:
    """Every field of ``kind``: its own first, then the common place and location fields."""
    if kind not in KIND_FIELDS:
        raise KeyError(f"unknown kind {kind!r}; one of {', '.join(KINDS)}")
    own = KIND_FIELDS[kind]
    names = {f.name for f in own}  # a kind may name the record id its own way
    return own + tuple(f for f in COMMON if f.name not in names)


def alias_index(kind: str) -> dict[str, str]:
    """Header key -> field name for ``kind`` (the kind's own fields win a shared alias)."""
    index: dict[str, str] = {}
    for f in fields_for(kind):
        for alias in (f.name, *f.aliases):
            index.setdefault(header_key(alias), f.name)
    return index


def markdown() -> str:
    """The header alias table as Markdown (the content of ``docs/import-headers.md``)."""
    lines = [
        "# Import column headers (หัวคอลัมน์ที่นำเข้าได้)",
        "",
        "Generated from `data/importers/fields.py` by "
        "`python -m data.importers.fields > docs/import-headers.md`; a test checks it is current.",
        "",
        "Headers are matched ignoring case, spaces, punctuation and a unit in brackets "
        "(`เงินทุน (บาท)` = `เงินทุน`). A header row may sit below title rows and may be split "
        "over two merged rows (XLSX). Unknown columns are reported and ignored. Places are "
        "given by a tambon P-code (`TH100101` or `100101`), or by tambon/amphoe/province "
        "names (one column each, or one address column), or by a location (lat/lon, WKT, "
        "or the geometry of a GeoJSON/Shapefile/GeoPackage). Dates may be Buddhist era "
        "(15/03/2567, 2567-03-15, 15 มี.ค. 2567) or CE, or Excel date cells; they are stored "
        "as CE. Thai digits are accepted everywhere.",
        "",
    ]
    for kind in KINDS:
        th, en = KIND_NAMES[kind]
        lines += [
            f"## `{kind}`: {th} ({en}), table `{TABLES[kind]}`",
            "",
            "| field | meaning | type | required | headers accepted |",
            "| --- | --- | --- | --- | --- |",
        ]
        for f in fields_for(kind):
            aliases = ", ".join(f"`{a}`" for a in f.aliases)
            lines.append(
                f"| `{f.name}` | {f.label_th} / {f.label_en} | {f.type} | "
                f"{'yes' if f.required else ''} | {aliases} |"
            )
        enums = [f for f in KIND_FIELDS[kind] if f.type == "enum"]
        for f in enums:
            lines += [
                "",
                f"Values of `{f.name}`"
                + (f" (unknown labels become `{f.fallback}`)" if f.fallback else "")
                + ":",
                "",
            ]
            by_code: dict[str, list[str]] = {}
            for label, code in f.labels.items():
                by_code.setdefault(code, []).append(label)
            for code, labels in by_code.items():
                lines.append(f"- `{code}`: " + ", ".join(labels))
        lines.append("")
    lines += ["Columns ignored without a warning: " + ", ".join(f"`{c}`" for c in IGNORED), ""]
    return "\n".join(lines)


# Kinds defined in their own modules register themselves (data.importers.registry).
from data.importers import plan_kinds as _plan_kinds  # noqa: E402, F401

if __name__ == "__main__":
    # run as a script this file is ``__main__``; the kinds registered themselves into the
    # imported module, so print that module's table
    from data.importers import fields as _fields

    print(_fields.markdown(), end="")
