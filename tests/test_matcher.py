"""Matching place names to P-codes (boundaries.matcher): exact, romanised, misspelt,
Mueang, addresses, shared names and arguments. Name normalisation is in test_names.py and
``match_parts`` with the bulk checks in test_match_parts.py.

These tests run against the real tambon file (OCHA COD-AB Thailand, 7,425 tambons) so
that every expected P-code, status and candidate count is a fact of the data, not of a
fixture written to agree with the code.
"""

from __future__ import annotations

import json

import pytest

from boundaries.matcher import Candidate, Gazetteer, MatchResult, Place

ZWSP = "\u200b"
NIKHAHIT_AA = "\u0e4d\u0e32"  # ํา, the two-character spelling of ำ


# --- Place and the constructors --------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("district", "TH2406", "พนมสารคาม", "Phanom Sarakham", "TH24"), "level"),
        (("amphoe", "TH24060", "พนมสารคาม", "Phanom Sarakham", "TH24"), "P-code"),
        (("amphoe", "TH2406", "พนมสารคาม", "Phanom Sarakham", "TH30"), "parent_pcode"),
        (("province", "TH24", "ฉะเชิงเทรา", "Chachoengsao", "TH"), "parent_pcode"),
    ],
)
def test_place_validates(args, message):
    with pytest.raises(ValueError, match=message):
        Place(*args)


def test_gazetteer_counts(gazetteer):
    levels = [gazetteer.place(code).level for code in ("TH24", "TH2406", "TH240606")]
    assert levels == ["province", "amphoe", "tambon"]
    assert len(gazetteer) == 77 + 928 + 7425
    assert len(gazetteer.children("TH24")) == 11
    assert gazetteer.place(" th240606 ").name_th == "ท่าถ่าน"
    assert gazetteer.place("TH999999") is None
    assert "TH240606" in gazetteer


def test_from_boundary_frame_names_missing_columns(tambon_frame):
    with pytest.raises(ValueError, match="ADM2_EN"):
        Gazetteer.from_boundary_frame(tambon_frame.drop(columns=["ADM2_EN"]))


def test_gazetteer_rejects_orphans():
    with pytest.raises(ValueError, match="no parent"):
        Gazetteer([Place("amphoe", "TH2406", "พนมสารคาม", "Phanom Sarakham", "TH24")])


def test_from_connection(tambon_frame):
    duckdb = pytest.importorskip("duckdb")
    rows = tambon_frame[tambon_frame["ADM1_PCODE"] == "TH24"]
    con = duckdb.connect()
    con.execute("CREATE TABLE province (pcode VARCHAR, name_th VARCHAR, name_en VARCHAR)")
    con.execute(
        "CREATE TABLE amphoe (pcode VARCHAR, province_pcode VARCHAR, name_th VARCHAR,"
        " name_en VARCHAR)"
    )
    con.execute(
        "CREATE TABLE tambon (pcode VARCHAR, amphoe_pcode VARCHAR, name_th VARCHAR,"
        " name_en VARCHAR)"
    )
    con.executemany(
        "INSERT INTO province VALUES (?, ?, ?)",
        rows[["ADM1_PCODE", "ADM1_TH", "ADM1_EN"]].drop_duplicates().values.tolist(),
    )
    con.executemany(
        "INSERT INTO amphoe VALUES (?, ?, ?, ?)",
        rows[["ADM2_PCODE", "ADM1_PCODE", "ADM2_TH", "ADM2_EN"]].drop_duplicates().values.tolist(),
    )
    con.executemany(
        "INSERT INTO tambon VALUES (?, ?, ?, ?)",
        rows[["ADM3_PCODE", "ADM2_PCODE", "ADM3_TH", "ADM3_EN"]].values.tolist(),
    )
    small = Gazetteer.from_connection(con)
    assert len(small) == 1 + 11 + len(rows)
    assert small.match("ต.ท่าถ่าน อ.พนมสารคาม").pcode == "TH240606"
    assert small.match("อ.เมือง").pcode == "TH2401"  # one province: one Mueang


