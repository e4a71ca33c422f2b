"""Dates stored as Christian Era are shown in Thai as Buddhist Era, never the other way."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from data.dates import format_date


@pytest.mark.parametrize(
    ("value", "lang", "shown"),
    [
        ("2024-02-05", "th", "5 ก.พ. 2567"),
        ("2024-02-05", "en", "2024-02-05"),
        (dt.date(2021, 12, 31), "th", "31 ธ.ค. 2564"),
        (dt.datetime(2020, 1, 1, 23, 59), "th", "1 ม.ค. 2563"),
        (pd.Timestamp("2019-06-15 08:00"), "th", "15 มิ.ย. 2562"),
        ("2024-03-01T10:00:00", "th", "1 มี.ค. 2567"),
        ("2024", "th", "2567"),
        ("2024-03", "th", "2567"),
        ("2024", "en", "2024"),
        (None, "th", "–"),
        (float("nan"), "th", "–"),
        (pd.NaT, "th", "–"),
        (pd.NA, "en", "–"),
        ("", "th", "–"),
        ("ไม่ทราบ", "th", "ไม่ทราบ"),
    ],
)
def test_dates_shown_in_buddhist_era(value, lang, shown):
    assert format_date(value, lang) == shown


def test_report_card_dates_are_escaped():
    from analysis.report_html import format_date as card_date

    assert card_date("<b>x</b>") == "&lt;b&gt;x&lt;/b&gt;"
    assert card_date("2024-02-05") == "5 ก.พ. 2567"
