"""Cookie sessions (data.sessions, session_routes): library rules on a private database,
then the real app in Chromium: a reload keeps the signed-in user, signing out ends the
session on the server (a copied cookie no longer works), a forged or expired cookie is
refused, POSTs without the CSRF token are refused.
"""

from __future__ import annotations

import json
import re
import time
import urllib.error
import urllib.request
from datetime import timedelta

import pytest

from data import sessions
from tests.conftest import offline_page
from tests.sidebar_sign_in import sign_in_sidebar

# --- library -----------------------------------------------------------------------------


def test_cookie_round_trip_and_revocation(con):
    session = sessions.create(con, "member", via="route")
    account = sessions.account_for(con, session.cookie)
    assert account is not None and account.username == "member"
    # only the hash is stored; the cookie's token is nowhere in the database
    token_in_db = con.execute(
        "SELECT count(*) FROM web_session WHERE token_hash = ?", [session.cookie]
    ).fetchone()[0]
    assert token_in_db == 0
    assert sessions.revoke(con, session.cookie) is True
    assert sessions.account_for(con, session.cookie) is None
    assert sessions.revoke(con, session.cookie) is False  # already ended


def test_forged_and_tampered_cookies_are_refused(con):
    session = sessions.create(con, "admin", via="route")
    assert sessions.account_for(con, session.cookie) is not None
    head, _, tail = session.cookie.rpartition(".")
    # Change the signature's first character: every one of its six bits is part
    # of the HMAC. (The last character of a 20-byte signature carries two unused
    # bits, so "B" for "A" there can decode to the same bytes and is no forgery.)
    flipped = ("A" if tail[0] != "A" else "Q") + tail[1:]
    payload, _, stamp = head.partition(".")
    other_payload = ("A" if payload[0] != "A" else "Q") + payload[1:]
    for forged in (
        f"{head}.{flipped}",
        f"{other_payload}.{stamp}.{tail}",
        "member",
        "",
        None,
        "x" * 600,
        # signed with another secret: the right shape, the wrong key
        __import__("itsdangerous")
        .URLSafeTimedSerializer("not-the-secret", salt="phang-session-v1")
        .dumps("token"),
    ):
        assert sessions.account_for(con, forged) is None, forged


def test_expired_session_is_refused(con):
    past = sessions.utcnow() - sessions.LIFETIME - timedelta(hours=1)
    old = sessions.create(con, "member", via="route", now=past)
    assert sessions.account_for(con, old.cookie) is None
    # a row that ended earlier than the signature's age is refused too
    short = sessions.create(con, "member", via="route", lifetime=timedelta(seconds=1))
    assert sessions.account_for(con, short.cookie) is not None
    later = sessions.utcnow() + timedelta(seconds=5)
    assert sessions.account_for(con, short.cookie, now=later) is None


def test_disabled_account_loses_its_session(con):
    from data import accounts

    session = sessions.create(con, "analyst", via="route")
    accounts.set_active(con, "analyst", False, actor="admin")
    assert sessions.account_for(con, session.cookie) is None


def test_ticket_is_one_time_and_short_lived(con):
    ticket = sessions.issue_ticket(con, "member")
    session = sessions.claim_ticket(con, ticket)
    assert session is not None and session.username == "member"
    assert sessions.ticket_session(con, ticket) == session.token_hash
    assert sessions.claim_ticket(con, ticket) is None  # used
    stale = sessions.issue_ticket(con, "member", now=sessions.utcnow() - timedelta(minutes=5))
    assert sessions.claim_ticket(con, stale) is None
    assert sessions.claim_ticket(con, "x" * 40) is None


def test_csrf_tokens(con):
    token = sessions.new_csrf(con)
    assert sessions.csrf_ok(con, token, token)
    assert not sessions.csrf_ok(con, token, sessions.new_csrf(con))  # header differs
    nonce = token.split(".")[0]
    assert not sessions.csrf_ok(con, f"{nonce}.{'0' * 32}", f"{nonce}.{'0' * 32}")  # unsigned
    assert not sessions.csrf_ok(con, None, token)


# --- routes and pages in the running app -------------------------------------------------


def _post(url: str, body: dict, headers: dict) -> tuple[int, dict, list[str]]:
    data = json.dumps(body).encode()
    req = urllib.request.Request(
        url, data=data, headers={"Content-Type": "application/json", **headers}, method="POST"
    )
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status, json.loads(r.read()), r.headers.get_all("set-cookie") or []
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read()), e.headers.get_all("set-cookie") or []


def _me(base: str, cookie: str) -> dict:
    req = urllib.request.Request(base + "/session/me", headers={"Cookie": cookie})
    with urllib.request.urlopen(req, timeout=30) as r:
        return json.loads(r.read())