# --- match: exact, prefixes, Unicode ---------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "pcode"),
    [
        ("ฉะเชิงเทรา", "TH24"),
        ("จ.ฉะเชิงเทรา", "TH24"),
        ("จังหวัดฉะเชิงเทรา", "TH24"),
        ("อ.พนมสารคาม", "TH2406"),
        ("อำเภอ พนมสารคาม", "TH2406"),
        ("ต.ท่าถ่าน", "TH240606"),
        ("ตำบลท่าถ่าน", "TH240606"),
        ("ท่าถ่าน", "TH240606"),
        (f"  จังหวัด  เชียง{ZWSP}ใหม่ ", "TH50"),
        (f"ท่า{ZWSP}ถ่าน", "TH240606"),
        ("ท่า ถ่าน", "TH240606"),
        ("ลำผักชี".replace("ำ", NIKHAHIT_AA), "TH100307"),
        ("แขวงลำผักชี".replace("ำ", NIKHAHIT_AA), "TH100307"),
        ("บางน้ำผึ้ง".replace("ำ", NIKHAHIT_AA), "TH110410"),
        ("กทม.", "TH10"),
        ("กรุงเทพฯ", "TH10"),
        ("Bangkok", "TH10"),
        ("BKK", "TH10"),
        ("เขตบางรัก", "TH1004"),
        ("แขวงวังบูรพาภิรมย์", "TH100102"),
        ("จ.ป.ร.", "TH850406"),  # a tambon whose name looks like a prefix
        ("ต.จ.ป.ร.", "TH850406"),
    ],
)
def test_match_exact(gazetteer, text, pcode):
    result = gazetteer.match(text)
    assert (result.status, result.pcode, result.score) == ("exact", pcode, 1.0)
    assert result.name_th == gazetteer.place(pcode).name_th
    assert result.candidates[0].pcode == pcode


@pytest.mark.parametrize(
    ("text", "pcode"),
    [
        ("chiang-mai", "TH50"),
        ("Chiang Mai", "TH50"),
        ("CHIANGMAI", "TH50"),
        ("Ubon Rajathani", "TH34"),
        ("Chachengsao", "TH24"),
        ("Nongkhai", "TH43"),
        ("Nakorn Ratchasima", "TH30"),
        ("Changwat Chachoengsao", "TH24"),
        ("Amphoe Phanom Sarakham", "TH2406"),
        ("Phanom Sarakham District", "TH2406"),
        ("Tambon Wang Burapha Phirom", "TH100102"),
        ("Muang Chachoengsao", "TH2401"),
        ("Meuang Chachoengsao", "TH2401"),
        ("Muaeng Chachengsao", "TH2401"),
        ("Khet Bang Rak", "TH1004"),
        ("Su-Ngai Kolok", "TH9610"),
        ("Sungai Kolok", "TH9610"),
    ],
)
def test_match_romanised(gazetteer, text, pcode):
    result = gazetteer.match(text)
    assert (result.status, result.pcode) == ("exact", pcode)


# --- match: P-codes --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "level", "within", "status", "pcode"),
    [
        ("TH240101", None, None, "exact", "TH240101"),
        ("th2401", None, None, "exact", "TH2401"),
        (" TH24 ", None, None, "exact", "TH24"),
        ("TH240606", "tambon", "TH24", "exact", "TH240606"),
        ("TH999999", None, None, "unknown", None),
        ("TH24012", None, None, "unknown", None),
        ("TH2", None, None, "unknown", None),
        ("TH240606", "amphoe", None, "unknown", None),
        ("TH240606", None, "TH40", "unknown", None),
    ],
)
def test_match_pcode(gazetteer, text, level, within, status, pcode):
    result = gazetteer.match(text, level=level, within=within)
    assert (result.status, result.pcode) == (status, pcode)
    if status == "unknown":
        assert result.reason


