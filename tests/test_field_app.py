"""The field app (/field) in headless Chromium at 390x844 with touch, outside network blocked.

* A member marks a point with emulated geolocation and sends it: the phone names the tambon
  from its cached outlines, the server answers with a receipt and the same tambon
  (the verify queue showing field-app reports: tests/test_field_verify.py).
* Offline (``context.set_offline``): two forms go to the outbox; the page is closed and
  opened again (from the service worker), the outbox and a half-filled draft are still
  there; back online both are sent and stored exactly once, with receipts on the phone.
* The server stored a report but its answer was lost: the phone sends the same form id
  again and nothing new is stored.
* Thai chosen: every visible control string is Thai (English only for codes and names);
  English chosen: no Thai in the controls.
* Every field's problem at once, from the page and from the server (JSON endpoint).
"""

from __future__ import annotations

import json
import re
import time
import urllib.error
import urllib.request

import pytest

from tests.conftest import CHROMIUM, CHROMIUM_ARGS

WIANG_SA = {"latitude": 18.5705, "longitude": 100.7505, "accuracy": 25}
RECEIPT = re.compile(r"NR-[0-9A-Z]{4}-[0-9A-Z]{4}")
LOCAL = ("127.0.0.1", "localhost")


def phone(browser, *, service_workers: str = "allow", geolocation: dict | None = WIANG_SA):
    """A 390x844 touch phone context; requests outside localhost are blocked and recorded."""
    context = browser.new_context(
        viewport={"width": 390, "height": 844},
        has_touch=True,
        is_mobile=True,
        locale="th-TH",
        geolocation=geolocation,
        permissions=["geolocation"] if geolocation else [],
        service_workers=service_workers,
        bypass_csp=True,  # wait_for_function evaluates strings; the page's own CSP forbids eval
    )
    outside: list[str] = []

    def route(r):
        host = r.request.url.split("/")[2].split(":")[0] if "://" in r.request.url else ""
        if host in LOCAL or r.request.url.startswith(("data:", "blob:")):
            r.continue_()
        else:
            outside.append(r.request.url)
            r.abort()

    context.route("**/*", route)
    # requests made by the service worker too (they are not always routed through the page)
    context.on(
        "request",
        lambda req: (
            outside.append(req.url)
            if "://" in req.url and req.url.split("/")[2].split(":")[0] not in LOCAL
            else None
        ),
    )
    context.set_default_timeout(60_000)
    return context, outside


def open_app(context, base: str):
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(base + "/field/")
    page.wait_for_selector("html[data-ready='1']", state="attached")
    return page, errors


def until_true(page, expression: str, timeout: float = 60) -> None:
    """Wait until the JavaScript ``expression`` (which may be a promise) gives true.
    ``page.evaluate`` awaits a promise; ``wait_for_function`` does not (a pending promise
    counts as true there, so it would not wait at all)."""
    deadline = time.monotonic() + timeout
    while page.evaluate(expression) is not True:
        assert time.monotonic() < deadline, f"still not true after {timeout} s: {expression}"
        time.sleep(0.2)


def fill_form(page, name: str, households: str, problem: str = "eviction") -> None:
    page.locator("#f-community_name").fill(name)
    page.locator("#f-households").fill(households)
    page.locator(f"input[name=problems][value={problem}]").tap()


def tap_map(page, dx: float = 0, dy: float = 0) -> None:
    box = page.locator("#map").bounding_box()
    page.touchscreen.tap(box["x"] + box["width"] / 2 + dx, box["y"] + box["height"] / 2 + dy)


def get_json(context, url: str) -> dict:
    response = context.request.get(url)
    return response.json()


def mine(context, base: str) -> list[dict]:
    return get_json(context, base + "/field/api/mine")["reports"]


def sign_in_field(page, username="member", password="member-phang-dev") -> None:
    page.locator("#s-username").fill(username)
    page.locator("#s-password").fill(password)
    page.locator("#signin button[type=submit]").tap()
    page.wait_for_function("document.getElementById('who').textContent.includes('member')")


