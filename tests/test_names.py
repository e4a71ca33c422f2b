"""Place-name normalisation (boundaries.names): Thai and English keys, prefixes, Unicode
variants and the everyday names of provinces. Tiny literal inputs; matching names to
P-codes against the real tambon file is in test_matcher.py."""

from __future__ import annotations

import pytest

from boundaries.names import (
    is_thai,
    key_en,
    key_th,
    normalize_th,
    province_alias,
    strip_prefix,
)

ZWSP = "\u200b"
NIKHAHIT_AA = "\u0e4d\u0e32"  # ํา, the two-character spelling of ำ


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("เชียงใหม่", "เชียงใหม่"),
        (f"  เชียง{ZWSP}ใหม่ ", "เชียงใหม่"),
        ("เชียง\u200cใหม่\ufeff", "เชียงใหม่"),
        ("เชียง\u00adใหม่\u2060", "เชียงใหม่"),
        ("ลําพูน".replace("ำ", NIKHAHIT_AA), "ลำพูน"),
        ("น\u0e49\u0e4d\u0e32พอง", "น้ำพอง"),  # tone mark typed before ํา
        ("น\u0e4d\u0e49\u0e32พอง", "น้ำพอง"),  # tone mark typed between ํ and า
        ("น\u0e33\u0e49พอง", "น้ำพอง"),  # ำ typed before the tone mark
        ("\u0e40\u0e40ม่ริม", "แม่ริม"),  # เเ for แ
        ("สุไหงโก-ลก", "สุไหงโก ลก"),
        ("จ.ป.ร.", "จ ป ร"),
        ("กรุงเทพฯ", "กรุงเทพ"),
        ("หมู่ ๓", "หมู่ 3"),
        ("a\t\n  b", "a b"),
        ("", ""),
        (None, ""),
    ],
)
def test_normalize_th(text, expected):
    assert normalize_th(text) == expected


def test_normalize_th_returns_nfc():
    decomposed = "e\u0301"  # é as e + combining acute
    assert normalize_th(decomposed) == "\u00e9"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("เชียง ใหม่", "เชียงใหม่"),
        ("สุไหงโก-ลก", "สุไหงโกลก"),
        (f"ท่า{ZWSP}ถ่าน", "ท่าถ่าน"),
        ("ABC", "abc"),
    ],
)
def test_key_th(text, expected):
    assert key_th(text) == expected


@pytest.mark.parametrize(
    "variants",
    [
        ["Mueang", "Muang", "Meuang", "Muaeng", "MUEANG", "mueang"],
        ["Chachoengsao", "Chachengsao", "Chacheongsao", "Cha-choeng-sao"],
        ["Phra Nakhon Si Ayutthaya", "Phra Nakhon Sri Ayutthaya", "Phranakhon Si Ayutthaya"],
        ["Nong Khai", "Nongkhai", "nong-khai", "Nong  Khai"],
        ["Ubon Ratchathani", "Ubon Rajathani", "Ubon Rachathani", "Ubonratchathani"],
        ["Chiang Mai", "chiang-mai", "Chiangmai", "Chieng Mai"],
        ["Nakhon Ratchasima", "Nakorn Ratchasima", "Nakhon Rajasima"],
        ["Sakon Nakhon", "Sakol Nakhon", "Sakonnakhon"],
        ["Sa Kaeo", "Sa Kaew", "Srakaew"],
        ["Udon Thani", "Udorn Thani", "Udonthani"],
        ["Prachuap Khiri Khan", "Prajuab Khiri Khan", "Prachuap Kiri Khan"],
        ["Phatthalung", "Patthalung", "Phattalung"],
        ["Bueng Kan", "Beung Kan", "Bung Kan"],
        ["Si Sa Ket", "Sisaket", "Srisaket"],
        ["Loei", "Loey"],
        ["Ban Mae O'Kaeo", "Ban Mae OKaeo", "ban mae o.kaeo"],
    ],
)
def test_key_en_folds_variants(variants):
    keys = {key_en(variant) for variant in variants}
    assert len(keys) == 1, keys


