"""``export``: write a layer for an agency as GeoJSON, GeoPackage or CSV, with metadata.

    python -m data export --list
    python -m data export indicators --level province --format geojson --out provinces.geojson
    python -m data export organizations --area "จ.ขอนแก่น" --status active --format csv \
        --out khonkaen_orgs.csv
    python -m data export boundaries --level cluster --grouping codi-18 --format gpkg \
        --crs 32647 --out clusters.gpkg

Prints a JSON summary (records, bytes, paths, filters, whether demo data is included). The
database is opened read-only; while the app holds it, the export must be made from the
app's export page (the message says so).
"""

from __future__ import annotations

import argparse
from pathlib import Path

EPILOG = """layers: run with --list. Areas: a P-code (TH40), a Thai or English place name
("อ.เมืองขอนแก่น จ.ขอนแก่น"), or a cluster/region code or name of the grouping (c05,
ภาคเหนือ). Dates: 2024-05-01, 2024-05, 2024; years above 2400 are Buddhist Era."""


def register(sub):
    p = sub.add_parser(
        "export",
        help="export a layer (GeoJSON, GeoPackage, CSV) with a metadata sidecar",
        description="Export a layer for an agency, with a <file>.metadata.json sidecar.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("layer", nargs="?", help="layer key (see --list)")
    p.add_argument("--list", action="store_true", help="list the layers this database has")
    p.add_argument(
        "--format",
        "-f",
        choices=["geojson", "gpkg", "csv"],
        help="file format (default: from --out's extension, else geojson)",
    )
    p.add_argument(
        "--out", "-o", type=Path, help="output file (default: <layer>[_<level>].<format> here)"
    )
    p.add_argument(
        "--level",
        choices=["tambon", "amphoe", "province", "cluster", "region"],
        help="area level for boundaries and indicators (default: tambon)",
    )
    p.add_argument("--grouping", help="province grouping name (default: the default grouping)")
    p.add_argument("--area", help="only this area: P-code, place name, cluster or region")
    p.add_argument("--status", help="only these statuses (comma-separated codes)")
    p.add_argument("--since", help="only records dated on or after (ISO date; BE years ok)")
    p.add_argument("--until", help="only records dated on or before")
    p.add_argument(
        "--crs",
        type=int,
        default=4326,
        choices=[4326, 32647, 32648],
        help="EPSG code: 4326 (default; GeoJSON always), 32647/32648 (UTM 47N/48N)",
    )
    p.add_argument(
        "--precision", type=int, help="coordinate decimals (default 6 for degrees, 2 for metres)"
    )
    p.add_argument(
        "--include-free-text",
        action="store_true",
        help="include what members typed (phone numbers and e-mails masked)",
    )
    p.add_argument(
        "--suppress-below",
        type=int,
        metavar="N",
        help="hide counts below N, drop records of areas with fewer than N",
    )
    p.add_argument(
        "--csv-geometry",
        choices=["wkt", "lonlat"],
        help="CSV geometry columns (default: lonlat for points, wkt otherwise)",
    )
    p.add_argument(
        "--csv-header",
        choices=["name", "th", "en"],
        default="name",
        help="CSV header row: field names (default), Thai or English names",
    )
    return p


def run(args):
    from data.errors import InputError, StoreLockedError
    from data.store import connect
    from geo.export import FORMATS, ExportOptions, export_layer, list_layers

    if not args.list and not args.layer:
        raise InputError(
            "give a layer to export, or --list to see them",
            message_th="กรุณาระบุชั้นข้อมูล หรือใช้ --list เพื่อดูรายการ",
        )
    fmt = args.format
    if fmt is None and args.out is not None:
        suffix = args.out.suffix.lower().lstrip(".")
        fmt = {"json": "geojson", "geojson": "geojson", "gpkg": "gpkg", "csv": "csv"}.get(suffix)
    fmt = fmt or "geojson"
    try:
        con = connect(args.db, read_only=True)
    except StoreLockedError as exc:
        raise StoreLockedError(
            f"{exc.message}. While the app is running, export from its page "
            "'ส่งออกข้อมูล / Export layers' instead (analyst role).",
            message_th=f"{exc.message_th} ขณะที่แอปเปิดอยู่ กรุณาส่งออกจากหน้า "
            "'ส่งออกข้อมูล' ในแอป (สิทธิ์นักวิเคราะห์)",
        ) from exc
    try:
        if args.list:
            return list_layers(con)
        out = args.out
        if out is None:
            level = f"_{args.level}" if args.level else ""
            out = Path(f"{args.layer}{level}{FORMATS[fmt]}")
        options = ExportOptions(
            layer=args.layer,
            format=fmt,
            level=args.level,
            grouping=args.grouping,
            area=args.area,
            status=args.status,
            since=args.since,
            until=args.until,
            crs=args.crs,
            precision=args.precision,
            include_free_text=args.include_free_text,
            suppress_below=args.suppress_below,
            csv_geometry=args.csv_geometry,
            csv_header=args.csv_header,
        )
        return export_layer(con, options, out).summary()
    finally:
        con.close()
