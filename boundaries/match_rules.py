"""The numbers and small rules of the place-name matcher (:mod:`boundaries.matcher`): the
fuzzy score thresholds, candidate caps, and the helpers that check a level or area, rank
candidates and decide whether a place is in scope.

Split from :mod:`boundaries.matcher`, which re-exports the public constants.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from boundaries.match_results import _PCODE_LENGTH, _PCODE_RE, Place, _Outcome
from boundaries.names import LEVELS, key_en, key_th

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
