"""Backups: a consistent snapshot (also while writes go on), a restore with identical table
checksums, refusals (newer schema, held file, not a backup), the CLI through the running
app while it keeps serving, and the admin page's button."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from data import backup as bk
from data.errors import StoreLockedError
from data.store import connect

ROOT = Path(__file__).resolve().parent.parent


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "data", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=900,
    )


def test_backup_then_restore_gives_identical_checksums(con, tmp_path):
    before = bk.checksums(con)
    assert before["tambon"]["rows"] == 7425 and before["need_report"]["rows"] > 0
    manifest = bk.backup(con.cursor(), tmp_path / "b1")
    assert manifest["tables"] == before
    assert json.loads((tmp_path / "b1" / "manifest.json").read_text())["tables"] == before
    target = tmp_path / "restored.duckdb"
    result = bk.restore(tmp_path / "b1", target)
    assert result["tables"] == len(before)
    print(
        f"backup {manifest['seconds']} s, {manifest['bytes'] / 1e6:.1f} MB; "
        f"restore {result['seconds']} s"
    )
    restored = connect(target)
    try:
        assert bk.checksums(restored) == before
        # new rows after a restore take new ids (sequences carried over)
        top = restored.execute("SELECT max(id) FROM audit_log").fetchone()[0]
        restored.execute(
            "INSERT INTO audit_log (actor, action, table_name, record_id) "
            "VALUES ('t', 'create', 'x', '1')"
        )
        new_id = restored.execute("SELECT max(id) FROM audit_log").fetchone()[0]
        assert new_id > top and new_id == manifest["sequences"]["audit_log_id_seq"]
    finally:
        restored.close()


def test_backup_is_one_snapshot_while_writes_go_on(con, tmp_path):
    stop = threading.Event()
    written = [0]

    def writer():
        cur = con.cursor()
        while not stop.is_set():
            cur.execute(
                "INSERT INTO audit_log (actor, action, table_name, record_id) "
                "VALUES ('writer', 'create', 'x', ?)",
                [str(written[0])],
            )
            written[0] += 1
        cur.close()

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        time.sleep(0.2)
        manifest = bk.backup(con.cursor(), tmp_path / "b")
    finally:
        stop.set()
        thread.join()
    assert written[0] > 0  # the writer ran during the backup
    target = tmp_path / "r.duckdb"
    bk.restore(tmp_path / "b", target)  # checks every table against the manifest
    restored = connect(target)
    try:
        assert bk.checksums(restored) == manifest["tables"]
        n = restored.execute("SELECT count(*) FROM audit_log WHERE actor = 'writer'").fetchone()[0]
    finally:
        restored.close()
    assert 0 < n <= written[0]


def test_restore_refuses_a_newer_schema_and_non_backups(con, tmp_path):
    bk.backup(con.cursor(), tmp_path / "b")
    manifest = json.loads((tmp_path / "b" / "manifest.json").read_text())
    manifest["schema_version"] = 9999
    (tmp_path / "b" / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(bk.BackupError, match="newer than this program"):
        bk.restore(tmp_path / "b", tmp_path / "x.duckdb")
    assert not (tmp_path / "x.duckdb").exists()
    with pytest.raises(bk.BackupError, match="not a backup"):
        bk.restore(tmp_path, tmp_path / "x.duckdb")
    with pytest.raises(bk.BackupError, match="not an empty folder"):
        bk.backup(con.cursor(), tmp_path / "b")


@pytest.mark.browser
def test_cli_backup_through_the_running_app_then_restore(built_db, tmp_path, browser, output_dir):
    """The app holds the file: `data backup` goes through the app, which keeps serving a
    page meanwhile; `data restore` refuses the held file, and restores once it is free."""
    import shutil

    from tests.app_process import running_app
    from tests.conftest import offline_page

    db = tmp_path / "app.duckdb"
    shutil.copy(built_db[0], db)
    backups = tmp_path / "backups"
    with running_app(db, tmp_path / "server.log", PHANG_BACKUP_DIR=str(backups)) as url:
        assert bk.control_file(db).exists()
        with pytest.raises(StoreLockedError):
            connect(db)
        page, _outside, _errors = offline_page(browser, width=1440, height=1000)
        done: dict = {}

        def run_backup():
            done["cli"] = _cli("backup", str(tmp_path / "b1"), "--db", str(db))

        thread = threading.Thread(target=run_backup)
        thread.start()
        page.goto(url + "/report", wait_until="domcontentloaded")  # served meanwhile
        page.get_by_role("heading").first.wait_for(timeout=90_000)
        with urllib.request.urlopen(url + "/_stcore/health", timeout=30) as r:
            assert r.status == 200
        thread.join()
        cli = done["cli"]
        assert cli.returncode == 0, cli.stderr
        manifest = json.loads(cli.stdout)
        assert manifest["via"] == "app" and manifest["tables"]["tambon"]["rows"] == 7425
        held = _cli("restore", str(tmp_path / "b1"), "--db", str(db))
        assert held.returncode == 2 and "in use" in held.stderr, held.stderr
        # the admin page's button (signed in as the demo admin), screenshots
        _admin_backup(page, url, output_dir)
        page.context.close()
        forged = urllib.request.Request(
            url + bk.CONTROL_ROUTE, data=b'{"target": "/tmp/x"}', method="POST"
        )
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(forged, timeout=30)
        assert refused.value.code == 403
    assert not bk.control_file(db).exists()
    assert bk.list_backups(backups), "the admin page's backup is listed"
    target = tmp_path / "restored.duckdb"
    restored = _cli("restore", str(tmp_path / "b1"), "--db", str(target))
    assert restored.returncode == 0, restored.stderr
    con = connect(target, read_only=True)
    try:
        assert bk.checksums(con) == manifest["tables"]
    finally:
        con.close()
    # with the app stopped the CLI opens the file itself
    again = _cli("backup", str(tmp_path / "b2"), "--db", str(db))
    assert again.returncode == 0 and json.loads(again.stdout)["via"] == "cli"


def _admin_backup(page, url: str, output_dir: Path) -> None:
    from tests.test_browser_language import sign_in

    sign_in(page, url, "admin")  # waits for the page to settle; retries a reset form
    page.get_by_role("link", name="ผู้ดูแลระบบ").click()
    page.get_by_role("tab", name="สำรองข้อมูล").click()
    page.get_by_role("button", name="สำรองข้อมูลตอนนี้").click()
    page.get_by_text("สำรองข้อมูลแล้ว").wait_for(timeout=120_000)
    page.screenshot(path=str(output_dir / "admin_backup_th_1440.png"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 900})
    page.wait_for_timeout(1000)
    page.screenshot(path=str(output_dir / "admin_backup_th_390.png"), full_page=True)
