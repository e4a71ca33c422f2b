"""The limits an imported file must keep, read from the settings at the start of an import.

Every number has a setting (``PHANG_IMPORT_*``, see :mod:`data.settings` and the README);
the defaults let a coordinator's real registry through (a 200 MB CSV is about 1.3 million
rows) while a crafted file is stopped before it costs the server memory or time.
The parser worker gets the limits as JSON, so a test that changes one in this process
changes it for the worker too.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

MB = 1024 * 1024
#: the last row and column an XLSX sheet can have (Excel's own limits)
SHEET_LAST_ROW = 1_048_576
SHEET_LAST_COLUMN = 16_384


@dataclass(frozen=True)
class Limits:
    """What one import may read and use."""

    max_file_bytes: int
    max_unzipped_bytes: int
    max_members: int
    max_ratio: float
    max_rows: int
    max_columns: int
    max_cells: int
    max_features: int
    max_vertices: int
    worker_bytes: int
    worker_cpu_seconds: int
    timeout_seconds: float

    def to_json(self) -> dict:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict) -> Limits:
        return cls(**data)


def current_limits() -> Limits:
    """The limits from the environment, falling back to the documented defaults.

    ``safety.MAX_FILE_BYTES`` (and its siblings) stay the defaults of record when no
    environment variable is set, so code and tests that change them keep working.
    """
    import os

    from data.importers import safety
    from data.settings import int_setting

    def mb(name: str, fallback: int) -> int:
        return int_setting(name) * MB if os.environ.get(name) else fallback

    return Limits(
        max_file_bytes=mb("PHANG_IMPORT_MAX_MB", safety.MAX_FILE_BYTES),
        max_unzipped_bytes=mb("PHANG_IMPORT_MAX_UNZIPPED_MB", safety.MAX_UNZIPPED_BYTES),
        max_members=safety.MAX_MEMBERS,
        max_ratio=safety.MAX_RATIO,
        max_rows=int_setting("PHANG_IMPORT_MAX_ROWS"),
        max_columns=int_setting("PHANG_IMPORT_MAX_COLUMNS"),
        max_cells=int_setting("PHANG_IMPORT_MAX_CELLS"),
        max_features=int_setting("PHANG_IMPORT_MAX_FEATURES"),
        max_vertices=int_setting("PHANG_IMPORT_MAX_VERTICES"),
        worker_bytes=int_setting("PHANG_IMPORT_WORKER_MB") * MB,
        worker_cpu_seconds=int_setting("PHANG_IMPORT_WORKER_CPU_SECONDS"),
        timeout_seconds=float(int_setting("PHANG_IMPORT_TIMEOUT_SECONDS")),
    )
