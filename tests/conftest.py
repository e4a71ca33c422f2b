"""Shared fixtures: the real shared data, a database built from it once per test session,
and the running app for browser tests.

The full build (boundaries, groupings, villages, and every registered build step such as
map shapes and demo data) runs once per session into a temporary directory; tests that
write take their own copy with ``db_copy``.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("PHANG_SHARED_DATA", ROOT.parent / "shared" / "data"))
BOUNDARIES = Path(os.environ.get("PHANG_BOUNDARIES_DIR", SHARED / "boundaries"))
VILLAGES = Path(os.environ.get("PHANG_VILLAGES_FILE", SHARED / "villages" / "TH_VILLAGE2012.zip"))
TAMBON_ZIP = BOUNDARIES / "tha_admbnda_adm3_rtsd_20220121.zip"
OUTPUT = ROOT / "test-output"


@pytest.fixture(scope="session")
def shared_boundaries() -> Path:
    assert TAMBON_ZIP.exists(), f"the shared boundary files are missing at {BOUNDARIES}"
    return BOUNDARIES


@pytest.fixture(scope="session")
def tambon_frame(shared_boundaries):
    """The real tambon file's attribute table (no geometry), for the matcher tests."""
    import pyogrio

    return pyogrio.read_dataframe(TAMBON_ZIP, encoding="utf-8", read_geometry=False)


@pytest.fixture(scope="session")
def gazetteer(tambon_frame):
    """A gazetteer built from the real tambon file (modules may define their own)."""
    from boundaries.matcher import Gazetteer

    return Gazetteer.from_boundary_frame(tambon_frame)


@pytest.fixture(scope="session")
def built_db(tmp_path_factory, shared_boundaries) -> tuple[Path, dict]:
    """A database built from the real shared files with demo data: (path, build summary)."""
    from data.build import build
    from data.store import connect

    path = tmp_path_factory.mktemp("db") / "phang.duckdb"
    con = connect(path)
    try:
        summary = build(con, shared_boundaries, VILLAGES, options={"demo": True})
    finally:
        con.close()
    return path, summary


@pytest.fixture(scope="session")
def db_path(built_db) -> Path:
    return built_db[0]


# Test modules that run against both stores: each test there that uses ``db_copy`` (or
# ``con``), or a module fixture that asks for ``store_kind``, runs once on a DuckDB file and
# once on a PostgreSQL database (a copy of the same build). Mark a test
# ``@pytest.mark.duckdb_only`` (and say why) when it is about the DuckDB file itself.
# Privacy, ODK and the one-server load run on DuckDB only (README, "Both stores": what they
# check runs through the same SQL the modules here test on both, and CI's time is bounded).
BOTH_STORES = {
    "test_store",
    "test_import",
    "test_need_reports",
    "test_need_hold",
    "test_export",
    "test_export_privacy",
    "test_plans",
    "test_planning",
    "test_planning_pages",
    "test_export_page",
    "test_import_page",
    "test_account_security",
    "test_apikeys",
    "test_field_sessions",
}
STORE_KINDS = ["duckdb", "postgres"]


def pytest_configure(config):
    config.addinivalue_line("markers", "duckdb_only: runs on the DuckDB store only (says why)")


def pytest_generate_tests(metafunc):
    module = metafunc.module.__name__.rsplit(".", 1)[-1]
    if (
        module in BOTH_STORES
        and "store_kind" in metafunc.fixturenames
        and not metafunc.definition.get_closest_marker("duckdb_only")
    ):
        metafunc.parametrize("store_kind", STORE_KINDS, indirect=True, scope="module")


@pytest.fixture(scope="module")
def store_kind(request) -> str:
    """``duckdb`` or ``postgres`` (see BOTH_STORES); DuckDB where a module runs on one."""
    return getattr(request, "param", "duckdb")


@contextmanager
def refused_by_schema():
    """Expect the schema (a CHECK, NOT NULL or unique rule) to refuse a write, on either
    store: DuckDB raises ConstraintException, PostgreSQL's refusal comes through DuckDB's
    postgres extension as an error carrying PostgreSQL's message."""
    import duckdb

    from data.store import is_constraint

    with pytest.raises(duckdb.Error) as info:
        yield info
    assert is_constraint(info.value), f"not a schema refusal: {info.value}"


@pytest.fixture(scope="session")
def pg_server():
    """A throwaway PostgreSQL 15 + PostGIS cluster (Debian's packages) in a temporary
    folder, stopped at the end: yields its port. Required in CI."""
    import tempfile

    from data import pg_cluster

    if not pg_cluster.available():
        if os.environ.get("CI") == "true":
            pytest.fail("PostgreSQL 15 + PostGIS are required in CI (make postgres-deps)")
        pytest.skip("PostgreSQL 15 + PostGIS are not installed (make postgres-deps)")
    folder = Path(tempfile.mkdtemp(prefix="phang-pg-"))
    port = _free_port()
    pg_cluster.start(folder, port)
    pg_cluster.wait_ready(port)
    yield port
    pg_cluster.stop(folder)
    shutil.rmtree(folder, ignore_errors=True)


def pg_copy_of(port: int, source: Path, name: str) -> str:
    """A new PostgreSQL database holding a copy of the DuckDB file ``source``."""
    from data import pg_cluster
    from data.migrate_store import migrate_store

    pg_cluster.drop_database(port, name)
    target = pg_cluster.create_database(port, name)
    migrate_store(source, target)
    return target


def empty_store(store_kind: str, request, folder: Path, name: str = "fresh.duckdb"):
    """A new, empty database of the module's store kind: a DuckDB file in ``folder`` or a
    new PostgreSQL database (with PostGIS); dropped with the throwaway cluster."""
    if store_kind != "postgres":
        return folder / name
    import uuid

    from data import pg_cluster

    return pg_cluster.create_database(
        request.getfixturevalue("pg_server"), f"e_{uuid.uuid4().hex[:12]}"
    )


