"""API keys: issued hashed, revocable, limited to layers, every use counted and audited.

The library on a private copy of the built database, the CLI as a subprocess, and the OGC
routes called in-process on that copy (so the counts and audit rows can be read back).
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from starlette.requests import Request

from data import apikeys
from data.errors import InputError
from data.store import connect
from tests.conftest import ROOT


def test_issue_stores_only_a_hash_and_checks_layers(con):
    issued = apikeys.issue(con, "  กรมพัฒนาที่ดิน ", layers=["organizations"], actor="admin")
    assert issued.key.agency == "กรมพัฒนาที่ดิน"
    assert issued.token.startswith("phk_") and len(issued.token) > 40
    stored = con.execute("SELECT token_sha256, prefix FROM api_key").fetchall()
    assert stored == [(apikeys.token_hash(issued.token), issued.token[:12])]
    # the token itself is nowhere in the database, not even in the audit trail
    dumped = con.execute("SELECT string_agg(after::VARCHAR, ' ') FROM audit_log").fetchone()[0]
    assert issued.token not in dumped and issued.token not in str(stored)
    assert apikeys.check(con, issued.token, "organizations").id == issued.key.id
    with pytest.raises(apikeys.ApiKeyError) as wrong_layer:
        apikeys.check(con, issued.token, "land_cases")
    assert wrong_layer.value.reason == "layer"
    for token, reason in ((None, "missing"), ("  ", "missing"), ("phk_nope", "unknown")):
        with pytest.raises(apikeys.ApiKeyError) as exc:
            apikeys.check(con, token, "organizations")
        assert exc.value.reason == reason


def test_revoke_is_final_and_audited(con):
    issued = apikeys.issue(con, "สำนักงานสถิติแห่งชาติ", actor="admin")
    assert apikeys.check(con, issued.token, "need_reports").opens("need_reports")
    revoked = apikeys.revoke(con, issued.key.id, actor="admin")
    assert not revoked.active and revoked.revoked_by == "admin"
    with pytest.raises(apikeys.ApiKeyError) as exc:
        apikeys.check(con, issued.token, "organizations")
    assert exc.value.reason == "revoked"
    with pytest.raises(InputError):
        apikeys.revoke(con, issued.key.id, actor="admin")
    actions = [
        r[0]
        for r in con.execute(
            "SELECT action FROM audit_log WHERE table_name = 'api_key' ORDER BY id"
        ).fetchall()
    ]
    assert actions == ["create", "revoke"]


@pytest.mark.parametrize(
    ("agency", "layers", "message"),
    [("", None, "agency"), ("ก" * 201, None, "200"), ("กรม", ["no_such_layer"], "unknown layers")],
)
def test_bad_issue_is_refused(con, agency, layers, message):
    with pytest.raises(InputError) as exc:
        apikeys.issue(con, agency, layers=layers, actor="admin")
    assert message in exc.value.message
    assert con.execute("SELECT count(*) FROM api_key").fetchone()[0] == 0


def _cli(db, *args, check=True):
    out = subprocess.run(
        [sys.executable, "-m", "data", "apikeys", *args, "--db", str(db)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if check:
        assert out.returncode == 0, out.stderr
    return out


def test_cli_issue_list_revoke(db_copy):
    issued = json.loads(_cli(db_copy, "issue", "กรมที่ดิน", "--layers", "projects").stdout)
    assert issued["layers"] == ["projects"] and issued["token"].startswith("phk_")
    listed = [json.loads(line) for line in _cli(db_copy, "list").stdout.splitlines()]
    assert [k["agency"] for k in listed] == ["กรมที่ดิน"] and "token" not in listed[0]
    revoked = json.loads(_cli(db_copy, "revoke", str(issued["id"])).stdout)
    assert revoked["active"] is False
    again = _cli(db_copy, "revoke", str(issued["id"]), check=False)
    assert again.returncode == 2 and "already revoked" in again.stderr
    assert _cli(db_copy, "list", "--active").stdout.strip() == ""
    bad = _cli(db_copy, "issue", "กรม", "--layers", "nope", check=False)
    assert bad.returncode == 2 and "unknown layers" in bad.stderr


def _request(path: str, query: str = "", headers: dict | None = None) -> Request:
    raw = [(k.lower().encode(), v.encode()) for k, v in (headers or {}).items()]
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
            "path_params": {},
        }
    )


@pytest.fixture()
def served_copy(db_copy, monkeypatch):
    """The OGC routes in this process, on a private database copy with two keys."""
    from data import store

    con = connect(db_copy)
    good = apikeys.issue(con, "กรมพัฒนาที่ดิน", layers=["organizations"], actor="admin")
    other = apikeys.issue(con, "สำนักงานเขต", actor="admin")
    con.close()
    monkeypatch.setenv("PHANG_DB", str(db_copy))
    yield good, other
    held = store._process_connections.pop(str(db_copy), None)
    if held is not None:
        held.close()


def _call(handler, cid: str, query: str = "", headers: dict | None = None):
    request = _request(f"/ogc/collections/{cid}/items", query, headers)
    request.scope["path_params"] = {"cid": cid}
    return handler(request)


def test_every_use_is_counted_and_audited_and_revoked_keys_get_401(served_copy):
    from data.store import process_connection
    from ogc.routes import items

    good, other = served_copy
    for offset in (0, 5, 10):
        answer = _call(
            items, "organizations", f"limit=5&offset={offset}", {"X-API-Key": good.token}
        )
        assert answer.status_code == 200
        assert len(json.loads(answer.body)["features"]) == 5
    by_query = _call(items, "organizations", f"limit=2&api_key={good.token}")
    assert by_query.status_code == 200
    # a public layer needs no key and counts nothing
    assert _call(items, "boundaries_province", "limit=1").status_code == 200
    cur = process_connection().cursor()
    uses = cur.execute("SELECT use_count FROM api_key WHERE id = ?", [good.key.id]).fetchone()[0]
    audited = cur.execute(
        "SELECT after FROM audit_log WHERE action = 'api_use' AND record_id = ? ORDER BY id",
        [str(good.key.id)],
    ).fetchall()
    assert uses == 4 and len(audited) == 4
    last = json.loads(audited[-1][0])
    assert last["path"] == "/ogc/collections/organizations/items" and last["returned"] == 2
    assert good.token not in json.dumps([a[0] for a in audited])  # the key never logged

    wrong_layer = _call(items, "land_cases", "", {"X-API-Key": good.token})
    assert wrong_layer.status_code == 403
    apikeys.revoke(cur, other.key.id, actor="admin")
    cur.close()
    for headers in ({}, {"X-API-Key": other.token}, {"X-API-Key": "phk_made_up"}):
        answer = _call(items, "organizations", "", headers)
        assert answer.status_code == 401
        body = json.loads(answer.body)
        assert body["code"].startswith("api_key_") and body["description_th"]
        assert "X-API-Key" in answer.headers["www-authenticate"]
