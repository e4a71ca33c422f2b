"""Private temporary directories for uploads and parser output, removed even after a crash.

Every import works in its own directory ``<base>/<pid>-<random>`` (base: the
``PHANG_IMPORT_TMP`` setting, else ``phang-imports`` in the system temp directory),
removed when the import ends however it ends. A process that dies (killed, out of
memory, power cut) cannot clean up after itself, so the next import, and the app at
start, sweep directories whose process is gone or that are older than a day.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

STALE_SECONDS = 24 * 3600


def base_dir() -> Path:
    from data.settings import setting

    configured = setting("PHANG_IMPORT_TMP").strip()
    base = Path(configured) if configured else Path(tempfile.gettempdir()) / "phang-imports"
    base.mkdir(mode=0o700, parents=True, exist_ok=True)
    return base


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def sweep(base: Path | None = None, *, now: float | None = None) -> list[Path]:
    """Remove work directories left by dead processes (or older than a day); return them."""
    base = base or base_dir()
    now = time.time() if now is None else now
    removed = []
    for entry in base.iterdir():
        pid_text = entry.name.split("-", 1)[0]
        try:
            pid = int(pid_text)
            age = now - entry.stat().st_mtime
        except (ValueError, OSError):
            continue
        if (pid != os.getpid() and not _alive(pid)) or age > STALE_SECONDS:
            if entry.is_dir():
                shutil.rmtree(entry, ignore_errors=True)
            else:
                entry.unlink(missing_ok=True)
            removed.append(entry)
    return removed


@contextmanager
def work_dir(prefix: str = "import") -> Iterator[Path]:
    """A fresh private directory for one import, removed on the way out, whatever happens."""
    base = base_dir()
    sweep(base)
    path = Path(tempfile.mkdtemp(prefix=f"{os.getpid()}-{prefix}-", dir=base))
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


def save_upload(data, name: str, directory: Path) -> Path:
    """Write an upload's bytes (``bytes`` or a buffer) into ``directory``; keep only a
    short, safe suffix of its name."""
    suffix = Path(name).suffix.lower()[:10]
    safe = "".join(ch for ch in suffix if ch.isalnum() or ch == ".")
    path = directory / f"upload{safe}"
    with open(path, "wb") as fh:
        fh.write(data)
    return path