@pytest.fixture(scope="session")
def pg_template(pg_server, built_db) -> str:
    """The session build copied into PostgreSQL once; tests take copies of it."""
    pg_copy_of(pg_server, built_db[0], "phang_template")
    return "phang_template"


@contextmanager
def pages_store(store_kind: str, request, built_db, folder: Path):
    """A private copy of the session build for a module of page tests, with ``PHANG_DB``
    pointing at it and Streamlit's caches cleared around it: a DuckDB file in ``folder``, or
    (where the module runs on both stores) a PostgreSQL database, dropped afterwards."""
    import uuid

    import streamlit as st

    from data import pg_cluster, store

    port = name = None
    if store_kind == "postgres":
        port = request.getfixturevalue("pg_server")
        template = request.getfixturevalue("pg_template")
        name = "pages_" + uuid.uuid4().hex[:8]
        target = pg_cluster.create_database(port, name, template=template)
    else:
        target = folder / "pages.duckdb"
        shutil.copy(built_db[0], target)
    mp = pytest.MonkeyPatch()
    mp.setenv("PHANG_DB", str(target))
    mp.setenv("PHANG_BASEMAP", "none")
    st.cache_resource.clear()
    st.cache_data.clear()
    try:
        yield target
    finally:
        st.cache_resource.clear()
        st.cache_data.clear()
        mp.undo()
        shared = store._process_connections.pop(str(target), None)
        if shared is not None:  # the pages' one connection to it
            shared.close()
        if name is not None:
            pg_cluster.drop_database(port, name)


@pytest.fixture(scope="session")
def export_db(built_db, tmp_path_factory) -> Path:
    """The export tests' database (``tests/export_data.py``), built once per session."""
    from tests.export_data import build_export_db

    return build_export_db(built_db[0], tmp_path_factory.mktemp("exportdb"))


@pytest.fixture(scope="module")
def econ(export_db, store_kind, request):
    """The export database, read-only: the DuckDB file, or its copy in PostgreSQL (one
    per module, so modules sharing a worker never drop each other's copy)."""
    from data.store import connect

    target = export_db
    if store_kind == "postgres":
        name = "export_" + request.module.__name__.rsplit(".", 1)[-1]
        target = pg_copy_of(request.getfixturevalue("pg_server"), export_db, name)
    con = connect(target, read_only=True)
    yield con
    con.close()


@pytest.fixture()
def db_copy(built_db, tmp_path, store_kind, request):
    """A private copy of the built database that a test may change: a DuckDB file (a Path),
    or, where the module runs on both stores, a PostgreSQL database (its URL)."""
    if store_kind == "postgres":
        import uuid

        from data import pg_cluster

        port = request.getfixturevalue("pg_server")
        template = request.getfixturevalue("pg_template")
        name = f"t_{uuid.uuid4().hex[:12]}"
        yield pg_cluster.create_database(port, name, template=template)
        pg_cluster.drop_database(port, name)
        return
    target = tmp_path / "copy.duckdb"
    shutil.copy(built_db[0], target)
    yield target


@pytest.fixture()
def con(db_copy):
    from data.store import connect

    connection = connect(db_copy)
    yield connection
    connection.close()


@pytest.fixture(scope="session")
def ro_con(db_path):
    """A read-only connection on the shared session database (do not write)."""
    from data.store import connect

    connection = connect(db_path, read_only=True)
    yield connection
    connection.close()


@pytest.fixture(scope="session")
def output_dir() -> Path:
    OUTPUT.mkdir(exist_ok=True)
    return OUTPUT


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def app_server(built_db, tmp_path_factory):
    """The real app (``streamlit run serve.py``: pages and HTTP routes) on a free localhost
    port, on a copy of the database.

    Yields (base_url, db_path). Browser tests use ``browser`` below against it.
    """
    db = tmp_path_factory.mktemp("appdb") / "app.duckdb"
    shutil.copy(built_db[0], db)
    port = _free_port()
    env = dict(os.environ, PHANG_DB=str(db), PHANG_BASEMAP="none")
    subprocess.run([sys.executable, "-m", "geo.static_assets"], cwd=ROOT, env=env, check=False)
    log = open(tmp_path_factory.mktemp("applog") / "streamlit.log", "w")
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
    deadline = time.time() + 120
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(url + "/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    break
        except OSError:
            time.sleep(0.3)
    else:
        proc.kill()
        raise RuntimeError(f"the app did not start; see {log.name}")
    yield url, db
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
    log.close()


CHROMIUM = os.environ.get("PHANG_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser():
    """Headless Debian Chromium driven by Playwright. Required (not skipped) when CI=true."""
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"Chromium is required in CI but {CHROMIUM} is missing")
        pytest.skip(f"no Chromium at {CHROMIUM}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()


def offline_page(browser, width: int = 1280, height: int = 900):
    """A page whose requests to anything but localhost are blocked and recorded.

    Returns (page, outside_requests, console_errors).
    """
    context = browser.new_context(viewport={"width": width, "height": height}, locale="th-TH")
    outside: list[str] = []
    errors: list[str] = []

    def route(r):
        host = r.request.url.split("/")[2] if "://" in r.request.url else ""
        if host.split(":")[0] in ("127.0.0.1", "localhost") or r.request.url.startswith(
            ("data:", "blob:")
        ):
            r.continue_()
        else:
            outside.append(r.request.url)
            r.abort()

    context.route("**/*", route)
    page = context.new_page()
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    return page, outside, errors