def test_mark_point_with_location(app_server, browser, output_dir):
    base, _ = app_server
    context, outside = phone(browser)
    page, errors = open_app(context, base)
    page.screenshot(path=str(output_dir / "field_first_visit_390.png"), full_page=True)
    page.get_by_role("button", name="ใช้ตำแหน่งของฉัน").tap()
    page.get_by_text("ความแม่นยำ ± 25 ม.").wait_for()
    # the area pack arrives, the phone names the tambon from it before anything is sent
    page.wait_for_function("document.getElementById('shape').textContent.includes('กลางเวียง')")
    fill_form(page, "ชุมชนริมน่าน", "23")
    page.screenshot(path=str(output_dir / "field_form_390.png"), full_page=True)
    page.get_by_role("button", name="ส่งคำร้อง").tap()
    sent = page.locator("#sent")
    sent.get_by_text("บันทึกคำร้องแล้ว").wait_for()
    receipt = RECEIPT.search(sent.inner_text()).group(0)
    assert "ต.กลางเวียง" in sent.inner_text() and "จ.น่าน" in sent.inner_text()
    page.locator("#outbox li[data-state=sent]").get_by_text(receipt).wait_for()
    status = get_json(context, f"{base}/field/api/status?r={receipt}")["reports"][0]
    assert status["status"] == "pending"
    assert not errors and not outside, (errors, outside)
    context.close()


def test_offline_outbox_survives_closing_and_sends_once(app_server, browser, output_dir):
    base, _ = app_server
    context, outside = phone(browser)
    page, errors = open_app(context, base)
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    until_true(
        page,
        "caches.keys().then(k => k.some(n => n.startsWith('phang-field-')))"
        ".then(ok => ok && caches.match('/field/').then(Boolean))",
    )
    sign_in_field(page)
    page.locator("#q").fill("เวียงสา น่าน")
    page.get_by_role("button", name="ค้นหา").tap()
    page.locator("#results button").first.tap()
    page.wait_for_function("document.getElementById('area').textContent.includes('เวียงสา')")
    page.reload()  # now controlled by the service worker
    page.wait_for_selector("html[data-ready='1']", state="attached")

    context.set_offline(True)
    page.wait_for_function("!navigator.onLine")
    page.get_by_role("button", name="ปักหมุด").tap()
    tap_map(page)
    fill_form(page, "ชุมชนออฟไลน์หนึ่ง", "5")
    page.get_by_role("button", name="ส่งคำร้อง").tap()
    page.get_by_text("เก็บคำร้องไว้ในเครื่องแล้ว").wait_for()

    for _ in range(3):  # to about 20 m a pixel: the area drawn is about a square kilometre
        page.locator(".leaflet-control-zoom-in").tap()
        time.sleep(0.4)
    page.get_by_role("button", name="วาดพื้นที่").tap()
    for dx, dy in ((-40, -30), (40, -30), (40, 30), (-40, 30)):
        tap_map(page, dx, dy)
    page.get_by_role("button", name="เสร็จ").tap()
    assert "ไร่" in page.locator("#shape").inner_text()
    assert "ตร.ม." in page.locator("#shape").inner_text()
    fill_form(page, "ชุมชนออฟไลน์สอง", "14", "rent")
    page.get_by_role("button", name="ส่งคำร้อง").tap()
    page.wait_for_function(
        "document.querySelectorAll('#outbox li[data-state=waiting]').length == 2"
    )
    page.locator("#f-community_name").fill("ร่างที่ยังไม่ส่ง")
    # the draft is written 250 ms after typing: wait until IndexedDB holds it
    until_true(
        page,
        """new Promise((done) => {
            const r = indexedDB.open("phang-field", 1);
            r.onsuccess = () => {
                const get = r.result.transaction("kv").objectStore("kv").get("draft");
                get.onsuccess = () => {
                    r.result.close();
                    done(!!get.result && get.result.community_name === "ร่างที่ยังไม่ส่ง");
                };
                get.onerror = () => done(false);
            };
            r.onerror = () => done(false);
        })""",
    )
    page.screenshot(path=str(output_dir / "field_offline_outbox_390.png"), full_page=True)
    page.close()

    # closed and opened again with no network: the service worker serves the app
    page, errors2 = open_app(context, base)
    assert page.locator("#f-community_name").input_value() == "ร่างที่ยังไม่ส่ง"
    page.wait_for_function(
        "document.querySelectorAll('#outbox li[data-state=waiting]').length == 2"
    )
    assert "ออฟไลน์" in page.locator("#net").inner_text()

    context.set_offline(False)
    page.wait_for_function(
        "document.querySelectorAll('#outbox li[data-state=sent]').length == 2", timeout=60_000
    )
    receipts = RECEIPT.findall(page.locator("#outbox").inner_text())
    assert len(set(receipts)) == 2
    rows = mine(context, base)
    for name in ("ชุมชนออฟไลน์หนึ่ง", "ชุมชนออฟไลน์สอง"):
        assert [r["community_name"] for r in rows].count(name) == 1, rows
    assert {r["receipt"] for r in rows} >= set(receipts)
    page.screenshot(path=str(output_dir / "field_back_online_390.png"), full_page=True)
    assert not errors and not errors2 and not outside, (errors, errors2, outside)
    context.close()


