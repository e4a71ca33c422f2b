"""Several app servers on one PostgreSQL (issue: past one server).

Two real app processes (``streamlit run serve.py``) serve one PostgreSQL database copied
from the session build. Members sign in on one server and submit through the field app's
JSON endpoint on either; a server is killed with SIGKILL in the middle of a stream; two
coordinators on different servers decide the same report in the verify page; the command
line exports while both serve.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid
from http.cookiejar import CookieJar

import pytest

from data import sessions
from tests.app_process import PIDS, running_app
from tests.conftest import ROOT, offline_page
from tests.need_load import make_form

SESSIONS, REPORTS = 20, 50


@pytest.fixture(scope="module")
def shared_pg(pg_server, pg_template):
    from data import pg_cluster

    name = f"servers_{uuid.uuid4().hex[:8]}"
    url = pg_cluster.create_database(pg_server, name, template=pg_template)
    yield url
    pg_cluster.drop_database(pg_server, name)


@pytest.fixture(scope="module")
def two_servers(shared_pg, tmp_path_factory):
    logs = tmp_path_factory.mktemp("servers")
    with running_app(shared_pg, logs / "a.log") as a, running_app(shared_pg, logs / "b.log") as b:
        yield a, b


class Client:
    """One browser-like client: its own cookies (session and CSRF) and CSRF token."""

    def __init__(self) -> None:
        self.jar = CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))
        self.csrf = ""

    def cookie(self, name: str) -> str | None:
        return next((c.value for c in self.jar if c.name == name), None)

    def call(self, url: str, body: dict | None = None, timeout: float = 60):
        headers = {"Content-Type": "application/json", "X-CSRF-Token": self.csrf}
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(url, data=data, headers=headers)
        try:
            with self.opener.open(req, timeout=timeout) as r:
                return r.status, json.loads(r.read())
        except urllib.error.HTTPError as exc:
            return exc.code, json.loads(exc.read() or b"{}")

    def sign_in(self, base: str, username: str, password: str) -> None:
        status, me = self.call(base + "/session/me")
        assert status == 200
        self.csrf = me["csrf"]
        status, body = self.call(
            base + "/session/sign-in", {"username": username, "password": password}
        )
        assert status == 200, body


def _form_json(form) -> dict:
    return {
        "form_id": form.form_id,
        "geometry": form.geometry,
        "community_name": form.community_name,
        "households": form.households,
        "problems": form.problems,
        "urgency": form.urgency,
        "contact_phone": form.contact_phone,
    }


def _stored(url: str, prefix: str) -> dict[str, list[str]]:
    """form_id -> receipts stored, for the forms whose id starts with ``prefix``."""
    from data.store import connect

    con = connect(url, read_only=True)
    try:
        rows = con.execute(
            "SELECT form_id, receipt FROM need_report WHERE starts_with(form_id, ?)", [prefix]
        ).fetchall()
    finally:
        con.close()
    found: dict[str, list[str]] = {}
    for form_id, receipt in rows:
        found.setdefault(form_id, []).append(receipt)
    return found


def test_twenty_sessions_on_two_servers_store_every_report_once(two_servers, shared_pg):
    servers = list(two_servers)
    confirmed: dict[str, str] = {}
    problems: list[str] = []
    lock = threading.Lock()
    start = threading.Barrier(SESSIONS)

    def session(k: int) -> None:
        try:
            run_session(k)
        except BaseException as exc:  # reported below; the others must not wait for it
            start.abort()
            with lock:
                problems.append(f"session {k}: {exc!r}")

    def run_session(k: int) -> None:
        rng = random.Random(5000 + k)
        client = Client()
        # signed in on one server; the cookie then works on both
        client.sign_in(servers[k % 2], "member", "member-phang-dev")
        start.wait(timeout=300)
        for n in range(REPORTS):
            form = make_form(rng, k, n)
            form = form.__class__(**{**form.__dict__, "form_id": f"two-{form.form_id}"})
            body = _form_json(form)
            base = servers[(k + n) % 2]
            status, answer = client.call(base + "/field/api/submit", body)
            if status == 503:  # busy: the phone's outbox sends again
                time.sleep(0.5)
                status, answer = client.call(base + "/field/api/submit", body)
            if status != 200:
                with lock:
                    problems.append(f"{status} {answer}")
                continue
            receipt = answer["receipt"]
            if n % 10 == 0:  # a double send, to the other server: the same receipt
                other = servers[(k + n + 1) % 2]
                again_status, again = client.call(other + "/field/api/submit", body)
                if again_status != 200 or again["receipt"]["receipt"] != receipt["receipt"]:
                    with lock:
                        problems.append(f"resend: {again_status} {again}")
            with lock:
                confirmed[form.form_id] = receipt["receipt"]

    threads = [threading.Thread(target=session, args=(k,)) for k in range(SESSIONS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=1800)
    assert not problems, problems[:5]
    assert len(confirmed) == SESSIONS * REPORTS
    stored = _stored(shared_pg, "two-")
    assert {f: r[0] for f, r in stored.items()} == confirmed  # each once, the receipt given
    assert all(len(r) == 1 for r in stored.values())


def test_a_server_killed_mid_stream_loses_no_confirmed_report(pg_server, shared_pg, tmp_path):
    """Members stream reports to a server that is killed with SIGKILL; what it confirmed is
    stored, and what it did not answer is sent again to the other server (the outbox)."""
    logs = tmp_path
    with running_app(shared_pg, logs / "survivor.log") as survivor:
        victim_log = logs / "victim.log"
        with running_app(shared_pg, victim_log) as victim:
            pid = _server_pid(victim)
            confirmed: dict[str, str] = {}
            unanswered: list[dict] = []
            lock = threading.Lock()
            go = threading.Event()

            def stream(k: int) -> None:
                rng = random.Random(9000 + k)
                client = Client()
                client.sign_in(survivor, "member", "member-phang-dev")
                go.wait()
                for n in range(40):
                    form = make_form(rng, k, n)
                    body = _form_json(form)
                    body["form_id"] = f"kill-{form.form_id}"
                    try:
                        status, answer = client.call(victim + "/field/api/submit", body, 30)
                    except (OSError, urllib.error.URLError):
                        status, answer = 0, None
                    with lock:
                        if status == 200:
                            confirmed[body["form_id"]] = answer["receipt"]["receipt"]
                        else:
                            unanswered.append((client, body))

            threads = [threading.Thread(target=stream, args=(k,)) for k in range(6)]
            for t in threads:
                t.start()
            go.set()
            deadline = time.time() + 300
            while len(confirmed) < 30 and time.time() < deadline:
                time.sleep(0.05)
            os.kill(pid, signal.SIGKILL)
            for t in threads:
                t.join(timeout=600)
        assert len(confirmed) >= 30 and unanswered, (len(confirmed), len(unanswered))
        for client, body in unanswered:  # the outbox sends again, to the server still up
            status, answer = client.call(survivor + "/field/api/submit", body)
            assert status == 200, answer
            confirmed[body["form_id"]] = answer["receipt"]["receipt"]
    stored = _stored(shared_pg, "kill-")
    assert all(len(r) == 1 for r in stored.values())
    assert {f: r[0] for f, r in stored.items()} == confirmed


def _server_pid(base: str) -> int:
    """The pid of the app serving ``base``, as started by ``running_app``."""
    pid = PIDS.get(base)
    assert pid is not None, f"no app started here serves {base}"
    os.kill(pid, 0)  # raises if it is not running
    return pid


def test_two_coordinators_on_two_servers_decide_one_report(
    two_servers, shared_pg, browser, output_dir
):
    """Both open the same pending report; the first decision is saved, the second
    coordinator is told plainly who decided first, and nothing of theirs is stored."""
    from data.store import connect

    con = connect(shared_pg, read_only=True)
    try:
        receipt = con.execute(
            "SELECT receipt FROM need_report WHERE status = 'pending' ORDER BY id LIMIT 1"
        ).fetchone()[0]
    finally:
        con.close()
    pages = []
    for base in two_servers:
        client = Client()
        client.sign_in(two_servers[0], "coordinator", "coordinator-phang-dev")
        page, _, _ = offline_page(browser, width=1440, height=1000)
        page.set_default_timeout(120_000)
        host = base.split("//")[1].split(":")[0]
        page.context.add_cookies(
            [
                {
                    "name": sessions.SESSION_COOKIE,
                    "value": client.cookie(sessions.SESSION_COOKIE),
                    "domain": host,
                    "path": "/",
                }
            ]
        )
        page.goto(f"{base}/verify?receipt={receipt}", wait_until="domcontentloaded")
        page.get_by_text(receipt).first.wait_for()
        page.get_by_role("button", name="บันทึกการตัดสิน").wait_for()
        pages.append(page)
    first, second = pages
    first.get_by_role("button", name="บันทึกการตัดสิน").click()
    first.get_by_text(f"บันทึกการตัดสินคำร้อง {receipt} แล้ว").wait_for()
    second.get_by_role("button", name="บันทึกการตัดสิน").click()
    told = second.get_by_text("มีผู้ตัดสินคำร้องนี้ไปก่อนแล้ว")
    try:
        told.first.wait_for(timeout=60_000)
        told.first.scroll_into_view_if_needed()
    finally:
        second.screenshot(path=str(output_dir / "verify_conflict_two_servers.png"), full_page=True)
    assert "coordinator" in told.first.inner_text()
    for page in pages:
        page.context.close()
    con = connect(shared_pg, read_only=True)
    try:
        decisions = con.execute(
            "SELECT count(*) FROM decision d JOIN need_report r ON r.id = d.report_id "
            "WHERE r.receipt = ?",
            [receipt],
        ).fetchone()[0]
    finally:
        con.close()
    assert decisions == 1


def test_the_command_line_exports_while_both_servers_serve(two_servers, shared_pg, tmp_path):
    for base in two_servers:
        with urllib.request.urlopen(base + "/ogc/collections/boundaries_province/items") as r:
            assert r.status == 200
    out = tmp_path / "provinces.geojson"
    args = ["export", "boundaries", "--level", "province", "--out", str(out), "--db", shared_pg]
    done = subprocess.run(
        [sys.executable, "-m", "data", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    assert len(json.loads(out.read_text())["features"]) == 77


def test_both_servers_serve_the_same_routes_from_postgresql(two_servers):
    """The OGC API, the vector tiles and the field app's data answer the same on both."""
    paths = [
        "/ogc/collections/boundaries_province/items?limit=100",
        "/ogc/collections/indicators_cluster/items?limit=100",
        "/tiles/villages/6/49/29.mvt",
        "/field/api/overview",
        "/field/api/locate?lon=100.53&lat=13.74",
    ]
    for path in paths:
        bodies = []
        for base in two_servers:
            with urllib.request.urlopen(base + path, timeout=120) as r:
                assert r.status == 200, path
                body = r.read()
            if path.startswith("/ogc"):
                doc = json.loads(body)
                doc.pop("timeStamp", None)
                doc.pop("links", None)
                body = json.dumps(doc, sort_keys=True).encode()
            bodies.append(body)
        assert bodies[0] == bodies[1], path
        assert len(bodies[0]) > 50, path
    located = json.loads(bodies[0])
    assert "TH10" in json.dumps(located)  # Bangkok


