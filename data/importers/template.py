"""Blank import templates (แบบฟอร์มนำเข้า): one header row per kind, in Thai or English.

The headers are each field's own label (``Field.label_th`` / ``label_en``) when the importer
reads that label back as the same field, else the first alias that does; so a template
filled in and uploaded always maps every column. The location alternatives (one address
column, WKT shapes) are left out: a template names places by tambon, amphoe and province
(or a P-code) and points by latitude and longitude.
"""

from __future__ import annotations

import csv
import io
import re

from data.importers.fields import KIND_NAMES, KINDS, Field, alias_index, fields_for, header_key

#: fields a template leaves out (alternatives to the place and point columns it has)
LEFT_OUT = ("address", "wkt")
FORMATS = ("csv", "xlsx")


def _header(field: Field, kind: str, lang: str) -> str:
    index = alias_index(kind)
    label = field.label_th if lang == "th" else field.label_en
    if index.get(header_key(label)) == field.name:
        return label
    thai = [a for a in field.aliases if any("\u0e00" <= ch <= "\u0e7f" for ch in a)]
    latin = [a for a in field.aliases if a not in thai]
    for alias in (thai if lang == "th" else latin) + list(field.aliases):
        if index.get(header_key(alias)) == field.name:
            return alias
    return field.name


def template_fields(kind: str, lang: str = "th") -> list[dict]:
    """The columns of ``kind``'s template: ``field``, ``header``, ``meaning``, ``type``,
    ``required`` and the other accepted headers (``aliases``)."""
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {', '.join(KINDS)}, not {kind!r}")
    if lang not in ("th", "en"):
        raise ValueError(f"lang must be 'th' or 'en', not {lang!r}")
    out = []
    for f in fields_for(kind):
        if f.name in LEFT_OUT:
            continue
        out.append(
            {
                "field": f.name,
                "header": _header(f, kind, lang),
                "meaning": f.label_th if lang == "th" else f.label_en,
                "type": f.type,
                "required": f.required,
                "aliases": list(f.aliases),
            }
        )
    return out


def template(kind: str, fmt: str = "csv", lang: str = "th") -> bytes:
    """A blank template for ``kind``: CSV (UTF-8 with a BOM, so Excel reads the Thai) or XLSX."""
    if fmt not in FORMATS:
        raise ValueError(f"fmt must be one of {', '.join(FORMATS)}, not {fmt!r}")
    headers = [c["header"] for c in template_fields(kind, lang)]
    if fmt == "csv":
        buf = io.StringIO()
        csv.writer(buf).writerow(headers)
        return ("\ufeff" + buf.getvalue()).encode("utf-8")
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    th, en = KIND_NAMES[kind]
    sheet.title = re.sub(r"[\\/*?:\[\]]", " ", th if lang == "th" else en)[:31]
    sheet.append(headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for i, h in enumerate(headers, start=1):
        sheet.column_dimensions[_letter(i)].width = max(12, len(h) + 4)
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def file_name(kind: str, fmt: str, lang: str = "th") -> str:
    return f"template_{kind}_{lang}.{fmt}"


def _letter(i: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(i)
