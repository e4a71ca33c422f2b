"""Indicators measured from community plans, people developed and organisation assessments.

Seed 003's targets counted by records (migration 0011) instead of proxies. Every one reads
the records as they stood at the end of the year in ``as_of`` (the current year, or the
year ``analysis.monitoring`` looks back at):

* a plan is **current** in year Y when it is adopted (or under review), its period covers
  Y and it was adopted in Y or before;
* an item counts as **in an agency's plan** in Y when it is marked so and the agency plan's
  year is Y or before (or not given); **supported** when it also received money or help
  in kind;
* a person is **developed** by Y with a course dated Y or before (each person counted once
  per tambon: the name and tambon make the key);
* an organisation is **of quality** in Y when its latest assessment dated Y or before
  passed on the form it was assessed with.
"""

from analysis.catalogue import Indicator, register

AS_OF = "(SELECT year FROM as_of)"

#: Tambon plans in force in the as-of year.
CURRENT_PLANS_SQL = f"""
SELECT tambon_pcode, source_id FROM community_plan
WHERE status IN ('adopted', 'under_review')
  AND {AS_OF} BETWEEN start_year AND end_year
  AND (adopted_date IS NULL OR year(adopted_date) <= {AS_OF})"""

#: Items of current plans with their uptake in the as-of year.
CURRENT_ITEMS_SQL = f"""
SELECT i.tambon_pcode, i.agency_type, i.support_baht,
       i.in_agency_plan AND coalesce(i.agency_plan_year, 0) <= {AS_OF} AS included,
       i.in_agency_plan AND coalesce(i.agency_plan_year, 0) <= {AS_OF}
           AND i.support_type <> 'none' AS supported
FROM plan_item i
JOIN ({CURRENT_PLANS_SQL}) p ON p.source_id = i.plan_ref AND p.tambon_pcode = i.tambon_pcode"""

#: Per tambon: 0 no plan, 1 a plan not in force, 2 current plan, 3 an item in an agency's
#: plan, 4 an item supported.
PLAN_STAGE_SQL = f"""
SELECT t.pcode,
       CASE WHEN s.supported THEN 4 WHEN s.included THEN 3 WHEN c.tambon_pcode IS NOT NULL
            THEN 2 WHEN a.tambon_pcode IS NOT NULL THEN 1 ELSE 0 END AS stage
FROM tambon t
LEFT JOIN (SELECT DISTINCT tambon_pcode FROM community_plan
           WHERE start_year <= {AS_OF}) a ON a.tambon_pcode = t.pcode
LEFT JOIN (SELECT DISTINCT tambon_pcode FROM ({CURRENT_PLANS_SQL})) c
       ON c.tambon_pcode = t.pcode
LEFT JOIN (SELECT tambon_pcode, bool_or(included) AS included, bool_or(supported) AS supported
           FROM ({CURRENT_ITEMS_SQL}) GROUP BY 1) s ON s.tambon_pcode = t.pcode"""

#: Organisations whose latest assessment by the as-of year passed.
QUALITY_ORGS_SQL = f"""
SELECT tambon_pcode, coalesce(org_ref, organization) AS org
FROM org_assessment WHERE year(assessed_date) <= {AS_OF}
QUALIFY row_number() OVER (PARTITION BY tambon_pcode, coalesce(org_ref, organization)
                           ORDER BY assessed_date DESC, id DESC) = 1 AND passed"""

#: Agency types that must have taken up community plan items for a province to count as
#: having a cooperation network (communities, agencies and partners).
COOPERATION_AGENCY_TYPES = 3

_RECORDS_TH = "นับจากทะเบียนแผนพัฒนาชุมชน ณ สิ้นปีที่เลือก"
_RECORDS_EN = "counted from the plan register as at the end of the chosen year"

register(
    Indicator(
        key="plan_stage",
        name_th="ขั้นของแผนพัฒนาชุมชนตำบล (0-4)",
        name_en="Tambon plan stage (0-4)",
        unit_th="ขั้น",
        unit_en="stage",
        definition_th="0 ไม่มีแผน, 1 มีแผนแต่ไม่ได้ใช้อยู่ (ร่าง สิ้นสุด หรือนอกช่วงปี), 2 มีแผนที่ใช้อยู่, "
        "3 มีรายการบรรจุในแผนของหน่วยงาน, 4 มีรายการได้รับการสนับสนุน; " + _RECORDS_TH,
        definition_en="0 no plan, 1 a plan not in force (draft, ended or outside its period), "
        "2 a current plan, 3 an item in an agency's plan, 4 an item supported; " + _RECORDS_EN,
        tambon_sql=f"SELECT pcode, stage AS num FROM ({PLAN_STAGE_SQL})",
        levels=("tambon",),
        demo_fed=True,
        higher_is="better",
        decimals=0,
    )
)

