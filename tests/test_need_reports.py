"""Housing-need reports through the library, on a copy of the real built database.

Idempotent submission, bounds, tambon assignment from the location, scoped decisions,
two coordinators deciding at once, merges, private contacts, audit rows written in the
same transaction as the change (and absent when the change fails), and accounts.
"""

from __future__ import annotations

import dataclasses
import threading

import pytest

from data import accounts, audit
from data import need_reports as nr
from data.store import transaction

# Pathum Wan (TH100703), Bangkok; Si Phum (TH500101), Chiang Mai.
BKK = [
    [100.530, 13.730],
    [100.535, 13.730],
    [100.535, 13.735],
    [100.530, 13.735],
    [100.530, 13.730],
]
CNX_POINT = {"type": "Point", "coordinates": [98.985, 18.79]}
COORD_BKK = nr.Actor("coord_bkk", "coordinator", "TH10")
COORD_BKK_2 = nr.Actor("coord_bkk_2", "coordinator", "TH10")
COORD_NORTH = nr.Actor("coord_north", "coordinator", "region:codi-18:north")
COORD_C1 = nr.Actor("coord_c1", "coordinator", "cluster:codi-18:c01")


def form(**changes) -> nr.NeedForm:
    base = nr.NeedForm(
        form_id=nr.new_form_id(),
        geometry={"type": "Polygon", "coordinates": [BKK]},
        community_name="ชุมชนริมคลองทดสอบ",
        households=42,
        problems=["eviction", "insecure_tenure"],
        urgency="high",
        landowner="treasury",
        description="ทดสอบ",
        contact_name="คุณสมศรี",
        contact_phone="081-234-5678",
    )
    return dataclasses.replace(base, **changes)


def count(con, table: str, where: str = "TRUE", params=()) -> int:
    return con.execute(f"SELECT count(*) FROM {table} WHERE {where}", list(params)).fetchone()[0]


def test_submit_assigns_the_tambon_and_audits(con):
    receipt = nr.submit(con, form(), actor="member")
    assert receipt.tambon_pcode == "TH100703"
    assert receipt.tambon_th == "ปทุมวัน" and receipt.province_en == "Bangkok"
    assert receipt.receipt.startswith("NR-") and not receipt.already_saved
    # the same answer the tambon polygons give directly
    direct = con.execute(
        "SELECT pcode FROM tambon WHERE ST_Contains(geom, "
        "(SELECT ST_Centroid(geom) FROM need_report WHERE id = ?))",
        [receipt.report_id],
    ).fetchone()[0]
    assert direct == receipt.tambon_pcode
    rows = audit.history(con, "need_report", receipt.report_id)
    assert [r["action"] for r in rows] == ["create"]
    assert rows[0]["actor"] == "member" and rows[0]["after"]["households"] == 42
    contact_rows = audit.history(con, "need_contact", receipt.report_id)
    assert contact_rows[0]["after"]["phone"] == audit.REDACTED  # never in the log


def test_point_in_chiang_mai(con):
    receipt = nr.submit(con, form(geometry=CNX_POINT), actor=None)
    assert receipt.tambon_pcode == "TH500101"
    assert audit.history(con, "need_report", receipt.report_id)[0]["actor"] == "public"


def test_point_in_the_sea_is_refused(con):
    before = count(con, "need_report")
    with pytest.raises(nr.GeometryError) as info:
        nr.submit(con, form(geometry={"type": "Point", "coordinates": [100.9, 12.0]}))
    assert info.value.code == "no_tambon"
    assert count(con, "need_report") == before


def test_same_form_twice_is_saved_once(con):
    f = form()
    first = nr.submit(con, f, actor="member")
    again = nr.submit(con, f, actor="member")
    assert again.already_saved and again.receipt == first.receipt
    assert count(con, "need_report", "form_id = ?", [f.form_id]) == 1
    assert (
        count(
            con, "audit_log", "table_name = 'need_report' AND record_id = ?", [str(first.report_id)]
        )
        == 1
    )
    # the same content drawn as a Feature, households typed as text: still the same report
    same = dataclasses.replace(
        f, households="42", geometry={"type": "Feature", "geometry": f.geometry}
    )
    assert nr.submit(con, same).receipt == first.receipt


