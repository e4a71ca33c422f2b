"""Start a private copy of the real app (``streamlit run serve.py``) for a test that needs
its own database or must read the server log; the session-wide ``app_server`` fixture in
conftest.py serves the other browser tests."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

#: The process id of each running app, by its base URL (a test that kills a server needs it;
#: reading ``ps`` is not reliable: it cuts long command lines to the terminal's width).
PIDS: dict[str, int] = {}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def running_app(db: Path, log_path: Path, **env_extra: str):
    """Yield the base URL of the app serving ``db``; its stdout and stderr go to
    ``log_path``. The process is stopped afterwards."""
    port = free_port()
    env = dict(os.environ, PHANG_DB=str(db), PHANG_BASEMAP="none", **env_extra)
    log = open(log_path, "w")
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
    PIDS[url] = proc.pid
    try:
        deadline = time.time() + 90
        while True:
            try:
                with urllib.request.urlopen(url + "/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                if proc.poll() is not None or time.time() > deadline:
                    raise RuntimeError(f"the app did not start; see {log_path}") from None
                time.sleep(0.3)
        yield url
    finally:
        PIDS.pop(url, None)
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()
