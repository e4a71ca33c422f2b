"""What the place-name matcher (:mod:`boundaries.matcher`) reads and answers: a
:class:`Place` of the gazetteer, a :class:`Candidate`, the :class:`MatchResult`, and the
internal outcome of one reading of the input."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from typing import Any

from boundaries.names import LEVELS

_PCODE_LENGTH: dict[str, int] = {"province": 4, "amphoe": 6, "tambon": 8}
_PCODE_RE = re.compile(r"^TH(?:\d{2}){1,3}$")


# --- public data classes ---------------------------------------------------------------------


@dataclass(frozen=True)
class Place:
    """One administrative area of the gazetteer.

    ``level`` is ``"province"`` (จังหวัด), ``"amphoe"`` (อำเภอ/เขต) or ``"tambon"``
    (ตำบล/แขวง). ``parent_pcode`` is the amphoe of a tambon, the province of an amphoe and
    None for a province; the P-code must extend it.
    """

    level: str
    pcode: str
    name_th: str
    name_en: str
    parent_pcode: str | None

    def __post_init__(self) -> None:
        if self.level not in _PCODE_LENGTH:
            raise ValueError(f"level must be one of {LEVELS}, got {self.level!r}")
        if not _PCODE_RE.match(self.pcode or "") or len(self.pcode) != _PCODE_LENGTH[self.level]:
            raise ValueError(f"pcode {self.pcode!r} is not a valid {self.level} P-code")
        expected_parent = None if self.level == "province" else self.pcode[:-2]
        if self.parent_pcode != expected_parent:
            raise ValueError(
                f"parent_pcode of {self.pcode} must be {expected_parent!r}, "
                f"got {self.parent_pcode!r}"
            )


@dataclass(frozen=True)
class Candidate:
    """A place the input may mean, with its score and a Thai path to tell it apart."""

    pcode: str
    level: str
    name_th: str
    name_en: str
    score: float
    path_th: str

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dictionary."""
        return asdict(self)


@dataclass(frozen=True)
class MatchResult:
    """The answer of :meth:`Gazetteer.match` and :meth:`Gazetteer.match_parts`.

    ``status``: ``"exact"`` (every part matched exactly, one place), ``"fuzzy"`` (accepted
    despite spelling differences), ``"ambiguous"`` (several places fit equally, or the parts
    disagree while naming real places: see the candidates), ``"unknown"`` (nothing close;
    the candidates, if any, are distant spellings). ``pcode`` and the names are set only
    when ``status`` is ``"exact"`` or ``"fuzzy"``.
    ``score`` is the best candidate's score (1 = exact), also when nothing was picked.
    ``candidates`` are ranked best first; they include the chosen place (first) and the
    alternatives: every exact tie, then at most :data:`MAX_CANDIDATES` in all.
    ``reason`` explains an ambiguous or unknown answer, or notes alternatives.
    """

    input: str
    pcode: str | None
    level: str | None
    name_th: str | None
    name_en: str | None
    score: float
    candidates: list[Candidate]
    status: str
    reason: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dictionary (candidates as dictionaries)."""
        return {
            "input": self.input,
            "pcode": self.pcode,
            "level": self.level,
            "name_th": self.name_th,
            "name_en": self.name_en,
            "score": self.score,
            "status": self.status,
            "reason": self.reason,
            "candidates": [candidate.to_dict() for candidate in self.candidates],
        }


# --- internal results ------------------------------------------------------------------------


@dataclass
class _Outcome:
    """How one reading of the input (parts assigned to levels) resolved."""

    level: str  # the most specific level asked for
    hits: dict[str, float]  # pcode -> score, at ``level``, agreeing with all parts
    problems: list[str] = field(default_factory=list)
    fallback: dict[str, float] = field(default_factory=dict)  # candidates when parts disagree
    matched_parts: int = 0

    @property
    def best(self) -> float:
        values = list(self.hits.values()) or list(self.fallback.values())
        return max(values, default=0.0)

    @property
    def all_exact(self) -> bool:
        return not self.problems and bool(self.hits) and all(s == 1.0 for s in self.hits.values())