def test_same_form_different_content_is_refused(con):
    f = form()
    first = nr.submit(con, f)
    with pytest.raises(nr.FormConflictError) as info:
        nr.submit(con, dataclasses.replace(f, households=43))
    assert first.receipt in info.value.message and first.receipt in info.value.message_th
    stored = con.execute(
        "SELECT households FROM need_report WHERE form_id = ?", [f.form_id]
    ).fetchone()[0]
    assert stored == 42


def test_same_form_sent_concurrently_is_saved_once(con):
    f = form()
    results, errors = [], []
    barrier = threading.Barrier(6)

    def send():
        barrier.wait()
        try:
            results.append(nr.submit(con, f))
        except Exception as exc:
            errors.append(exc)

    threads = [threading.Thread(target=send) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert len({r.receipt for r in results}) == 1
    assert sum(not r.already_saved for r in results) == 1
    assert count(con, "need_report", "form_id = ?", [f.form_id]) == 1


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("households", 0),
        ("households", -5),
        ("households", 10_001),
        ("households", 2.5),
        ("households", "สิบ"),
        ("households", None),
        ("households", float("nan")),
        ("community_name", "   "),
        ("community_name", "\u200b"),
        ("community_name", "x" * 201),
        ("problems", []),
        ("problems", ["aliens"]),
        ("urgency", "now"),
        ("landowner", "moon"),
        ("description", "ก" * 2001),
        ("contact_phone", "call me<script>"),
        ("form_id", "x"),
    ],
)
def test_bad_fields_are_refused_and_nothing_stored(con, field, value):
    before = (count(con, "need_report"), count(con, "audit_log"))
    with pytest.raises(nr.NeedFormError) as info:
        nr.submit(con, form(**{field: value}))
    assert info.value.message and info.value.message_th
    assert (count(con, "need_report"), count(con, "audit_log")) == before


def test_households_bounds_accepted(con):
    assert nr.submit(con, form(households=1)).report_id
    assert nr.submit(con, form(households="10,000")).report_id


def test_failing_change_leaves_no_row_and_no_audit(con, monkeypatch):
    before = (count(con, "need_report"), count(con, "need_contact"), count(con, "audit_log"))
    real_record = audit.record
    calls = []

    def record_then_fail(*args, **kwargs):
        calls.append(args[3])
        if args[3] == "need_contact":  # the report and its audit row are written by now
            raise RuntimeError("disk full (simulated)")
        return real_record(*args, **kwargs)

    monkeypatch.setattr(audit, "record", record_then_fail)
    with pytest.raises(RuntimeError):
        nr.submit(con, form())
    assert calls == ["need_report", "need_contact"]
    after = (count(con, "need_report"), count(con, "need_contact"), count(con, "audit_log"))
    assert after == before


def test_audit_record_joins_the_callers_transaction(con):
    before = count(con, "audit_log")
    with pytest.raises(ValueError), transaction(con):
        audit.record(con, "tester", "update", "need_report", 1, {"a": 1}, {"a": 2})
        raise ValueError("the change failed")
    assert count(con, "audit_log") == before