register(
    Indicator(
        key="plan_current_share",
        name_th="ตำบลที่มีแผนพัฒนาชุมชนที่ใช้อยู่",
        name_en="Tambons with a current community plan",
        unit_th="%",
        unit_en="%",
        definition_th="ร้อยละของตำบลที่มีแผนพัฒนาชุมชนท้องถิ่นที่ประกาศใช้และครอบคลุมปีนั้น; " + _RECORDS_TH,
        definition_en="Share of tambons with an adopted community development plan whose "
        "period covers the year; " + _RECORDS_EN,
        tambon_sql=f"""SELECT t.pcode, (c.tambon_pcode IS NOT NULL)::INTEGER AS num, 1 AS den
                   FROM tambon t LEFT JOIN (SELECT DISTINCT tambon_pcode
                                            FROM ({CURRENT_PLANS_SQL})) c
                   ON c.tambon_pcode = t.pcode""",
        has_denominator=True,
        scale=100.0,
        demo_fed=True,
        higher_is="better",
        decimals=1,
    )
)

register(
    Indicator(
        key="plans_current_tambons",
        name_th="จำนวนตำบลที่มีแผนพัฒนาชุมชนที่ใช้อยู่",
        name_en="Tambons with a current plan (count)",
        unit_th="ตำบล",
        unit_en="tambons",
        definition_th="จำนวนตำบลที่มีแผนพัฒนาชุมชนท้องถิ่นที่ประกาศใช้และครอบคลุมปีนั้น; " + _RECORDS_TH,
        definition_en="Tambons with an adopted community development plan whose period "
        "covers the year; " + _RECORDS_EN,
        tambon_sql=f"SELECT DISTINCT tambon_pcode AS pcode, 1 AS num FROM ({CURRENT_PLANS_SQL})",
        demo_fed=True,
        higher_is="better",
        decimals=0,
    )
)

register(
    Indicator(
        key="plans_linked_tambons",
        name_th="ตำบลที่แผนเชื่อมโยงสู่แผนหน่วยงานและได้รับการสนับสนุน",
        name_en="Tambons whose plan is linked to an agency and supported",
        unit_th="ตำบล",
        unit_en="tambons",
        definition_th="จำนวนตำบลที่มีแผนที่ใช้อยู่ ซึ่งมีอย่างน้อยหนึ่งรายการบรรจุในแผนของหน่วยงานและได้รับ"
        "การสนับสนุน (เงินหรือสิ่งของ); " + _RECORDS_TH,
        definition_en="Tambons with a current plan that has at least one item in an agency's "
        "plan and supported by it (money or in kind); " + _RECORDS_EN,
        tambon_sql=f"""SELECT tambon_pcode AS pcode, 1 AS num FROM ({CURRENT_ITEMS_SQL})
                   GROUP BY 1 HAVING bool_or(supported)""",
        demo_fed=True,
        higher_is="better",
        decimals=0,
    )
)

register(
    Indicator(
        key="plan_items",
        name_th="รายการในแผนพัฒนาชุมชนที่ใช้อยู่",
        name_en="Items of current community plans",
        unit_th="รายการ",
        unit_en="items",
        definition_th="จำนวนรายการ (โครงการ/กิจกรรม) ในแผนพัฒนาชุมชนที่ใช้อยู่; " + _RECORDS_TH,
        definition_en="Items (projects, activities) of current community plans; " + _RECORDS_EN,
        tambon_sql=f"SELECT tambon_pcode AS pcode, count(*) AS num FROM ({CURRENT_ITEMS_SQL}) "
        "GROUP BY 1",
        demo_fed=True,
        higher_is="neutral",
        decimals=0,
    )
)

register(
    Indicator(
        key="plan_item_uptake",
        name_th="สัดส่วนรายการที่หน่วยงานบรรจุในแผน",
        name_en="Plan items taken up by agencies",
        unit_th="%",
        unit_en="%",
        definition_th="ร้อยละของรายการในแผนที่ใช้อยู่ที่บรรจุในแผนของหน่วยงานที่เสนอ; " + _RECORDS_TH,
        definition_en="Share of the items of current plans included in the plan of the agency "
        "they were proposed to; " + _RECORDS_EN,
        tambon_sql=f"""SELECT tambon_pcode AS pcode, count(*) FILTER (included) AS num,
                          count(*) AS den FROM ({CURRENT_ITEMS_SQL}) GROUP BY 1""",
        has_denominator=True,
        scale=100.0,
        demo_fed=True,
        higher_is="better",
        decimals=0,
    )
)

