"""No working default credentials outside demo; throttled, audited sign-ins; the password
rule on every path; the last administrator stays; OpenID Connect identities by issuer and
subject; the first administrator through a one-time link (issue 12)."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import urllib.error
import urllib.parse
import urllib.request

import pytest

from data import accounts, audit, first_admin, signin
from data.errors import AccountError
from data.passwords import WeakPasswordError

STRONG = "ตะวันรุ่ง-ริมคลอง-47"
CLIENT = "203.0.113.7"


class Clock:
    def __init__(self) -> None:
        self.t = dt.datetime(2026, 1, 5, 9, 0, 0)

    def __call__(self) -> dt.datetime:
        return self.t

    def tick(self, seconds: float) -> None:
        self.t += dt.timedelta(seconds=seconds)


@pytest.fixture()
def clock(monkeypatch):
    c = Clock()
    monkeypatch.setattr(signin, "now", c)
    return c


def _no_accounts(con) -> None:
    con.execute("DELETE FROM account_identity")
    con.execute("DELETE FROM account")


# --- no default credentials -----------------------------------------------------------------


def test_a_plain_build_creates_no_account_that_signs_in(con):
    from data.build import BUILD_STEPS

    _no_accounts(con)
    step = dict(BUILD_STEPS)["accounts"]
    summary: dict = {}
    step(con, summary, {})  # what `python -m data build` (no --demo) runs
    assert summary["accounts_created"] == []
    assert con.execute("SELECT count(*) FROM account").fetchone()[0] == 0
    for username, _display, _role, _scope, password in accounts.BUILTIN_ACCOUNTS:
        assert accounts.authenticate(con, username, password) is None
    assert not accounts.has_active_admin(con)
    assert accounts.dev_password_accounts(con) == []
    # the demo build makes them, flagged until their password changes
    step(con, summary, {"demo": True})
    assert len(summary["accounts_created"]) == len(accounts.BUILTIN_ACCOUNTS)
    assert len(accounts.dev_password_accounts(con)) == len(accounts.BUILTIN_ACCOUNTS)


def test_the_cli_build_option_is_demo_only():
    from data.__main__ import parser

    assert parser().parse_args(["build"]).demo is False
    assert parser().parse_args(["build", "--demo"]).demo is True


def test_development_passwords_are_flagged_until_changed(con):
    flagged = set(accounts.dev_password_accounts(con))
    assert flagged == {a[0] for a in accounts.BUILTIN_ACCOUNTS}
    accounts.set_password(con, "analyst", STRONG, actor="admin", rounds=4)
    accounts.set_active(con, "member", False, actor="admin")
    assert set(accounts.dev_password_accounts(con)) == flagged - {"analyst", "member"}


def test_migration_flags_unchanged_builtin_accounts_of_older_databases(con):
    """A database built before 0009 (every build made the six accounts): the migration
    flags those still having the development password, not a changed one."""
    from data.store import MIGRATIONS_DIR

    accounts.set_password(con, "analyst", STRONG, actor="admin", rounds=4)
    con.execute("UPDATE account SET dev_password = false")
    sql = (MIGRATIONS_DIR / "0009_security.sql").read_text(encoding="utf-8")
    update = sql[sql.index("UPDATE account") : sql.index(";", sql.index("UPDATE account")) + 1]
    con.execute(update)
    flagged = set(accounts.dev_password_accounts(con))
    assert "admin" in flagged and "analyst" not in flagged


def test_banner_on_every_page_while_a_development_password_works(db_copy, monkeypatch):
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    from data.store import connect
    from tests.test_errors import ROOT

    monkeypatch.setenv("PHANG_DB", str(db_copy))
    st.cache_resource.clear()
    st.cache_data.clear()

    def warnings(page: str) -> list[str]:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
        at.run()
        if page:
            at.switch_page(page)
            at.run()
        assert not at.exception
        return [h.value for h in at.get("html")]

    for page in ("", "views/report.py", "views/my_reports.py"):
        assert any("รหัสผ่านสำหรับพัฒนา" in w for w in warnings(page)), page
    from data.store import _process_connections

    for key in list(_process_connections):
        _process_connections.pop(key).close()
    con = connect(db_copy)
    try:
        for username, *_ in accounts.BUILTIN_ACCOUNTS:
            if username != "admin":
                accounts.set_active(con, username, False, actor="admin")
        accounts.set_password(con, "admin", STRONG, actor="admin", rounds=4)
    finally:
        con.close()
    st.cache_resource.clear()
    assert not any("รหัสผ่านสำหรับพัฒนา" in w for w in warnings(""))
    for key in list(_process_connections):
        _process_connections.pop(key).close()


# --- throttling -----------------------------------------------------------------------------


def test_thirty_wrong_passwords_slow_down_and_are_audited(con, clock):
    accounts.create(con, "somchai", "สมชาย", "coordinator", password=STRONG, actor="t", rounds=4)
    results = []
    for n in range(30):
        results.append(accounts.sign_in(con, "somchai", f"guess-{n}-xxxx", client=CLIENT))
        clock.tick(1)
    outcomes = [r.outcome for r in results]
    assert outcomes[:5] == ["wrong"] * 5
    assert all(r.wait_seconds == 0 for r in results[:4]) and results[4].wait_seconds == 30
    assert outcomes[5:] == ["throttled"] * 25  # refused at once, without a password check
    assert all(r.account is None for r in results)
    # even the right password waits, and authenticate says so
    right = accounts.sign_in(con, "somchai", STRONG, client=CLIENT)
    assert right.outcome == "throttled" and right.account is None
    with pytest.raises(accounts.SignInThrottled) as raised:
        accounts.authenticate(con, "somchai", STRONG, client="198.51.100.9")
    assert raised.value.wait_seconds > 0 and "วินาที" in raised.value.message_th
    # every failure and refusal is in the audit trail, with the client
    rows = audit.history(con, "account", "somchai")
    failed = [r for r in rows if r["action"] == "sign_in_failed"]
    refused = [r for r in rows if r["action"] == "sign_in_throttled"]
    assert len(failed) == 5 and len(refused) >= 26
    assert failed[-1]["actor"] == f"client:{CLIENT}" and failed[-1]["after"]["wait_seconds"] == 30
    # the wait grows: after it ends, one more wrong password locks for 60 s
    clock.tick(30)
    again = accounts.sign_in(con, "somchai", "still-wrong-xx", client=CLIENT)
    assert again.outcome == "wrong" and again.wait_seconds == 60
    clock.tick(61)
    ok = accounts.sign_in(con, "somchai", STRONG, client=CLIENT)
    assert ok.outcome == "ok" and ok.account.username == "somchai"
    # a right password resets the account's count
    assert accounts.sign_in(con, "somchai", "wrong-once-xx", client=CLIENT).wait_seconds == 0


def test_one_client_guessing_many_accounts_is_slowed_down(con, clock):
    for n in range(signin.CLIENT_FREE):
        result = accounts.sign_in(con, f"nobody{n}", "guess-guess-1", client=CLIENT)
        assert result.outcome == "wrong"
        clock.tick(2)
    fresh = accounts.sign_in(con, "member", "member-phang-dev", client=CLIENT)
    assert fresh.outcome == "throttled" and fresh.wait_seconds > 0
    other = accounts.sign_in(con, "member", "member-phang-dev", client="198.51.100.20")
    assert other.outcome == "ok"


# --- the password rule ----------------------------------------------------------------------

WEAK = [
    "password",
    "12345678",
    "1234567890",
    "Password123",
    "password2024!",
    "qwertyuiop",
    "aaaaaaaaaaaa",
    "admin-phang-dev",
    "somchai-2024x",  # holds the username
    "short",
]


@pytest.mark.parametrize("weak", WEAK)
def test_weak_passwords_are_refused_everywhere_in_the_library(con, weak):
    with pytest.raises(WeakPasswordError):
        accounts.create(con, "somchai", "สมชาย", "member", password=weak, actor="t", rounds=4)
    with pytest.raises(WeakPasswordError):
        accounts.set_password(con, "analyst", weak.replace("somchai", "analyst"), actor="t")
    assert accounts.get(con, "somchai") is None


def test_weak_password_refused_by_the_cli(db_copy, capsys, monkeypatch):
    import io

    from data.__main__ import main

    for weak in ("password", "12345678", "Password123"):
        monkeypatch.setattr("sys.stdin", io.StringIO(weak + "\n"))
        code = main(
            ["users", "add", "somsri", "--role", "admin", "--password-stdin", "--db", str(db_copy)]
        )
        err = capsys.readouterr().err
        assert code == 2 and err.startswith("error: "), err
    monkeypatch.setattr("sys.stdin", io.StringIO(STRONG + "\n"))
    assert (
        main(
            ["users", "add", "somsri", "--role", "admin", "--password-stdin", "--db", str(db_copy)]
        )
        == 0
    )


def test_weak_password_refused_on_the_admin_page(db_copy, monkeypatch):
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    from tests.test_errors import ROOT
    from ui.auth import User

    monkeypatch.setenv("PHANG_DB", str(db_copy))
    st.cache_resource.clear()
    at = AppTest.from_file(str(ROOT / "views" / "admin.py"), default_timeout=120)
    at.session_state["user"] = User("admin", "ผู้ดูแล", "admin")
    at.run()
    assert not at.exception
    pw = next(t for t in at.text_input if t.label in ("รหัสผ่านใหม่", "New password"))
    pw.set_value("12345678")
    at.button(key="FormSubmitter:admin_password-ตั้งรหัสผ่าน").click().run()
    assert any("อย่างน้อย 10" in e.value for e in at.error), [e.value for e in at.error]
    from data.store import _process_connections

    for key in list(_process_connections):
        _process_connections.pop(key).close()


# --- the last administrator -----------------------------------------------------------------


def test_the_last_active_admin_cannot_be_demoted_or_disabled(con):
    with pytest.raises(AccountError, match="last active administrator"):
        accounts.set_role(con, "admin", "member", actor="someone")
    with pytest.raises(AccountError, match="last active administrator"):
        accounts.set_active(con, "admin", False, actor="someone")
    assert accounts.get(con, "admin").role == "admin" and accounts.get(con, "admin").active
    accounts.create(con, "second", "ผู้ดูแลคนที่สอง", "admin", password=STRONG, actor="admin")
    accounts.set_role(con, "admin", "analyst", actor="second")  # another admin exists now
    with pytest.raises(AccountError, match="last active administrator"):
        accounts.set_active(con, "second", False, actor="admin")


# --- OpenID Connect -------------------------------------------------------------------------

ISSUER = "https://login.example.org"


def _oidc(con, sub: str, email: str, verified: bool = True, name: str | None = None):
    return accounts.ensure_oidc_account(
        con, ISSUER, sub, email=email, email_verified=verified, name=name
    )


def test_oidc_accounts_are_keyed_by_issuer_and_subject(con):
    a = _oidc(con, "sub-a", "somchai+codi@example.org", name="สมชาย")
    b = _oidc(con, "sub-b", "somchai_codi@example.org", name="สมชาย")
    assert a.username != b.username  # never merged
    assert _oidc(con, "sub-a", "changed@example.org").username == a.username
    other_issuer = accounts.ensure_oidc_account(
        con, "https://other.example.net", "sub-a", email="x@y.org", email_verified=True, name=None
    )
    assert other_issuer.username != a.username
    # an identity calling itself admin gets its own member account, never the local admin
    for email, name in (("admin", "Admin"), ("Admin@example.org", "admin"), ("admin@x.org", None)):
        acc = _oidc(con, f"sub-{email}", email, name=name)
        assert acc.role == "member" and acc.username not in ("admin", "Admin")
    assert accounts.get(con, "admin").auth == "builtin"
    assert accounts.authenticate(con, a.username, "") is None  # no password sign-in


def test_oidc_requires_a_verified_email(con):
    with pytest.raises(AccountError, match="verified"):
        _oidc(con, "sub-x", "somchai@example.org", verified=False)
    with pytest.raises(AccountError):
        accounts.ensure_oidc_account(
            con, ISSUER, "", email="a@b.org", email_verified=True, name=None
        )
    assert con.execute("SELECT count(*) FROM account_identity").fetchone()[0] == 0


# --- the first administrator ----------------------------------------------------------------


def test_first_admin_link_works_once(con):
    _no_accounts(con)
    token = first_admin.announce(con)
    assert token and first_admin.token_valid(token)
    assert not first_admin.token_valid(token + "x")
    with pytest.raises(WeakPasswordError):
        first_admin.create_first_admin(con, token, "somsri", "สมศรี", "password", "password")
    with pytest.raises(first_admin.SetupError):
        first_admin.create_first_admin(con, token, "somsri", "สมศรี", STRONG, STRONG + "x")
    acc = first_admin.create_first_admin(con, token, "somsri", "สมศรี", STRONG, STRONG)
    assert acc.role == "admin" and not first_admin.token_valid(token)
    with pytest.raises(first_admin.SetupError):
        first_admin.create_first_admin(con, token, "other", "x", STRONG, STRONG)
    assert first_admin.announce(con) is None  # an admin exists: no link


@pytest.mark.browser
def test_setup_link_from_the_server_log(built_db, tmp_path, browser, output_dir):
    """A non-demo database: the server logs a one-time link; the page creates the first
    administrator, who then signs in; the link is dead afterwards."""
    from data.store import connect
    from tests.app_process import running_app
    from tests.conftest import offline_page

    db = tmp_path / "fresh.duckdb"
    shutil.copy(built_db[0], db)
    con = connect(db)
    _no_accounts(con)
    con.close()
    log_path = tmp_path / "server.log"
    with running_app(db, log_path) as url:
        found = re.search(r"/setup\?token=([A-Za-z0-9_-]+)", log_path.read_text())
        assert found, log_path.read_text()[-2000:]
        token = found.group(1)
        with pytest.raises(urllib.error.HTTPError) as wrong:
            urllib.request.urlopen(f"{url}/setup?token=not-the-token", timeout=30)
        assert wrong.value.code == 404
        for lang, width in (("th", 1440), ("en", 390)):
            page, _outside, _errors = offline_page(browser, width=width)
            page.goto(f"{url}/setup?token={token}&lang={lang}")
            page.screenshot(path=str(output_dir / f"setup_{lang}_{width}.png"), full_page=True)
            page.context.close()
        form = {
            "token": token,
            "username": "somsri",
            "display_name": "สมศรี",
            "password": "12345678",
            "password_again": "12345678",
        }

        def post(fields):
            data = urllib.parse.urlencode(fields).encode()
            try:
                with urllib.request.urlopen(f"{url}/setup", data=data, timeout=60) as r:
                    return r.status, r.read().decode()
            except urllib.error.HTTPError as exc:
                return exc.code, exc.read().decode()

        status, body = post(form)
        assert status == 400 and "10" in body  # weak password: the form again, with why
        status, body = post(dict(form, password=STRONG, password_again=STRONG))
        assert status == 200 and "somsri" in body
        status, _ = post(dict(form, password=STRONG, password_again=STRONG, username="eve"))
        assert status == 404  # used once
    con = connect(db)
    try:
        assert accounts.authenticate(con, "somsri", STRONG).role == "admin"
        assert [a["username"] for a in accounts.list_accounts(con)] == ["somsri"]
    finally:
        con.close()


def test_a_new_password_ends_every_session_of_the_old_one(con):
    from data import sessions

    kept = sessions.create(con, "analyst", via="route")
    first = sessions.create(con, "member", via="route")
    second = sessions.create(con, "member", via="sidebar")
    assert sessions.account_for(con, first.cookie) is not None
    accounts.set_password(con, "member", "a-much-longer-secret-9", actor="admin")
    assert sessions.account_for(con, first.cookie) is None
    assert sessions.account_for(con, second.cookie) is None
    assert sessions.account_for(con, kept.cookie).username == "analyst"  # others keep theirs
