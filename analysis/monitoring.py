"""Monitoring over time (ติดตามผลรายปี): every indicator and target as at the end of a year.

``as_of_year(con, year)`` gives a cursor on which the community tables read as they stood
at the end of ``year``, judged by the records' own dates; every catalogue indicator and
target computed on that cursor is then "as at ``year``" without any indicator knowing:

- ``as_of`` (the year the plan indicators read) is ``year``;
- organisations count from their registration date, councils from their establishment
  date, Baan Mankong projects from their start date, and a project counts as completed
  only from its completion date (before that it is under construction);
- need reports count from the time they were filed (their status as it is now);
- land cases carry no date and count as they stand today;
- plans, items, people developed and assessments use their own dates and years
  (``analysis.indicators.plans``).

Records without the date a rule needs count only in the current year. The views are
temporary and live on the returned cursor only: other cursors of the same connection
(other pages, routes) never see them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

import pandas as pd

from analysis.rollup import compute_all

FIRST_YEAR = 2017  # the start of seed 003's strategy period

# table -> WHERE condition on the record's date (``{y}`` = the year); None = as it stands
_DATED = {
    "community_org": "registered_date IS NULL AND {current} OR year(registered_date) <= {y}",
    "tambon_council": "established_date IS NULL AND {current} OR year(established_date) <= {y}",
    "baan_mankong_project": "start_date IS NULL AND {current} OR year(start_date) <= {y}",
    "need_report": "year(created_at) <= {y}",
}
_REPLACE = {
    "baan_mankong_project": "stage := CASE WHEN stage = 'completed' AND (completion_date IS NULL "
    "AND NOT {current} OR year(completion_date) > {y}) THEN 'construction' ELSE stage END",
}


def years_available(today: dt.date | None = None) -> list[int]:
    """The years monitoring offers: from the strategy's start to this year."""
    this_year = (today or dt.date.today()).year
    return list(range(FIRST_YEAR, this_year + 1))


@contextmanager
def as_of_year(con, year: int) -> Iterator:
    """A cursor on ``con`` reading the records as at the end of ``year`` (CE)."""
    if not isinstance(year, int) or not 1990 <= year <= 2199:
        raise ValueError(f"year must be a CE year between 1990 and 2199, not {year!r}")
    cur = con.cursor()
    try:
        db, schema = (
            v.replace('"', '""')
            for v in cur.execute("SELECT current_database(), current_schema()").fetchone()
        )
        current = "TRUE" if year >= dt.date.today().year else "FALSE"
        cur.execute(f"CREATE OR REPLACE TEMP VIEW as_of AS SELECT {int(year)} AS year")
        for table, condition in _DATED.items():
            where = condition.format(y=int(year), current=current)
            star = "*"
            if table in _REPLACE:
                col, expr = _REPLACE[table].split(" := ", 1)
                star = f"* REPLACE ({expr.format(y=int(year), current=current)} AS {col})"
            cur.execute(
                f"CREATE OR REPLACE TEMP VIEW {table} AS SELECT {star} "
                f'FROM "{db}"."{schema}".{table} WHERE {where}'
            )
        yield cur
    finally:
        cur.close()  # temporary views end with the cursor's connection


def trend(
    con,
    grouping: str,
    keys: Iterable[str],
    years: Iterable[int],
    levels: Iterable[str] = ("region", "cluster"),
) -> pd.DataFrame:
    """Indicator values per year: columns ``year, level, key, pcode, num, den, value``."""
    frames = []
    keys = list(keys)
    for year in years:
        with as_of_year(con, year) as cur:
            frame = compute_all(cur, grouping, keys, levels=levels)
        frames.append(frame.assign(year=year))
    if not frames:
        return pd.DataFrame(columns=["year", "level", "key", "pcode", "num", "den", "value"])
    out = pd.concat(frames, ignore_index=True)
    return out[["year", "level", "key", "pcode", "num", "den", "value"]]


def national(
    frame: pd.DataFrame, scale: dict[str, float], has_den: dict[str, bool]
) -> pd.DataFrame:
    """The national value per year and key from a ``trend`` frame holding the region level."""
    regions = frame[frame["level"] == "region"]
    sums = regions.groupby(["year", "key"], as_index=False)[["num", "den"]].sum(min_count=1)
    sums["value"] = [
        scale[k] * (n / d if has_den[k] and d else (float("nan") if has_den[k] else n))
        for k, n, d in zip(sums["key"], sums["num"], sums["den"], strict=True)
    ]
    return sums
