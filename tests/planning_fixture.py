"""A small hand-computed database for the planning indicators, priorities and report cards.

Three provinces, six square tambons (0.1° each), two groupings that place province TH20
differently, and a handful of community records whose indicator values are worked out
by hand in ``EXPECTED`` below (comments give the arithmetic).

Layout (lon, lat of each tambon's south-west corner; squares of 0.1°):

    TH10 (amphoe TH1001: TH100101 at 100.0,14.0 and TH100102 at 100.1,14.0;
          amphoe TH1002: TH100201 at 100.2,14.0)
    TH20 (amphoe TH2001: TH200101 at 101.0,14.0 and TH200102 at 101.1,14.0)
    TH30 (amphoe TH3001: TH300101 at 102.5,15.0 — east of 102°E, UTM zone 48N)

Groupings: ``fx``  r1 = {c1: TH10, TH20}, r2 = {c2: TH30};
           ``fx2`` r1 = {c1: TH10},       r2 = {c2: TH20, TH30}.
"""

from __future__ import annotations

from pathlib import Path

from boundaries.groupings import Cluster, Grouping, Region, store_grouping
from data.store import connect

TAMBONS = {
    # pcode: (name_th, name_en, west, south)
    "TH100101": ("ตำบลหนึ่ง", "Nueng", 100.0, 14.0),
    "TH100102": ("ตำบลสอง", "Song", 100.1, 14.0),
    "TH100201": ("ตำบลสาม", "Sam", 100.2, 14.0),
    "TH200101": ("ตำบลสี่", "Si", 101.0, 14.0),
    "TH200102": ("ตำบลห้า", "Ha", 101.1, 14.0),
    "TH300101": ("ตำบลหก", "Hok", 102.5, 15.0),
}
PROVINCES = {"TH10": "จังหวัดก", "TH20": "จังหวัดข", "TH30": "จังหวัดค"}
AMPHOES = {"TH1001": "TH10", "TH1002": "TH10", "TH2001": "TH20", "TH3001": "TH30"}


def _square(w: float, s: float, size: float = 0.1) -> str:
    e, n = w + size, s + size
    return f"POLYGON(({w} {s}, {e} {s}, {e} {n}, {w} {n}, {w} {s}))"


def _box(pcodes: list[str]) -> str:
    xs = [TAMBONS[p][2] for p in pcodes]
    ys = [TAMBONS[p][3] for p in pcodes]
    return (
        f"POLYGON(({min(xs)} {min(ys)}, {max(xs) + 0.1} {min(ys)}, {max(xs) + 0.1} "
        f"{max(ys) + 0.1}, {min(xs)} {max(ys) + 0.1}, {min(xs)} {min(ys)}))"
    )


# (tambon, name, org_type, status, chair)
ORGS = [
    ("TH100101", "กลุ่มออมทรัพย์ ก", "savings_group", "active", "นาย ก"),
    ("TH100101", "กลุ่มออมทรัพย์ ข", "savings_group", "active", "นาง ข"),
    ("TH100101", "กองทุนสวัสดิการ", "welfare_fund", "inactive", "นาย ค"),
    ("TH100101", "เครือข่ายตำบล", "network", "active", ""),
    ("TH100101", "กลุ่มที่ยุบแล้ว", "other", "dissolved", "นาย ง"),
    ("TH100102", "กลุ่มสตรี", "womens_group", "active", "นาง จ"),
    ("TH200101", "เครือข่ายจังหวัด", "network", "active", "นาย ฉ"),
    ("TH200101", "กลุ่มออมทรัพย์ ช", "savings_group", "inactive", "นาย ช"),
    ("TH300101", "ออมทรัพย์ 1", "savings_group", "active", None),
    ("TH300101", "ออมทรัพย์ 2", "savings_group", "active", None),
    ("TH300101", "ออมทรัพย์ 3", "savings_group", "active", None),
]
# (tambon, status, established)
COUNCILS = [
    ("TH100101", "active", "2010-05-01"),
    ("TH200101", "inactive", "2015-01-01"),
    ("TH300101", "dissolved", "2012-01-01"),
]
# (tambon, name, stage, households, lon, lat, start, completion)
PROJECTS = [
    ("TH100101", "บ้านมั่นคง ก", "completed", 100, 100.05, 14.05, "2018-01-01", "2020-06-30"),
    ("TH100101", "บ้านมั่นคง ข", "survey", 20, 100.06, 14.05, None, None),
    ("TH200102", "บ้านมั่นคง ค", "construction", 50, 101.15, 14.05, "2023-03-01", None),
]
# (tambon, community, households, tenure)
LAND = [
    ("TH100101", "ชุมชนริมคลอง", 80, "insecure"),
    ("TH100101", "ชุมชนมั่นคง", 30, "secure"),
    ("TH100102", "ชุมชนริมทางรถไฟ", 40, "eviction_threat"),
    ("TH300101", "ชุมชนข้อพิพาท", 25, "dispute"),
]
# (tambon, households, status)
NEEDS = [
    ("TH100102", 10, "verified"),
    ("TH100102", 99, "pending"),
    ("TH200101", 60, "verified"),
    ("TH300101", 5, "rejected"),
]
# (tambon, villages)
VILLAGES = {"TH100101": 2, "TH100102": 1, "TH200101": 1}