# --- match: misspellings ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "level", "pcode"),
    [
        # the seed's slips
        ("ประจวบคีรีขันธุ์", "province", "TH77"),
        ("กาฬสินธ์", "province", "TH46"),
        # a missing tone mark, a dropped letter, two letters off
        ("ท่าถาน", None, "TH240606"),
        ("ฉะเชิงเทร", "province", "TH24"),
        ("พนมสาคาม", "amphoe", "TH2406"),
        ("Chachoengsoa", "province", "TH24"),
        ("Chaing Mai", "province", "TH50"),
        ("Phra Nakhon Si Ayudhya", "province", "TH14"),
    ],
)
def test_match_fuzzy(gazetteer, text, level, pcode):
    result = gazetteer.match(text, level=level)
    assert (result.status, result.pcode) == ("fuzzy", pcode)
    assert 0.8 <= result.score < 1.0


def test_match_misspelt_province_reads_like_the_exact_name(gazetteer):
    """กาฬสินธ์ is as close to the province กาฬสินธุ์ as to the tambon of that name: like the
    exact name (which answers the province), the slip answers the province and lists the
    tambon after it."""
    exact = gazetteer.match("กาฬสินธุ์")
    result = gazetteer.match("กาฬสินธ์")
    assert (exact.status, exact.pcode) == ("exact", "TH46")
    assert (result.status, result.pcode) == ("fuzzy", "TH46")
    assert [c.pcode for c in result.candidates] == ["TH46", "TH460101"]


def test_match_fuzzy_tie_between_different_names_stays_ambiguous(gazetteer):
    """A slip one letter from two sibling tambons of different names is not guessed."""
    result = gazetteer.match("ฟู่ ปรางค์กู่ ศรีสะเกษ")
    assert (result.status, result.pcode) == ("ambiguous", None)
    assert len({c.name_th for c in result.candidates[:2]}) == 2


@pytest.mark.parametrize(
    ("text", "pcode"),
    [("อยุธยา", "TH14"), ("บางกอก", "TH10"), ("Korat", None), ("อุบล", "TH34")],
)
def test_match_everyday_province_names(gazetteer, text, pcode):
    """An everyday name answers its province and says so, unless it is also some place's
    official name (Khorat is a tambon's English name)."""
    result = gazetteer.match(text)
    assert result.pcode == pcode
    if pcode:
        assert result.status == "exact" and "everyday name" in result.reason
    else:
        assert result.status == "ambiguous"


def test_match_everyday_name_that_is_also_a_tambon_is_ambiguous(gazetteer):
    """โคราช is the everyday name of นครราชสีมา and the official name of a tambon in
    อ.สูงเนิน: both are listed, nothing is picked; with a prefix or a parent it resolves."""
    result = gazetteer.match("โคราช")
    assert (result.status, result.pcode) == ("ambiguous", None)
    assert {c.pcode for c in result.candidates} == {"TH30", "TH301803"}
    assert gazetteer.match("จ.โคราช").pcode == "TH30"
    assert gazetteer.match("ต.ในเมือง อ.เมือง จ.โคราช").pcode == "TH300101"
    assert gazetteer.match("โคราช สูงเนิน นครราชสีมา").pcode == "TH301803"


def test_match_full_address_answers_the_deepest_level(gazetteer):
    """Three names, written without prefixes and separated by spaces, answer the tambon
    even when the amphoe's name (truncated in the data) could swallow the province's."""
    result = gazetteer.match("ประจวบคีรีขันธ์ เมืองประจวบคีรีขันธ์ ประจวบคีรีขันธ์")
    assert (result.status, result.pcode) == ("exact", "TH770101")


@pytest.mark.parametrize("text", ["ไม่มีชื่อนี้เลยจริงๆ", "Xyzzy Plugh", "", "   ", "ต.", "12345"])
def test_match_unknown(gazetteer, text):
    result = gazetteer.match(text)
    assert (result.status, result.pcode) == ("unknown", None)