@pytest.mark.parametrize("width", [1440, 390])
def test_the_map_page_draws_from_postgresql(two_servers, shared_pg, browser, output_dir, width):
    """The planners' map on the second server: Chiang Mai's tambons with the villages
    layer (vector tiles), every request on this machine, no script errors."""
    from data.store import connect
    from tests.test_browser_map import _wait_for_map

    con = connect(shared_pg, read_only=True)
    try:
        tambons = con.execute(
            "SELECT count(*) FROM tambon WHERE province_pcode = 'TH50'"
        ).fetchone()[0]
    finally:
        con.close()
    base = two_servers[1]
    page, outside, errors = offline_page(browser, width=width, height=1000)
    try:
        query = "level=province&area=TH50&show=tambon&layers=villages"
        page.goto(f"{base}/?{query}", wait_until="domcontentloaded")
        _, state = _wait_for_map(page, timeout=120, layers=("villages",))
        assert state["layers"]["villages"] > 0, state
        assert state["areas"] == tambons > 100  # Chiang Mai's tambons, all drawn
        page.wait_for_timeout(600)
        page.screenshot(path=str(output_dir / f"pg-map-TH50-{width}.png"), full_page=True)
        assert outside == [] and errors == [], (outside, errors)
    finally:
        page.context.close()
