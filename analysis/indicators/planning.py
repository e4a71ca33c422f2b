"""Planning indicators: housing need against supply, readiness, and the target measures.

The need ledger (one row per tambon) is the base of the priorities page:

* **demand** (ความต้องการที่อยู่อาศัย) = households in *verified* housing-need reports +
  households in land cases whose tenure is not secure (insecure, eviction threat, dispute).
  A community that both filed a report and has a land case counts twice: the two sources
  carry no shared identifier, and the report says so in the definition.
* **supply** (ได้รับการแก้ไข) = households in Baan Mankong projects whose land and finance are
  settled (stage ``loan_approved``, ``construction`` or ``completed``) + households in
  land cases whose tenure is secure.
* **unmet need** = ``max(0, demand - supply)`` per tambon, so surplus supply in one tambon
  never hides need in the next; coverage = ``min(supply, demand) / demand``.

Several target measures of seed 003 have no real register here (plans linked to agencies,
trained leaders, "quality" organizations); the closest indicators are defined below and
``analysis.targets`` labels them as proxies wherever they are shown.
"""

from analysis.catalogue import Indicator, register

SETTLED_STAGES = ("loan_approved", "construction", "completed")
_SETTLED = ", ".join(f"'{s}'" for s in SETTLED_STAGES)

#: Per-tambon need ledger: pcode, demand, supply, unmet, covered (all households).
NEED_LEDGER_SQL = f"""
SELECT t.pcode,
       coalesce(nr.hh, 0) + coalesce(lc.insecure, 0) AS demand,
       coalesce(bm.hh, 0) + coalesce(lc.secure, 0) AS supply,
       greatest(coalesce(nr.hh, 0) + coalesce(lc.insecure, 0)
                - coalesce(bm.hh, 0) - coalesce(lc.secure, 0), 0) AS unmet,
       least(coalesce(nr.hh, 0) + coalesce(lc.insecure, 0),
             coalesce(bm.hh, 0) + coalesce(lc.secure, 0)) AS covered
FROM tambon t
LEFT JOIN (SELECT tambon_pcode, sum(households) AS hh FROM need_report
           WHERE status = 'verified' GROUP BY 1) nr ON nr.tambon_pcode = t.pcode
LEFT JOIN (SELECT tambon_pcode,
                  sum(CASE WHEN tenure_status <> 'secure' THEN coalesce(households, 0) END)
                      AS insecure,
                  sum(CASE WHEN tenure_status = 'secure' THEN coalesce(households, 0) END)
                      AS secure
           FROM land_case GROUP BY 1) lc ON lc.tambon_pcode = t.pcode
LEFT JOIN (SELECT tambon_pcode, sum(coalesce(households, 0)) AS hh FROM baan_mankong_project
           WHERE stage IN ({_SETTLED}) GROUP BY 1) bm ON bm.tambon_pcode = t.pcode
"""

_DEMAND_TH = (
    "ครัวเรือนในคำร้องความเดือดร้อนที่ตรวจสอบแล้ว รวมกับครัวเรือนในกรณีที่ดินที่ยังไม่มั่นคง (ไม่มั่นคง ถูกไล่รื้อ หรือมีข้อพิพาท)"
)
_DEMAND_EN = (
    "households in verified housing-need reports plus households in land cases whose tenure "
    "is not secure (insecure, eviction threat, dispute)"
)
_SUPPLY_TH = (
    "ครัวเรือนในโครงการบ้านมั่นคงที่ได้ข้อยุติที่ดินและสินเชื่อแล้ว (อนุมัติสินเชื่อ ก่อสร้าง "
    "หรือเสร็จสิ้น) รวมกับครัวเรือนในกรณีที่ดินที่มั่นคงแล้ว"
)
_SUPPLY_EN = (
    "households in Baan Mankong projects with land and finance settled (loan approved, "
    "construction or completed) plus households in land cases with secure tenure"
)

register(
    Indicator(
        key="need_verified_households",
        name_th="ครัวเรือนเดือดร้อนที่ตรวจสอบแล้ว",
        name_en="Verified housing-need households",
        unit_th="ครัวเรือน",
        unit_en="households",
        definition_th="จำนวนครัวเรือนในคำร้องความเดือดร้อนด้านที่อยู่อาศัยที่ผู้ประสานงานตรวจสอบแล้ว",
        definition_en="Households in housing-need reports a coordinator has verified",
        tambon_sql="SELECT tambon_pcode AS pcode, sum(households) AS num FROM need_report "
        "WHERE status = 'verified' GROUP BY 1",
        demo_fed=True,
        higher_is="worse",
        decimals=0,
    )
)

