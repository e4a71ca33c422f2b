"""Match Thai place names, as people write them, to COD-AB P-codes.

A :class:`Gazetteer` holds the provinces (จังหวัด), amphoe (อำเภอ/เขต) and tambons
(ตำบล/แขวง) of the boundary dataset and answers two questions:

* :meth:`Gazetteer.match` – free text: one name (``"ท่าถ่าน"``, ``"Ubon Rajathani"``), a
  P-code (``"TH240606"``) or a full address in any order (``"ต.ท่าถ่าน อ.พนมสารคาม
  จ.ฉะเชิงเทรา"``, ``"Tha Than, Phanom Sarakham, Chachoengsao"``);
* :meth:`Gazetteer.match_parts` – separate tambon / amphoe / province columns, as in the
  village file and CODI's spreadsheets.

Rules (the constants below hold the numbers):

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
"""

from __future__ import annotations

import dataclasses
import itertools
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from rapidfuzz import fuzz, process
from rapidfuzz.distance import Levenshtein

from boundaries.address_parts import ignored_note as _ignored_note
from boundaries.address_parts import segments as _segments
from boundaries.match_results import (
    _PCODE_LENGTH,
    _PCODE_RE,
    Candidate,
    MatchResult,
    Place,
    _Outcome,
)
from boundaries.names import (
    BANGKOK_PCODE,
    LEVELS,
    Level,
    is_thai,
    key_en,
    key_th,
    normalize_th,
    province_alias,
    strip_prefix,
)

__all__ = [
    "FUZZY_ACCEPT",
    "FUZZY_ACCEPT_CERTAIN",
    "FUZZY_ACCEPT_SCOPED",
    "FUZZY_FLOOR",
    "FUZZY_MARGIN",
    "STATUSES",
    "Candidate",
    "Gazetteer",
    "MatchResult",
    "Place",
]

#: Lowest fuzzy score (0..1) accepted when searching the whole country (or ``within``).
FUZZY_ACCEPT = 0.80
#: Lowest fuzzy score accepted among the children of an already matched parent.
FUZZY_ACCEPT_SCOPED = 0.67
#: Lowest fuzzy score accepted among the children of one certain parent.
FUZZY_ACCEPT_CERTAIN = 0.60
#: How far the best fuzzy answer must lead the next different place.
FUZZY_MARGIN = 0.05
#: Fuzzy hits below this score are not even listed as candidates.
FUZZY_FLOOR = 0.50
#: Lowest product of part scores accepted for an address of several parts.
COMBINED_ACCEPT = 0.60
#: Candidates listed beyond the exact ties.
MAX_CANDIDATES = 5
#: Cap on exact ties listed (อ.เมือง alone has 76).
MAX_TIED_CANDIDATES = 100

STATUSES = ("exact", "fuzzy", "ambiguous", "unknown")
_RANK: dict[str, int] = {level: rank for rank, level in enumerate(LEVELS)}
_LEVEL_OF_LENGTH = {length: level for level, length in _PCODE_LENGTH.items()}
_PCODE_LIKE_RE = re.compile(r"^\s*th\s*\d+\s*$", re.IGNORECASE)
# Shapefile text fields hold 50 bytes; a Thai character takes 3 in UTF-8.
_TRUNCATED_BYTES = range(46, 51)
_GENERIC_MUEANG = frozenset({key_th("เมือง"), key_en("Mueang")})
_MAX_TOKENS_FOR_SPLITS = 8


# --- the gazetteer ---------------------------------------------------------------------------