# Community plans (migration 0011). Years CE. (tambon, id, start, end, adopted, status)
PLANS = [
    ("TH100101", "P1", 2023, 2027, "2023-03-01", "adopted"),  # current 2023-2027
    ("TH100102", "P2", 2024, 2028, None, "draft"),  # never current
    ("TH200101", "P3", 2020, 2024, "2020-05-01", "adopted"),  # current 2020-2024
    ("TH200102", "P4", 2025, 2029, "2025-01-15", "adopted"),  # current from 2025
]
# (tambon, plan, id, title, dimension, agency type, in agency plan, agency plan year,
#  support, support baht, lon, lat)
PLAN_ITEMS = [
    ("TH100101", "P1", "i1", "ปรับปรุงบ้าน", "housing_land", "local_government", True, 2024,
     "money", 500000, 100.05, 14.05),
    ("TH100101", "P1", "i2", "ตลาดชุมชน", "economic", "province", True, 2024, "none", None,
     None, None),
    ("TH100101", "P1", "i3", "ศูนย์เด็กเล็ก", "social", "ministry", False, None, "none", None,
     None, None),
    ("TH100101", "P1", "i7", "ป่าชุมชน", "resources_environment", "partner", True, 2022, "none",
     None, None, None),
    ("TH200101", "P3", "i4", "กองทุนสวัสดิการ", "welfare", "amphoe", True, 2023, "none", None,
     None, None),
    ("TH200101", "P3", "i5", "ฝายชะลอน้ำ", "resources_environment", "partner", True, 2025,
     "money", 100000, 101.05, 14.05),
    ("TH200102", "P4", "i6", "บ้านมั่นคงชนบท", "housing_land", "local_government", True, 2025,
     "money", 200000, 101.15, 14.06),
]  # fmt: skip
# (tambon, name, course, date): the same name in the same tambon is one person
PEOPLE = [
    ("TH100101", "นางกานดา ใจดี", "ผู้นำการเปลี่ยนแปลง", "2018-05-01"),
    ("TH100101", "นางกานดา ใจดี", "การจัดทำแผนชุมชน", "2019-06-01"),
    ("TH100101", "นายขจร มีสุข", "ผู้นำการเปลี่ยนแปลง", "2022-01-10"),
    ("TH100102", "นายคมสันต์ รักถิ่น", "การเงินชุมชน", "2025-02-01"),
    ("TH300101", "นางดวงใจ สายน้ำ", "การจัดทำแผนชุมชน", "2020-01-01"),
    ("TH300101", "นางกานดา ใจดี", "การเงินชุมชน", "2021-01-01"),
]
# (tambon, organisation, date, total, passed) on form org_quality v1 (pass at 15 of 25)
ASSESSMENTS = [
    ("TH100101", "กลุ่มออมทรัพย์ ก", "2019-01-01", 10, False),
    ("TH100101", "กลุ่มออมทรัพย์ ก", "2022-01-01", 18, True),
    ("TH100101", "กลุ่มออมทรัพย์ ข", "2023-01-01", 20, True),
    ("TH200101", "เครือข่ายจังหวัด", "2021-01-01", 16, True),
    ("TH200101", "เครือข่ายจังหวัด", "2024-06-01", 12, False),
    ("TH300101", "ออมทรัพย์ 1", "2025-03-01", 22, True),
]