register(
    Indicator(
        key="housing_demand_households",
        name_th="ความต้องการที่อยู่อาศัย",
        name_en="Housing need (households)",
        unit_th="ครัวเรือน",
        unit_en="households",
        definition_th=_DEMAND_TH,
        definition_en=_DEMAND_EN.capitalize(),
        tambon_sql=f"SELECT pcode, demand AS num FROM ({NEED_LEDGER_SQL})",
        demo_fed=True,
        higher_is="worse",
        decimals=0,
    )
)

register(
    Indicator(
        key="unmet_need_households",
        name_th="ความต้องการที่ยังไม่ได้รับการแก้ไข",
        name_en="Unmet housing need",
        unit_th="ครัวเรือน",
        unit_en="households",
        definition_th=f"ความต้องการ ({_DEMAND_TH}) ลบด้วยที่ได้รับการแก้ไข ({_SUPPLY_TH}) "
        "คิดรายตำบล ไม่ต่ำกว่าศูนย์ แล้วรวมขึ้นไป",
        definition_en=f"Need ({_DEMAND_EN}) minus supply ({_SUPPLY_EN}), per tambon and never "
        "below zero, then summed",
        tambon_sql=f"SELECT pcode, unmet AS num FROM ({NEED_LEDGER_SQL})",
        demo_fed=True,
        higher_is="worse",
        decimals=0,
    )
)

register(
    Indicator(
        key="need_coverage",
        name_th="สัดส่วนความต้องการที่ได้รับการแก้ไข",
        name_en="Need coverage ratio",
        unit_th="%",
        unit_en="%",
        definition_th="ร้อยละของความต้องการที่อยู่อาศัยที่ได้รับการแก้ไขแล้ว (ส่วนที่แก้ไขได้ในแต่ละตำบล "
        "ไม่เกินความต้องการของตำบลนั้น หารด้วยความต้องการรวม)",
        definition_en="Share of housing need met: per tambon, supply up to that tambon's need, "
        "divided by total need",
        tambon_sql=f"SELECT pcode, covered AS num, demand AS den FROM ({NEED_LEDGER_SQL})",
        has_denominator=True,
        scale=100.0,
        demo_fed=True,
        higher_is="better",
        decimals=0,
    )
)

register(
    Indicator(
        key="community_orgs_per_tambon",
        name_th="องค์กรชุมชนต่อตำบล",
        name_en="Organizations per tambon",
        unit_th="กลุ่ม/ตำบล",
        unit_en="organizations/tambon",
        definition_th="จำนวนกลุ่ม/องค์กรชุมชนที่ยังไม่ยุบเลิก หารด้วยจำนวนตำบลในพื้นที่",
        definition_en="Community organizations not dissolved, divided by the tambons in the area",
        tambon_sql="""SELECT t.pcode, coalesce(o.n, 0) AS num, 1 AS den FROM tambon t
                   LEFT JOIN (SELECT tambon_pcode, count(*) AS n FROM community_org
                              WHERE status <> 'dissolved' GROUP BY 1) o
                   ON o.tambon_pcode = t.pcode""",
        has_denominator=True,
        demo_fed=True,
        higher_is="better",
        decimals=2,
    )
)

register(
    Indicator(
        key="savings_groups_active",
        name_th="กลุ่มออมทรัพย์ที่ดำเนินการอยู่",
        name_en="Active savings groups",
        unit_th="กลุ่ม",
        unit_en="groups",
        definition_th="จำนวนกลุ่มออมทรัพย์ที่มีสถานะดำเนินการอยู่",
        definition_en="Savings groups whose status is active",
        tambon_sql="SELECT tambon_pcode AS pcode, count(*) AS num FROM community_org "
        "WHERE org_type = 'savings_group' AND status = 'active' GROUP BY 1",
        demo_fed=True,
        higher_is="better",
        decimals=0,
    )
)

