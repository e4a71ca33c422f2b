"""Masking of contact details in typed text (data.privacy): a table of Thai and ASCII forms,
text that must stay as typed, the SQL function, and its use in exports, map popups and
report cards."""

from __future__ import annotations

import pytest

from data.privacy import contact_spans, mask_contacts, normalise, valid_national_id

# A Thai national ID number with its right check digit (computed, not copied): 1-1017-00230-70-?
_BASE = "110170023070"
_CHECK = (11 - sum(int(d) * (13 - i) for i, d in enumerate(_BASE)) % 11) % 10
NID = _BASE + str(_CHECK)
NID_WRONG = _BASE + str((_CHECK + 1) % 10)
THAI = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")

# (what a member typed, the part that must disappear)
MUST_MASK = [
    ("081-234-5678", "081-234-5678"),
    ("0812345678", "0812345678"),
    ("081 234 5678", "081 234 5678"),
    ("081.234.5678", "081.234.5678"),
    ("081/234/5678", "081/234/5678"),
    ("0 8 1 2 3 4 5 6 7 8", "0 8 1 2 3 4 5 6 7 8"),
    ("08-1234-5678", "08-1234-5678"),
    ("(081) 234-5678", "234-5678"),
    ("โทร ๐๘๑-๒๓๔-๕๖๗๘ ได้ทุกวัน", "๐๘๑-๒๓๔-๕๖๗๘"),
    ("เบอร์๐๘๑๒๓๔๕๖๗๘", "๐๘๑๒๓๔๕๖๗๘"),
    ("๐๘๑ ๒๓๔ ๕๖๗๘", "๐๘๑ ๒๓๔ ๕๖๗๘"),
    ("０８１－２３４－５６７８", "０８１－２３４－５６７８"),  # full-width digits and dash
    ("081–234–5678", "081–234–5678"),  # en dashes
    ("0812\u200b345\u200c678", "345"),  # zero-width characters inside
    ("02-123-4567", "02-123-4567"),  # Bangkok landline
    ("(02) 123 4567", "123 4567"),
    ("043 123 456", "043 123 456"),  # Khon Kaen landline
    ("+66 81 234 5678", "81 234 5678"),
    ("+66812345678", "812345678"),
    ("+66-2-123-4567", "2-123-4567"),
    ("66 81 234 5678", "81 234 5678"),
    ("+๖๖ ๘๑ ๒๓๔ ๕๖๗๘", "๘๑ ๒๓๔ ๕๖๗๘"),
    ("ติดต่อ 081-234-5678 หรือ 089 876 5432", "089 876 5432"),
    ("081 234 5678 089 876 5432", "089 876 5432"),
    ("somchai@gmail.com", "somchai@gmail.com"),
    ("Somchai.K+codi@Example.co.th", "Example.co.th"),
    ("somchai @ gmail.com", "gmail.com"),
    ("somchai＠gmail．com", "somchai"),
    ("somchai (at) gmail (dot) com", "gmail"),
    ("somchai(at)gmail.com", "gmail"),
    ("somchai [at] gmail [dot] com", "gmail"),
    ("somchai{at}gmail{dot}co{dot}th", "gmail"),
    ("somchai at gmail dot com", "gmail"),
    ("somchai AT gmail DOT com", "gmail"),
    ("name (at) gmail dot com", "gmail"),
    ("somchai at hotmail.co.th", "hotmail"),
    ("ส่งมาที่ somchai แอท gmail ดอท com", "gmail"),
    ("somchaiแอทgmailดอทcom", "gmail"),
    (f"บัตรประชาชน {NID}", NID),
    (f"{NID[0]}-{NID[1:5]}-{NID[5:10]}-{NID[10:12]}-{NID[12]}", NID[1:5]),
    (f"{NID[0]} {NID[1:5]} {NID[5:10]} {NID[10:12]} {NID[12]}", NID[5:10]),
    (f"เลขบัตร {NID.translate(THAI)}", NID.translate(THAI)),
]

# text that must come back exactly as typed
MUST_KEEP = [
    "ชุมชนริมคลองบางบัว",
    "ชุมชน ๑๒ หลังคาเรือน",
    "120 ครัวเรือน ปี 2567",
    "ที่ดิน 3-2-45 ไร่",
    "ปี ๒๕๖๗ น้ำท่วม ๓ ครั้ง",
    "ซอย 12/3 หมู่ 4",
    "look at this. ok",
    "we met at home",
    NID_WRONG,  # 13 digits, wrong check digit: not an ID number
    "ชุมชน 2566 1234",
    "",
]


@pytest.mark.parametrize(("typed", "secret"), MUST_MASK)
def test_contact_details_are_masked(typed, secret):
    masked = mask_contacts(typed)
    assert secret not in masked, (typed, masked)
    assert "***" in masked
    # nothing digit-like of the number survives in ASCII or Thai either
    assert secret not in normalise(masked)


