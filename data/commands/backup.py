"""``backup DIR``: a consistent snapshot of the database into a new folder.

With the app stopped the CLI opens the file itself; while the app runs (it holds the file)
the CLI asks the app to write the backup through its local control route
(``backup_control``), so a cron line works either way. Prints the manifest: tables, rows,
checksums, schema version, bytes, seconds, ``via`` (``cli`` or ``app``).
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from pathlib import Path


def register(sub):
    p = sub.add_parser("backup", help="write a consistent backup of the database into DIR")
    p.add_argument("dir", type=Path, help="a new or empty folder for the backup")
    return p


def _through_app(db, target: Path) -> dict | None:
    """Ask the running app to write the backup; None when no app answers."""
    from data.backup import CONTROL_ROUTE, control_file

    try:
        control = json.loads(control_file(db).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    url = str(control.get("url", ""))
    if not url.startswith("http://127.0.0.1:"):
        return None
    request = urllib.request.Request(  # noqa: S310 - a loopback http URL, checked above
        url + CONTROL_ROUTE,
        data=json.dumps({"target": str(target)}).encode(),
        headers={"Authorization": f"Bearer {control['key']}", "Content-Type": "application/json"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=3600) as r:  # noqa: S310 - local URL
            return json.loads(r.read())
    except urllib.error.HTTPError as exc:
        return json.loads(exc.read() or b"{}") or {"ok": False, "error": str(exc)}
    except (OSError, ValueError):
        return None


def run(args) -> dict:
    from data.backup import backup
    from data.errors import InputError, StoreLockedError
    from data.pg_store import refuse_file_command
    from data.settings import db_path
    from data.store import connect

    refuse_file_command(args.db or db_path(), "backup")
    db = Path(args.db) if args.db else db_path()
    target = args.dir.resolve()
    try:
        con = connect(db, read_only=True)
    except StoreLockedError:
        answer = _through_app(db, target)
        if answer is None:
            raise StoreLockedError(
                f"the database {db} is held by another process and no running app answered; "
                "use the backup button on the app's admin page, or stop the process holding it",
                message_th=f"ฐานข้อมูล {db} ถูกใช้งานโดยโปรแกรมอื่น และแอปไม่ตอบ "
                "กรุณาใช้ปุ่มสำรองข้อมูลในหน้าผู้ดูแลระบบ",
            ) from None
        if not answer.get("ok"):
            raise InputError(f"the app refused the backup: {answer.get('error')}") from None
        return answer
    try:
        return dict(backup(con, target), via="cli")
    finally:
        con.close()