def test_two_coordinators_deciding_at_once(con):
    receipt = nr.submit(con, form())
    barrier = threading.Barrier(2)
    outcomes: dict[str, object] = {}

    def act(name, actor, action, reason):
        barrier.wait()
        try:
            outcomes[name] = nr.decide(
                con, receipt.report_id, action, actor, expected_status="pending", reason=reason
            )
        except nr.DecisionConflictError as exc:
            outcomes[name] = exc

    threads = [
        threading.Thread(target=act, args=("a", COORD_BKK, "verify", "")),
        threading.Thread(target=act, args=("b", COORD_BKK_2, "reject", "ซ้ำ")),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    won = [k for k, v in outcomes.items() if isinstance(v, dict)]
    lost = [k for k, v in outcomes.items() if isinstance(v, nr.DecisionConflictError)]
    assert len(won) == 1 and len(lost) == 1, outcomes
    loser = outcomes[lost[0]]
    assert "nothing was changed" in loser.message and "ไม่ได้ถูกบันทึก" in loser.message_th
    status = con.execute(
        "SELECT status FROM need_report WHERE id = ?", [receipt.report_id]
    ).fetchone()[0]
    assert status == outcomes[won[0]]["to_status"]
    assert count(con, "decision", "report_id = ?", [receipt.report_id]) == 1
    actions = [r["action"] for r in audit.history(con, "need_report", receipt.report_id)]
    assert actions == ["create", outcomes[won[0]]["action"]]


def test_stale_decision_is_told_plainly(con):
    receipt = nr.submit(con, form())
    nr.decide(con, receipt.report_id, "verify", COORD_BKK, expected_status="pending")
    with pytest.raises(nr.DecisionConflictError) as info:
        nr.decide(
            con, receipt.report_id, "reject", COORD_BKK_2, expected_status="pending", reason="no"
        )
    assert "coord_bkk" in info.value.message and "ยืนยันแล้ว" in info.value.message_th
    assert count(con, "decision", "report_id = ?", [receipt.report_id]) == 1


def test_reject_needs_a_reason(con):
    receipt = nr.submit(con, form())
    with pytest.raises(nr.NeedFormError):
        nr.decide(
            con, receipt.report_id, "reject", COORD_BKK, expected_status="pending", reason="  "
        )
    nr.decide(
        con, receipt.report_id, "reject", COORD_BKK, expected_status="pending", reason="นอกเขตชุมชน"
    )
    assert nr.by_receipt(con, receipt.receipt)["reason"] == "นอกเขตชุมชน"


def test_scope_province_cluster_region(con):
    bkk = nr.submit(con, form())
    cnx = nr.submit(con, form(geometry=CNX_POINT))
    with pytest.raises(nr.ScopeError):
        nr.decide(con, cnx.report_id, "verify", COORD_BKK, expected_status="pending")
    with pytest.raises(nr.ScopeError):
        nr.decide(con, bkk.report_id, "verify", COORD_NORTH, expected_status="pending")
    with pytest.raises(nr.ScopeError):
        nr.decide(con, bkk.report_id, "verify", nr.Actor("m", "member"), expected_status="pending")
    bkk_queue = set(nr.queue(con, "TH10")["receipt"])
    north_queue = set(nr.queue(con, "region:codi-18:north")["receipt"])
    c1_queue = set(nr.queue(con, "cluster:codi-18:c01")["receipt"])
    assert bkk.receipt in bkk_queue and cnx.receipt not in bkk_queue
    assert cnx.receipt in north_queue and bkk.receipt not in north_queue
    assert cnx.receipt in c1_queue  # Chiang Mai is in cluster 1 (upper north 1)
    nr.decide(con, cnx.report_id, "verify", COORD_C1, expected_status="pending")
    everywhere = nr.Actor("coordinator", "coordinator", None)
    assert bkk.receipt in set(nr.queue(con, None)["receipt"])
    nr.decide(con, bkk.report_id, "verify", everywhere, expected_status="pending")
    assert nr.contact(con, bkk.report_id, everywhere)["phone"] == "081-234-5678"
    with pytest.raises(nr.InputError):
        nr.scope_sql("cluster:codi-18:c01; DROP TABLE tambon")


def test_merge_duplicates_and_overlaps_flagged(con):
    first = nr.submit(con, form())
    second = nr.submit(con, form(community_name="ชุมชนเดียวกัน"))
    assert first.receipt in nr.overlapping(con, second.report_id)
    flagged = nr.queue(con, "TH10").set_index("receipt")
    assert flagged.loc[second.receipt, "overlaps"] >= 1
    near = nr.nearby(con, second.report_id)
    assert first.receipt in set(near["reports"]["receipt"])
    with pytest.raises(nr.NeedFormError):
        nr.decide(
            con,
            second.report_id,
            "merge",
            COORD_BKK,
            expected_status="pending",
            merge_into=second.report_id,
        )
    nr.decide(
        con,
        second.report_id,
        "merge",
        COORD_BKK,
        expected_status="pending",
        merge_into=first.report_id,
    )
    row = con.execute(
        "SELECT status, merged_into FROM need_report WHERE id = ?", [second.report_id]
    ).fetchone()
    assert row == ("merged", first.report_id)
    assert nr.by_receipt(con, second.receipt)["merged_into"] == first.receipt
    nr.decide(con, second.report_id, "reopen", COORD_BKK, expected_status="merged")
    row = con.execute(
        "SELECT status, merged_into FROM need_report WHERE id = ?", [second.report_id]
    ).fetchone()
    assert row == ("pending", None)


def test_contact_is_private(con):
    receipt = nr.submit(con, form())
    assert nr.contact(con, receipt.report_id, COORD_BKK)["phone"] == "081-234-5678"
    with pytest.raises(nr.ScopeError):
        nr.contact(con, receipt.report_id, nr.Actor("m", "member"))
    with pytest.raises(nr.ScopeError):
        nr.contact(con, receipt.report_id, COORD_NORTH)
    public = nr.by_receipt(con, receipt.receipt)
    assert "081" not in str(public) and "สมศรี" not in str(public)


def test_receipt_lookup_is_forgiving(con):
    receipt = nr.submit(con, form())
    code = receipt.receipt
    assert nr.by_receipt(con, code.lower())["receipt"] == code
    assert nr.by_receipt(con, f" {code} ")["receipt"] == code
    assert nr.by_receipt(con, "NR-0000-0000") is None


def test_demo_reports_built(ro_con):
    n, verified = ro_con.execute(
        "SELECT count(*), count(*) FILTER (status = 'verified') FROM need_report WHERE is_demo"
    ).fetchone()
    assert 50 <= n <= 100 and verified > 0
    assert count(ro_con, "audit_log", "table_name = 'need_report'") >= n


# --- accounts ----------------------------------------------------------------------------


def test_builtin_accounts_and_authentication(con):
    names = {a["username"]: a for a in accounts.list_accounts(con)}
    for username, _display, role, scope, password in accounts.BUILTIN_ACCOUNTS:
        assert names[username]["role"] == role and names[username]["scope"] == scope
    assert accounts.authenticate(con, "coord_bkk", "coord-bkk-phang-dev").scope == "TH10"
    assert accounts.authenticate(con, "coord_bkk", "wrong-password") is None
    assert accounts.authenticate(con, "nobody", "coord-bkk-phang-dev") is None
    stored = con.execute("SELECT password_hash FROM account WHERE username = 'admin'").fetchone()
    assert stored[0].startswith("$2") and "admin-phang-dev" not in stored[0]


def test_account_changes_are_audited(con):
    accounts.create(
        con,
        "somchai",
        "สมชาย",
        "coordinator",
        password="long-enough-1",
        scope="TH50",
        actor="admin",
        rounds=4,
    )
    accounts.set_password(con, "somchai", "another-pass-2", actor="admin", rounds=4)
    assert accounts.authenticate(con, "somchai", "another-pass-2") is not None
    accounts.set_role(con, "somchai", "analyst", actor="admin")
    accounts.set_active(con, "somchai", False, actor="admin")
    assert accounts.authenticate(con, "somchai", "another-pass-2") is None
    rows = [
        r for r in audit.history(con, "account", "somchai") if not r["action"].startswith("sign_in")
    ]
    assert [r["action"] for r in rows] == ["create", "set_password", "set_role", "disable"]
    assert "$2" not in str(rows)  # no hash in the log
    with pytest.raises(accounts.AccountError):
        accounts.create(con, "somchai", "x", "member", password="long-enough-1", actor="a")
    with pytest.raises(accounts.AccountError):
        accounts.create(con, "Bad Name!", "x", "member", password="long-enough-1", actor="a")
    with pytest.raises(accounts.AccountError):
        accounts.set_password(con, "somchai", "short", actor="admin")
    with pytest.raises(nr.InputError):
        accounts.create(
            con, "x2", "x", "coordinator", password="long-enough-1", scope="Bangkok", actor="a"
        )
