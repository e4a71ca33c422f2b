"""``python -m data users ...`` and ``python -m data audit ...`` on a copy of the database."""

from __future__ import annotations

import io
import json

from data.__main__ import main


def cli(capsys, monkeypatch, *argv: str, stdin: str = "") -> tuple[int, list, str]:
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    code = main(list(argv))
    out, err = capsys.readouterr()
    rows = [json.loads(line) for line in out.splitlines() if line.strip()]
    return code, rows, err


def test_users_and_audit_commands(db_copy, capsys, monkeypatch):
    db = ["--db", str(db_copy)]
    code, rows, _ = cli(capsys, monkeypatch, "users", "list", *db)
    assert code == 0 and {"admin", "coord_bkk"} <= {r["username"] for r in rows}
    assert all("password_hash" not in r for r in rows)
    code, rows, _ = cli(
        capsys,
        monkeypatch,
        "users",
        "add",
        "somsri",
        "--role",
        "coordinator",
        "--scope",
        "TH50",
        "--name",
        "สมศรี",
        "--password-stdin",
        *db,
        stdin="a-long-password\n",
    )
    assert code == 0 and rows[0]["scope"] == "TH50"
    code, _, err = cli(
        capsys,
        monkeypatch,
        "users",
        "set-password",
        "somsri",
        "--password-stdin",
        *db,
        stdin="short\n",
    )
    assert code == 2 and "at least 10" in err
    code, _, err = cli(
        capsys,
        monkeypatch,
        "users",
        "set-role",
        "somsri",
        "coordinator",
        "--scope",
        "Chiang Mai",
        *db,
    )
    assert code == 2 and "scope" in err
    code, rows, _ = cli(capsys, monkeypatch, "users", "disable", "somsri", *db)
    assert code == 0 and rows[0]["active"] is False
    code, rows, _ = cli(capsys, monkeypatch, "audit", "account", "somsri", *db)
    assert [r["action"] for r in rows] == ["create", "disable"]
    assert rows[0]["after"]["password_hash"] == "[redacted]"
    assert rows[0]["actor"].startswith("cli")
