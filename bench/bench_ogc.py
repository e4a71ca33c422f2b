"""OGC API – Features: server time of items pages of 1,000 features.

Calls the ``/ogc`` route handlers in this process (what the app's server does for a
request, without the network) on a copy of the product database: the first, a middle and
the last page of each collection measured, and a protected layer read with an API key
(which also counts and audits the use), and each collection's first request cold (the
indicator collections are computed whole then and paged from memory after). Prints the
median and spread (min–max) of ``RUNS`` runs, the response size, and the load average.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import bench_database  # noqa: E402

RUNS = 5
PAGE = 1000
CASES = [
    ("villages", None),
    ("boundaries_tambon", None),
    ("indicators_tambon", None),
    ("indicators_province", None),
    ("organizations", "key"),
    ("land_cases", "key"),
]


def _request(path: str, query: str, headers: dict, cid: str):
    from starlette.requests import Request

    raw = [(k.lower().encode(), v.encode()) for k, v in headers.items()]
    return Request(
        {
            "type": "http",
            "method": "GET",
            "scheme": "http",
            "server": ("127.0.0.1", 8501),
            "path": path,
            "root_path": "",
            "query_string": query.encode(),
            "headers": raw,
            "path_params": {"cid": cid},
        }
    )


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="bench-ogc-") as tmp:
        db = bench_database(Path(tmp))
        from data import apikeys
        from data.store import connect

        con = connect(db)
        token = apikeys.issue(con, "bench agency", actor="bench").token
        con.close()
        os.environ["PHANG_DB"] = str(db)
        from data.store import process_connection
        from ogc.items import _cache
        from ogc.routes import items

        cur = process_connection().cursor()
        print(f"items pages of {PAGE} features, {RUNS} runs each (server time in-process)")
        print(f"{'collection':<22}{'page':>6}{'median s':>10}{'min s':>8}{'max s':>8}{'MB':>7}")
        for cid, needs_key in CASES:
            headers = {"X-API-Key": token} if needs_key else {}
            path = f"/ogc/collections/{cid}/items"
            _cache.clear()  # the first request of a collection computes it cold
            started = time.perf_counter()
            first = items(_request(path, f"limit={PAGE}", headers, cid))
            cold = time.perf_counter() - started
            if first.status_code != 200:
                print(f"{cid}: HTTP {first.status_code} {first.body[:200]!r}")
                continue
            matched = json.loads(first.body)["numberMatched"]
            print(f"{cid:<22}{'cold':>6}{cold:>10.3f}  (first request, {matched} features)")
            last = max(0, (matched - 1) // PAGE * PAGE)
            for offset in dict.fromkeys((0, last // 2 // PAGE * PAGE, last)):
                query = f"limit={PAGE}&offset={offset}"
                times, size = [], 0
                for _ in range(RUNS):
                    started = time.perf_counter()
                    answer = items(_request(path, query, headers, cid))
                    times.append(time.perf_counter() - started)
                    size = len(answer.body)
                print(
                    f"{cid:<22}{offset // PAGE + 1:>6}{statistics.median(times):>10.3f}"
                    f"{min(times):>8.3f}{max(times):>8.3f}{size / 1e6:>7.2f}"
                )
        uses = cur.execute("SELECT sum(use_count) FROM api_key").fetchone()[0]
        print(f"key uses counted during the run: {uses}")
        cur.close()
        print(f"load average (1, 5, 15 min): {os.getloadavg()}")


if __name__ == "__main__":
    main()
