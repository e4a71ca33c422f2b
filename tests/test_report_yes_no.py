"""A tambon's report card reads "has a community council: yes/no", not 100 % or 0 %."""

from __future__ import annotations

import datetime as dt
import re

from analysis.report_card import report_card
from analysis.report_html import render_html


def _council_row(page: str) -> str:
    rows = re.findall(r"<tr>.*?</tr>", page, flags=re.S)
    found = [r for r in rows if "สภาองค์กรชุมชน" in r or "community council" in r]
    assert found, "no council row on the card"
    return found[0]


def test_tambon_card_says_yes_or_no_for_the_council(ro_con):
    with_council, without = (
        ro_con.execute(
            f"""SELECT t.pcode FROM tambon t WHERE {cond} EXISTS (
                   SELECT 1 FROM tambon_council c WHERE c.tambon_pcode = t.pcode
                   AND c.status <> 'dissolved') ORDER BY t.pcode LIMIT 1"""
        ).fetchone()[0]
        for cond in ("", "NOT")
    )
    a, b = dt.date(2020, 1, 1), dt.date.today()
    for pcode, th, en in ((with_council, "มี", "Yes"), (without, "ไม่มี", "No")):
        card = report_card(ro_con, "tambon", pcode, "codi-18", a, b)
        row = _council_row(render_html(card, "th"))
        cells = re.findall(r"<td[^>]*>(.*?)</td>", row)
        assert cells[1] == th, (pcode, cells)
        assert "100" not in cells[1]
        assert re.findall(r"<td[^>]*>(.*?)</td>", _council_row(render_html(card, "en")))[1] == en
    # a province keeps the share of its tambons, in %
    card = report_card(ro_con, "province", with_council[:4], "codi-18", a, b)
    cells = re.findall(r"<td[^>]*>(.*?)</td>", _council_row(render_html(card, "th")))
    assert re.fullmatch(r"[\d.,]+", cells[1]) and cells[3] == "%", cells
