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
}


def setting(name: str) -> str:
    """Return a setting's value: the environment variable, else the documented default."""
    if name not in SETTINGS:
        raise KeyError(f"unknown setting {name!r}; known: {', '.join(SETTINGS)}")
    return os.environ.get(name) or SETTINGS[name]


def db_path() -> Path:
    return Path(setting("PHANG_DB"))


def boundaries_dir() -> Path:
    return Path(setting("PHANG_BOUNDARIES_DIR"))


def villages_file() -> Path:
    return Path(setting("PHANG_VILLAGES_FILE"))


def backup_dir() -> Path:
    return Path(setting("PHANG_BACKUP_DIR"))