@pytest.mark.parametrize("typed", MUST_KEEP)
def test_ordinary_text_is_kept_as_typed(typed):
    assert mask_contacts(typed) == typed
    assert contact_spans(typed) == []


def test_text_around_a_mask_is_kept_as_typed():
    assert mask_contacts("ชุมชน ๑๒ โทร ๐๘๑-๒๓๔-๕๖๗๘ นะ") == "ชุมชน ๑๒ โทร *** นะ"
    assert mask_contacts(None) is None


def test_national_id_check_digit():
    assert valid_national_id(NID)
    assert not valid_national_id(NID_WRONG)
    assert not valid_national_id("0" + NID[1:])  # no ID starts with 0
    assert not valid_national_id(NID[:12])


def test_sql_function_on_a_private_connection_only(con):
    import duckdb

    from data.privacy import mask_columns, register_sql

    scratch = duckdb.connect()
    try:
        register_sql(scratch)
        got = scratch.execute(
            "SELECT phang_mask('โทร ๐๘๑-๒๓๔-๕๖๗๘'), phang_mask(NULL), phang_mask('ชุมชน')"
        ).fetchone()
    finally:
        scratch.close()
    assert got == ("โทร ***", None, "ชุมชน")
    # the shared database connection never gets a Python function (see data.privacy): its
    # phang_mask is the SQL macro of migration 0009
    kinds = con.execute(
        "SELECT DISTINCT function_type FROM duckdb_functions() WHERE function_name = 'phang_mask'"
    ).fetchall()
    assert kinds == [("macro",)]
    frame = con.execute("SELECT 'a@b.co.th' AS name, 1 AS n").df()
    assert mask_columns(frame, "name", "missing")["name"].tolist() == ["***"]


@pytest.mark.parametrize(("typed", "secret"), MUST_MASK)
def test_sql_macro_masks_every_form_too(con, typed, secret):
    masked = con.execute("SELECT phang_mask(?)", [typed]).fetchone()[0]
    assert "***" in masked and normalise(secret) not in masked, (typed, masked)


def test_sql_macro_keeps_ordinary_text(con):
    for typed in MUST_KEEP:
        if typed != NID_WRONG:  # SQL cannot check the ID check digit: any 13 digits go
            assert con.execute("SELECT phang_mask(?)", [typed]).fetchone()[0] == normalise(typed)
    assert con.execute("SELECT phang_mask(NULL)").fetchone()[0] is None


def _typed_report(con, name: str) -> str:
    """A verified report whose community name holds a phone number; returns its tambon."""
    row = con.execute(
        "SELECT id, tambon_pcode FROM need_report WHERE status = 'verified' ORDER BY id LIMIT 1"
    ).fetchone()
    con.execute("UPDATE need_report SET community_name = ? WHERE id = ?", [name, row[0]])
    return row[1]


def test_map_popups_and_report_cards_mask_typed_names(con):
    from analysis.report_card import _needs
    from geo.layer_defs.need import VERIFIED, _rows
    from geo.layers import Scope

    typed = "ชุมชนทดสอบ โทร ๐๘๑-๒๓๔-๕๖๗๘ somchai (at) gmail dot com"
    tambon = _typed_report(con, typed)
    assert "phang_mask(r.community_name)" in VERIFIED  # the vector tiles' query too
    rows = _rows(con, Scope(tambon[:4]), "verified")
    names = set(rows["community_name"])
    assert "ชุมชนทดสอบ โทร *** ***" in names
    assert not any("๐๘๑" in n or "gmail" in n for n in names)
    card = _needs(con, tambon)
    assert "ชุมชนทดสอบ โทร *** ***" in set(card["community_name"])


def test_export_leaves_community_names_out_unless_asked_and_masks_them(con, tmp_path):
    import json

    from geo.export import ExportOptions, export_layer

    typed = "ชุมชนทดสอบ โทร ๐๘๑-๒๓๔-๕๖๗๘"
    _typed_report(con, typed)
    out = tmp_path / "n.geojson"
    result = export_layer(con, ExportOptions("need_reports"), out)
    first = json.loads(out.read_bytes())["features"][0]["properties"]
    assert "community_name" not in first and "description" not in first
    assert set(result.metadata["privacy"]["free_text_fields_left_out"]) == {
        "community_name",
        "description",
    }
    for fmt in ("geojson", "csv", "gpkg"):
        out = tmp_path / f"n.{fmt}"
        export_layer(con, ExportOptions("need_reports", fmt, include_free_text=True), out)
        blob = out.read_bytes()
        if fmt != "gpkg":
            assert "ชุมชนทดสอบ โทร ***".encode() in blob, fmt
        assert "๐๘๑-๒๓๔".encode() not in blob and b"081-234" not in blob, fmt
