"""``match``: resolve free-text Thai or English place names to P-codes."""

from __future__ import annotations


def register(sub):
    p = sub.add_parser("match", help="match place names to P-codes")
    p.add_argument("text", nargs="+", help="place names or addresses")
    p.add_argument("--level", choices=["province", "amphoe", "tambon"])
    return p


def run(args) -> list[dict]:
    from boundaries.gazetteer_store import load_gazetteer
    from data.store import connect

    # names only: no spatial extension to load (half a second of start-up)
    con = connect(args.db, read_only=True, spatial=False)
    try:
        gazetteer = load_gazetteer(con)
    finally:
        con.close()
    return [gazetteer.match(text, level=args.level).to_dict() for text in args.text]