def test_sign_in_route_needs_csrf_and_sets_a_safe_cookie(app_server):
    base, _ = app_server
    status, body, _ = _post(
        base + "/session/sign-in", {"username": "member", "password": "member-phang-dev"}, {}
    )
    assert status == 403 and body["errors"][0]["th"]
    with urllib.request.urlopen(base + "/session/me", timeout=30) as r:
        csrf = json.loads(r.read())["csrf"]
    jar = f"{sessions.CSRF_COOKIE}={csrf}"
    status, body, _ = _post(base + "/session/sign-in", {}, {"Cookie": jar, "X-CSRF-Token": csrf})
    assert status == 400 and {e["field"] for e in body["errors"]} == {"username", "password"}
    status, body, _ = _post(
        base + "/session/sign-in",
        {"username": "member", "password": "wrong-password"},
        {"Cookie": jar, "X-CSRF-Token": csrf},
    )
    assert status == 401 and body["errors"][0]["th"] == "ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง"
    status, body, cookies = _post(
        base + "/session/sign-in",
        {"username": "member", "password": "member-phang-dev"},
        {"Cookie": jar, "X-CSRF-Token": csrf, "Origin": "http://evil.example"},
    )
    assert status == 403  # another site
    status, body, cookies = _post(
        base + "/session/sign-in",
        {"username": "member", "password": "member-phang-dev"},
        {"Cookie": jar, "X-CSRF-Token": csrf},
    )
    assert status == 200 and body["user"]["username"] == "member"
    cookie = next(c for c in cookies if c.startswith(sessions.SESSION_COOKIE + "="))
    lowered = cookie.lower()
    assert "httponly" in lowered and "samesite=lax" in lowered and "max-age=" in lowered
    value = cookie.split(";")[0]
    assert _me(base, value)["user"]["username"] == "member"
    status, body, _ = _post(
        base + "/session/sign-in", {"username": "x" * 5000}, {"Cookie": jar, "X-CSRF-Token": csrf}
    )
    assert status == 413


def _session_cookie(context) -> dict | None:
    return next((c for c in context.cookies() if c["name"] == sessions.SESSION_COOKIE), None)


@pytest.mark.parametrize("path", ["/verify"])
def test_reload_keeps_user_and_sign_out_kills_copied_cookie(app_server, browser, path):
    base, _ = app_server
    page, outside, _ = offline_page(browser, width=1280, height=900)
    page.set_default_timeout(90_000)
    page.goto(base + path)
    page.get_by_text("กรุณาเข้าสู่ระบบ").wait_for()
    sign_in_sidebar(page, "coord_bkk", "coord-bkk-phang-dev")
    deadline = time.time() + 30
    while _session_cookie(page.context) is None and time.time() < deadline:
        time.sleep(0.3)
    cookie = _session_cookie(page.context)
    assert cookie is not None and cookie["httpOnly"] and cookie["sameSite"] == "Lax"
    assert cookie["expires"] > time.time() + 86400  # expiring, not a browser-session cookie

    # a reload (and a bookmarked page typed again) keeps the coordinator signed in
    page.reload()
    page.get_by_text("พื้นที่รับผิดชอบ").wait_for()
    page.goto(base + "/verify")
    page.get_by_text("พื้นที่รับผิดชอบ").wait_for()

    # copy the cookie into another browser: it works there too ...
    other = browser.new_context()
    other.add_cookies([cookie])
    second = other.new_page()
    second.set_default_timeout(90_000)
    second.goto(base + "/verify")
    second.get_by_text("พื้นที่รับผิดชอบ").wait_for()
    second.close()

    # ... until the user signs out: the server ends the session
    page.get_by_role("button", name="ออกจากระบบ").click()
    page.get_by_text("กรุณาเข้าสู่ระบบ").wait_for()
    third = other.new_page()
    third.set_default_timeout(90_000)
    third.goto(base + "/verify")
    third.get_by_text("กรุณาเข้าสู่ระบบ").wait_for()
    assert third.get_by_text("พื้นที่รับผิดชอบ").count() == 0
    assert _me(base, f"{cookie['name']}={cookie['value']}")["user"] is None
    other.close()
    page.reload()
    page.get_by_text("กรุณาเข้าสู่ระบบ").wait_for()
    assert not outside
    page.context.close()


def test_forged_cookie_is_refused_by_the_pages(app_server, browser):
    base, _ = app_server
    context = browser.new_context()
    host = re.sub(r"^https?://", "", base).split(":")[0]
    forged = "ImFkbWluIg.ZZZZZZ.bm90LWEtcmVhbC1zaWduYXR1cmU"
    context.add_cookies(
        [{"name": sessions.SESSION_COOKIE, "value": forged, "domain": host, "path": "/"}]
    )
    page = context.new_page()
    page.set_default_timeout(90_000)
    page.goto(base + "/admin")
    page.get_by_text("กรุณาเข้าสู่ระบบ").wait_for()
    assert _me(base, f"{sessions.SESSION_COOKIE}={forged}")["user"] is None
    context.close()


def test_download_grant_is_for_one_session_and_expires():
    from data import downloads

    token = downloads.grant(
        b"geojson", "tambon.geojson", "application/geo+json", "a" * 64, now=1000
    )
    assert downloads.fetch(token, "a" * 64, now=1001).data == b"geojson"
    assert downloads.fetch(token, "b" * 64, now=1001) is None  # another session
    assert downloads.fetch(token, None, now=1001) is None  # not signed in
    assert downloads.fetch("not-a-token", "a" * 64, now=1001) is None
    assert downloads.fetch(token, "a" * 64, now=1000 + downloads.LIFETIME_SECONDS + 1) is None
    with pytest.raises(ValueError):
        downloads.grant(b"x", "x.csv", "text/csv", "")