def test_resend_after_lost_answer_stores_nothing_new(app_server, browser):
    base, _ = app_server
    context, outside = phone(browser, service_workers="block")
    page, errors = open_app(context, base)
    sign_in_field(page)
    lost: list[int] = []

    def lose_answer(route):
        response = route.fetch()  # the server stores the report ...
        lost.append(response.status)
        route.abort("connectionreset")  # ... and the phone never hears back

    page.route("**/field/api/submit", lose_answer, times=1)
    page.get_by_role("button", name="ใช้ตำแหน่งของฉัน").tap()
    page.get_by_text("ความแม่นยำ ± 25 ม.").wait_for()
    fill_form(page, "ชุมชนคำตอบหาย", "8")
    page.get_by_role("button", name="ส่งคำร้อง").tap()
    page.get_by_text("เก็บคำร้องไว้ในเครื่องแล้ว").wait_for()
    assert lost == [200]
    assert [r["community_name"] for r in mine(context, base)].count("ชุมชนคำตอบหาย") == 1
    assert page.locator("#outbox li[data-state=waiting]").count() == 1
    page.evaluate("window.dispatchEvent(new Event('online'))")  # the phone tries again
    page.locator("#outbox li[data-state=sent]").wait_for()
    assert [r["community_name"] for r in mine(context, base)].count("ชุมชนคำตอบหาย") == 1
    receipt = RECEIPT.search(page.locator("#outbox").inner_text()).group(0)
    assert receipt in {r["receipt"] for r in mine(context, base)}
    assert not errors and not outside
    context.close()


ALLOWED_LATIN = re.compile(r"\b(EN|Leaflet|NR-[0-9A-Z-]+|TH[0-9]+)\b")


def _visible_control_strings(page) -> list[str]:
    return page.evaluate(
        """() => {
      const out = [];
      const visible = (el) =>
        !!(el.offsetWidth || el.offsetHeight || el.getClientRects().length);
      const controls = 'h1,h2,label,legend,summary,button,a,.hint,.badge,.shape,.notice,'
        + 'option,.leaflet-control a';
      document.querySelectorAll(controls).forEach(el => {
        if (visible(el) || el.tagName === 'OPTION') out.push(el.textContent.trim());
      });
      document.querySelectorAll('input[placeholder]')
        .forEach(el => visible(el) && out.push(el.placeholder));
      document.querySelectorAll('.leaflet-control a[title], button[title]')
        .forEach(el => out.push(el.title));
      return out.filter(Boolean);
    }"""
    )


