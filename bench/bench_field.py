"""Field app (/field) against the Streamlit mark page on a "Fast 3G" phone link.

Chromium (Debian's, through Playwright) loads each page with Chrome DevTools' "Fast 3G"
profile applied through CDP ``Network.emulateNetworkConditions``: 562.5 ms round trip,
1.44 Mbps down (180,000 B/s), 675 kbps up (84,375 B/s). Measured per load:

* bytes transferred: the sum of ``encodedDataLength`` of every response the page received
  (headers included, compressed as sent) plus websocket frames (the Streamlit page speaks
  over one), until the page is usable and then 2 s more;
* seconds until usable: the field app when its map and form are ready (``usable``, the
  page's ``performance.mark`` from the start of navigation; ``usable_wall`` is the test
  driver's wall clock, with its own round trips) and when the province outlines are drawn
  (``outlines``); the mark page (wall clock) when its Leaflet map with the drawing tools
  and its send button are on screen.

"cold" is a fresh browser profile (nothing cached); "warm" is the same profile opened again
(the field app from its service worker, the mark page from the browser's HTTP cache).
Several runs each; the median and the spread (min-max) are printed with the load average.

Targets (issue 10): field cold <= 250 KB and usable <= 4 s; warm usable <= 1 s.
"""

from __future__ import annotations

import base64
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