class Gazetteer:
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

    def _read_all(
        self,
        segments: Sequence[tuple[Level | None, str, str]],
        level: str | None,
        within: str | None,
    ) -> list[_Outcome]:
        """Every reading of the segments: as given, cut at spaces, and without prefixes."""
        parts = [(hint, name) for hint, name, _ in segments]
        outcomes = self._read(parts, level, within)
        if not any(outcome.all_exact for outcome in outcomes):
            outcomes += self._read_split(parts, level, within)
        if not any(outcome.all_exact for outcome in outcomes):
            # a spelling slip in one of several space-separated names
            outcomes += self._read_split(parts, level, within, slips=1)
        if not _resolved(outcomes):
            # A prefix may have been part of the name (จ.ป.ร. is a tambon): read it as such.
            unprefixed = [(None, whole) if hint else (None, name) for hint, name, whole in segments]
            if unprefixed != parts:
                read = self._read(unprefixed, level, within)
                outcomes += [outcome for outcome in read if outcome.all_exact]
        return outcomes

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

    # --- reading the input -------------------------------------------------------------------

    def _read(
        self, segments: Sequence[tuple[Level | None, str]], level: str | None, within: str | None
    ) -> list[_Outcome]:
        """Resolve every assignment of the unlabeled segments to the levels left free."""
        hinted = [hint for hint, _ in segments if hint is not None]
        if len(set(hinted)) < len(hinted):
            return []
        free = [lvl for lvl in LEVELS if lvl not in hinted]
        unlabeled = [i for i, (hint, _) in enumerate(segments) if hint is None]
        outcomes = []
        for assignment in itertools.permutations(free, len(unlabeled)):
            parts: dict[str, str] = {}
            for (hint, name), i in zip(segments, range(len(segments)), strict=True):
                parts[hint if hint is not None else assignment[unlabeled.index(i)]] = name
            target = max(parts, key=_RANK.__getitem__)
            if level is not None and target != level:
                continue
            outcomes.append(self._resolve_chain(parts, within))
        return outcomes

    def _read_split(
        self,
        segments: Sequence[tuple[Level | None, str]],
        level: str | None,
        within: str | None,
        slips: int = 0,
    ) -> list[_Outcome]:
        """Readings that cut space-separated segments into several names.

        Only cuts whose every piece but ``slips`` is some place's exact name are tried:
        romanised addresses without commas ("Tha Than Phanom Sarakham Chachoengsao"), Thai
        ones separated by spaces, and a prefix followed by more than its name ("เขตบางรัก
        กทม."). With ``slips=1`` one piece may be misspelt; at least one other piece must be
        exact, so the misspelt one is read among the children of a known place.
        """
        options: list[list[list[tuple[Level | None, str]]]] = []
        for hint, name in segments:
            tokens = name.split()
            cuts = [[(hint, name)]]
            if 1 < len(tokens) <= _MAX_TOKENS_FOR_SPLITS:
                for n_cuts in (1, 2):
                    for positions in itertools.combinations(range(1, len(tokens)), n_cuts):
                        bounds = (0, *positions, len(tokens))
                        pieces = [" ".join(tokens[a:b]) for a, b in itertools.pairwise(bounds)]
                        known = [self._is_some_name(piece, within) for piece in pieces]
                        if slips and any(
                            # Thai names hold no spaces: a misspelt one is a single word
                            is_thai(piece) and " " in piece
                            for piece, ok in zip(pieces, known, strict=True)
                            if not ok
                        ):
                            continue
                        exact = sum(known)
                        if exact >= len(pieces) - slips and (not slips or exact < len(pieces)):
                            # a prefix labels the first name after it only
                            cuts.append(
                                [
                                    (hint if i == 0 else None, piece)
                                    for i, piece in enumerate(pieces)
                                ]
                            )
            options.append(cuts)
        outcomes: list[_Outcome] = []
        for combination in itertools.product(*options):
            reading = [part for cut in combination for part in cut]
            if len(reading) == len(segments) or len(reading) > 3:
                continue
            outcomes += self._read(reading, level, within)
        return outcomes

    def _is_some_name(self, name: str, within: str | None) -> bool:
        return any(self._exact_hits(name, level, None, within) for level in LEVELS)

    # --- resolving one assignment ------------------------------------------------------------

    def _resolve_chain(self, parts: dict[str, str], within: str | None) -> _Outcome:
        """Resolve parts assigned to levels from the province down, each within the places
        that matched the level above (a beam of pcode -> score)."""
        target = max(parts, key=_RANK.__getitem__)
        beam: dict[str, float] | None = None
        outcome = _Outcome(level=target, hits={})
        for level in LEVELS:
            name = parts.get(level)
            if name is None:
                continue
            scope = tuple(beam) if beam is not None else None
            hits = self._find(name, level, scope, within)
            threshold = _threshold(name, scope)
            exact = {pcode: score for pcode, score in hits.items() if score == 1.0}
            kept = exact or {pcode: s for pcode, s in hits.items() if s >= threshold}
            if kept and not exact and scope is not None:
                # A close spelling under the parent while the exact name exists next door
                # (same province, or anywhere when the parent is a province) is a
                # disagreement, typically an amphoe split since the source was written.
                wider = tuple({pcode[:4] for pcode in scope}) if len(scope[0]) > 4 else None
                elsewhere = self._exact_hits(name, level, wider, within)
                if elsewhere:
                    outcome.problems.append(
                        self._disagreement(level, name, scope)
                        + f"; the name is in {self.path_th(next(iter(elsewhere)))}"
                    )
                    if level == target:
                        outcome.fallback = {**kept, **elsewhere}
                    continue
            if not kept:
                outcome.problems.append(self._disagreement(level, name, scope))
                if level == target:
                    outcome.fallback = self._elsewhere(name, level, within, hits)
                continue
            outcome.matched_parts += 1
            beam = {pcode: score * _parent_score(pcode, beam) for pcode, score in kept.items()}
        if beam is not None and outcome.fallback == {}:
            beam_level = self._places[next(iter(beam))].level
            if beam_level == target:
                if outcome.problems:
                    outcome.fallback = beam
                else:
                    outcome.hits = beam
        return outcome

    def _disagreement(self, level: str, name: str, scope: tuple[str, ...] | None) -> str:
        if scope is None:
            return f"no {level} matches {name!r}"
        where = ", ".join(self.path_th(pcode) for pcode in scope[:3])
        more = f" (+{len(scope) - 3})" if len(scope) > 3 else ""
        return f"no {level} {name!r} in {where}{more}"

    def _elsewhere(
        self, name: str, level: str, within: str | None, in_scope: dict[str, float]
    ) -> dict[str, float]:
        """Candidates for a part that did not fit its parent: places of that name anywhere
        (within ``within``), and the close spellings found under the parent."""
        found = dict(self._exact_hits(name, level, None, within))
        for pcode, score in in_scope.items():
            found.setdefault(pcode, score)
        if not found:
            found = self._fuzzy_hits(name, level, None, within)
        return found

    def _find(
        self, name: str, level: str, scope: tuple[str, ...] | None, within: str | None
    ) -> dict[str, float]:
        """Places of ``level`` under ``scope`` (P-codes) matching ``name``: exact hits with
        score 1, or else fuzzy hits above :data:`FUZZY_FLOOR`."""
        exact = self._exact_hits(name, level, scope, within)
        if exact:
            return exact
        return self._fuzzy_hits(name, level, scope, within)

    def _exact_hits(
        self, name: str, level: str, scope: tuple[str, ...] | None, within: str | None
    ) -> dict[str, float]:
        pcodes: list[str] = []
        if _PCODE_LIKE_RE.match(name):
            code = re.sub(r"\s", "", name).upper()
            if len(code) == _PCODE_LENGTH[level] and code in self._places:
                pcodes = [code]
        elif level == "province" and province_alias(name) in self._places:
            pcodes = [province_alias(name)]
        else:
            script = "th" if is_thai(name) else "en"
            key = key_th(name) if script == "th" else key_en(name)
            if level == "amphoe" and key in _GENERIC_MUEANG:
                parents = scope or tuple(self._mueang)
                pcodes = [self._mueang[p[:4]] for p in parents if p[:4] in self._mueang]
            pcodes = pcodes or list(self._exact[(script, level)].get(key, ()))
            if not pcodes and script == "th":
                for length in self._truncated_lengths:
                    if len(key) > length:
                        pcodes += self._truncated[level].get(key[:length], ())
        return {pcode: 1.0 for pcode in pcodes if _in_scope(pcode, scope, within)}

    def _fuzzy_hits(
        self, name: str, level: str, scope: tuple[str, ...] | None, within: str | None
    ) -> dict[str, float]:
        script = "th" if is_thai(name) else "en"
        key = key_th(name) if script == "th" else key_en(name)
        if not key:
            return {}
        choices = self._choices(script, level, scope, within)
        if not choices:
            return {}
        found = process.extract(
            key,
            list(choices),
            scorer=fuzz.ratio,
            limit=MAX_CANDIDATES * 2,
            score_cutoff=FUZZY_FLOOR * 100,
        )
        hits: dict[str, float] = {}
        one_letter = [choice for choice, _, _ in found if Levenshtein.distance(key, choice) == 1]
        best_one_letter = max((score for c, score, _ in found if c in one_letter), default=0)
        for choice, score, _ in found:
            # names one letter from the input are equally likely, whatever their lengths
            # (ห้วยราชธ: ห้วยราช and ห้วยราชา): the margin rule then refuses to choose
            if choice in one_letter:
                score = best_one_letter
            for pcode in choices[choice]:
                hits[pcode] = round(min(score / 100, 0.999), 3)
        return hits

    def _choices(
        self, script: str, level: str, scope: tuple[str, ...] | None, within: str | None
    ) -> dict[str, list[str]]:
        """Key -> pcodes of the places of ``level`` a fuzzy search may return."""
        if scope is None and within is None:
            return self._exact[(script, level)]
        cache_key = (script, level, ",".join(scope) if scope else f"within:{within}")
        cached = self._scoped_choices.get(cache_key)
        if cached is not None:
            return cached
        if scope is None:
            pcodes = [
                pcode
                for pcode in itertools.chain.from_iterable(self._exact[(script, level)].values())
                if _in_scope(pcode, None, within)
            ]
        else:
            pcodes = [
                pcode
                for parent in scope
                for pcode in self._under.get((parent, level), ())
                if _in_scope(pcode, None, within)
            ]
        choices: dict[str, list[str]] = defaultdict(list)
        index = 0 if script == "th" else 1
        for pcode in pcodes:
            choices[self._keys[pcode][index]].append(pcode)
        if len(self._scoped_choices) > 20000:
            self._scoped_choices.clear()
        self._scoped_choices[cache_key] = choices
        return choices

    # --- building the answer -----------------------------------------------------------------

    def _match_pcode(self, raw: str, level: str | None, within: str | None) -> MatchResult:
        code = re.sub(r"\s", "", raw).upper()
        place = self._places.get(code)
        if place is None:
            valid = _PCODE_RE.match(code) is not None
            return self._unknown(raw, f"{'unknown' if valid else 'invalid'} P-code {code}")
        if level is not None and place.level != level:
            return self._unknown(raw, f"{code} is a {place.level}, not a {level}")
        if not _in_scope(code, None, within):
            return self._unknown(raw, f"{code} is not within {within}")
        return self._answer(raw, place.pcode, 1.0, "exact", [(place.pcode, 1.0)], None)

    def _result(self, raw: str, outcomes: list[_Outcome], note: str | None = None) -> MatchResult:
        """Pick the answer from the outcomes of all readings (see the module rules); ``note``
        is added to the reason."""
        result = self._pick(raw, outcomes)
        if note:
            reason = f"{result.reason}; {note}" if result.reason else note
            result = dataclasses.replace(result, reason=reason)
        return result

    def _pick(self, raw: str, outcomes: list[_Outcome]) -> MatchResult:
        exact = [outcome for outcome in outcomes if outcome.all_exact]
        if exact:
            # the reading that places every part given answers at the deepest level given
            most = max(outcome.matched_parts for outcome in exact)
            exact = [outcome for outcome in exact if outcome.matched_parts == most]
            top_rank = min(_RANK[outcome.level] for outcome in exact)
            chosen = {
                pcode
                for outcome in exact
                if _RANK[outcome.level] == top_rank
                for pcode in outcome.hits
            }
            ranked = _ranked(
                [(pcode, 1.0) for pcode in chosen]
                + [(p, 1.0) for o in exact for p in o.hits if p not in chosen],
                self._places,
            )
            if len(chosen) == 1:
                others = len(ranked) - 1
                note = f"also matches {others} place(s) at lower levels" if others else None
                return self._answer(raw, ranked[0][0], 1.0, "exact", ranked, note)
            level = LEVELS[top_rank]
            return self._answer(
                raw, None, 1.0, "ambiguous", ranked, f"{len(chosen)} {level}s share this name"
            )

        agreeing = [outcome for outcome in outcomes if outcome.hits and not outcome.problems]
        if agreeing:
            # a reading that places more of the text wins over one that lumps names together
            most = max(outcome.matched_parts for outcome in agreeing)
            agreeing = [outcome for outcome in agreeing if outcome.matched_parts == most]
            merged: dict[str, float] = {}
            for outcome in agreeing:
                for pcode, score in outcome.hits.items():
                    merged[pcode] = max(score, merged.get(pcode, 0.0))
            ranked = self._same_name_tie(_ranked(merged.items(), self._places))
            best_pcode, best = ranked[0]
            runner_up = ranked[1][1] if len(ranked) > 1 else 0.0
            if best >= COMBINED_ACCEPT and best - runner_up >= FUZZY_MARGIN:
                return self._answer(raw, best_pcode, best, "fuzzy", ranked, None)
            reason = (
                f"no clear best: {ranked[0][1]:.2f} vs {runner_up:.2f}"
                if best >= COMBINED_ACCEPT
                else f"best score {best:.2f} is below {COMBINED_ACCEPT}"
            )
            return self._answer(raw, None, best, "ambiguous", ranked, reason)

        failed = max(outcomes, key=lambda o: (o.matched_parts, bool(o.fallback), o.best))
        ranked = _ranked(failed.fallback.items(), self._places)
        # ambiguous: real places the parts could mean; unknown: only distant spellings
        plausible = ranked and ranked[0][1] >= FUZZY_ACCEPT_SCOPED
        status = "ambiguous" if plausible else "unknown"
        reason = "; ".join(failed.problems) or "no match"
        return self._answer(raw, None, failed.best, status, ranked, reason)

    def _same_name_tie(self, ranked: list[tuple[str, float]]) -> list[tuple[str, float]]:
        """A slip that fits places of one name at several levels equally (กาฬสินธ์: the
        province กาฬสินธุ์ and its tambon) is read like the exact name: when one place of
        the highest level leads the tie, the others step back just behind the margin."""
        if len(ranked) < 2 or ranked[0][1] != ranked[1][1]:
            return ranked
        top = ranked[0][1]
        tied = [pcode for pcode, score in ranked if score == top]
        first = self._places[tied[0]]
        same_level = [p for p in tied if self._places[p].level == first.level]
        if len(same_level) > 1 or any(self._keys[p][0] != self._keys[first.pcode][0] for p in tied):
            return ranked
        behind = round(top - FUZZY_MARGIN - 0.001, 3)
        return [(p, behind if p in tied[1:] else score) for p, score in ranked]

    def _alias_answer(self, result: MatchResult, segments: list) -> MatchResult:
        """A single name that is a province's everyday name (โคราช for นครราชสีมา) and also
        some place's official name (the tambon โคราช) is ambiguous, with both listed; an
        everyday name that is nobody's official one answers its province, saying so."""
        if len(segments) != 1 or segments[0][0] not in (None, "province"):
            return result
        name = segments[0][1]
        alias = province_alias(name)
        if alias is None or alias not in self._places:
            return result
        script = "th" if is_thai(name) else "en"
        key = key_th(name) if script == "th" else key_en(name)
        official = [
            pcode
            for level in (LEVELS if segments[0][0] is None else ("province",))
            for pcode in self._exact[(script, level)].get(key, ())
            if pcode != alias
        ]
        province = self._places[alias]
        if key == self._keys[alias][0 if script == "th" else 1]:
            return result  # the official name itself
        note = f"{name!r} is an everyday name of {self.path_th(alias) or province.name_th}"
        if not official:
            return dataclasses.replace(result, reason=note)
        ranked = _ranked([(alias, 1.0)] + [(p, 1.0) for p in official], self._places)
        return self._answer(
            result.input,
            None,
            1.0,
            "ambiguous",
            ranked,
            f"{note} and the official name of {len(official)} other place(s)",
        )

    def _answer(
        self,
        raw: str,
        pcode: str | None,
        score: float,
        status: str,
        ranked: list[tuple[str, float]],
        reason: str | None,
    ) -> MatchResult:
        ties = sum(1 for _, s in ranked if ranked and s == ranked[0][1])
        limit = max(MAX_CANDIDATES, min(ties, MAX_TIED_CANDIDATES))
        candidates = [self._candidate(code, s) for code, s in ranked[:limit]]
        place = self._places.get(pcode) if pcode else None
        return MatchResult(
            input=raw,
            pcode=place.pcode if place else None,
            level=place.level if place else None,
            name_th=place.name_th if place else None,
            name_en=place.name_en if place else None,
            score=round(score, 3),
            candidates=candidates,
            status=status,
            reason=reason,
        )

    def _unknown(self, raw: str, reason: str) -> MatchResult:
        return MatchResult(raw, None, None, None, None, 0.0, [], "unknown", reason)

    def _candidate(self, pcode: str, score: float) -> Candidate:
        place = self._places[pcode]
        return Candidate(
            pcode=pcode,
            level=place.level,
            name_th=place.name_th,
            name_en=place.name_en,
            score=round(score, 3),
            path_th=self.path_th(pcode),
        )


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