# Hand counts of the plan indicators as at the end of a year: (indicator, level, area,
# grouping, year, value).
EXPECTED_BY_YEAR = [
    # current plans in 2024: P1 (TH100101) and P3 (TH200101); in 2025 P1 and P4 (TH200102)
    ("plans_current_tambons", "tambon", "TH100101", "fx", 2024, 1),
    ("plans_current_tambons", "province", "TH20", "fx", 2024, 1),
    ("plans_current_tambons", "cluster", "c1", "fx", 2024, 2),
    ("plans_current_tambons", "region", "r2", "fx2", 2025, 1),
    ("plan_current_share", "province", "TH10", "fx", 2024, 100 / 3),
    # linked and supported in 2024: only TH100101 (i1); i5's agency plan is for 2025
    ("plans_linked_tambons", "tambon", "TH100101", "fx", 2024, 1),
    ("plans_linked_tambons", "tambon", "TH200101", "fx", 2024, 0),
    ("plans_linked_tambons", "province", "TH10", "fx", 2024, 1),
    ("plans_linked_tambons", "cluster", "c1", "fx", 2024, 1),
    ("plans_linked_tambons", "region", "r1", "fx", 2024, 1),
    # 2025: P3 ended, so i5 no longer counts; P4's i6 is supported
    ("plans_linked_tambons", "cluster", "c1", "fx", 2025, 2),
    ("plans_linked_tambons", "cluster", "c2", "fx2", 2025, 1),
    ("plans_linked_tambons", "region", "r1", "fx", 2022, 0),
    # items of current plans in 2024: TH100101 4, TH200101 2; taken up 3 of 4 and 1 of 2
    ("plan_items", "province", "TH10", "fx", 2024, 4),
    ("plan_items", "cluster", "c1", "fx", 2024, 6),
    ("plan_item_uptake", "province", "TH10", "fx", 2024, 75.0),
    ("plan_item_uptake", "cluster", "c1", "fx", 2024, 100 * 4 / 6),
    ("plan_support_baht", "region", "r1", "fx", 2024, 500000),
    ("plan_support_baht", "region", "r1", "fx", 2025, 700000),
    # stages in 2024: TH100101 4, TH100102 1 (draft), TH200101 3, TH200102 0 (starts 2025)
    ("plan_stage", "tambon", "TH100101", "fx", 2024, 4),
    ("plan_stage", "tambon", "TH100102", "fx", 2024, 1),
    ("plan_stage", "tambon", "TH200101", "fx", 2024, 3),
    ("plan_stage", "tambon", "TH200102", "fx", 2024, 0),
    ("plan_stage", "tambon", "TH200102", "fx", 2025, 4),
    # cooperation: TH10's included items reach local government, province, partner (3)
    ("provinces_with_cooperation", "province", "TH10", "fx", 2024, 1),
    ("provinces_with_cooperation", "province", "TH20", "fx", 2024, 0),
    ("provinces_with_cooperation", "region", "r1", "fx", 2024, 1),
    # people developed by 2024: TH100101 2 (กานดา once), TH300101 2; TH100102's is in 2025
    ("leaders_developed", "tambon", "TH100101", "fx", 2024, 2),
    ("leaders_developed", "province", "TH10", "fx", 2024, 2),
    ("leaders_developed", "province", "TH10", "fx", 2025, 3),
    ("leaders_developed", "cluster", "c2", "fx", 2024, 2),
    ("leaders_developed", "region", "r1", "fx", 2019, 1),
    # latest assessment passed: 2023 TH100101 (2 orgs) and TH200101; 2024 TH200101 failed
    ("orgs_assessed_passed", "tambon", "TH100101", "fx", 2024, 2),
    ("quality_org_tambons_assessed", "region", "r1", "fx", 2023, 2),
    ("quality_org_tambons_assessed", "region", "r1", "fx", 2024, 1),
    ("quality_org_tambons_assessed", "cluster", "c2", "fx", 2024, 0),
    ("quality_org_tambons_assessed", "cluster", "c2", "fx", 2025, 1),
    ("quality_org_tambons_assessed", "province", "TH20", "fx", 2021, 1),
]

