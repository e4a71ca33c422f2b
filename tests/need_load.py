"""The housing-need load: ``sessions`` threads each submit ``reports`` reports at once.

Shared by the load test (every confirmed report stored exactly once, no errors) and
``bench/bench_need_load.py`` (the time to save, p95 against the 1 s target). Threads share
one DuckDB connection, each submission on its own cursor, as the app does (one connection
per process, a cursor per script run). Every tenth form is sent twice (a double click),
which must answer "already saved" with the same receipt.
"""

from __future__ import annotations

import random
import threading
import time
from dataclasses import dataclass, field

from data import need_reports as nr

SESSIONS, REPORTS = 20, 50


def make_form(rng: random.Random, session: int, n: int) -> nr.NeedForm:
    """A small square somewhere in Bangkok and its vicinity, with a form id of its own."""
    lon, lat = rng.uniform(100.45, 100.65), rng.uniform(13.68, 13.85)
    d = rng.uniform(0.0005, 0.002)
    ring = [[lon, lat], [lon + d, lat], [lon + d, lat + d], [lon, lat + d], [lon, lat]]
    return nr.NeedForm(
        form_id=f"load-{session:02d}-{n:03d}-{rng.randrange(10**8):08d}",
        geometry={"type": "Polygon", "coordinates": [ring]},
        community_name=f"ชุมชนทดสอบ {session}-{n}",
        households=rng.randint(1, 500),
        problems=rng.sample(list(nr.PROBLEMS), rng.randint(1, 3)),
        urgency=rng.choice(list(nr.URGENCIES)),
        contact_phone="0812345678" if n % 3 == 0 else None,
    )


@dataclass
class LoadResult:
    confirmed: dict[str, str] = field(default_factory=dict)  # form_id -> receipt
    times: list[float] = field(default_factory=list)  # seconds to save, confirmed reports
    errors: list[BaseException] = field(default_factory=list)
    wall: float = 0.0
    cpu_per_save: float = 0.0  # process CPU seconds per submission (double clicks included)

    def percentile(self, q: float) -> float:
        ordered = sorted(self.times)
        return ordered[max(0, int(q * len(ordered)) - 1)]


def run_load(con, sessions: int = SESSIONS, reports: int = REPORTS, seed: int = 1000):
    result = LoadResult()
    lock = threading.Lock()
    start = threading.Barrier(sessions)

    def session(k: int) -> None:
        rng = random.Random(seed + k)
        start.wait()
        for n in range(reports):
            form = make_form(rng, k, n)
            try:
                t0 = time.perf_counter()
                receipt = nr.submit(con, form, actor=f"member{k}")
                elapsed = time.perf_counter() - t0
                if n % 10 == 0:
                    again = nr.submit(con, form, actor=f"member{k}")
                    assert again.already_saved and again.receipt == receipt.receipt
            except BaseException as exc:
                with lock:
                    result.errors.append(exc)
                continue
            with lock:
                result.confirmed[form.form_id] = receipt.receipt
                result.times.append(elapsed)

    threads = [threading.Thread(target=session, args=(k,)) for k in range(sessions)]
    t0, cpu0 = time.perf_counter(), time.process_time()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    result.wall = time.perf_counter() - t0
    submissions = sessions * reports + sessions * ((reports + 9) // 10)
    result.cpu_per_save = (time.process_time() - cpu0) / submissions
    return result