# --- match: Mueang ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "pcode"),
    [
        ("อ.เมือง จ.ขอนแก่น", "TH4001"),
        ("อำเภอเมือง จังหวัดขอนแก่น", "TH4001"),
        ("เมือง ขอนแก่น", "TH4001"),
        ("เมืองขอนแก่น", "TH4001"),
        ("Mueang, Khon Kaen", "TH4001"),
        ("Amphoe Muang Changwat Khon Kaen", "TH4001"),
        ("Muang Khon Kaen", "TH4001"),
        # data names cut at 50 bytes: เมืองประจวบคีรีข, เมืองสุราษฎร์ธาน
        ("เมืองประจวบคีรีขันธ์", "TH7701"),
        ("อ.เมือง จ.ประจวบคีรีขันธ์", "TH7701"),
        ("อำเภอเมืองสุราษฎร์ธานี", "TH8401"),
        # Ayutthaya's Mueang district is named after the province, without เมือง
        ("อ.เมือง จ.พระนครศรีอยุธยา", "TH1401"),
        ("อ.เมืองพระนครศรีอยุธยา", "TH1401"),
        # เมืองยาง is an ordinary name in นครราชสีมา, not its Mueang
        ("อ.เมืองยาง", "TH3027"),
    ],
)
def test_match_mueang(gazetteer, text, pcode):
    result = gazetteer.match(text)
    assert (result.status, result.pcode) == ("exact", pcode)


@pytest.mark.parametrize("text", ["อ.เมือง", "อำเภอเมือง", "Amphoe Mueang"])
def test_match_mueang_alone_is_ambiguous(gazetteer, text):
    result = gazetteer.match(text)
    assert (result.status, result.pcode) == ("ambiguous", None)
    assert len(result.candidates) == 76  # every province but Bangkok
    assert {c.level for c in result.candidates} == {"amphoe"}


def test_match_mueang_without_prefix_lists_tambons_too(gazetteer):
    result = gazetteer.match("เมือง")
    assert (result.status, result.pcode) == ("ambiguous", None)
    # 76 Mueang districts, then the 2 tambons named เมือง
    assert len(result.candidates) == 78
    assert [c.level for c in result.candidates[-2:]] == ["tambon", "tambon"]


# --- match: addresses ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "ต.ท่าถ่าน อ.พนมสารคาม จ.ฉะเชิงเทรา",
        "ตำบลท่าถ่าน อำเภอพนมสารคาม จังหวัดฉะเชิงเทรา",
        "จ.ฉะเชิงเทรา อ.พนมสารคาม ต.ท่าถ่าน",
        "ต.ท่าถ่านอ.พนมสารคามจ.ฉะเชิงเทรา",
        "ฉะเชิงเทรา พนมสารคาม ท่าถ่าน",
        "ท่าถ่าน, พนมสารคาม, ฉะเชิงเทรา",
        "พนมสารคาม ท่าถ่าน ฉะเชิงเทรา",
        "ต.ท่าถ่าน อ.พนมสารคาม จ.ฉะเชิงเทรา 24120",
        "ท่าถ่าน ฉะเชิงเทรา",
        "Tha Than, Phanom Sarakham, Chachoengsao",
        "Tha Than Phanom Sarakham Chachoengsao",
        "Chachoengsao Phanom Sarakham Tha Than",
        "Tambon Tha Than Amphoe Phanom Sarakham Changwat Chachoengsao",
        "Tha Than Sub-district, Phanom Sarakham District, Chachoengsao Province",
        "tha-than, phanom sarakham, chachengsao",
        "ต.ท่าถ่าน, Phanom Sarakham, Chachoengsao",
        "Tha Than, Phanom Sarakham, Chachoengsao, Thailand",
        "บ้านเลขที่ 12 หมู่ 3 ต.ท่าถ่าน อ.พนมสารคาม จ.ฉะเชิงเทรา",
        "บ้านหนองปลาไหล ต.ท่าถ่าน อ.พนมสารคาม จ.ฉะเชิงเทรา ประเทศไทย",
    ],
)
def test_match_address(gazetteer, text):
    result = gazetteer.match(text)
    assert (result.status, result.pcode, result.level) == ("exact", "TH240606", "tambon")