@pytest.mark.parametrize(
    ("left", "right"),
    [
        ("Chiang Mai", "Chiang Rai"),
        ("Nakhon Phanom", "Nakhon Pathom"),
        ("Samut Sakhon", "Samut Songkhram"),
        ("Lampang", "Lamphun"),
        ("Phetchaburi", "Phetchabun"),
    ],
)
def test_key_en_keeps_provinces_apart(left, right):
    assert key_en(left) != key_en(right)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("จ.เชียงใหม่", ("province", "เชียงใหม่")),
        ("จ. เชียงใหม่", ("province", "เชียงใหม่")),
        ("จังหวัดเชียงใหม่", ("province", "เชียงใหม่")),
        (f"  จังหวัด  เชียง{ZWSP}ใหม่ ", ("province", "เชียงใหม่")),
        ("จว.ขอนแก่น", ("province", "ขอนแก่น")),
        ("อ.เมือง", ("amphoe", "เมือง")),
        ("อำเภอเมือง", ("amphoe", "เมือง")),
        ("กิ่งอำเภอเกาะช้าง", ("amphoe", "เกาะช้าง")),
        ("กิ่งอ.ลำสนธิ", ("amphoe", "ลำสนธิ")),
        ("กิ่ง อ.เกาะช้าง", ("amphoe", "เกาะช้าง")),
        ("เขตบางรัก", ("amphoe", "บางรัก")),
        ("เวียงแก่น(กิ่งอำเภอ)", ("amphoe", "เวียงแก่น")),
        ("ต.ท่าถ่าน", ("tambon", "ท่าถ่าน")),
        ("ตำบล ท่าถ่าน", ("tambon", "ท่าถ่าน")),
        ("แขวงวังบูรพาภิรมย์", ("tambon", "วังบูรพาภิรมย์")),
        ("Changwat Chiang Mai", ("province", "Chiang Mai")),
        ("Chiang Mai Province", ("province", "Chiang Mai")),
        ("province: Chiang Mai", ("province", "Chiang Mai")),
        ("AMPHOE Mueang", ("amphoe", "Mueang")),
        ("Amphur Mueang", ("amphoe", "Mueang")),
        ("Khet Bang Rak", ("amphoe", "Bang Rak")),
        ("Mueang District", ("amphoe", "Mueang")),
        ("district Mueang", ("amphoe", "Mueang")),
        ("Tambon Tha Than", ("tambon", "Tha Than")),
        ("khwaeng Wang Burapha Phirom", ("tambon", "Wang Burapha Phirom")),
        ("Tha Than Sub-district", ("tambon", "Tha Than")),
        ("Tha Than Subdistrict", ("tambon", "Tha Than")),
        ("Sub-district Tha Than", ("tambon", "Tha Than")),
        # not prefixes: village words, names that start or end like one
        ("บ้านหนองบัว", (None, "บ้านหนองบัว")),
        ("หมู่ 3", (None, "หมู่ 3")),
        ("จันทบุรี", (None, "จันทบุรี")),
        ("อุดรธานี", (None, "อุดรธานี")),
        ("ตรัง", (None, "ตรัง")),
        ("คลองนครเนื่องเขต", (None, "คลองนครเนื่องเขต")),
        ("Mai Khet", (None, "Mai Khet")),
        ("Sam Tambon", (None, "Sam Tambon")),
    ],
)
def test_strip_prefix(text, expected):
    assert strip_prefix(text) == expected


@pytest.mark.parametrize(
    "alias",
    [
        "กทม.",
        "กทม",
        "กรุงเทพ",
        "กรุงเทพฯ",
        "กรุงเทพ ฯ",
        "กรุงเทพมหานคร",
        "จ.กรุงเทพฯ",
        "Bangkok",
        "BANGKOK",
        "Krung Thep",
        "krungthep",
        "BKK",
    ],
)
def test_province_alias_bangkok(alias):
    assert province_alias(alias) == "TH10"


@pytest.mark.parametrize("text", ["เชียงใหม่", "กทม.ส", "Bang Kok Noi", "", None])
def test_province_alias_others(text):
    assert province_alias(text) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [("เชียงใหม่", True), ("Chiang Mai 50", False), ("ต.", True), ("", False), (None, False)],
)
def test_is_thai(text, expected):
    assert is_thai(text) is expected