register(
    Indicator(
        key="tambons_with_council",
        name_th="จำนวนตำบลที่มีสภาองค์กรชุมชน",
        name_en="Tambons with a community council (count)",
        unit_th="ตำบล",
        unit_en="tambons",
        definition_th="จำนวนตำบลที่มีสภาองค์กรชุมชนตำบลที่ยังไม่ยุบเลิก",
        definition_en="Number of tambons with a tambon community council not dissolved",
        tambon_sql="SELECT DISTINCT tambon_pcode AS pcode, 1 AS num FROM tambon_council "
        "WHERE status <> 'dissolved'",
        demo_fed=True,
        higher_is="better",
        decimals=0,
    )
)

register(
    Indicator(
        key="quality_org_tambons",
        name_th="ตำบลที่มีองค์กรชุมชนเข้มแข็ง (ตัวแทน)",
        name_en="Tambons with strong organizations (proxy)",
        unit_th="ตำบล",
        unit_en="tambons",
        definition_th="จำนวนตำบลที่มีสภาองค์กรชุมชนที่ดำเนินการอยู่ และมีกลุ่มออมทรัพย์หรือกองทุน"
        "สวัสดิการที่ดำเนินการอยู่อย่างน้อยหนึ่งกลุ่ม (ตัวแทนของ “องค์กรชุมชนมีคุณภาพ” "
        "ซึ่งยังไม่มีข้อมูลการประเมินจริง)",
        definition_en="Tambons with an active community council and at least one active savings "
        "group or welfare fund (a proxy for 'quality community organizations', for which no "
        "assessment data exist)",
        tambon_sql="""SELECT c.tambon_pcode AS pcode, 1 AS num
                   FROM (SELECT DISTINCT tambon_pcode FROM tambon_council
                         WHERE status = 'active') c
                   JOIN (SELECT DISTINCT tambon_pcode FROM community_org
                         WHERE status = 'active'
                           AND org_type IN ('savings_group', 'welfare_fund')) o
                   ON o.tambon_pcode = c.tambon_pcode""",
        demo_fed=True,
        higher_is="better",
        decimals=0,
    )
)

register(
    Indicator(
        key="community_leaders",
        name_th="ผู้นำองค์กรชุมชน (ตัวแทน)",
        name_en="Community leaders (proxy)",
        unit_th="คน",
        unit_en="people",
        definition_th="จำนวนประธานกลุ่ม/องค์กรชุมชนที่ดำเนินการอยู่ที่มีชื่อในทะเบียน (ตัวแทนของ "
        "“ผู้นำชุมชนที่ผ่านการพัฒนา” ซึ่งยังไม่มีทะเบียนการอบรมจริง)",
        definition_en="Named chairs of active community organizations (a proxy for 'trained "
        "community leaders', for which no training register exists)",
        tambon_sql="SELECT tambon_pcode AS pcode, count(*) AS num FROM community_org "
        "WHERE status = 'active' AND nullif(trim(chair), '') IS NOT NULL GROUP BY 1",
        demo_fed=True,
        higher_is="better",
        decimals=0,
    )
)

register(
    Indicator(
        key="provinces_with_network",
        name_th="จังหวัดที่มีเครือข่ายองค์กรชุมชน",
        name_en="Provinces with a community network",
        unit_th="จังหวัด",
        unit_en="provinces",
        definition_th="จำนวนจังหวัดที่มีเครือข่ายองค์กรชุมชนที่ดำเนินการอยู่อย่างน้อยหนึ่งเครือข่าย",
        definition_en="Provinces with at least one active community network organization",
        # the first tambon (lowest P-code) holding a network in each province counts it, so
        # the count adds up from tambons to provinces, clusters and regions
        tambon_sql="""SELECT min(tambon_pcode) AS pcode, 1 AS num FROM community_org
                   WHERE org_type = 'network' AND status = 'active'
                   GROUP BY substr(tambon_pcode, 1, 4)""",
        levels=("region", "cluster", "province"),
        demo_fed=True,
        higher_is="better",
        decimals=0,
    )
)

register(
    Indicator(
        key="provinces",
        name_th="จำนวนจังหวัด",
        name_en="Provinces",
        unit_th="จังหวัด",
        unit_en="provinces",
        definition_th="จำนวนจังหวัดในพื้นที่",
        definition_en="Number of provinces in the area",
        tambon_sql="SELECT min(pcode) AS pcode, 1 AS num FROM tambon GROUP BY province_pcode",
        levels=("region", "cluster"),
        decimals=0,
    )
)
