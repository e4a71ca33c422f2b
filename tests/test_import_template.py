"""Blank import templates: every header reads back as its own field, CSV and XLSX alike."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook

from data.importers.fields import KINDS, alias_index, header_key
from data.importers.template import LEFT_OUT, template, template_fields


@pytest.mark.parametrize("lang", ["th", "en"])
@pytest.mark.parametrize("kind", KINDS)
def test_template_headers_read_back_as_their_fields(kind, lang):
    cols = template_fields(kind, lang)
    index = alias_index(kind)
    assert cols and not {c["field"] for c in cols} & set(LEFT_OUT)
    for c in cols:
        assert index[header_key(c["header"])] == c["field"], c
    thai = [c["header"] for c in cols if any("\u0e00" <= ch <= "\u0e7f" for ch in c["header"])]
    if lang == "th":
        assert thai == [c["header"] for c in cols]  # a Thai template has Thai headers only
    else:
        assert not thai
    raw = template(kind, "csv", lang)
    assert raw.startswith(b"\xef\xbb\xbf")  # a BOM, so Excel opens the Thai right
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows == [[c["header"] for c in cols]]
    book = load_workbook(io.BytesIO(template(kind, "xlsx", lang)))
    sheet = book.active
    assert [cell.value for cell in sheet[1]] == rows[0] and sheet.max_row == 1


def test_template_refuses_unknown_kind_and_format():
    with pytest.raises(ValueError, match="kind"):
        template_fields("village")
    with pytest.raises(ValueError, match="fmt"):
        template("organization", "ods")
