"""Reading a typed address: every assignment of its parts to levels (as given, cut at
spaces, without prefixes), each resolved from the province down within the places that
matched the level above.

:class:`_Reading` is a part of :class:`boundaries.matcher.Gazetteer`.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

from boundaries.match_results import _Outcome
from boundaries.match_rules import (
    _MAX_TOKENS_FOR_SPLITS,
    _RANK,
    _parent_score,
    _resolved,
    _threshold,
)
from boundaries.names import LEVELS, Level, is_thai


class _Reading:
    """Readings of the input and their resolution (a part of ``Gazetteer``)."""

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
