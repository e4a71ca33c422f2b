"""The indicator catalogue: what can colour a map, rank a list or fill a report card.

An indicator is defined once, at tambon level, as an additive numerator and (optionally) a
denominator; its value for any area at any level (tambon, amphoe, province, cluster,
region) under any grouping is ``scale * sum(numerator) / sum(denominator)`` over the
tambons inside it. That keeps every level consistent with the tambons below it.

``tambon_sql`` is a DuckDB query returning columns ``pcode, num, den`` for tambons (missing
tambons count as zero; ``den`` may be omitted by setting ``has_denominator=False``). Other
modules add indicators by calling ``register`` in a module under ``analysis/indicators``;
they are found automatically, so pages never need editing when the catalogue grows.
"""

from __future__ import annotations

import importlib
import pkgutil
import sys
from dataclasses import dataclass
from functools import cache

import pandas as pd

LEVELS = ("region", "cluster", "province", "amphoe", "tambon")


@dataclass(frozen=True)
class Indicator:
    key: str
    name_th: str
    name_en: str
    unit_th: str
    unit_en: str
    definition_th: str
    definition_en: str
    tambon_sql: str
    has_denominator: bool = False
    scale: float = 1.0
    levels: tuple[str, ...] = LEVELS
    demo_fed: bool = False  # True when demo data feeds it (the UI says so)
    higher_is: str = "neutral"  # "better" | "worse" | "neutral": colour direction
    decimals: int = 1

    def name(self, lang: str = "th") -> str:
        return self.name_th if lang == "th" else self.name_en

    def unit(self, lang: str = "th") -> str:
        return self.unit_th if lang == "th" else self.unit_en

    def definition(self, lang: str = "th") -> str:
        return self.definition_th if lang == "th" else self.definition_en


_REGISTRY: dict[str, Indicator] = {}
_FAMILY: dict[str, str] = {}  # indicator key -> the module that registered it

# What a map opens with when its link names no indicator: every level has it, and it needs
# no community data, so a fresh database without demo rows still draws a meaningful map.
DEFAULT_INDICATOR = "unmet_need_households"


def register(indicator: Indicator) -> Indicator:
    if indicator.key in _REGISTRY and _REGISTRY[indicator.key] != indicator:
        raise ValueError(f"indicator {indicator.key!r} registered twice with different definitions")
    _REGISTRY[indicator.key] = indicator
    _FAMILY.setdefault(indicator.key, sys._getframe(1).f_globals.get("__name__", ""))
    return indicator


@cache
def _discover() -> None:
    import analysis.indicators

    for info in sorted(pkgutil.iter_modules(analysis.indicators.__path__), key=lambda m: m.name):
        importlib.import_module(f"analysis.indicators.{info.name}")


def catalogue() -> dict[str, Indicator]:
    """Every registered indicator, by key: families in module-name order (boundaries,
    community, need, planning, ...), each in its registration order. The order does not
    depend on which module some other code happened to import first."""
    _discover()
    position = {key: i for i, key in enumerate(_REGISTRY)}
    keys = sorted(_REGISTRY, key=lambda k: (_FAMILY.get(k, ""), position[k]))
    return {k: _REGISTRY[k] for k in keys}


def default_indicator(available: dict[str, Indicator]) -> str:
    """The indicator a view opens with: ``DEFAULT_INDICATOR`` when offered, else the first."""
    return DEFAULT_INDICATOR if DEFAULT_INDICATOR in available else next(iter(available))


def get(key: str) -> Indicator:
    indicators = catalogue()
    if key not in indicators:
        raise KeyError(f"unknown indicator {key!r}; known: {', '.join(indicators)}")
    return indicators[key]


def area_key_sql(level: str) -> str:
    """SQL expression giving the area code of a tambon row ``t`` at ``level``.

    Needs ``t`` (tambon), ``gp`` (grouping_province) and ``gc`` (grouping_cluster) joined
    as in ``tambon_areas_sql``.
    """
    return {
        "tambon": "t.pcode",
        "amphoe": "t.amphoe_pcode",
        "province": "t.province_pcode",
        "cluster": "gp.cluster_code",
        "region": "gc.region_code",
    }[level]


def tambon_areas_sql(level: str) -> str:
    """A FROM clause mapping each tambon to its area code at ``level`` (grouping ``$grouping``)."""
    if level not in LEVELS:
        raise ValueError(f"level must be one of {', '.join(LEVELS)}, not {level!r}")
    return f"""(SELECT t.pcode AS tambon_pcode, {area_key_sql(level)} AS area
               FROM tambon t
               JOIN grouping_province gp ON gp.province_pcode = t.province_pcode
                    AND gp.grouping = $grouping
               JOIN grouping_cluster gc ON gc.grouping = gp.grouping
                    AND gc.code = gp.cluster_code)"""


def compute(con, key: str, level: str, grouping: str, within: str | None = None) -> pd.DataFrame:
    """Values of indicator ``key`` for every area at ``level``: columns ``pcode, num, den, value``.

    ``within`` restricts to areas whose code starts with it (a P-code prefix for
    amphoe/tambon levels); cluster/region codes are matched exactly.
    """
    ind = get(key)
    if level not in ind.levels:
        raise ValueError(f"indicator {key!r} is not defined at level {level!r}")
    den = "sum(coalesce(v.den, 0))" if ind.has_denominator else "NULL"
    den_col = "den" if ind.has_denominator else "NULL AS den"
    sql = f"""
        WITH v AS (SELECT pcode, num, {den_col} FROM ({ind.tambon_sql}))
        SELECT a.area AS pcode, sum(coalesce(v.num, 0)) AS num, {den} AS den
        FROM {tambon_areas_sql(level)} a LEFT JOIN v ON v.pcode = a.tambon_pcode
        GROUP BY a.area ORDER BY a.area"""
    frame = con.execute(sql, {"grouping": grouping}).df()
    if within:
        frame = frame[frame["pcode"].astype(str).str.startswith(within)]
    if ind.has_denominator:
        den_values = frame["den"].where(frame["den"] != 0)
        frame["value"] = ind.scale * frame["num"] / den_values
    else:
        frame["value"] = ind.scale * frame["num"]
    return frame.reset_index(drop=True)