def test_every_control_speaks_the_chosen_language(app_server, browser, output_dir):
    base, _ = app_server
    context, outside = phone(browser)
    page, _ = open_app(context, base)
    page.get_by_role("button", name="ใช้ตำแหน่งของฉัน").tap()
    page.wait_for_function("document.getElementById('area').textContent.includes('เวียงสา')")
    page.get_by_role("button", name="วาดพื้นที่").tap()
    strings = _visible_control_strings(page)
    assert len(strings) > 30
    english = [s for s in strings if re.search(r"[A-Za-z]{2,}", ALLOWED_LATIN.sub("", s))]
    assert not english, english
    page.locator("#lang").tap()
    page.wait_for_function("document.documentElement.lang == 'en'")
    strings = _visible_control_strings(page)
    # English screen: Thai only in names (the amphoe, province and village names are English
    # too, but the language switch is written in its own language)
    thai = [s for s in strings if re.search(r"[\u0e00-\u0e7f]", s) and s != "ไทย"]
    assert not thai, thai
    page.screenshot(path=str(output_dir / "field_english_390.png"), full_page=True)
    page.locator("#lang").tap()
    assert not outside
    context.close()


def test_all_problems_at_once(app_server, browser):
    base, _ = app_server
    context, _ = phone(browser, service_workers="block", geolocation=None)
    page, _ = open_app(context, base)
    page.locator("#f-households").fill("0")
    page.locator("summary").tap()  # the contact details are folded away
    page.locator("#f-contact_phone").fill("call me")
    page.get_by_role("button", name="ส่งคำร้อง").tap()
    shown = {
        f: page.locator(f"#err-{f}").inner_text()
        for f in ("geometry", "community_name", "households", "problems", "contact_phone")
    }
    assert all(shown.values()), shown
    assert page.locator("#outbox li").count() == 0  # nothing queued

    # the server says the same, every field at once, in Thai and English
    get_json(context, base + "/session/me")  # sets the CSRF cookie if the page has not yet
    token = next(c["value"] for c in context.cookies() if c["name"] == "phang_csrf")
    response = context.request.post(
        base + "/field/api/submit",
        data=json.dumps(
            {
                "form_id": "x",
                "geometry": {"type": "Point", "coordinates": [150.0, 13.7]},
                "community_name": "",
                "households": "many",
                "problems": ["flying"],
                "urgency": "now",
                "contact_phone": "call me",
            }
        ),
        headers={"Content-Type": "application/json", "X-CSRF-Token": token},
    )
    assert response.status == 422
    fields = {e["field"]: e for e in response.json()["errors"]}
    assert set(fields) >= {
        "form_id",
        "geometry",
        "community_name",
        "households",
        "problems",
        "urgency",
        "contact_phone",
    }
    assert all(e["th"] and e["en"] and e["th"] != e["en"] for e in fields.values())
    # no CSRF token: refused before anything is read
    bare = context.request.post(
        base + "/field/api/submit",
        data="{}",
        headers={"Content-Type": "application/json"},
    )
    assert bare.status == 403
    big = context.request.post(
        base + "/field/api/submit",
        data=json.dumps({"description": "ก" * 70_000}),
        headers={"Content-Type": "application/json", "X-CSRF-Token": token},
    )
    assert big.status == 413
    context.close()


@pytest.mark.parametrize("width", [390, 1440])
@pytest.mark.parametrize("lang", ["th", "en"])
def test_screenshots(app_server, browser, output_dir, width, lang):
    base, _ = app_server
    context = browser.new_context(
        viewport={"width": width, "height": 900}, geolocation=WIANG_SA, permissions=["geolocation"]
    )
    context.add_init_script(f"localStorage.setItem('phang-lang', '{lang}')")
    page = context.new_page()
    page.set_default_timeout(60_000)
    page.goto(base + "/field/")
    page.wait_for_selector("html[data-ready='1']", state="attached")
    page.locator("#locate").click()
    page.wait_for_selector("#area:has-text('122')")
    page.screenshot(path=str(output_dir / f"field_{lang}_{width}.png"), full_page=True)
    context.close()


