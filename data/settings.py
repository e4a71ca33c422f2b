"""Settings: where the database and the source files are.

Each setting is read from an environment variable, falling back to a default relative
to the project. The CLI's flags override both.

| setting | environment variable | default |
| --- | --- | --- |
| database file | ``PHANG_DB`` | ``var/phangchumchon.duckdb`` under the project |
| boundary directory | ``PHANG_BOUNDARIES_DIR`` | ``../shared/data/boundaries`` beside the project |
| village points file | ``PHANG_VILLAGES_FILE`` | ``../shared/data/villages/TH_VILLAGE2012.zip`` |
| basemap | ``PHANG_BASEMAP`` | ``none`` (no tiles from the internet) |
| demo data at build | ``PHANG_DEMO`` | ``0`` |
| backups from the admin page | ``PHANG_BACKUP_DIR`` | ``var/backups`` under the project |
| imports running at once (others wait in line) | ``PHANG_MAX_IMPORTS`` | ``2`` |
| largest file an import reads (MB) | ``PHANG_IMPORT_MAX_MB`` | ``200`` |
| largest uncompressed XLSX/zip content (MB) | ``PHANG_IMPORT_MAX_UNZIPPED_MB`` | ``500`` |
| most data rows in one file | ``PHANG_IMPORT_MAX_ROWS`` | ``2000000`` |
| most columns in one file | ``PHANG_IMPORT_MAX_COLUMNS`` | ``500`` |
| most cells in one XLSX workbook | ``PHANG_IMPORT_MAX_CELLS`` | ``5000000`` |
| most features in one map file | ``PHANG_IMPORT_MAX_FEATURES`` | ``200000`` |
| most vertices in one imported shape | ``PHANG_IMPORT_MAX_VERTICES`` | ``50000`` |
| parser worker memory limit (MB, address space) | ``PHANG_IMPORT_WORKER_MB`` | ``1536`` |
| parser worker CPU limit (seconds) | ``PHANG_IMPORT_WORKER_CPU_SECONDS`` | ``600`` |
| parser worker wall-clock limit (seconds) | ``PHANG_IMPORT_TIMEOUT_SECONDS`` | ``900`` |
| import work files | ``PHANG_IMPORT_TMP`` | ``phang-imports`` in the system temp dir |
| most vertices in one need drawing | ``PHANG_NEED_MAX_VERTICES`` | ``5000`` |
| DuckDB memory limit of ``python -m data import`` (MB) | ``PHANG_IMPORT_DUCKDB_MB`` | ``256`` |
| load balancers trusted for ``X-Forwarded-For`` | ``PHANG_TRUSTED_PROXIES`` | none |
"""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SHARED_DATA = PROJECT_ROOT.parent / "shared" / "data"

SETTINGS = {
    "PHANG_DB": str(PROJECT_ROOT / "var" / "phangchumchon.duckdb"),
    "PHANG_BOUNDARIES_DIR": str(SHARED_DATA / "boundaries"),
    "PHANG_VILLAGES_FILE": str(SHARED_DATA / "villages" / "TH_VILLAGE2012.zip"),
    "PHANG_BASEMAP": "none",
    "PHANG_DEMO": "0",
    "PHANG_BACKUP_DIR": str(PROJECT_ROOT / "var" / "backups"),
    "PHANG_MAX_IMPORTS": "2",
    "PHANG_IMPORT_MAX_MB": "200",
    "PHANG_IMPORT_MAX_UNZIPPED_MB": "500",
    "PHANG_IMPORT_MAX_ROWS": "2000000",
    "PHANG_IMPORT_MAX_COLUMNS": "500",
    "PHANG_IMPORT_MAX_CELLS": "5000000",
    "PHANG_IMPORT_MAX_FEATURES": "200000",
    "PHANG_IMPORT_MAX_VERTICES": "50000",
    "PHANG_IMPORT_WORKER_MB": "1536",
    "PHANG_IMPORT_WORKER_CPU_SECONDS": "600",
    "PHANG_IMPORT_TIMEOUT_SECONDS": "900",
    "PHANG_IMPORT_TMP": "",
    "PHANG_NEED_MAX_VERTICES": "5000",
    "PHANG_IMPORT_DUCKDB_MB": "256",
    "PHANG_TRUSTED_PROXIES": "",
}


def setting(name: str) -> str:
    """Return a setting's value: the environment variable, else the documented default."""
    if name not in SETTINGS:
        raise KeyError(f"unknown setting {name!r}; known: {', '.join(SETTINGS)}")
    return os.environ.get(name) or SETTINGS[name]


def int_setting(name: str) -> int:
    """A whole-number setting; a value that is not one is refused naming the variable."""
    from data.errors import InputError

    text = setting(name).strip().replace("_", "").replace(",", "")
    try:
        value = int(text)
    except ValueError:
        raise InputError(
            f"setting {name} must be a whole number, not {text!r}",
            message_th=f"ค่าตั้ง {name} ต้องเป็นจำนวนเต็ม ไม่ใช่ {text!r}",
        ) from None
    if value <= 0:
        raise InputError(
            f"setting {name} must be above zero", message_th=f"ค่าตั้ง {name} ต้องมากกว่าศูนย์"
        )
    return value


def is_postgres_url(target: object) -> bool:
    """True for a ``postgresql://`` (or ``postgres://``) URL: the PostgreSQL store."""
    return isinstance(target, str) and target.startswith(("postgresql://", "postgres://"))


def db_path() -> Path | str:
    """The database: a DuckDB file (a Path) or a ``postgresql://`` URL (a str)."""
    value = setting("PHANG_DB")
    return value if is_postgres_url(value) else Path(value)


def boundaries_dir() -> Path:
    return Path(setting("PHANG_BOUNDARIES_DIR"))


def villages_file() -> Path:
    return Path(setting("PHANG_VILLAGES_FILE"))


def backup_dir() -> Path:
    return Path(setting("PHANG_BACKUP_DIR"))
