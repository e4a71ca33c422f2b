"""Classes for choropleth maps: quantiles and natural breaks (Jenks), and their colours.

``classify(values, method, k)`` returns a :class:`Classes`: the break values (``k + 1``
edges from the minimum to the maximum), the class of every value (``-1`` for a missing
value) and a colour per class. Ties and few distinct values give fewer classes rather
than empty ones, so the legend never lists a class no area has.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

import numpy as np


class Method(StrEnum):
    """How values are cut into classes; accepts any case (``Method("Quantiles")``)."""

    QUANTILES = "quantiles"
    NATURAL_BREAKS = "natural_breaks"

    @classmethod
    def _missing_(cls, value: object) -> Method:
        text = str(value).strip().lower().replace(" ", "_").replace("-", "_")
        for member in cls:
            if member.value == text or (text == "jenks" and member is cls.NATURAL_BREAKS):
                return member
        raise ValueError(
            f"classification method must be one of {', '.join(m.value for m in cls)}, not {value!r}"
        )


# Colour ramps (ColorBrewer, light to dark) for 1 to 7 classes, by what a high value means.
_RAMPS = {
    "neutral": ["#eff3ff", "#c6dbef", "#9ecae1", "#6baed6", "#4292c6", "#2171b5", "#084594"],
    "worse": ["#fee5d9", "#fcbba1", "#fc9272", "#fb6a4a", "#ef3b2c", "#cb181d", "#99000d"],
    "better": ["#edf8e9", "#c7e9c0", "#a1d99b", "#74c476", "#41ab5d", "#238b45", "#005a32"],
}
NO_DATA_COLOR = "#d9d9d9"
MAX_CLASSES = 7


@dataclass(frozen=True)
class Classes:
    """The result of a classification."""

    method: Method
    breaks: tuple[float, ...]  # k + 1 increasing edges; class i is [breaks[i], breaks[i+1]]
    labels: tuple[int, ...]  # class index per value, -1 when the value is missing
    colors: tuple[str, ...]  # one colour per class
    exact: bool = False  # few distinct values: class i holds only the value breaks[i + 1]

    @property
    def k(self) -> int:
        return len(self.colors)

    def counts(self) -> list[int]:
        """How many values fall in each class."""
        arr = np.asarray(self.labels)
        return [int((arr == i).sum()) for i in range(self.k)]


def palette(k: int, higher_is: str = "neutral") -> list[str]:
    """``k`` colours from light to dark for an indicator whose high values are ``higher_is``."""
    if not 1 <= k <= MAX_CLASSES:
        raise ValueError(f"k must be between 1 and {MAX_CLASSES}, not {k}")
    ramp = _RAMPS.get(higher_is, _RAMPS["neutral"])
    if k == 1:
        return [ramp[3]]
    idx = np.linspace(0, len(ramp) - 1, k).round().astype(int)
    return [ramp[i] for i in idx]


def classify(
    values: Sequence[float | None],
    method: str | Method = Method.QUANTILES,
    k: int = 5,
    higher_is: str = "neutral",
) -> Classes:
    """Cut ``values`` into at most ``k`` classes by ``method``.

    Missing values (None, NaN) get class -1 and take no part in the breaks. With no
    values at all the result has no classes.
    """
    method = Method(method)
    if not isinstance(k, int) or not 1 <= k <= MAX_CLASSES:
        raise ValueError(f"k must be an integer between 1 and {MAX_CLASSES}, not {k!r}")
    arr = np.array([np.nan if v is None else float(v) for v in values], dtype=float)
    arr[~np.isfinite(arr)] = np.nan
    present = arr[~np.isnan(arr)]
    if present.size == 0:
        return Classes(method, (), tuple([-1] * len(arr)), ())
    distinct = np.unique(present)
    exact = distinct.size <= k
    if exact:
        # no more distinct values than classes: each value is its own class
        breaks = [float(distinct[0]), *(float(v) for v in distinct)]
    elif method is Method.QUANTILES:
        breaks = _dedupe(_quantile_breaks(present, k))
    else:
        breaks = _dedupe(_natural_breaks(present, k))
    n_classes = len(breaks) - 1
    labels = _assign(arr, breaks)
    colors = tuple(palette(n_classes, higher_is))
    return Classes(method, tuple(breaks), tuple(labels), colors, exact)


def _quantile_breaks(values: np.ndarray, k: int) -> list[float]:
    qs = np.quantile(values, np.linspace(0, 1, k + 1))
    return [float(q) for q in qs]


def _natural_breaks(values: np.ndarray, k: int) -> list[float]:
    import jenkspy

    # Jenks is O(k n^2): above a few thousand values a deterministic even sample of the
    # sorted values gives the same breaks within a hair, in a fraction of the time
    data = np.sort(values)
    if data.size > 2000:
        data = data[np.linspace(0, data.size - 1, 2000).round().astype(int)]
        data[0], data[-1] = values.min(), values.max()
    return [float(b) for b in jenkspy.jenks_breaks(data.tolist(), n_classes=k)]


def _dedupe(breaks: list[float]) -> list[float]:
    out = [breaks[0]]
    for b in breaks[1:]:
        if b > out[-1]:
            out.append(b)
    if len(out) == 1:
        out.append(out[0])
    return out


def _assign(values: np.ndarray, breaks: list[float]) -> list[int]:
    """Class of each value: the first class whose upper edge is >= the value."""
    upper = np.asarray(breaks[1:])
    idx = np.minimum(np.searchsorted(upper, np.nan_to_num(values), side="left"), len(upper) - 1)
    return np.where(np.isnan(values), -1, idx).astype(int).tolist()