FAST_3G = {
    "offline": False,
    "latency": 562.5,
    "downloadThroughput": 1.44e6 / 8,
    "uploadThroughput": 675e3 / 8,
}
RUNS = int(os.environ.get("PHANG_BENCH_RUNS", "3"))
CHROMIUM = os.environ.get("PHANG_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(db: Path, log_dir: Path) -> tuple[subprocess.Popen, str]:
    port = _free_port()
    env = dict(os.environ, PHANG_DB=str(db), PHANG_BASEMAP="none")
    subprocess.run([sys.executable, "-m", "geo.static_assets"], cwd=ROOT, env=env, check=False)
    log = open(log_dir / "streamlit.log", "w")
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            "serve.py",
            "--server.port",
            str(port),
            "--server.address",
            "127.0.0.1",
            "--server.headless",
            "true",
            "--browser.gatherUsageStats",
            "false",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 120
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(url + "/_stcore/health", timeout=2):
                break
        except OSError:
            time.sleep(0.3)
    else:
        proc.kill()
        raise RuntimeError(f"the app did not start; see {log_dir / 'streamlit.log'}")
    # not timed: the first request opens the database (and migrates a copied one)
    for path in ("/field/", "/field/api/overview"):
        with urllib.request.urlopen(url + path, timeout=600):
            pass
    return proc, url


class Meter:
    """Bytes a page receives, counted from CDP network events (with Fast 3G applied)."""

    def __init__(self, page) -> None:
        self.bytes = 0
        self.requests = 0
        self.cdp = page.context.new_cdp_session(page)
        self.cdp.send("Network.enable")
        self.cdp.send("Network.emulateNetworkConditions", FAST_3G)
        self.cdp.on("Network.loadingFinished", self._finished)
        self.cdp.on("Network.webSocketFrameReceived", self._frame)

    def _finished(self, event) -> None:
        self.bytes += int(event.get("encodedDataLength", 0))
        self.requests += 1

    def _frame(self, event) -> None:
        frame = event["response"]
        data = frame.get("payloadData", "")
        self.bytes += len(base64.b64decode(data)) if frame.get("opcode") == 2 else len(data)


def load_field(context, url: str) -> dict:
    page = context.new_page()
    meter = Meter(page)
    started = time.perf_counter()
    page.goto(url + "/field/", wait_until="commit", timeout=120_000)
    page.wait_for_selector("html[data-ready='1']", state="attached", timeout=120_000)
    usable = time.perf_counter() - started
    page.wait_for_selector("html[data-outlines='1']", state="attached", timeout=120_000)
    outlines = time.perf_counter() - started
    time.sleep(2)
    controlled = page.evaluate("!!(navigator.serviceWorker && navigator.serviceWorker.controller)")
    # the browser's own clock from the start of navigation (no test-driver round trips)
    marks = page.evaluate(
        "['phang-ready', 'phang-outlines'].map(n => performance.getEntriesByName(n)[0].startTime)"
    )
    out = {
        "usable": marks[0] / 1000,
        "outlines": marks[1] / 1000,
        "usable_wall": usable,
        "outlines_wall": outlines,
        "bytes": meter.bytes,
        "requests": meter.requests,
        "sw": controlled,
    }
    page.close()
    return out


def load_mark(context, url: str) -> dict:
    page = context.new_page()
    meter = Meter(page)
    started = time.perf_counter()
    page.goto(url + "/mark", wait_until="commit", timeout=180_000)
    page.get_by_role("button", name="ส่งคำร้อง").wait_for(timeout=180_000)
    frame = page.wait_for_selector(
        'iframe[title="streamlit_folium.st_folium"]', timeout=180_000
    ).content_frame()
    frame.wait_for_selector(".leaflet-draw-draw-polygon", timeout=180_000)
    usable = time.perf_counter() - started
    time.sleep(2)
    out = {"usable": usable, "bytes": meter.bytes, "requests": meter.requests}
    page.close()
    return out


def summary(name: str, rows: list[dict], key: str, unit: str, scale: float = 1.0) -> float:
    values = [r[key] / scale for r in rows]
    med = statistics.median(values)
    fmt = "{:.2f}" if unit == "s" else "{:.0f}"
    print(
        f"{name:<24} {key:<9} median {fmt.format(med)} {unit}  "
        f"(min {fmt.format(min(values))}, max {fmt.format(max(values))}, n={len(values)})"
    )
    return med


def main() -> None:
    from playwright.sync_api import sync_playwright

    from bench.common import bench_database

    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        db = bench_database(work)
        proc, url = start_server(db, work)
        try:
            results = {"field cold": [], "field warm": [], "mark cold": [], "mark warm": []}
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
                phone = {"viewport": {"width": 390, "height": 844}, "is_mobile": True}
                # one load of each first, not counted: the server's caches (area index,
                # shapes) are warm in a running deployment
                for loader in (load_field, load_mark):
                    ctx = browser.new_context(**phone)
                    loader(ctx, url)
                    ctx.close()
                for _ in range(RUNS):
                    ctx = browser.new_context(**phone)
                    results["field cold"].append(load_field(ctx, url))
                    results["field warm"].append(load_field(ctx, url))
                    ctx.close()
                    ctx = browser.new_context(**phone)
                    results["mark cold"].append(load_mark(ctx, url))
                    results["mark warm"].append(load_mark(ctx, url))
                    ctx.close()
                browser.close()
        finally:
            proc.terminate()
            proc.wait(timeout=20)
    load = os.getloadavg()
    print(
        f"Fast 3G (562.5 ms RTT, 1.44 Mbps down, 675 kbps up); {RUNS} runs; "
        f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} on {os.cpu_count()} CPUs"
    )
    med = {}
    for name, rows in results.items():
        med[name, "bytes"] = summary(name, rows, "bytes", "KB", 1024)
        med[name, "usable"] = summary(name, rows, "usable", "s")
        if "outlines" in rows[0]:
            summary(name, rows, "outlines", "s")
            summary(name, rows, "usable_wall", "s")
    served = all(r["sw"] for r in results["field warm"])
    print(f"field warm loads answered by the service worker: {served}")
    wall = {
        k: statistics.median(r["usable_wall"] for r in results[f"field {k}"])
        for k in ("cold", "warm")
    }
    # both pages on the same (wall) clock for the ratio
    byte_ratio = med["mark cold", "bytes"] / med["field cold", "bytes"]
    print(
        f"ratio mark/field, cold: bytes {byte_ratio:.1f}x, "
        f"usable {med['mark cold', 'usable'] / wall['cold']:.1f}x; warm: usable "
        f"{med['mark warm', 'usable'] / wall['warm']:.1f}x"
    )
    checks = [
        ("field cold <= 250 KB", med["field cold", "bytes"] <= 250),
        ("field cold usable <= 4 s", med["field cold", "usable"] <= 4),
        ("field warm usable <= 1 s", med["field warm", "usable"] <= 1),
    ]
    print("targets: " + "; ".join(f"{name}: {'met' if ok else 'MISSED'}" for name, ok in checks))


if __name__ == "__main__":
    main()