# Hand-computed values: (indicator, level, area, grouping, value).
EXPECTED = [
    # community_orgs: not dissolved. TH100101 4, TH100102 1, TH200101 2, TH300101 3
    ("community_orgs", "tambon", "TH100101", "fx", 4),
    ("community_orgs", "province", "TH10", "fx", 5),
    ("community_orgs", "cluster", "c1", "fx", 7),
    ("community_orgs", "cluster", "c1", "fx2", 5),
    ("community_orgs", "region", "r2", "fx2", 5),
    # per tambon: TH10 5 orgs / 3 tambons
    ("community_orgs_per_tambon", "province", "TH10", "fx", 5 / 3),
    ("community_orgs_per_tambon", "region", "r1", "fx", 7 / 5),
    # per village: TH10 5 orgs / 3 villages; TH20 2 / 1
    ("community_orgs_per_village", "province", "TH10", "fx", 5 / 3),
    ("community_orgs_per_village", "province", "TH20", "fx", 2.0),
    # councils not dissolved: TH100101 (active), TH200101 (inactive)
    ("council_present", "province", "TH10", "fx", 100 / 3),
    ("council_present", "province", "TH20", "fx", 50.0),
    ("council_present", "province", "TH30", "fx", 0.0),
    ("council_present", "cluster", "c1", "fx", 40.0),
    ("tambons_with_council", "region", "r1", "fx", 2),
    ("tambons_with_council", "region", "r2", "fx2", 1),
    # active savings groups: TH100101 2, TH300101 3
    ("savings_groups_active", "province", "TH10", "fx", 2),
    ("savings_groups_active", "region", "r2", "fx", 3),
    # quality: active council AND active savings/welfare: only TH100101
    ("quality_org_tambons", "region", "r1", "fx", 1),
    ("quality_org_tambons", "region", "r2", "fx", 0),
    # leaders: active orgs with a non-empty chair: TH100101 2, TH100102 1, TH200101 1
    ("community_leaders", "province", "TH10", "fx", 3),
    ("community_leaders", "cluster", "c1", "fx", 4),
    # networks: active network orgs in TH10 and TH20
    ("provinces_with_network", "province", "TH20", "fx", 1),
    ("provinces_with_network", "cluster", "c1", "fx", 2),
    ("provinces_with_network", "cluster", "c2", "fx2", 1),
    ("provinces", "region", "r2", "fx2", 2),
    # Baan Mankong: 100 completed + 20 survey in TH100101, 50 construction in TH200102
    ("baan_mankong_households", "province", "TH10", "fx", 120),
    ("baan_mankong_households_completed", "region", "r1", "fx", 100),
    ("baan_mankong_households_construction", "cluster", "c2", "fx2", 50),
    ("baan_mankong_completed_share", "province", "TH10", "fx", 100 * 100 / 120),
    # insecure land: 80 + 40 (TH10), 25 (TH30)
    ("insecure_land_households", "province", "TH10", "fx", 120),
    ("insecure_land_households", "region", "r2", "fx", 25),
    # verified need: 10 (TH100102) + 60 (TH200101)
    ("need_verified_households", "province", "TH10", "fx", 10),
    ("need_verified_households", "cluster", "c1", "fx", 70),
    # demand = verified need + insecure land: TH100101 80, TH100102 50, TH200101 60, TH300101 25
    ("housing_demand_households", "province", "TH10", "fx", 130),
    ("housing_demand_households", "region", "r2", "fx2", 85),
    # supply: TH100101 100 completed + 30 secure = 130 >= 80 -> unmet 0; TH200102 50 (no need)
    ("unmet_need_households", "tambon", "TH100101", "fx", 0),
    ("unmet_need_households", "tambon", "TH100102", "fx", 50),
    ("unmet_need_households", "province", "TH10", "fx", 50),
    ("unmet_need_households", "cluster", "c1", "fx", 110),
    ("unmet_need_households", "cluster", "c1", "fx2", 50),
    ("unmet_need_households", "cluster", "c2", "fx2", 85),
    # coverage: covered = min(supply, demand) per tambon = 80 (TH100101) of 215 in all
    ("need_coverage", "province", "TH10", "fx", 100 * 80 / 130),
    ("need_coverage", "tambon", "TH100101", "fx", 100.0),
    ("need_coverage", "province", "TH20", "fx", 0.0),
    ("tambons", "amphoe", "TH1001", "fx", 2),
    ("villages", "province", "TH10", "fx", 3),
]


