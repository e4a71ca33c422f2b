"""Building the matcher's answer: picking among the outcomes of all readings (see the
rules in :mod:`boundaries.matcher`), everyday province names, and the
:class:`~boundaries.match_results.MatchResult` with its candidates.

:class:`_Answering` is a part of :class:`boundaries.matcher.Gazetteer`.
"""

from __future__ import annotations

import dataclasses
import re

from boundaries.match_results import _PCODE_RE, Candidate, MatchResult, _Outcome
from boundaries.match_rules import (
    _RANK,
    COMBINED_ACCEPT,
    FUZZY_ACCEPT_SCOPED,
    FUZZY_MARGIN,
    MAX_CANDIDATES,
    MAX_TIED_CANDIDATES,
    _in_scope,
    _ranked,
)
from boundaries.names import LEVELS, is_thai, key_en, key_th, province_alias


class _Answering:
    """The answer from the readings' outcomes (a part of ``Gazetteer``)."""

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
