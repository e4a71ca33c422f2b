"""Match Thai place names, as people write them, to COD-AB P-codes.

A :class:`Gazetteer` holds the provinces (จังหวัด), amphoe (อำเภอ/เขต) and tambons
(ตำบล/แขวง) of the boundary dataset and answers two questions:

* :meth:`Gazetteer.match` – free text: one name (``"ท่าถ่าน"``, ``"Ubon Rajathani"``), a
  P-code (``"TH240606"``) or a full address in any order (``"ต.ท่าถ่าน อ.พนมสารคาม
  จ.ฉะเชิงเทรา"``, ``"Tha Than, Phanom Sarakham, Chachoengsao"``);
* :meth:`Gazetteer.match_parts` – separate tambon / amphoe / province columns, as in the
  village file and CODI's spreadsheets.

Rules (the constants in :mod:`boundaries.match_rules` hold the numbers; the public ones
are importable from here too):

* Names are compared by key (:func:`boundaries.names.key_th` for Thai text,
  :func:`~boundaries.names.key_en` for romanised text) after administrative prefixes are
  removed. Exact key hits come from dictionaries; only on a miss does ``rapidfuzz``
  (``fuzz.ratio`` on the keys) look for spelling slips, restricted to the children of the
  parent already matched when there is one.
* A fuzzy hit is accepted when its score is at least :data:`FUZZY_ACCEPT` (whole country)
  or :data:`FUZZY_ACCEPT_SCOPED` (among the children of a matched parent), and the best
  answer leads the next different place by at least :data:`FUZZY_MARGIN`. Otherwise the
  result is ``"ambiguous"`` (or ``"unknown"``) with the candidates listed.
* A name shared by several places of one level (ในเมือง is 22 tambons) is never guessed:
  ``"ambiguous"`` with every place of that name as a candidate.
* When a single name with no prefix and no ``level`` matches exactly at several levels
  (ขอนแก่น is a province and a tambon), the highest level wins if exactly one place of that
  level has the name; the others are listed as candidates. If the highest level has the
  name more than once the result is ambiguous. A spelling slip that fits two levels
  equally (กาฬสินธ์: the province and a tambon) is ambiguous: give ``level`` to decide.
* Address parts must nest: the tambon inside the amphoe inside the province. When they do
  not, nothing is picked: the result is ``"ambiguous"`` when a candidate is a real place
  the part names (score at least :data:`FUZZY_ACCEPT_SCOPED`), ``"unknown"`` otherwise,
  and ``reason`` says which part disagrees. A close spelling under the given parent while
  the exact name exists in a neighbouring amphoe of the same province (or anywhere, when
  only the province is given) is such a disagreement, not a slip: village lists written
  before an amphoe split name the old amphoe.
* Several names in one unlabeled piece (``"ฉะเชิงเทรา พนมสารคาม ท่าถ่าน"``, ``"Tha Than
  Phanom Sarakham Chachoengsao"``) are cut at spaces where every piece is an exact name;
  every assignment of the pieces to levels is tried. When several readings resolve
  exactly, the least specific answer wins (as for a single name). House numbers, หมู่ and
  other text without a prefix are ignored when the prefixed parts resolve on their own;
  postcodes and "Thailand"/"ประเทศไทย" are always dropped.
* อ.เมือง / เมือง / Mueang / Muang at amphoe level is the Mueang district of the province
  given with it; alone it is ambiguous across all Mueang districts.
* Truncated names: the shapefile's 50-byte text fields cut 16-character Thai names
  (เมืองประจวบคีรีข). Such a name also matches any longer input that starts with it.

This module builds the gazetteer's indexes and holds the two entry points; the work is
done by parts beside it: :mod:`boundaries.match_reading` (reading the input into parts and
resolving them level by level), :mod:`boundaries.match_lookup` (exact and fuzzy look-ups
of one name) and :mod:`boundaries.match_answer` (picking the answer and its candidates).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from boundaries.address_parts import ignored_note as _ignored_note
from boundaries.address_parts import segments as _segments
from boundaries.match_answer import _Answering
from boundaries.match_lookup import _Lookup
from boundaries.match_reading import _Reading
from boundaries.match_results import Candidate, MatchResult, Place
from boundaries.match_rules import (
    _PCODE_LIKE_RE,
    _TRUNCATED_BYTES,
    COMBINED_ACCEPT,
    FUZZY_ACCEPT,
    FUZZY_ACCEPT_CERTAIN,
    FUZZY_ACCEPT_SCOPED,
    FUZZY_FLOOR,
    FUZZY_MARGIN,
    MAX_CANDIDATES,
    MAX_TIED_CANDIDATES,
    STATUSES,
    _check_level,
    _check_within,
    _resolved,
)
from boundaries.names import BANGKOK_PCODE, LEVELS, key_en, key_th, normalize_th, strip_prefix

__all__ = [
    "COMBINED_ACCEPT",
    "FUZZY_ACCEPT",
    "FUZZY_ACCEPT_CERTAIN",
    "FUZZY_ACCEPT_SCOPED",
    "FUZZY_FLOOR",
    "FUZZY_MARGIN",
    "MAX_CANDIDATES",
    "MAX_TIED_CANDIDATES",
    "STATUSES",
    "Candidate",
    "Gazetteer",
    "MatchResult",
    "Place",
]

# --- the gazetteer ---------------------------------------------------------------------------


class Gazetteer(_Answering, _Reading, _Lookup):
    """Provinces, amphoe and tambons with indexes for matching names to P-codes.

    Build it once (from the tambon boundary frame or the DuckDB tables) and reuse it: the
    indexes are built in the constructor, matching only reads them.
    """

    def __init__(self, places: Iterable[Place]) -> None:
        self._places: dict[str, Place] = {}
        for place in places:
            if not isinstance(place, Place):
                raise TypeError(f"places must hold Place objects, got {type(place).__name__}")
            self._places[place.pcode] = place
        self._children: dict[str, list[str]] = defaultdict(list)
        # (ancestor pcode, level) -> pcodes of that level under the ancestor
        self._under: dict[tuple[str, str], list[str]] = defaultdict(list)
        # (script, level) -> key -> pcodes; script is "th" or "en"
        self._exact: dict[tuple[str, str], dict[str, list[str]]] = defaultdict(
            lambda: defaultdict(list)
        )
        # level -> truncated Thai key -> pcodes, and the lengths of those keys
        self._truncated: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
        self._truncated_lengths: set[int] = set()
        self._mueang: dict[str, str] = {}  # province pcode -> its Mueang amphoe pcode
        self._keys: dict[str, tuple[str, str]] = {}
        self._scoped_choices: dict[tuple[str, str, str], dict[str, list[str]]] = {}

        for pcode in sorted(self._places):
            place = self._places[pcode]
            th, en = key_th(place.name_th), key_en(place.name_en)
            self._keys[pcode] = (th, en)
            if th:
                self._exact[("th", place.level)][th].append(pcode)
            if en:
                self._exact[("en", place.level)][en].append(pcode)
            if len(place.name_th.encode("utf-8")) in _TRUNCATED_BYTES and th:
                self._truncated[place.level][th].append(pcode)
                self._truncated_lengths.add(len(th))
            if place.parent_pcode is not None:
                if place.parent_pcode not in self._places:
                    raise ValueError(f"{pcode} has no parent {place.parent_pcode} in places")
                self._children[place.parent_pcode].append(pcode)
                for length in range(4, len(pcode), 2):
                    self._under[(pcode[:length], place.level)].append(pcode)
        for amphoe in self._places.values():
            if amphoe.level == "amphoe":
                self._register_mueang(amphoe)

    def frozen(self) -> Gazetteer:
        """This gazetteer with plain dictionaries (no default factories), as stored by
        :mod:`boundaries.gazetteer_store`; matching never adds keys to them."""
        self._children = dict(self._children)
        self._under = dict(self._under)
        self._exact = _Index({k: dict(v) for k, v in self._exact.items()})
        self._truncated = _Index({k: dict(v) for k, v in self._truncated.items()})
        self._scoped_choices = {}
        return self

    def _register_mueang(self, amphoe: Place) -> None:
        """Remember the Mueang district of a province: its name is เมือง + the province's
        (possibly truncated) or, without เมือง, the province's own name (อำเภอพระนคร-
        ศรีอยุธยา). Mueang Yang or Mueang Chan are ordinary names."""
        province = self._places[amphoe.parent_pcode or ""]
        for script, prefix in (("th", key_th("เมือง")), ("en", key_en("Mueang"))):
            amphoe_key = self._keys[amphoe.pcode][0 if script == "th" else 1]
            province_key = self._keys[province.pcode][0 if script == "th" else 1]
            rest = amphoe_key[len(prefix) :] if amphoe_key.startswith(prefix) else ""
            if (rest and province_key.startswith(rest)) or amphoe_key == province_key:
                self._mueang[province.pcode] = amphoe.pcode
                # "เมือง" + the full province name, also when the data name is truncated
                # or has no เมือง (อำเภอพระนครศรีอยุธยา)
                alias = prefix + province_key
                if amphoe.pcode not in self._exact[(script, "amphoe")].get(alias, ()):
                    self._exact[(script, "amphoe")][alias].append(amphoe.pcode)

    # --- constructors ------------------------------------------------------------------------

    @classmethod
    def from_boundary_frame(cls, df: Any) -> Gazetteer:
        """Build from a tambon (ADM3) table: a pandas/geopandas frame with the columns
        ADM3_PCODE, ADM3_TH, ADM3_EN, ADM2_PCODE, ADM2_TH, ADM2_EN, ADM1_PCODE, ADM1_TH,
        ADM1_EN (one row per tambon; read the shapefile with ``encoding="utf-8"``)."""
        columns = [f"ADM{n}_{field}" for n in (3, 2, 1) for field in ("PCODE", "TH", "EN")]
        missing = [column for column in columns if column not in getattr(df, "columns", ())]
        if missing:
            raise ValueError(f"df lacks the boundary columns {missing}")
        places: dict[str, Place] = {}
        rows = zip(*(df[column].tolist() for column in columns), strict=True)
        for t_code, t_th, t_en, a_code, a_th, a_en, p_code, p_th, p_en in rows:
            if p_code not in places:
                places[p_code] = Place("province", p_code, _text(p_th), _text(p_en), None)
            if a_code not in places:
                places[a_code] = Place("amphoe", a_code, _text(a_th), _text(a_en), p_code)
            places[t_code] = Place("tambon", t_code, _text(t_th), _text(t_en), a_code)
        return cls(places.values())

    @classmethod
    def from_connection(cls, con: Any) -> Gazetteer:
        """Build from a DuckDB connection holding the tables ``province(pcode, name_th,
        name_en)``, ``amphoe(pcode, province_pcode, name_th, name_en)`` and
        ``tambon(pcode, amphoe_pcode, name_th, name_en)``."""
        queries = (
            ("province", "SELECT pcode, NULL, name_th, name_en FROM province"),
            ("amphoe", "SELECT pcode, province_pcode, name_th, name_en FROM amphoe"),
            ("tambon", "SELECT pcode, amphoe_pcode, name_th, name_en FROM tambon"),
        )
        places = [
            Place(level, pcode, _text(name_th), _text(name_en), parent)
            for level, sql in queries
            for pcode, parent, name_th, name_en in con.execute(sql).fetchall()
        ]
        return cls(places)

    # --- look-ups ----------------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self._places)

    def __contains__(self, pcode: object) -> bool:
        return isinstance(pcode, str) and pcode.strip().upper() in self._places

    def place(self, pcode: str) -> Place | None:
        """The place with this P-code (any case, spaces ignored), or None."""
        if not isinstance(pcode, str):
            return None
        return self._places.get(pcode.strip().upper())

    def children(self, pcode: str) -> list[Place]:
        """The amphoe of a province or the tambons of an amphoe, by P-code."""
        return [self._places[child] for child in self._children.get(pcode.strip().upper(), [])]

    def path_th(self, pcode: str) -> str:
        """Thai path of a place, e.g. ``"ต.ในเมือง อ.เมืองขอนแก่น จ.ขอนแก่น"`` (แขวง/เขต and
        no จ. in Bangkok)."""
        parts = []
        place = self.place(pcode)
        while place is not None:
            bangkok = place.pcode.startswith(BANGKOK_PCODE)
            prefix = {
                "tambon": "แขวง" if bangkok else "ต.",
                "amphoe": "เขต" if bangkok else "อ.",
                "province": "" if bangkok else "จ.",
            }[place.level]
            parts.append(prefix + place.name_th)
            place = self._places.get(place.parent_pcode or "")
        return " ".join(parts)

    # --- matching ----------------------------------------------------------------------------

    def match(self, text: str, level: str | None = None, within: str | None = None) -> MatchResult:
        """Match free text to one place.

        ``text`` is a name, a P-code or an address of up to three parts (tambon, amphoe,
        province) in any order, with or without prefixes, separated by spaces or commas.
        ``level`` (``"province"``, ``"amphoe"``, ``"tambon"``) is the level the answer must
        have. ``within`` is a P-code prefix (``"TH24"``) limiting the search to that area.
        The answer names the most specific level the text gives.
        """
        level = _check_level(level)
        within = _check_within(within)
        raw = "" if text is None else str(text)
        if _PCODE_LIKE_RE.match(raw):
            return self._match_pcode(raw, level, within)
        segments = _segments(raw)
        if not segments:
            return self._unknown(raw, "empty input")
        labeled = [segment for segment in segments if segment[0] is not None]
        note = None
        if len(segments) > 3 and 0 < len(labeled) <= 3:
            # house number, หมู่, road...: keep the parts that carry an admin prefix
            note = _ignored_note(segments, labeled)
            segments = labeled
        if len(segments) > 3:
            return self._unknown(raw, f"{len(segments)} parts; an address has at most three")

        outcomes = self._read_all(segments, level, within)
        if labeled and len(labeled) < len(segments) and not _resolved(outcomes):
            # unlabeled text beside prefixed parts may be noise (บ้านเลขที่, a village name)
            only = [o for o in self._read_all(labeled, level, within) if o.hits and not o.problems]
            if only:
                outcomes, note = only, _ignored_note(segments, labeled)
        if not outcomes:
            return self._unknown(raw, "the parts do not fit the levels asked for")
        result = self._result(raw, outcomes, note)
        if level in (None, "province"):
            result = self._alias_answer(result, segments)
        return result

    def match_parts(
        self,
        tambon: str | None = None,
        amphoe: str | None = None,
        province: str | None = None,
    ) -> MatchResult:
        """Match separate tambon / amphoe / province fields to the most specific one given.

        The parts must agree (tambon inside amphoe inside province); prefixes are removed
        and ignored. ``amphoe="เมือง"`` means the Mueang district of ``province``.
        """
        given = {"province": province, "amphoe": amphoe, "tambon": tambon}
        parts: dict[str, str] = {}
        for level, value in given.items():
            if value is None:
                continue
            hint, name = strip_prefix(str(value))
            whole = normalize_th(str(value))
            if hint is not None and not self._exact_hits(name, level, None, None):
                # the "prefix" may belong to the name (the tambon จ.ป.ร.)
                name = whole if self._exact_hits(whole, level, None, None) else name
            if name:
                parts[level] = name
        label = " / ".join(f"{level}={given[level]}" for level in LEVELS[::-1] if given[level])
        if not parts:
            return self._unknown(label, "no part given")
        return self._result(label, [self._resolve_chain(parts, None)])


class _Index(dict):
    """A dictionary of dictionaries that answers an empty one for a missing key (as the
    ``defaultdict`` it replaces when stored) without adding it."""

    def __missing__(self, key):
        return {}


# --- helpers ---------------------------------------------------------------------------------


def _text(value: Any) -> str:
    """A name from a data frame or database row; missing values become ""."""
    if value is None or value != value:  # None or NaN
        return ""
    return str(value).strip()
