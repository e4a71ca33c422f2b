"""The planning layers in headless Chromium, offline, Thai and English at desktop (1440 px)
and phone (390 px) widths: the map with tambons by plan stage and the plan item layers, the
priorities page's "need without a plan", and a tambon report card with its plan.
Screenshots go to the test output directory (``plans-*.png``)."""

from __future__ import annotations

import pytest

from tests.conftest import offline_page
from tests.test_browser_map import _wait_for_map
from tests.test_browser_planning import _open, _wait_for_text, _wait_until_idle

pytestmark = pytest.mark.browser

LAYERS = "plan_uptake_supported,plan_uptake_included,plan_uptake_not_taken_up,need_without_plan"
TEXT = {
    "map": ("ขั้นของแผนพัฒนาชุมชนตำบล", "Tambon plan stage"),
    "priorities": ("ความเดือดร้อนที่ยังไม่มีแผนพัฒนาชุมชน", "Need without a plan"),
    "card": ("แผนพัฒนาชุมชนท้องถิ่น", "Community development plans"),
}


def _planned_tambon(con) -> str:
    """A tambon whose current plan has supported items and people developed."""
    return con.execute("""
        SELECT i.tambon_pcode FROM plan_item i
        JOIN community_plan p ON p.source_id = i.plan_ref AND p.status = 'adopted'
             AND year(current_date) BETWEEN p.start_year AND p.end_year
        JOIN person_developed d ON d.tambon_pcode = i.tambon_pcode
        WHERE i.support_type <> 'none'
        GROUP BY 1 ORDER BY count(DISTINCT i.id) DESC, 1 LIMIT 1""").fetchone()[0]


@pytest.mark.parametrize("width", [1440, 390])
@pytest.mark.parametrize("lang", ["th", "en"])
def test_plan_pages_render_offline(app_server, browser, ro_con, output_dir, width, lang):
    base, _ = app_server
    tambon = _planned_tambon(ro_con)
    pages = {
        "map": f"/map?level=province&area={tambon[:4]}&show=tambon&ind=plan_stage"
        f"&layers={LAYERS}&lang={lang}",
        "priorities": f"/priorities?lang={lang}",
        "card": f"/report?level=tambon&area={tambon}&lang={lang}",
    }
    for name, path in pages.items():
        page, outside, errors = offline_page(browser, width=width, height=1100)
        try:
            _open(page, base, path)
            text = TEXT[name][0 if lang == "th" else 1]
            if name == "map":
                _frame, state = _wait_for_map(page, timeout=300, layers=tuple(LAYERS.split(",")))
                assert state["areas"] > 0
                drawn = state.get("layers", {})
                assert sum(drawn.get(k, 0) for k in LAYERS.split(",")) > 0, state
            frame = _wait_for_text(page, text, timeout=120)
            _wait_until_idle(page)
            if name != "map":  # the plan part is far down the page (or the card's frame)
                target = (page if name == "priorities" else frame).get_by_text(text).first
                target.evaluate("e => e.scrollIntoView({block: 'start'})")
            if name == "card":  # the plan's uptake table is on the card
                body = frame.inner_text("body")
                assert ("การรับไปดำเนินการของหน่วยงาน" if lang == "th" else "Uptake by agency") in body
            page.wait_for_timeout(800)
            page.screenshot(path=str(output_dir / f"plans-{name}-{lang}-{width}.png"))
            assert outside == [], outside
            # a deep link makes Streamlit probe /<page>/_stcore/health first (expected 404s)
            assert [e for e in errors if not e.startswith("Failed to load resource")] == []
        finally:
            page.context.close()
