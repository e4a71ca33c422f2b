"""``python -m data``: JSON on stdout, one-line errors on stderr, non-zero exit on bad input."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import BOUNDARIES, ROOT

BUILD_KEYS = {
    "provinces",
    "amphoe",
    "tambons",
    "clusters",
    "regions",
    "villages",
    "villages_matched_spatial",
    "villages_matched_name",
    "seconds",
}


def run_cli(*args: str, db: Path | None = None) -> subprocess.CompletedProcess:
    cmd = [sys.executable, "-m", "data", *args]
    if db is not None:
        cmd += ["--db", str(db)]
    return subprocess.run(
        cmd, cwd=ROOT, capture_output=True, text=True, timeout=300, env=dict(os.environ)
    )


def test_build_prints_one_json_line_and_is_idempotent(tmp_path):
    db = tmp_path / "cli.duckdb"
    # an empty database file (an interrupted first build, a page opened too early) is built
    from data.store import connect

    connect(db).close()
    assert db.exists()
    first = run_cli("build", "--boundaries", str(BOUNDARIES), "--no-villages", "--if-needed", db=db)
    assert first.returncode == 0, first.stderr
    lines = first.stdout.strip().splitlines()
    assert len(lines) == 1
    summary = json.loads(lines[0])
    assert BUILD_KEYS <= set(summary)
    assert (summary["provinces"], summary["amphoe"], summary["tambons"]) == (77, 928, 7425)
    second = json.loads(
        run_cli("build", "--boundaries", str(BOUNDARIES), "--no-villages", db=db).stdout
    )
    assert {k: second[k] for k in ("provinces", "amphoe", "tambons", "clusters", "regions")} == {
        k: summary[k] for k in ("provinces", "amphoe", "tambons", "clusters", "regions")
    }
    # `make run` on a built database starts at once
    again = run_cli("build", "--boundaries", "/nonexistent", "--if-needed", db=db)
    assert again.returncode == 0, again.stderr
    assert json.loads(again.stdout) == {"built": False, "reason": "already built", "tambons": 7425}


def test_match_answers_one_object_per_input_in_order(db_path):
    result = run_cli("match", "ต.ท่าถ่าน อ.พนมสารคาม จ.ฉะเชิงเทรา", "ในเมือง", "กทม.", db=db_path)
    assert result.returncode == 0, result.stderr
    rows = [json.loads(line) for line in result.stdout.strip().splitlines()]
    assert [r["input"] for r in rows] == ["ต.ท่าถ่าน อ.พนมสารคาม จ.ฉะเชิงเทรา", "ในเมือง", "กทม."]
    for r in rows:
        assert {"input", "pcode", "level", "name_th", "name_en", "score", "candidates"} <= set(r)
    assert rows[0]["pcode"] == "TH240606" and rows[0]["level"] == "tambon"
    assert rows[1]["pcode"] is None and len(rows[1]["candidates"]) >= 2
    assert rows[2]["pcode"] == "TH10"


def test_match_level_restricts(db_path):
    result = run_cli("match", "เชียงใหม่", "--level", "province", db=db_path)
    assert json.loads(result.stdout)["pcode"] == "TH50"


def test_groupings_list_and_show(db_path):
    listed = json.loads(run_cli("groupings", "list", db=db_path).stdout)
    assert listed["groupings"][0]["name"] == "codi-18"
    shown = json.loads(run_cli("groupings", "show", "codi-18", db=db_path).stdout)
    assert len(shown["provinces"]) == 77
    assert {"pcode", "name_th", "cluster", "cluster_name", "region"} <= set(shown["provinces"][0])


def test_groupings_import_refuses_a_bad_csv_with_rows(db_copy, tmp_path):
    csv = tmp_path / "bad.csv"
    csv.write_text("province,cluster,region\nเชียงใหม่,A,North\nเชียงใหม่,B,North\n", encoding="utf-8")
    result = run_cli("groupings", "import", str(csv), db=db_copy)
    assert result.returncode != 0
    first_line = result.stderr.strip().splitlines()[0]
    assert first_line.startswith("error: bad.csv:") and "nothing was stored" in first_line
    assert "already in cluster" in result.stderr


@pytest.mark.parametrize(
    "args,expected",
    [
        (("groupings", "show", "no-such-grouping"), "no grouping named"),
        (("build", "--boundaries", "/nonexistent/dir", "--no-villages"), "does not exist"),
    ],
)
def test_errors_exit_non_zero_with_one_line(db_copy, args, expected):
    result = run_cli(*args, db=db_copy)
    assert result.returncode == 2
    assert result.stderr.startswith("error: ") and expected in result.stderr.splitlines()[0]
    assert result.stdout == ""
