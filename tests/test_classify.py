"""Choropleth classes: quantiles and natural breaks, table-driven."""

from __future__ import annotations

import math

import pytest

from geo.classify import MAX_CLASSES, NO_DATA_COLOR, Method, classify, palette


@pytest.mark.parametrize(
    ("values", "method", "k", "breaks", "labels"),
    [
        # ten evenly spread values in 5 quantile classes: two per class
        (
            list(range(1, 11)),
            "quantiles",
            5,
            (1, 2.8, 4.6, 6.4, 8.2, 10),
            (0, 0, 1, 1, 2, 2, 3, 3, 4, 4),
        ),
        # two clear groups: natural breaks cut between them, quantiles cut inside them
        ([1, 1.1, 1.2, 1.3, 50, 51, 52], "natural_breaks", 2, (1, 1.3, 52), (0, 0, 0, 0, 1, 1, 1)),
        ([1, 1.1, 1.2, 1.3, 50, 51, 52], "quantiles", 2, (1, 1.3, 52), (0, 0, 0, 0, 1, 1, 1)),
        # fewer distinct values than classes: one class per value
        ([3, 1, 3, 1, 2], "quantiles", 5, (1, 1, 2, 3), (2, 0, 2, 0, 1)),
        ([7, 7, 7], "natural_breaks", 4, (7, 7), (0, 0, 0)),
        # missing values get -1 and do not move the breaks
        ([None, 1, float("nan"), 2, 3, 4], "quantiles", 2, (1, 2.5, 4), (-1, 0, -1, 0, 1, 1)),
    ],
)
def test_breaks_and_labels(values, method, k, breaks, labels):
    result = classify(values, method, k)
    assert result.breaks == pytest.approx(breaks)
    assert result.labels == labels
    assert len(result.colors) == len(result.breaks) - 1


def test_quantile_ties_merge_classes_instead_of_leaving_empty_ones():
    values = [0] * 80 + list(range(1, 21))
    result = classify(values, "quantiles", 5)
    assert all(n > 0 for n in result.counts())
    assert result.k < 5


def test_natural_breaks_on_every_tambon_covers_the_range():
    import random

    rng = random.Random(42)
    values = [rng.lognormvariate(0, 1) for _ in range(7425)]
    result = classify(values, Method.NATURAL_BREAKS, 5)
    assert result.breaks[0] == min(values) and result.breaks[-1] == max(values)
    assert sum(result.counts()) == len(values)
    assert result.counts() == sorted(result.counts(), reverse=True)  # skewed data


def test_no_values_gives_no_classes():
    result = classify([None, math.nan], "quantiles", 5)
    assert result.k == 0 and result.labels == (-1, -1)


@pytest.mark.parametrize(
    "name", ["Quantiles", "QUANTILES", "natural breaks", "Natural-Breaks", "jenks"]
)
def test_method_accepts_any_case(name):
    assert Method(name) in (Method.QUANTILES, Method.NATURAL_BREAKS)


def test_bad_method_and_k_are_refused_with_the_valid_values():
    with pytest.raises(ValueError, match="quantiles, natural_breaks"):
        classify([1, 2], "equal-ish", 3)
    with pytest.raises(ValueError, match="k must be"):
        classify([1, 2], "quantiles", 0)
    with pytest.raises(ValueError, match="k must be"):
        classify([1, 2], "quantiles", MAX_CLASSES + 1)


def test_palettes_run_light_to_dark_and_differ_by_direction():
    for k in range(1, MAX_CLASSES + 1):
        colors = palette(k, "worse")
        assert len(colors) == len(set(colors)) == k
        assert NO_DATA_COLOR not in colors
    assert palette(5, "better") != palette(5, "worse") != palette(5, "neutral")
