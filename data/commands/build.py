"""``build``: load boundaries, groupings and villages into the database (idempotent)."""

from __future__ import annotations

import sys
from pathlib import Path

from data.settings import boundaries_dir, villages_file


def register(sub):
    p = sub.add_parser("build", help="build or rebuild the database from the boundary files")
    p.add_argument("--boundaries", type=Path, help="boundary directory (PHANG_BOUNDARIES_DIR)")
    p.add_argument("--villages", type=Path, help="village points file (PHANG_VILLAGES_FILE)")
    p.add_argument("--no-villages", action="store_true", help="skip the village layer")
    p.add_argument("--demo", action="store_true", help="also generate the demo community data")
    p.add_argument(
        "--if-needed",
        action="store_true",
        help="do nothing when the database already holds boundaries (what `make run` uses)",
    )
    return p


def _progress(step: str) -> None:
    # progress is for a person watching; scripts reading stderr get only errors
    if sys.stderr.isatty():
        print(f"… {step}", file=sys.stderr, flush=True)


def run(args) -> dict:
    from data.build import build
    from data.store import connect

    con = connect(args.db)
    try:
        if args.if_needed:
            tambons = con.execute("SELECT count(*) FROM tambon").fetchone()[0]
            if tambons:
                return {"built": False, "reason": "already built", "tambons": tambons}
        villages = None if args.no_villages else (args.villages or villages_file())
        return build(
            con,
            args.boundaries or boundaries_dir(),
            villages,
            options={"demo": args.demo},
            progress=_progress,
        )
    finally:
        con.close()