def make_fixture(path: Path):
    """Create the fixture database at ``path`` and return an open connection to it."""
    con = connect(path)
    for p, name in PROVINCES.items():
        members = [t for t in TAMBONS if t.startswith(p)]
        con.execute(
            "INSERT INTO province VALUES (?, ?, ?, ?, ST_GeomFromText(?), NULL)",
            [p, name, p, 100.0 * len(members), _box(members)],
        )
    for a, p in AMPHOES.items():
        members = [t for t in TAMBONS if t.startswith(a)]
        con.execute(
            "INSERT INTO amphoe VALUES (?, ?, ?, ?, ?, ST_GeomFromText(?), NULL)",
            [a, p, f"อำเภอ {a}", a, 100.0 * len(members), _box(members)],
        )
    for t, (th, en, w, s) in TAMBONS.items():
        con.execute(
            "INSERT INTO tambon VALUES (?, ?, ?, ?, ?, 100.0, ST_GeomFromText(?))",
            [t, t[:6], t[:4], th, en, _square(w, s)],
        )
    vid = 0
    for t, n in VILLAGES.items():
        w, s = TAMBONS[t][2:]
        for _ in range(n):
            vid += 1
            con.execute(
                "INSERT INTO village (id, name, geom, match_status, tambon_pcode) "
                "VALUES (?, ?, ST_Point(?, ?), 'agree', ?)",
                [vid, f"บ้าน {vid}", w + 0.01 * vid, s + 0.05, t],
            )
    regions = [Region("r1", 1, "ภาคหนึ่ง", "Region one"), Region("r2", 2, "ภาคสอง", "Region two")]
    clusters = [
        Cluster("c1", 1, "กลุ่มหนึ่ง", "Cluster one", "r1"),
        Cluster("c2", 2, "กลุ่มสอง", "Cluster two", "r2"),
    ]
    store_grouping(
        con,
        Grouping(
            "fx",
            "ชุดทดสอบ",
            "Fixture",
            "test",
            regions,
            clusters,
            {"TH10": "c1", "TH20": "c1", "TH30": "c2"},
        ),
        is_default=True,
    )
    store_grouping(
        con,
        Grouping(
            "fx2",
            "ชุดทดสอบ 2",
            "Fixture 2",
            "test",
            regions,
            clusters,
            {"TH10": "c1", "TH20": "c2", "TH30": "c2"},
        ),
    )
    for i, (t, name, kind, status, chair) in enumerate(ORGS, 1):
        con.execute(
            "INSERT INTO community_org (source, source_id, tambon_pcode, name, org_type, chair, "
            "status, registered_date, members, is_demo) "
            "VALUES ('fx', ?, ?, ?, ?, ?, ?, ?, 10, false)",
            [f"o{i}", t, name, kind, chair, status, f"{2000 + i}-01-01"],
        )
    for i, (t, status, date) in enumerate(COUNCILS, 1):
        con.execute(
            "INSERT INTO tambon_council (source, source_id, tambon_pcode, name, status, "
            "established_date) VALUES ('fx', ?, ?, ?, ?, ?)",
            [f"c{i}", t, f"สภาองค์กรชุมชน{TAMBONS[t][0]}", status, date],
        )
    for i, (t, name, stage, hh, lon, lat, start, done) in enumerate(PROJECTS, 1):
        con.execute(
            "INSERT INTO baan_mankong_project (source, source_id, tambon_pcode, name, stage, "
            "households, geom, start_date, completion_date) "
            "VALUES ('fx', ?, ?, ?, ?, ?, ST_Point(?, ?), ?, ?)",
            [f"p{i}", t, name, stage, hh, lon, lat, start, done],
        )
    for i, (t, community, hh, tenure) in enumerate(LAND, 1):
        con.execute(
            "INSERT INTO land_case (source, source_id, tambon_pcode, community, households, "
            "tenure_status) VALUES ('fx', ?, ?, ?, ?, ?)",
            [f"l{i}", t, community, hh, tenure],
        )
    _plan_records(con)
    for i, (t, hh, status) in enumerate(NEEDS, 1):
        w, s = TAMBONS[t][2:]
        con.execute(
            "INSERT INTO need_report (receipt, form_id, content_hash, tambon_pcode, geom, area_m2, "
            "community_name, households, problems, urgency, status) "
            "VALUES (?, ?, ?, ?, ST_Point(?, ?), 0, ?, ?, ['eviction'], 'high', ?)",
            [
                f"NR-AAAA-{i:04d}",
                f"fixture-{i:04d}",
                f"{i:064x}",
                t,
                w + 0.05,
                s + 0.05,
                f"ชุมชนแจ้ง {i}",
                hh,
                status,
            ],
        )
    return con


