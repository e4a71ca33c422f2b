"""The parser worker: ``python -m data.importers.worker JOB_DIR`` (started by
:mod:`data.importers.isolation`, never by hand).

It reads ``JOB_DIR/job.json`` (file, kind, display name, limits), limits its own address
space and CPU time (``resource.setrlimit``), checks the file before parsing
(:mod:`data.importers.precheck`), streams its rows to ``JOB_DIR/rows.parquet``
(:mod:`data.importers.stream`) and writes ``JOB_DIR/result.json``: the header, the
columns, the row count and notes, or a refusal in Thai and English. Progress (rows read)
goes to ``JOB_DIR/progress``. Whatever happens in here, the web server's process only
sees a result file or a dead child.
"""

from __future__ import annotations

import json
import os
import resource
import sys
import traceback
from pathlib import Path

#: exit codes the parent tells apart
EXIT_REFUSED, EXIT_MEMORY, EXIT_CRASH = 2, 3, 4


def limit_resources(address_bytes: int, cpu_seconds: int) -> None:
    """Cap this process: address space (so a bomb ends in MemoryError) and CPU seconds."""
    resource.setrlimit(resource.RLIMIT_AS, (address_bytes, address_bytes))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 5))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def _peak_rss_mb(usage) -> float:
    """This program's peak resident memory. ``ru_maxrss`` survives ``exec`` and so starts at
    the size of the process that forked the worker; ``VmHWM`` belongs to this image alone."""
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    return round(usage.ru_maxrss / 1024, 1)


def parse(job: dict, job_dir: Path) -> dict:
    """Check and stream the job's file; return the result meta (raises ImportFileError)."""
    from data.importers.errors import ImportFileError
    from data.importers.limits import Limits
    from data.importers.precheck import check_archive, check_workbook, detect_encoding
    from data.importers.readers import FORMATS
    from data.importers.safety import check_size, sniff_binary
    from data.importers.stream import RowSink, stream_csv, stream_xlsx
    from data.importers.vector import stream_vector

    limits = Limits.from_json(job["limits"])
    path, kind, name = Path(job["file"]), job["kind"], job["name"]
    suffix = Path(name).suffix.lower() or path.suffix.lower()
    fmt = FORMATS.get(suffix)
    check_size(path, limits.max_file_bytes, name=name)
    with open(path, "rb") as fh:
        head = fh.read(64)
    binary = sniff_binary(head)
    progress = job_dir / "progress"
    sink = RowSink(job_dir / "rows.parquet", kind, name, limits, typed=fmt != "csv")
    sink.on_flush = lambda rows: progress.write_text(str(rows))
    notes: list[str] = []
    encoding = None
    if fmt == "csv":
        if binary:
            raise ImportFileError(
                f"{name} is named like a CSV file but is {binary}",
                message_th=f"ไฟล์ {name} ไม่ใช่ไฟล์ CSV แต่เป็นไฟล์ชนิดอื่น",
            )
        encoding = detect_encoding(path, name)
        stream_csv(path, sink, encoding)
    elif fmt == "xlsx":
        if not head.startswith(b"PK\x03\x04"):
            raise ImportFileError(
                f"{name} is not an XLSX workbook" + (f" but {binary}" if binary else ""),
                message_th=f"ไฟล์ {name} ไม่ใช่ไฟล์ XLSX",
            )
        sheets = check_workbook(path, name, limits)
        notes += stream_xlsx(path, sink, sheets)
        encoding = "xlsx"
    else:
        if suffix == ".zip":
            import zipfile

            from data.importers.precheck import read_member

            members = check_archive(path, name, limits)
            budget = [limits.max_unzipped_bytes]
            with zipfile.ZipFile(path) as archive:
                for info in members:
                    for _piece in read_member(archive, info, name, budget):
                        pass
        elif suffix in (".geojson", ".json") and binary:
            raise ImportFileError(
                f"{name} is not GeoJSON but {binary}", message_th=f"ไฟล์ {name} ไม่ใช่ GeoJSON"
            )
        encoding, more = stream_vector(path, kind, name, sink)
        notes += more
    meta = sink.close()
    meta.update(format=fmt, encoding=encoding, notes=notes)
    return meta


def main(argv: list[str]) -> int:
    job_dir = Path(argv[0])
    job = json.loads((job_dir / "job.json").read_text(encoding="utf-8"))
    limits = job["limits"]
    limit_resources(limits["worker_bytes"], limits["worker_cpu_seconds"])
    result_path = job_dir / "result.json"

    def answer(result: dict, code: int) -> int:
        try:
            usage = resource.getrusage(resource.RUSAGE_SELF)
            result["peak_rss_mb"] = _peak_rss_mb(usage)
            result["cpu_seconds"] = round(usage.ru_utime + usage.ru_stime, 2)
            result_path.write_text(json.dumps(result, ensure_ascii=False, default=str))
        except MemoryError:
            return EXIT_MEMORY  # the parent reads the exit code alone
        return code

    try:
        from data.errors import PhangError

        try:
            meta = parse(job, job_dir)
        except PhangError as exc:
            return answer(
                {"ok": False, "message": exc.message, "message_th": exc.message_th},
                EXIT_REFUSED,
            )
        return answer({"ok": True, **meta}, 0)
    except MemoryError:
        return answer({"ok": False, "reason": "memory"}, EXIT_MEMORY)
    except RecursionError:
        return answer({"ok": False, "reason": "crash", "error": "RecursionError"}, EXIT_CRASH)
    except Exception as exc:  # a third-party parser's own error: logged, never shown raw
        traceback.print_exc(file=sys.stderr)
        return answer({"ok": False, "reason": "crash", "error": type(exc).__name__}, EXIT_CRASH)


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    sys.exit(main(sys.argv[1:]))
