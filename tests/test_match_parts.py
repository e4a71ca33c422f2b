"""Matching a tambon, amphoe and province given as separate columns (``match_parts``) and
matching in bulk against the real tambon file: 8,000 gazetteer triples and typed variants
generated from every tambon (issue 13)."""

from __future__ import annotations

import pytest

# --- match_parts -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("tambon", "amphoe", "province", "status", "pcode"),
    [
        ("ท่าถ่าน", "พนมสารคาม", "ฉะเชิงเทรา", "exact", "TH240606"),
        ("ต.ท่าถ่าน", "อ.พนมสารคาม", "จ.ฉะเชิงเทรา", "exact", "TH240606"),
        ("Tha Than", "Phanom Sarakham", "Chachoengsao", "exact", "TH240606"),
        ("ท่าถ่าน", None, "ฉะเชิงเทรา", "exact", "TH240606"),
        ("ท่าถ่าน", None, None, "exact", "TH240606"),
        (None, "พนมสารคาม", "ฉะเชิงเทรา", "exact", "TH2406"),
        (None, None, "ฉะเชิงเทรา", "exact", "TH24"),
        (None, None, "TH24", "exact", "TH24"),
        ("ในเมือง", "เมือง", "ขอนแก่น", "exact", "TH400101"),
        ("ในเมือง", "บ้านไผ่", "ขอนแก่น", "exact", "TH401002"),
        (None, "เมือง", "ประจวบคีรีขันธ์", "exact", "TH7701"),
        (None, "เวียงแก่น(กิ่งอำเภอ)", "เชียงราย", "exact", "TH5713"),
        (None, "กิ่ง อ.เกาะช้าง", "ตราด", "exact", "TH2307"),
        ("วังบูรพาภิรมย์", "พระนคร", "กรุงเทพมหานคร", "exact", "TH100102"),
        ("วังบูรพาภิรมย์", "พระนคร", "กทม.", "exact", "TH100102"),
        ("จ.ป.ร.", "กระบุรี", "ระนอง", "exact", "TH850406"),
        ("ท่าถาน", "พนมสารคาม", "ฉะเชิงเทรา", "fuzzy", "TH240606"),
        ("ท่าถ่าน", "พนมสาราม", "ฉะเชิงเทร", "fuzzy", "TH240606"),
        ("ทาถาน", "พนมสารคาม", "ฉะเชิงเทรา", "fuzzy", "TH240606"),
        # names shared inside the scope stay ambiguous
        ("ในเมือง", None, "ขอนแก่น", "ambiguous", None),
        ("ในเมือง", None, None, "ambiguous", None),
        (None, "เมือง", None, "ambiguous", None),
        # parts that disagree are not picked
        ("ท่าถ่าน", "เมืองฉะเชิงเทรา", "ฉะเชิงเทรา", "ambiguous", None),
        ("ท่าถ่าน", "พนมสารคาม", "ขอนแก่น", "ambiguous", None),
        ("ท่าถ่าน", "อ.ไม่มีจริง", "ฉะเชิงเทรา", "ambiguous", None),
        ("ไม่มีจริงเลย", "พนมสารคาม", "ฉะเชิงเทรา", "unknown", None),
        (None, "พนมสารคาม", "ขอนแก่น", "ambiguous", None),
        (None, None, None, "unknown", None),
        ("", "", "", "unknown", None),
    ],
)
def test_match_parts(gazetteer, tambon, amphoe, province, status, pcode):
    result = gazetteer.match_parts(tambon=tambon, amphoe=amphoe, province=province)
    assert (result.status, result.pcode) == (status, pcode)


def test_match_parts_lists_where_the_tambon_really_is(gazetteer):
    """A village file written before an amphoe split names the old amphoe: the tambon is
    not picked, and the candidate shows where a tambon of that name now is."""
    result = gazetteer.match_parts("ท่าถ่าน", "เมืองฉะเชิงเทรา", "ฉะเชิงเทรา")
    assert result.candidates[0].pcode == "TH240606"
    assert result.candidates[0].path_th == "ต.ท่าถ่าน อ.พนมสารคาม จ.ฉะเชิงเทรา"
    assert "อ.เมืองฉะเชิงเทรา" in result.reason


def test_match_parts_prefers_exact_name_next_door_over_close_spelling(gazetteer):
    """บ้านลาน (อ.บ้านไผ่) is one letter from บ้านหัน, but บ้านหัน exists in another amphoe of
    ขอนแก่น: a disagreement, not a spelling slip."""
    result = gazetteer.match_parts("บ้านหัน", "บ้านไผ่", "ขอนแก่น")
    assert (result.status, result.pcode) == ("ambiguous", None)
    assert "TH402503" in [c.pcode for c in result.candidates]


# --- bulk (time per name is measured by bench/bench_matcher.py, not here) ------------------


def test_match_parts_8000_triples(gazetteer, tambon_frame):
    triples = list(
        tambon_frame[["ADM3_TH", "ADM2_TH", "ADM1_TH"]].itertuples(index=False, name=None)
    )
    # 575 more that miss the exact dictionaries: Mueang written short, slips, romanised
    extra = tambon_frame.iloc[::12]
    triples += [
        (t[:-1] + "ะ", "เมือง" if a.startswith("เมือง") else a, p)
        for t, a, p in extra[["ADM3_TH", "ADM2_TH", "ADM1_TH"]].itertuples(index=False)
    ]
    triples = triples[:8000]
    assert len(triples) == 8000
    results = [gazetteer.match_parts(t, a, p) for t, a, p in triples]
    assert sum(r.status == "exact" for r in results[:7425]) >= 7420


# --- typed variants generated from the tambon table (issue 13) -------------------------------


def test_typed_variants_resolve_in_every_form(gazetteer, tambon_frame):
    """600 tambons (seeded sample) written with prefixes, with commas, and with spaces only,
    each exactly and with one random edit in the tambon name: at least 97% resolve to the
    right tambon in every form and none to another place (a less specific answer, the
    tambon's own amphoe, is not counted as right). bench/bench_matcher.py runs all 7,425."""
    from tests.matcher_variants import FORMS, score, variants

    rows = tambon_frame[["ADM3_PCODE", "ADM3_TH", "ADM2_PCODE", "ADM2_TH", "ADM1_TH"]]
    items = variants(rows.itertuples(index=False, name=None), sample=600, seed=13)
    tally = score(gazetteer, items)
    assert set(tally) == {(form, typo) for form in FORMS for typo in (False, True)}
    for (form, typo), counts in tally.items():
        total = sum(counts.values())
        assert total >= 550, (form, typo, counts)
        assert counts.get("wrong", 0) == 0, (form, typo, counts)
        assert counts.get("right", 0) / total >= 0.97, (form, typo, counts)
