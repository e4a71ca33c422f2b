"""Thai place-name normalisation: the keys the gazetteer compares.

Everything here is a pure function of its input. The matcher (``boundaries.matcher``) builds
its indexes with :func:`key_th` and :func:`key_en` and splits user text with
:func:`strip_prefix`, so a name written as ``"จ. เชียง\u200bใหม่"``, ``"จังหวัดเชียงใหม่"``,
``"Chiang-Mai Province"`` or ``"chiangmai"`` lands on the same key as the boundary file's
``เชียงใหม่`` / ``Chiang Mai``.

Levels of the Thai administrative hierarchy, as used throughout ``boundaries``:

* ``"province"`` – จังหวัด (changwat); Bangkok (กรุงเทพมหานคร) counts as one.
* ``"amphoe"`` – อำเภอ (amphoe); เขต (khet) in Bangkok.
* ``"tambon"`` – ตำบล (tambon); แขวง (khwaeng) in Bangkok.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Literal

__all__ = [
    "BANGKOK_NAME_TH",
    "BANGKOK_PCODE",
    "LEVELS",
    "PROVINCE_ALIASES",
    "Level",
    "is_thai",
    "key_en",
    "key_th",
    "normalize_th",
    "province_alias",
    "strip_prefix",
]

Level = Literal["province", "amphoe", "tambon"]
LEVELS: tuple[Level, ...] = ("province", "amphoe", "tambon")

BANGKOK_PCODE = "TH10"
BANGKOK_NAME_TH = "กรุงเทพมหานคร"

# --- character-level clean-up ----------------------------------------------------------------

# Zero-width space/non-joiner/joiner, BOM, word joiner, soft hyphen: invisible, often pasted
# from web pages and word processors between Thai syllables.
_INVISIBLE_RE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
# SARA AM written as NIKHAHIT + SARA AA, possibly with a tone mark typed in between or before.
_DECOMPOSED_AM_RE = re.compile("\u0e4d([\u0e48-\u0e4b]?)\u0e32")
# SARA AM typed before the tone mark (น + ำ + ้): the tone mark belongs before SARA AM.
_AM_BEFORE_TONE_RE = re.compile("\u0e33([\u0e48-\u0e4b])")
# Two SARA E typed for one SARA AE (เเ instead of แ), a very common keyboard habit.
_DOUBLE_SARA_E = "\u0e40\u0e40"
_THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
# Punctuation that never distinguishes two places. PAIYANNOI (ฯ) only abbreviates
# (กรุงเทพฯ); MAI YAMOK (ๆ) repeats a word and is kept.
_PUNCT_RE = re.compile(r"[\.,;:()\[\]{}<>\"'`“”‘’/\\\-_–—|!?*#&+=~^%@ฯ]")
_SPACE_RE = re.compile(r"\s+")
_THAI_RE = re.compile("[\u0e01-\u0e5b]")


def _clean(text: str | None) -> str:
    """NFC, SARA AM and SARA AE repairs, invisible characters out, spaces collapsed.

    Punctuation is kept: :func:`strip_prefix` needs the dot in ``จ.`` and ``อ.``.
    """
    if not text:
        return ""
    text = unicodedata.normalize("NFC", str(text))
    text = _INVISIBLE_RE.sub("", text)
    text = _DECOMPOSED_AM_RE.sub("\\1\u0e33", text)
    text = _AM_BEFORE_TONE_RE.sub("\\1\u0e33", text)
    text = text.replace(_DOUBLE_SARA_E, "\u0e41")
    text = text.translate(_THAI_DIGITS)
    return _SPACE_RE.sub(" ", text).strip()


@lru_cache(maxsize=65536)
def normalize_th(text: str | None) -> str:
    """Normalise Thai (or mixed) text for comparison, keeping word spaces.

    * Unicode NFC;
    * ``"ํา"`` (U+0E4D U+0E32, also with a tone mark typed before or between) becomes
      ``"ำ"`` (U+0E33), and ``"ำ"`` typed before a tone mark is put after it;
    * ``"เเ"`` (two SARA E) becomes ``"แ"``;
    * zero-width characters (U+200B..U+200D, U+2060, U+FEFF) and the soft hyphen go;
    * Thai digits become ASCII digits;
    * punctuation (``. , ; : ( ) [ ] " ' / - _ ฯ`` ...) becomes a space;
    * runs of whitespace collapse to one space, ends are trimmed.

    >>> normalize_th("  เชียง\\u200bใหม่ ")
    'เชียงใหม่'
    >>> normalize_th("สุไหงโก-ลก")
    'สุไหงโก ลก'
    """
    text = _PUNCT_RE.sub(" ", _clean(text))
    return _SPACE_RE.sub(" ", text).strip()


@lru_cache(maxsize=65536)
def key_th(text: str | None) -> str:
    """Comparison key for a Thai name: :func:`normalize_th` without any space, lower-cased.

    >>> key_th("กรุงเทพ ฯ") == key_th("กรุงเทพ")
    True
    """
    return normalize_th(text).replace(" ", "").lower()


def is_thai(text: str | None) -> bool:
    """True when ``text`` contains at least one Thai character (U+0E01..U+0E5B)."""
    return bool(text) and _THAI_RE.search(str(text)) is not None


# --- romanisation key ------------------------------------------------------------------------

_VOWELS = "aeiou"
_CONSONANT = "[bcdfgjklmnpqrstvwxyz]"
# Ordered (pattern, replacement) folds applied by key_en, after lower-casing and removing
# everything but letters and digits. Each fold merges spellings that the Royal Thai General
# System (RTGS, used by the boundary file) and older or informal romanisations write
# differently for the same Thai sound.
_EN_FOLDS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), replacement)
    for pattern, replacement in (
        # ราช / ชะ: Ratcha, Racha, Raja, Radcha, Rajcha all become "racha".
        (r"[td]ch", "ch"),
        (r"jch", "ch"),
        (r"j", "ch"),
        # ศรี: Sri -> Si; สระ: Sra -> Sa.
        (r"sr", "s"),
        # Aspiration is written with h after a consonant in RTGS (ph, th, kh, ch) and often
        # dropped or written differently elsewhere (bh, dh): drop every h after a consonant.
        (rf"(?<={_CONSONANT})h", ""),
        # เ-ือ / อึ: Mueang, Meuang, Muang; Bueng, Beung, Bung.
        (r"uae", "ua"),
        (r"ue|eu", "u"),
        # เ-อ / เ-า: Chachoengsao, Chachengsao, Chacheongsao; แก้ว: Kaeo, Kaew.
        (r"ew(?![aeiou])", "eo"),
        (r"oe|eo", "e"),
        # เ-ีย: Chiang, Chieng.
        (r"ie", "ia"),
        # Long vowels written double: Phoo -> Phu, Ee -> I.
        (r"oo", "u"),
        (r"ee", "i"),
        # Final y after a vowel is i: Loey -> Loei, Chai / Chay.
        (rf"(?<=[{_VOWELS}])y(?![{_VOWELS}])", "i"),
        # Final consonants are unreleased: -b is -p, -d is -t (Prajuab, Prachuap; Ayudhya);
        # final ล and ร sound n (Sakol / Sakon, Nakorn / Nakhon, Udorn / Udon).
        (rf"b(?![{_VOWELS}]|$)|b$", "p"),
        (rf"d(?![{_VOWELS}]|$)|d$", "t"),
        (rf"(?<=[{_VOWELS}])[lr](?![{_VOWELS}y]|$)|(?<=[{_VOWELS}])[lr]$", "n"),
        (r"v", "w"),
        # Doubled letters (Ayutthaya, Phatthalung, Pattani) count once.
        (r"(.)\1+", r"\1"),
    )
)
_NON_ALNUM_RE = re.compile(r"[^a-z0-9]")


@lru_cache(maxsize=65536)
def key_en(text: str | None) -> str:
    """Comparison key for a romanised name, folding the common spelling variants.

    Lower-cases, strips accents, removes spaces, hyphens, apostrophes and dots, then
    applies these folds in order:

    1. ``tch``/``dch``/``jch`` -> ``ch`` and ``j`` -> ``ch`` (Ratcha, Racha, Raja);
    2. ``sr`` -> ``s`` (Sri -> Si, Sra -> Sa);
    3. ``h`` after a consonant is dropped (ph->p, th->t, kh->k, ch->c, bh->b, dh->d);
    4. vowels: ``uae`` -> ``ua``; ``ue``/``eu`` -> ``u``; final ``ew`` -> ``eo``;
       ``oe``/``eo`` -> ``e``; ``ie`` -> ``ia``; ``oo`` -> ``u``; ``ee`` -> ``i``;
       ``y`` closing a vowel -> ``i``;
    5. final consonants: ``b`` -> ``p``, ``d`` -> ``t``, ``l``/``r`` after a vowel and
       before a consonant or the end -> ``n``; ``v`` -> ``w``;
    6. doubled letters count once.

    So Mueang, Muang, Meuang and Muaeng all give ``"muang"``; Chachoengsao, Chachengsao
    and Chacheongsao give ``"cacengsao"``; Ubon Ratchathani and Ubon Rajathani give
    ``"ubonracatani"``; Nong Khai and Nongkhai give ``"nongkai"``.

    Folding merges a few names that RTGS keeps apart; the matcher treats names sharing a
    key as ambiguous, never as one place.
    """
    if not text:
        return ""
    text = unicodedata.normalize("NFKD", _clean(text)).lower()
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = _NON_ALNUM_RE.sub("", text)
    for pattern, replacement in _EN_FOLDS:
        text = pattern.sub(replacement, text)
    return text


# --- administrative prefixes -----------------------------------------------------------------

# Thai prefixes, longest first. A one-letter abbreviation needs its dot (or a space) so
# that จันทบุรี keeps its จ; whole words may run straight into the name (อำเภอเมือง).
_TH_PREFIXES: tuple[tuple[re.Pattern[str], Level], ...] = tuple(
    (re.compile(pattern), level)
    for pattern, level in (
        (r"^จังหวัด\s*", "province"),
        (r"^จว\.\s*", "province"),
        (r"^จ(?:\.\s*|\s+)", "province"),
        (r"^กิ่ง\s*อำเภอ\s*", "amphoe"),
        (r"^กิ่ง\s*อ(?:\.\s*|\s+)", "amphoe"),
        (r"^อำเภอ\s*", "amphoe"),
        (r"^อ(?:\.\s*|\s+)", "amphoe"),
        (r"^เขต\s*", "amphoe"),
        (r"^ตำบล\s*", "tambon"),
        (r"^ต(?:\.\s*|\s+)", "tambon"),
        (r"^แขวง\s*", "tambon"),
    )
)
# English words before the name. "Khet" and "Tambon" also end real names (Mai Khet, Sam
# Tambon), so only the generic English words are stripped after the name.
_EN_PREFIX_RE = re.compile(
    r"^(?P<word>changwat|province|king\s+amphoe|amphoe|amphur|amphoe|ampho|khet|"
    r"district|tambon|tambol|khwaeng|khwang|sub[\s\-]?district)(?:\s*[.:]\s*|\s+)",
    re.IGNORECASE,
)
_EN_SUFFIX_RE = re.compile(
    r"\s+(?P<word>province|sub[\s\-]?district|district)\s*\.?$",
    re.IGNORECASE,
)
# A level word after the name, in brackets ("เวียงแก่น(กิ่งอำเภอ)") or, for กิ่งอำเภอ (a
# former minor district), bare. Bare เขต/แขวง/ตำบล are not stripped: คลองนครเนื่องเขต.
_TH_SUFFIX_RE = re.compile(
    r"\s*(?:\(\s*(?P<word>กิ่งอำเภอ|อำเภอ|ตำบล|จังหวัด|เขต|แขวง)\s*\)|(?P<bare>กิ่งอำเภอ))$"
)
_TH_WORD_LEVEL: dict[str, Level] = {
    "กิ่งอำเภอ": "amphoe",
    "อำเภอ": "amphoe",
    "เขต": "amphoe",
    "ตำบล": "tambon",
    "แขวง": "tambon",
    "จังหวัด": "province",
}
_EN_WORD_LEVEL: dict[str, Level] = {
    "changwat": "province",
    "province": "province",
    "kingamphoe": "amphoe",
    "amphoe": "amphoe",
    "amphur": "amphoe",
    "ampho": "amphoe",
    "khet": "amphoe",
    "district": "amphoe",
    "tambon": "tambon",
    "tambol": "tambon",
    "khwaeng": "tambon",
    "khwang": "tambon",
    "subdistrict": "tambon",
}


def strip_prefix(text: str | None) -> tuple[Level | None, str]:
    """Remove one administrative prefix and return ``(level_hint, normalised_rest)``.

    Thai: ``จ.`` ``จว.`` ``จังหวัด`` -> province; ``อ.`` ``อำเภอ`` ``กิ่งอำเภอ`` ``กิ่งอ.``
    ``เขต`` -> amphoe; ``ต.`` ``ตำบล`` ``แขวง`` -> tambon. English (any case): ``Changwat``
    ``Province`` -> province; ``Amphoe`` ``Amphur`` ``King Amphoe`` ``Khet`` ``District`` ->
    amphoe; ``Tambon`` ``Tambol`` ``Khwaeng`` ``Sub-district`` ``Subdistrict`` -> tambon.
    ``Province``, ``District`` and ``Sub-district`` are also recognised after the name
    (``"Chiang Mai Province"``), and so is a Thai level word in brackets
    (``"เวียงแก่น(กิ่งอำเภอ)"``). Village words (บ้าน, หมู่) are part of names and stay.

    The rest is returned through :func:`normalize_th`. Without a prefix the hint is None.

    >>> strip_prefix("จ.เชียงใหม่")
    ('province', 'เชียงใหม่')
    >>> strip_prefix("Tha Than Sub-district")
    ('tambon', 'Tha Than')
    >>> strip_prefix("จันทบุรี")
    (None, 'จันทบุรี')
    """
    cleaned = _clean(text)
    match = _TH_SUFFIX_RE.search(cleaned)
    if match and match.start() > 0:
        return _TH_WORD_LEVEL[match.group("word") or match.group("bare")], normalize_th(
            cleaned[: match.start()]
        )
    for pattern, level in _TH_PREFIXES:
        match = pattern.match(cleaned)
        if match:
            return level, normalize_th(cleaned[match.end() :])
    match = _EN_PREFIX_RE.match(cleaned)
    if match:
        word = re.sub(r"[\s\-]", "", match.group("word").lower())
        return _EN_WORD_LEVEL[word], normalize_th(cleaned[match.end() :])
    match = _EN_SUFFIX_RE.search(cleaned)
    if match and match.start() > 0:
        word = re.sub(r"[\s\-]", "", match.group("word").lower())
        return _EN_WORD_LEVEL[word], normalize_th(cleaned[: match.start()])
    return None, normalize_th(cleaned)


# --- province aliases ------------------------------------------------------------------------

# Everyday names of provinces, by P-code: what people write instead of the official name
# (the short forms newspapers and road signs use). Keys are compared with key_th (Thai) or
# key_en (Latin). Several are also official names of a tambon (โคราช, ปากน้ำ, มหาชัย): the
# matcher then lists both and says the text is ambiguous.
PROVINCE_ALIASES: dict[str, tuple[str, ...]] = {
    BANGKOK_PCODE: (
        "กทม",
        "กรุงเทพ",
        "กรุงเทพฯ",
        "กรุงเทพมหานคร",
        "กรุงเทพพระมหานคร",
        "บางกอก",
        "Bangkok",
        "Bangkok Metropolis",
        "Krung Thep",
        "Krung Thep Maha Nakhon",
        "Krungthep Mahanakorn",
        "BKK",
    ),
    "TH11": ("ปากน้ำ",),
    "TH14": ("อยุธยา", "กรุงเก่า", "Ayutthaya", "Ayudhya"),
    "TH24": ("แปดริ้ว", "Paet Rio"),
    "TH25": ("ปราจีน",),
    "TH30": ("โคราช", "Korat", "Khorat"),
    "TH34": ("อุบล", "Ubon"),
    "TH41": ("อุดร", "Udon"),
    "TH60": ("ปากน้ำโพ",),
    "TH71": ("กาญจน์",),
    "TH72": ("สุพรรณ", "Suphan"),
    "TH74": ("มหาชัย",),
    "TH75": ("แม่กลอง", "Mae Klong"),
    "TH77": ("ประจวบ", "Prachuap"),
    "TH80": ("นครศรี", "นครศรีฯ", "Nakhon Si"),
    "TH84": ("สุราษฎร์", "Surat"),
}
_ALIAS_KEYS: dict[str, str] = {
    (key_th(alias) if is_thai(alias) else key_en(alias)): pcode
    for pcode, aliases in PROVINCE_ALIASES.items()
    for alias in aliases
}


@lru_cache(maxsize=65536)
def province_alias(text: str | None) -> str | None:
    """The P-code of the province an everyday name means, or None.

    กทม. กทม กรุงเทพ กรุงเทพฯ บางกอก Bangkok "Krung Thep" BKK (and spacing/case variants)
    give ``"TH10"``; โคราช and Korat ``"TH30"``, อยุธยา ``"TH14"`` (the table is
    :data:`PROVINCE_ALIASES`). An administrative prefix (``จ.``, ``Changwat``) in front is
    ignored.
    """
    _, rest = strip_prefix(text)
    if not rest:
        return None
    key = key_th(rest) if is_thai(rest) else key_en(rest)
    return _ALIAS_KEYS.get(key)