@pytest.mark.parametrize(
    ("text", "pcode", "status"),
    [
        ("อ.พนมสารคาม จ.ฉะเชิงเทรา", "TH2406", "exact"),
        ("ต.ในเมือง อ.เมือง จ.ขอนแก่น", "TH400101", "exact"),
        ("ในเมือง บ้านไผ่ ขอนแก่น", "TH401002", "exact"),
        ("Nai Mueang, Ban Phai, Khon Kaen", "TH401002", "exact"),
        ("แขวงวังบูรพาภิรมย์ เขตพระนคร กรุงเทพมหานคร", "TH100102", "exact"),
        ("Khwaeng Wang Burapha Phirom, Khet Phra Nakhon, Bangkok", "TH100102", "exact"),
        ("เขตบางรัก กทม.", "TH1004", "exact"),
        ("บางรัก กรุงเทพฯ", "TH1004", "exact"),
        ("เฉลิมพระเกียรติ จ.น่าน", "TH5515", "exact"),
        ("จอมทอง เชียงใหม่", "TH5002", "exact"),
        ("ต.ท่าถาน อ.พนมสารคาม จ.ฉะเชิงเทรา", "TH240606", "fuzzy"),
        ("ต.ท่าถ่าน อ.พนมสาคาม จ.ฉะเชิงเทรา", "TH240606", "fuzzy"),
    ],
)
def test_match_address_levels(gazetteer, text, pcode, status):
    result = gazetteer.match(text)
    assert (result.status, result.pcode) == (status, pcode)


@pytest.mark.parametrize(
    ("text", "expected_candidate"),
    [
        # ท่าถ่าน is in พนมสารคาม, not in เมืองฉะเชิงเทรา
        ("ต.ท่าถ่าน อ.เมืองฉะเชิงเทรา จ.ฉะเชิงเทรา", "TH240606"),
        ("Tha Than, Mueang Chachoengsao, Chachoengsao", "TH240606"),
        # พนมสารคาม is in ฉะเชิงเทรา, not in ขอนแก่น
        ("อ.พนมสารคาม จ.ขอนแก่น", "TH2406"),
        ("ต.ท่าถ่าน อ.พนมสารคาม จ.ขอนแก่น", "TH240606"),
        ("ต.ท่าถ่าน อ.ไม่มีอำเภอนี้ จ.ฉะเชิงเทรา", "TH240606"),
    ],
)
def test_match_address_parts_disagree(gazetteer, text, expected_candidate):
    result = gazetteer.match(text)
    assert result.pcode is None
    assert result.status in {"ambiguous", "unknown"}
    assert result.reason and "no " in result.reason
    if expected_candidate:
        assert result.status == "ambiguous"
        assert expected_candidate in [c.pcode for c in result.candidates]


# --- match: names shared by several places ---------------------------------------------------


def test_nai_mueang_is_never_guessed(gazetteer):
    result = gazetteer.match("ในเมือง")
    assert (result.status, result.pcode, result.level) == ("ambiguous", None, None)
    assert len(result.candidates) == 22
    assert {c.level for c in result.candidates} == {"tambon"}
    assert all(c.score == 1.0 for c in result.candidates)
    paths = [c.path_th for c in result.candidates]
    assert "ต.ในเมือง อ.เมืองขอนแก่น จ.ขอนแก่น" in paths
    assert len(set(paths)) == 22


@pytest.mark.parametrize(
    ("text", "level", "within", "status", "pcode", "n_candidates"),
    [
        ("ในเมือง", "tambon", None, "ambiguous", None, 22),
        ("Nai Mueang", "tambon", None, "ambiguous", None, 22),
        ("ในเมือง", None, "TH40", "ambiguous", None, 3),
        ("ในเมือง", None, "TH4001", "exact", "TH400101", 1),
        ("ต.ในเมือง จ.ขอนแก่น", None, None, "ambiguous", None, 3),
        ("หนองบัว", "tambon", None, "ambiguous", None, 28),
        ("เฉลิมพระเกียรติ", None, None, "ambiguous", None, 5),
        ("จอมทอง", "amphoe", None, "ambiguous", None, 2),
        ("ปากพนังฝั่งตะวันออก", None, None, "ambiguous", None, 2),  # cut at 16 letters
    ],
)
def test_shared_names(gazetteer, text, level, within, status, pcode, n_candidates):
    result = gazetteer.match(text, level=level, within=within)
    assert (result.status, result.pcode) == (status, pcode)
    assert len(result.candidates) == n_candidates