def _plan_records(con) -> None:
    from data.importers.plan_kinds import person_key

    for t, ref, start, end, adopted, status in PLANS:
        con.execute(
            "INSERT INTO community_plan (source, source_id, tambon_pcode, council, start_year, "
            "end_year, adopted_date, status) VALUES ('fx', ?, ?, ?, ?, ?, ?, ?)",
            [ref, t, f"สภาองค์กรชุมชน{TAMBONS[t][0]}", start, end, adopted, status],
        )
    for t, plan, ref, title, dim, agency, inc, year, support, baht, lon, lat in PLAN_ITEMS:
        con.execute(
            "INSERT INTO plan_item (source, source_id, tambon_pcode, plan_ref, title, dimension, "
            "agency_type, in_agency_plan, agency_plan_year, support_type, support_baht, status, "
            "geom) VALUES ('fx', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
            "CASE WHEN ? IS NULL THEN NULL ELSE ST_Point(?, ?) END)",
            [ref, t, plan, title, dim, agency, inc, year, support, baht,
             "supported" if support != "none" else ("in_agency_plan" if inc else "proposed"),
             lon, lon, lat],
        )  # fmt: skip
    for i, (t, name, course, date) in enumerate(PEOPLE, 1):
        key = person_key(name, t)
        con.execute(
            "INSERT INTO person_developed (source, source_id, tambon_pcode, person_key, course, "
            "activity_date) VALUES ('fx', ?, ?, ?, ?, ?)",
            [f"h{i}", t, key, course, date],
        )
        con.execute(
            "INSERT INTO person_private (person_key, name, updated_at) VALUES (?, ?, now()) "
            "ON CONFLICT DO NOTHING",
            [key, name],
        )
    for i, (t, org, date, total, passed) in enumerate(ASSESSMENTS, 1):
        con.execute(
            "INSERT INTO org_assessment (source, source_id, tambon_pcode, organization, "
            "assessed_date, form_key, form_version, scores, total_score, passed) "
            "VALUES ('fx', ?, ?, ?, ?, 'org_quality', 1, '{}', ?, ?)",
            [f"a{i}", t, org, date, total, passed],
        )
