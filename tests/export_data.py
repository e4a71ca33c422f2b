"""The export tests' database: a copy of the session build with community rows, need
reports with private contacts, and accounts (markers that must never be exported).

Built once per test session (``export_db`` in ``tests/conftest.py``) and read by
``test_export`` and ``test_export_privacy``.
"""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

# Values that must never appear in any exported byte.
CONTACT_NAME = "นางสาวลับเฉพาะ ติดต่อได้"
CONTACT_PHONE = "0899991234"
CONTACT_NOTE = "โทรหลังหกโมงเย็น ZQXNOTE"
ACCOUNT_USER = "zqx.member"
ACCOUNT_HASH = "$2b$12$ZQXhashZQXhashZQXhashZQXhashZQXhashZQXhashZQXhashZQ"
CHAIR = "นายประธาน ZQXCHAIR"
TYPED_PHONE = "081-777-6543"
TYPED_EMAIL = "zqx.person@example.org"
DESCRIPTION_MARK = "ZQXDESC น้ำท่วมทุกปี"

KHON_KAEN = "TH40"
FORMULA = '=HYPERLINK("http://example.org","กลุ่มทดสอบสูตร")'
TAMBONS: list[str] = []  # the three test tambons (filled by the fixture)
_ANY_ROW = " UNION ALL ".join(
    f"SELECT tambon_pcode FROM {t}"
    for t in ("community_org", "baan_mankong_project", "land_case", "need_report")
)
OURS = {
    "กลุ่มออมทรัพย์ทดสอบโนนทัน",
    "กลุ่มสตรีทดสอบหนองใหญ่",
    "เครือข่ายทดสอบริมคลอง",
    "บ้านมั่นคงทดสอบหนองแวง",
    "ชุมชนทดสอบริมทางรถไฟ",
    "สภาองค์กรชุมชนทดสอบ",
}


def receipt(i: int) -> str:
    return f"NR-{i:04d}-AAAA"


def build_export_db(source: Path, folder: Path) -> Path:
    """A copy of the session database with community rows, need reports, contacts and
    accounts (markers that must never be exported)."""
    from data.store import connect

    path = folder / "export.duckdb"
    shutil.copy(source, path)
    con = connect(path)
    try:
        # Khon Kaen tambons the demo data left empty, so per-area counts are ours alone
        tambons = [
            r[0]
            for r in con.execute(
                f"""SELECT pcode FROM tambon t WHERE province_pcode = ? AND NOT EXISTS (
                    SELECT 1 FROM ({_ANY_ROW}) x WHERE x.tambon_pcode = t.pcode)
                ORDER BY pcode LIMIT 3""",
                [KHON_KAEN],
            ).fetchall()
        ]
        a, b, c = tambons
        con.execute(
            """INSERT INTO community_org (source, source_id, is_demo, tambon_pcode, name,
                           org_type, chair, members, capital_baht, registered_date, status, geom)
                       VALUES ('test', 'o1', false, ?, 'กลุ่มออมทรัพย์ทดสอบโนนทัน', 'savings_group',
                               ?, 2, 15000, DATE '2021-03-01', 'active', ST_Point(102.83, 16.44)),
                              ('test', 'o2', true, ?, 'กลุ่มสตรีทดสอบหนองใหญ่', 'womens_group',
                               ?, 40, NULL, DATE '2019-07-15', 'inactive', NULL),
                              ('test', 'o3', false, 'TH100101', 'เครือข่ายทดสอบริมคลอง',
                               'network', NULL, 120, 5e5, NULL, 'active', NULL),
                              ('test', 'o4', false, 'TH100101', ?, 'other', NULL, NULL,
                               NULL, NULL, 'unknown', NULL)""",
            [a, CHAIR, b, CHAIR, FORMULA],
        )
        con.execute(
            """INSERT INTO baan_mankong_project (source, source_id, tambon_pcode, name,
                           households, stage, start_date, geom)
                       VALUES ('test', 'p1', ?, 'บ้านมั่นคงทดสอบหนองแวง', 85, 'construction',
                               DATE '2023-01-10',
                               ST_GeomFromText('POLYGON((102.80 16.40, 102.80 16.41,
                                   102.81 16.41, 102.81 16.40, 102.80 16.40))'))""",
            [a],
        )
        con.execute(
            """INSERT INTO land_case (source, source_id, tambon_pcode, community,
                           households, tenure_status, landowner_type)
                       VALUES ('test', 'l1', ?, 'ชุมชนทดสอบริมทางรถไฟ', 30, 'eviction_threat',
                               'state_railway')""",
            [c],
        )
        con.execute(
            """INSERT INTO tambon_council (source, source_id, tambon_pcode, name,
                           established_date, member_orgs, status)
                       VALUES ('test', 'c1', ?, 'สภาองค์กรชุมชนทดสอบ', DATE '2010-05-01',
                               12, 'active')""",
            [a],
        )
        # need reports: one verified in tambon a, three verified in b, one pending in b
        reports = [
            (1, a, "verified"),
            (2, b, "verified"),
            (3, b, "verified"),
            (4, b, "verified"),
            (5, b, "pending"),
        ]
        for i, tambon, status in reports:
            lon, lat = con.execute(
                "SELECT ST_X(p), ST_Y(p) FROM (SELECT ST_PointOnSurface(geom) p FROM tambon "
                "WHERE pcode = ?)",
                [tambon],
            ).fetchone()
            report_id = con.execute(
                """INSERT INTO need_report (receipt, form_id, content_hash, tambon_pcode, geom,
                       area_m2, community_name, households, problems, urgency, description,
                       status, submitted_by, is_demo)
                   VALUES (?, ?, ?, ?, ST_Point(?, ?), 0, ?, ?, ['eviction', 'rent'], 'high',
                           ?, ?, ?, false) RETURNING id""",
                [
                    receipt(i),
                    f"formid{i:04d}xx",
                    f"{i:064x}",
                    tambon,
                    lon,
                    lat,
                    f"ชุมชนทดสอบ {i}" + (f" โทร {TYPED_PHONE}" if i == 2 else ""),
                    i + 1,
                    f"{DESCRIPTION_MARK} โทร {TYPED_PHONE} อีเมล {TYPED_EMAIL}",
                    status,
                    ACCOUNT_USER,
                ],
            ).fetchone()[0]
            con.execute(
                "INSERT INTO need_contact VALUES (?, ?, ?, ?)",
                [report_id, CONTACT_NAME, CONTACT_PHONE, CONTACT_NOTE],
            )
        con.execute(
            "INSERT INTO account (username, display_name, role, password_hash) "
            "VALUES (?, 'ZQX Display', 'member', ?)",
            [ACCOUNT_USER, ACCOUNT_HASH],
        )
        TAMBONS.extend([a, b, c])
        _second_grouping(con, path.parent)
    finally:
        con.close()
    return path


def _second_grouping(con, folder: Path) -> None:
    """A planner's grouping: provinces below TH50 in one cluster, the rest in another."""
    from boundaries.groupings import grouping_from_csv, store_grouping
    from boundaries.matcher import Gazetteer

    provinces = [r[0] for r in con.execute("SELECT pcode FROM province ORDER BY 1").fetchall()]
    path = folder / "halves.csv"
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["จังหวัด", "กลุ่มจังหวัด", "ภาค"])
        for pcode in provinces:
            writer.writerow([pcode, "ครึ่งบน" if pcode < "TH50" else "ครึ่งล่าง", "ทั้งประเทศ"])
    store_grouping(con, grouping_from_csv(path, Gazetteer.from_connection(con), name="halves"))