@pytest.mark.parametrize(
    ("text", "level", "pcode", "alternatives"),
    [
        # a province and a tambon of the same name: the province, exact, and the tambon noted
        ("ขอนแก่น", None, "TH40", ["TH450104"]),
        ("Khon Kaen", None, "TH40", ["TH450104"]),
        ("เชียงใหม่", None, "TH50", ["TH450802"]),
        ("พระนครศรีอยุธยา", None, "TH14", ["TH1401"]),
        # an amphoe and the tambons named like it: the amphoe
        ("หนองบัว", None, "TH6004", None),
        # the level hint decides
        ("ขอนแก่น", "tambon", "TH450104", []),
        ("ต.ขอนแก่น", None, "TH450104", []),
        ("จ.ขอนแก่น", None, "TH40", []),
        ("พระนครศรีอยุธยา", "amphoe", "TH1401", []),
    ],
)
def test_names_at_several_levels(gazetteer, text, level, pcode, alternatives):
    result = gazetteer.match(text, level=level)
    assert (result.status, result.pcode) == ("exact", pcode)
    others = [c.pcode for c in result.candidates[1:]]
    if alternatives is None:
        assert len(others) == 28  # the tambons named หนองบัว
    else:
        assert others == alternatives


# --- match: arguments ------------------------------------------------------------------------


def test_match_level_restricts(gazetteer):
    assert gazetteer.match("พนมสารคาม", level="amphoe").pcode == "TH2406"
    assert gazetteer.match("พนมสารคาม", level="tambon").pcode == "TH240603"
    assert gazetteer.match("จ.ขอนแก่น", level="tambon").status == "unknown"
    assert gazetteer.match("Wang Burapha Phirom", level="TAMBON").pcode == "TH100102"


def test_romanisation_folds_that_merge_names_stay_ambiguous(gazetteer):
    """th -> t makes Tha Than (ท่าถ่าน) and Tha Tan (ท่าตาล) one key: both are listed."""
    result = gazetteer.match("Tha Than")
    assert (result.status, result.pcode) == ("ambiguous", None)
    assert [c.pcode for c in result.candidates] == ["TH240606", "TH650505"]
    assert gazetteer.match("Tha Than, Chachoengsao").pcode == "TH240606"


def test_match_within_restricts(gazetteer):
    assert gazetteer.match("บ้านใหม่", within="TH2401").pcode == "TH240103"
    assert gazetteer.match("ท่าถ่าน", within="TH40").status == "unknown"
    # the province itself is consistent with a scope inside it
    assert gazetteer.match("ฉะเชิงเทรา", within="TH2406").pcode == "TH24"


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [({"level": "district"}, "level"), ({"within": "24"}, "within"), ({"within": "TH2"}, "within")],
)
def test_match_bad_arguments(gazetteer, kwargs, message):
    with pytest.raises(ValueError, match=message):
        gazetteer.match("ท่าถ่าน", **kwargs)


def test_result_to_dict_is_json(gazetteer):
    result = gazetteer.match("ในเมือง")
    data = json.loads(json.dumps(result.to_dict(), ensure_ascii=False))
    assert set(data) >= {"input", "pcode", "level", "name_th", "name_en", "score", "status"}
    assert data["status"] == "ambiguous"
    assert len(data["candidates"]) == 22
    assert set(data["candidates"][0]) == {
        "pcode",
        "level",
        "name_th",
        "name_en",
        "score",
        "path_th",
    }
    assert isinstance(result, MatchResult)
    assert isinstance(result.candidates[0], Candidate)


@pytest.mark.parametrize(
    ("pcode", "path"),
    [
        ("TH400101", "ต.ในเมือง อ.เมืองขอนแก่น จ.ขอนแก่น"),
        ("TH2406", "อ.พนมสารคาม จ.ฉะเชิงเทรา"),
        ("TH100102", "แขวงวังบูรพาภิรมย์ เขตพระนคร กรุงเทพมหานคร"),
        ("TH10", "กรุงเทพมหานคร"),
    ],
)
def test_path_th(gazetteer, pcode, path):
    assert gazetteer.path_th(pcode) == path
