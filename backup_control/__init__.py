"""Backups through the running app: the local control route ``POST /_phang/backup``.

While the app runs it owns the database file, so ``python -m data backup DIR`` (e.g. from
cron) cannot open it; it asks the app instead. At start the app writes a control file
beside the database (``<db>.control.json``, readable by its owner only: the address and a
random key); the CLI reads it and posts the target folder with the key. The route answers
only requests from this machine (127.0.0.1/::1) carrying the key, and runs
:func:`data.backup.backup` on the app's own connection (a consistent snapshot while pages
keep serving). The file is removed when the app stops.
"""

from __future__ import annotations

import hmac
import json
import os
import secrets

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from data.backup import CONTROL_ROUTE, control_file
from data.errors import PhangError
from data.logs import logger
from data.pg_store import is_postgres
from data.settings import db_path

PATH = CONTROL_ROUTE
LOCAL = ("127.0.0.1", "::1", "localhost")
log = logger("backup")
_key: dict[str, str] = {}


def on_start(port: int) -> None:
    """Write the control file (owner-only) with this server's loopback address and a
    fresh key."""
    if is_postgres(db_path()):
        return  # backups of a PostgreSQL store are PostgreSQL's own (pg_dump)
    key = secrets.token_urlsafe(32)
    _key["key"] = key
    path = control_file(db_path())
    base_url = f"http://127.0.0.1:{port}"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump({"url": base_url, "key": key, "pid": os.getpid()}, fh)
        os.chmod(path, 0o600)
    except OSError as exc:
        log.warning("could not write the backup control file %s: %s", path, exc)


def on_stop() -> None:
    if is_postgres(db_path()):
        return
    path = control_file(db_path())
    try:
        if json.loads(path.read_text(encoding="utf-8")).get("key") == _key.get("key"):
            path.unlink()
    except (OSError, ValueError):
        pass


def _run_backup(target: str) -> dict:
    from data.backup import backup
    from data.store import process_connection

    cur = process_connection().cursor()
    try:
        return backup(cur, target)
    finally:
        cur.close()


async def backup_route(request: Request):
    host = request.client.host if request.client else ""
    given = request.headers.get("authorization", "").removeprefix("Bearer ").strip()
    key = _key.get("key", "")
    if host not in LOCAL or not key or not hmac.compare_digest(given, key):
        return JSONResponse({"ok": False, "error": "forbidden"}, status_code=403)
    try:
        body = json.loads(await request.body() or b"{}")
        target = str(body["target"])
    except (ValueError, KeyError, TypeError):
        return JSONResponse({"ok": False, "error": 'send {"target": DIR}'}, status_code=400)
    if not os.path.isabs(target):
        return JSONResponse({"ok": False, "error": "target must be absolute"}, status_code=400)
    try:
        manifest = await run_in_threadpool(_run_backup, target)
    except PhangError as exc:
        return JSONResponse({"ok": False, "error": exc.message}, status_code=400)
    log.info("backup written to %s through the control route", manifest["path"])
    return JSONResponse({"ok": True, "via": "app", **manifest})


def routes() -> list[Route]:
    return [Route(PATH, backup_route, methods=["POST"])]
