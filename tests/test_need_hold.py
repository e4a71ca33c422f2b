"""The "on hold / needs information" status and the verify queue's filters, through the
library on a copy of the real built database (migration 0012)."""

from __future__ import annotations

import datetime as dt

import pytest

from data import audit
from data import need_reports as nr
from data.errors import InputError
from tests.conftest import refused_by_schema
from tests.test_need_reports import COORD_BKK, form


def test_hold_needs_a_reason_then_shows_to_the_member(con):
    receipt = nr.submit(con, form(), actor="member")
    with pytest.raises(nr.NeedFormError) as err:
        nr.decide(con, receipt.report_id, "hold", COORD_BKK, expected_status="pending")
    assert err.value.field == "reason"
    assert nr.get_report(con, receipt.report_id)["status"] == "pending"
    nr.decide(
        con,
        receipt.report_id,
        "hold",
        COORD_BKK,
        expected_status="pending",
        reason="ขอรูปถ่ายบ้านและจำนวนครัวเรือนที่แน่นอน",
    )
    public = nr.by_receipt(con, receipt.receipt)
    assert public["status"] == "on_hold"
    assert public["reason"] == "ขอรูปถ่ายบ้านและจำนวนครัวเรือนที่แน่นอน"
    assert nr.STATUSES["on_hold"][0] == "รอข้อมูลเพิ่มเติม"
    history = nr.decisions(con, receipt.report_id)
    assert list(history["action"]) == ["hold"]
    assert list(history["to_status"]) == ["on_hold"]
    logged = audit.history(con, "need_report", receipt.report_id)
    assert logged[-1]["action"] == "hold" and logged[-1]["after"]["status"] == "on_hold"


def test_a_held_report_can_be_decided_or_reopened_but_not_held_again(con):
    receipt = nr.submit(con, form(), actor="member")
    rid = receipt.report_id
    nr.decide(con, rid, "hold", COORD_BKK, expected_status="pending", reason="ขอเอกสาร")
    assert nr.allowed_actions("on_hold") == ["verify", "reject", "merge", "reopen"]
    with pytest.raises(nr.DecisionConflictError):
        nr.decide(con, rid, "hold", COORD_BKK, expected_status="on_hold", reason="อีกครั้ง")
    nr.decide(con, rid, "verify", COORD_BKK, expected_status="on_hold")
    assert nr.get_report(con, rid)["status"] == "verified"
    assert list(nr.decisions(con, rid)["action"]) == ["hold", "verify"]
    # a held report is still open: it counts in overlaps and appears in its own queue
    other = nr.submit(con, form(), actor="member")
    nr.decide(con, other.report_id, "hold", COORD_BKK, expected_status="pending", reason="x")
    held = nr.queue(con, "TH10", ["on_hold"])
    assert list(held["id"]) == [other.report_id]


def test_the_schema_refuses_a_hold_without_a_reason(con):
    receipt = nr.submit(con, form(), actor="member")
    with refused_by_schema():
        con.execute(
            "INSERT INTO decision (report_id, actor, action, from_status, to_status) "
            "VALUES (?, 'x', 'hold', 'pending', 'on_hold')",
            [receipt.report_id],
        )
    with refused_by_schema():
        con.execute("UPDATE need_report SET status = 'parked' WHERE id = ?", [receipt.report_id])


def test_queue_filters_by_province_urgency_and_date(con):
    high = nr.submit(con, form(urgency="high"), actor="member")
    low = nr.submit(con, form(urgency="low"), actor="member")
    everything = nr.queue(con, None, ["pending"], limit=10_000)
    bangkok = nr.queue(con, None, ["pending"], limit=10_000, province="TH10")
    assert len(bangkok) < len(everything)
    assert set(bangkok["tambon_pcode"].str[:4]) == {"TH10"}
    assert {high.report_id, low.report_id} <= set(bangkok["id"])
    urgent = nr.queue(con, None, ["pending"], limit=10_000, province="TH10", urgencies=["high"])
    assert high.report_id in set(urgent["id"]) and low.report_id not in set(urgent["id"])
    assert set(urgent["urgency"]) == {"high"}
    today = dt.date.today()
    recent = nr.queue(con, None, ["pending"], limit=10_000, since=today, until=today)
    assert {high.report_id, low.report_id} <= set(recent["id"])
    assert all(ts.date() == today for ts in recent["created_at"])
    past = nr.queue(con, None, ["pending"], limit=10_000, until=today - dt.timedelta(days=1))
    assert high.report_id not in set(past["id"])
    assert len(past) + len(recent) <= len(everything)


@pytest.mark.parametrize(
    "kwargs",
    [{"province": "Bangkok"}, {"urgencies": ["urgent"]}, {"statuses": ["parked"]}],
)
def test_queue_refuses_bad_filters(con, kwargs):
    kwargs = dict(kwargs)  # the same dict is given to the run on each store
    statuses = kwargs.pop("statuses", ["pending"])
    with pytest.raises(InputError):
        nr.queue(con, None, statuses, **kwargs)


def test_scope_provinces_follow_the_scope(ro_con):
    assert list(nr.scope_provinces(ro_con, "TH10")) == ["TH10"]
    north = nr.scope_provinces(ro_con, "region:codi-18:north")
    assert "TH50" in north and "TH10" not in north
    assert len(nr.scope_provinces(ro_con, None)) == 77


def test_scope_options_are_valid_scopes_with_names(ro_con):
    options = nr.scope_options(ro_con)
    assert options[None] == ("ทั้งประเทศ", "Whole country")
    assert options["TH10"] == ("จังหวัดกรุงเทพมหานคร", "Bangkok province")
    assert "region:codi-18:north" in options and "cluster:codi-18:c10" in options
    assert len([s for s in options if s and s.startswith("TH")]) == 77
    for scope in options:  # each one is accepted as a coordinator's scope
        assert nr.check_scope(scope) == scope
        assert nr.scope_label(ro_con, scope)
