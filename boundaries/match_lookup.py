"""Looking one name up in the gazetteer's indexes: exact keys first (with the Mueang
aliases and truncated names), else ``rapidfuzz`` among the places a search may return.

:class:`_Lookup` is a part of :class:`boundaries.matcher.Gazetteer`, which builds the
indexes these methods read.
"""

from __future__ import annotations

import itertools
import re
from collections import defaultdict

from rapidfuzz import fuzz, process
from rapidfuzz.distance import Levenshtein

from boundaries.match_results import _PCODE_LENGTH
from boundaries.match_rules import (
    _GENERIC_MUEANG,
    _PCODE_LIKE_RE,
    FUZZY_FLOOR,
    MAX_CANDIDATES,
    _in_scope,
)
from boundaries.names import is_thai, key_en, key_th, province_alias


class _Lookup:
    """Exact and fuzzy look-ups of one name at one level (a part of ``Gazetteer``)."""

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