def test_json_endpoints_refuse_bad_input(app_server):
    base, _ = app_server

    def status_of(url: str) -> int:
        try:
            with urllib.request.urlopen(base + url, timeout=30) as r:
                return r.status
        except urllib.error.HTTPError as e:
            return e.code

    assert status_of("/field/api/area/TH99") == 404
    assert status_of("/field/api/area/TH9999") == 404
    assert status_of("/field/api/locate?lon=150&lat=13") == 400
    assert status_of("/field/api/search?q=") == 400
    assert status_of("/field/api/mine") == 401
    assert status_of("/field/api/villages?lon=100.75&lat=18.57&n=5") == 200
    with urllib.request.urlopen(base + "/field/api/villages?lon=100.75&lat=18.57&n=5") as r:
        villages = json.loads(r.read())["villages"]
    assert len(villages) == 5 and all(v["name"] for v in villages)


PLAIN_HTTP_SCRIPT = """
import json, sys
from playwright.sync_api import sync_playwright
chromium, port, args = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
out = {}
with sync_playwright() as pw:
    # the name resolves to this machine: nothing leaves it, but it is "another host"
    rules = "--host-resolver-rules=MAP phang-field.test 127.0.0.1"
    b = pw.chromium.launch(executable_path=chromium, headless=True, args=[*args, rules])
    context = b.new_context(viewport={"width": 390, "height": 844}, has_touch=True,
                            is_mobile=True)
    context.set_default_timeout(60000)
    page = context.new_page()
    page.goto(f"http://phang-field.test:{port}/field/")
    page.wait_for_selector("html[data-ready='1']", state="attached")
    out["secure"] = page.evaluate("window.isSecureContext")
    out["notice_visible"] = page.locator("#insecure").is_visible()
    out["notice"] = page.locator("#insecure").inner_text()
    page.get_by_role("button", name="ใช้ตำแหน่งของฉัน").tap()
    out["location"] = page.locator("#accuracy").inner_text()
    page.get_by_role("button", name="ปักหมุด").tap()
    box = page.locator("#map").bounding_box()
    page.touchscreen.tap(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.locator("#f-community_name").fill("ชุมชนผ่าน HTTP")
    page.locator("#f-households").fill("4")
    page.locator("input[name=problems][value=eviction]").tap()
    page.get_by_role("button", name="ส่งคำร้อง").tap()
    page.locator("#sent").get_by_text("บันทึกคำร้องแล้ว").wait_for()
    out["sent"] = page.locator("#sent").inner_text()
    b.close()
print(json.dumps(out, ensure_ascii=False))
"""


def test_plain_http_from_another_host_says_so_and_still_marks(app_server):
    """Opened as http://<name>:port (not localhost) the page is not a secure context: it
    says so in Thai, location is unavailable, and the member can still mark. (A browser of
    its own, in a subprocess: it needs a host-resolver flag the shared browser lacks.)"""
    import os
    import subprocess
    import sys

    if not os.path.exists(CHROMIUM):
        pytest.skip(f"no Chromium at {CHROMIUM}")
    base, _ = app_server
    port = base.rsplit(":", 1)[1]
    run = subprocess.run(
        [sys.executable, "-c", PLAIN_HTTP_SCRIPT, CHROMIUM, port, json.dumps(CHROMIUM_ARGS)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    out = json.loads(run.stdout.strip().splitlines()[-1])
    assert out["secure"] is False
    assert out["notice_visible"] and "ไม่ปลอดภัย" in out["notice"]
    assert "HTTPS" in out["location"]
    assert RECEIPT.search(out["sent"])