def _check_level(level: str | None) -> str | None:
    if level is None:
        return None
    if isinstance(level, str) and level.strip().lower() in _RANK:
        return level.strip().lower()
    raise ValueError(f"level must be one of {LEVELS} or None, got {level!r}")


def _check_within(within: str | None) -> str | None:
    if within is None:
        return None
    code = re.sub(r"\s", "", str(within)).upper()
    if not _PCODE_RE.match(code):
        raise ValueError(f"within must be a P-code prefix such as 'TH24', got {within!r}")
    return code


def _in_scope(pcode: str, scope: tuple[str, ...] | None, within: str | None) -> bool:
    """A place is in scope when it lies under one of ``scope`` and is consistent with
    ``within`` (inside it, or one of its ancestors)."""
    if within is not None and not (pcode.startswith(within) or within.startswith(pcode)):
        return False
    return scope is None or any(pcode.startswith(parent) for parent in scope)


def _threshold(name: str, scope: tuple[str, ...] | None) -> float:
    """The lowest fuzzy score accepted for ``name``: :data:`FUZZY_ACCEPT` across the
    country, :data:`FUZZY_ACCEPT_SCOPED` among the children of matched parents, and
    :data:`FUZZY_ACCEPT_CERTAIN` under one certain parent, where one wrong letter in a short
    name (3 letters: 0.667) must still be found."""
    if scope is None:
        return FUZZY_ACCEPT
    return FUZZY_ACCEPT_CERTAIN if len(scope) == 1 else FUZZY_ACCEPT_SCOPED


def _parent_score(pcode: str, beam: dict[str, float] | None) -> float:
    if not beam:
        return 1.0
    for length in (6, 4):
        if pcode[:length] in beam:
            return beam[pcode[:length]]
    return 1.0


def _ranked(
    items: Iterable[tuple[str, float]], places: dict[str, Place]
) -> list[tuple[str, float]]:
    """Best score first, then higher level, then P-code: a stable, deterministic order."""
    best: dict[str, float] = {}
    for pcode, score in items:
        best[pcode] = max(score, best.get(pcode, 0.0))
    return sorted(best.items(), key=lambda item: (-item[1], _RANK[places[item[0]].level], item[0]))


def _resolved(outcomes: Iterable[_Outcome]) -> bool:
    return any(outcome.hits and not outcome.problems for outcome in outcomes)
