"""``python -m data <command>``: the command line for coordinators and analysts.

Each command lives in ``data/commands/<name>.py`` with ``register(subparsers)`` and
``run(args)``; it is found automatically. Every command takes ``--db PATH``, prints a JSON
summary on stdout and human messages on stderr, and exits non-zero with a one-line reason.
"""

from __future__ import annotations

import argparse
import importlib
import json
import pkgutil
import sys

import data.commands
from data.errors import PhangError


def parser(argv: list[str] | None = None) -> argparse.ArgumentParser:
    """The command line's parser. When ``argv`` names a command, only that command's module
    is imported (``match`` starts without loading the importers' libraries)."""
    top = argparse.ArgumentParser(prog="python -m data", description="ผังชุมชน command line")
    sub = top.add_subparsers(dest="command", required=True)
    names = sorted(info.name for info in pkgutil.iter_modules(data.commands.__path__))
    asked = _command_module(argv, names)
    for name in [asked] if asked else names:
        module = importlib.import_module(f"data.commands.{name}")
        if hasattr(module, "register"):
            cmd = module.register(sub)
            cmd.add_argument("--db", help="database file (default: the PHANG_DB setting)")
            cmd.set_defaults(handler=module.run)
    return top


def _command_module(argv: list[str] | None, names: list[str]) -> str | None:
    """The module of the command ``argv`` names (``import`` lives in ``import_data``)."""
    args = sys.argv[1:] if argv is None else argv
    first = next((a for a in args if not a.startswith("-")), None)
    if first is None:
        return None
    for candidate in (first, f"{first}_data", first.replace("-", "_")):
        if candidate in names:
            return candidate
    return None


def emit(result) -> None:
    """Print a command's result: a list as JSON lines, anything else as one JSON document."""
    if isinstance(result, list):
        for item in result:
            print(json.dumps(item, ensure_ascii=False, default=str))
    elif result is not None:
        print(json.dumps(result, ensure_ascii=False, default=str))


def main(argv: list[str] | None = None) -> int:
    args = parser(argv).parse_args(argv)
    try:
        emit(args.handler(args))
    except PhangError as exc:
        print(f"error: {exc.message}", file=sys.stderr)
        if exc.details:
            for item in exc.details[:50]:
                print(f"  {json.dumps(item, ensure_ascii=False, default=str)}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("error: interrupted", file=sys.stderr)
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
