"""A local PostgreSQL + PostGIS cluster from Debian's packages, for trying the PostgreSQL
store (``make run-postgres``) and for the tests (a throwaway cluster in a temporary folder).

``python -m data.pg_cluster start --dir var/postgres --port 55432 --database phangchumchon``
creates the cluster on first use (trust authentication on 127.0.0.1 only, user ``phang``),
starts it, creates the database with PostGIS and prints its URL; ``stop --dir ...`` stops it.
PostgreSQL refuses to run as root, so as root the server runs as the ``postgres`` user.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

BIN = Path(os.environ.get("PHANG_PG_BIN", "/usr/lib/postgresql/15/bin"))
USER = "phang"


def available() -> bool:
    return (BIN / "initdb").exists() and Path(
        "/usr/share/postgresql/15/extension/postgis.control"
    ).exists()


def _server(*args: str, check: bool = True, timeout: float = 120):
    """Run one of PostgreSQL's programs (fixed paths, our own arguments), as the
    ``postgres`` user when we are root."""
    cmd = [str(BIN / args[0]), *args[1:]]
    if os.geteuid() == 0:
        cmd = ["runuser", "-u", "postgres", "--", *cmd]
    return subprocess.run(cmd, check=check, capture_output=True, timeout=timeout)  # noqa: S603


def url(port: int, database: str) -> str:
    return f"postgresql://{USER}@127.0.0.1:{port}/{database}"


def start(folder: Path, port: int) -> None:
    """Create (first time) and start the cluster in ``folder`` listening on 127.0.0.1:port."""
    folder = Path(folder).resolve()
    data = folder / "data"
    folder.mkdir(parents=True, exist_ok=True)
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres")
    if not (data / "PG_VERSION").exists():
        _server(
            "initdb", "-D", str(data), "-A", "trust", "-U", USER, "-E", "UTF8", "--locale=C.UTF-8"
        )
    if _server("pg_ctl", "-D", str(data), "status", check=False).returncode == 0:
        return
    options = (
        f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=on "
        "-c max_connections=200 -c shared_buffers=256MB"
    )
    _server("pg_ctl", "-D", str(data), "-o", options, "-l", str(folder / "log"), "-w", "start")


def stop(folder: Path) -> None:
    data = Path(folder).resolve() / "data"
    _server("pg_ctl", "-D", str(data), "-m", "fast", "-w", "stop", check=False)


def create_database(port: int, database: str, *, template: str | None = None) -> str:
    """Create ``database`` (with PostGIS, or as a copy of ``template``) unless it exists."""
    import psycopg

    with psycopg.connect(url(port, "postgres"), autocommit=True) as pg:
        exists = pg.execute("SELECT 1 FROM pg_database WHERE datname = %s", [database]).fetchone()
        if not exists:
            suffix = f' TEMPLATE "{template}"' if template else ""
            pg.execute(f'CREATE DATABASE "{database}"{suffix}')
    if not template:
        with psycopg.connect(url(port, database), autocommit=True) as pg:
            pg.execute("CREATE EXTENSION IF NOT EXISTS postgis")
    return url(port, database)


def drop_database(port: int, database: str) -> None:
    import psycopg

    with psycopg.connect(url(port, "postgres"), autocommit=True) as pg:
        pg.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


def wait_ready(port: int, timeout: float = 60) -> None:
    import psycopg

    deadline = time.time() + timeout
    while True:
        try:
            psycopg.connect(url(port, "postgres"), connect_timeout=2).close()
            return
        except psycopg.OperationalError:
            if time.time() > deadline:
                raise
            time.sleep(0.3)


def main(argv: list[str] | None = None) -> int:
    top = argparse.ArgumentParser(prog="python -m data.pg_cluster")
    top.add_argument("action", choices=["start", "stop"])
    top.add_argument("--dir", type=Path, default=Path("var/postgres"))
    top.add_argument("--port", type=int, default=55432)
    top.add_argument("--database", default="phangchumchon")
    args = top.parse_args(argv)
    if not available():
        print(
            "PostgreSQL 15 with PostGIS is not installed (make postgres-deps installs it)",
            file=sys.stderr,
        )
        return 1
    if args.action == "stop":
        stop(args.dir)
        return 0
    start(args.dir, args.port)
    wait_ready(args.port)
    print(create_database(args.port, args.database))
    return 0


if __name__ == "__main__":
    sys.exit(main())