register(
    Indicator(
        key="plan_support_baht",
        name_th="เงินสนับสนุนที่แผนชุมชนได้รับ",
        name_en="Support received by community plans",
        unit_th="บาท",
        unit_en="baht",
        definition_th="เงินที่หน่วยงานสนับสนุนรายการในแผนที่ใช้อยู่; " + _RECORDS_TH,
        definition_en="Money agencies gave to items of current plans; " + _RECORDS_EN,
        tambon_sql=f"""SELECT tambon_pcode AS pcode, sum(coalesce(support_baht, 0)) AS num
                   FROM ({CURRENT_ITEMS_SQL}) WHERE supported GROUP BY 1""",
        demo_fed=True,
        higher_is="better",
        decimals=0,
    )
)

register(
    Indicator(
        key="leaders_developed",
        name_th="ผู้นำที่ผ่านการพัฒนา",
        name_en="Community leaders developed",
        unit_th="คน",
        unit_en="people",
        definition_th="จำนวนคน (ไม่นับซ้ำในตำบล) ในทะเบียนผู้ผ่านหลักสูตรหรือกิจกรรมพัฒนาของขบวนองค์กรชุมชน "
        "ที่มีวันที่ไม่เกินสิ้นปีที่เลือก",
        definition_en="People (each counted once per tambon) in the register of the movement's "
        "courses and activities, dated up to the end of the chosen year",
        tambon_sql=f"""SELECT tambon_pcode AS pcode, count(DISTINCT person_key) AS num
                   FROM person_developed WHERE year(activity_date) <= {AS_OF} GROUP BY 1""",
        demo_fed=True,
        higher_is="better",
        decimals=0,
    )
)

register(
    Indicator(
        key="orgs_assessed_passed",
        name_th="องค์กรชุมชนที่ผ่านการประเมินคุณภาพ",
        name_en="Organisations passing the quality assessment",
        unit_th="องค์กร",
        unit_en="organisations",
        definition_th="องค์กรชุมชนที่การประเมินครั้งล่าสุด (ไม่เกินสิ้นปีที่เลือก) ผ่านเกณฑ์ของแบบประเมินที่ใช้",
        definition_en="Community organisations whose latest assessment (up to the end of the "
        "chosen year) passed on the form used",
        tambon_sql=f"SELECT tambon_pcode AS pcode, count(*) AS num FROM ({QUALITY_ORGS_SQL}) "
        "GROUP BY 1",
        demo_fed=True,
        higher_is="better",
        decimals=0,
    )
)

register(
    Indicator(
        key="quality_org_tambons_assessed",
        name_th="ตำบลที่มีองค์กรชุมชนผ่านการประเมินคุณภาพ",
        name_en="Tambons with an organisation passing the quality assessment",
        unit_th="ตำบล",
        unit_en="tambons",
        definition_th="จำนวนตำบลที่มีองค์กรชุมชนอย่างน้อยหนึ่งองค์กรที่การประเมินครั้งล่าสุดผ่านเกณฑ์",
        definition_en="Tambons with at least one community organisation whose latest "
        "assessment passed",
        tambon_sql=f"SELECT DISTINCT tambon_pcode AS pcode, 1 AS num FROM ({QUALITY_ORGS_SQL})",
        demo_fed=True,
        higher_is="better",
        decimals=0,
    )
)

register(
    Indicator(
        key="provinces_with_cooperation",
        name_th="จังหวัดที่มีเครือข่ายความร่วมมือ (แผนชุมชนกับหน่วยงาน)",
        name_en="Provinces with a cooperation network (plans with agencies)",
        unit_th="จังหวัด",
        unit_en="provinces",
        definition_th=f"จำนวนจังหวัดที่รายการในแผนพัฒนาชุมชนได้รับการบรรจุในแผนของหน่วยงานอย่างน้อย "
        f"{COOPERATION_AGENCY_TYPES} ประเภท (อปท. อำเภอ จังหวัด กระทรวง ภาคี); " + _RECORDS_TH,
        definition_en="Provinces where community plan items were included in the plans of at "
        f"least {COOPERATION_AGENCY_TYPES} kinds of agency (local government, amphoe, province, "
        "ministry, partner); " + _RECORDS_EN,
        # the lowest tambon P-code of each counted province carries it, so it adds up
        tambon_sql=f"""SELECT min(tambon_pcode) AS pcode, 1 AS num FROM ({CURRENT_ITEMS_SQL})
                   WHERE included GROUP BY substr(tambon_pcode, 1, 4)
                   HAVING count(DISTINCT agency_type) >= {COOPERATION_AGENCY_TYPES}""",
        levels=("region", "cluster", "province"),
        demo_fed=True,
        higher_is="better",
        decimals=0,
    )
)
