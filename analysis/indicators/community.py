"""Indicators from community data: organizations, councils, Baan Mankong, land tenure.

All are ``demo_fed``: until CODI's registries are imported the demo dataset feeds them, and
the interface says so. Dissolved organizations and councils are not counted.
"""

from analysis.catalogue import Indicator, register
from data import vocab

_ORGS = (
    "SELECT tambon_pcode, count(*) AS n FROM community_org WHERE status <> 'dissolved' GROUP BY 1"
)
_VILLAGES = "SELECT tambon_pcode, count(*) AS n FROM village GROUP BY 1"

register(
    Indicator(
        key="community_orgs",
        name_th="กลุ่ม/องค์กรชุมชน",
        name_en="Community organizations",
        unit_th="กลุ่ม",
        unit_en="organizations",
        definition_th="จำนวนกลุ่ม/องค์กรชุมชนที่ยังไม่ยุบเลิก (กลุ่มออมทรัพย์ กองทุนสวัสดิการ "
        "กลุ่มสตรี กลุ่มอาชีพ เครือข่าย ฯลฯ)",
        definition_en="Community organizations not dissolved (savings groups, welfare funds, "
        "women's and occupational groups, networks, ...)",
        tambon_sql=f"SELECT tambon_pcode AS pcode, n AS num FROM ({_ORGS})",
        demo_fed=True,
        higher_is="better",
        decimals=0,
    )
)

register(
    Indicator(
        key="community_orgs_per_village",
        name_th="องค์กรชุมชนต่อหมู่บ้าน",
        name_en="Organizations per village",
        unit_th="กลุ่ม/หมู่บ้าน",
        unit_en="organizations/village",
        definition_th="จำนวนกลุ่ม/องค์กรชุมชนหารด้วยจำนวนหมู่บ้าน (ปี 2555) ในพื้นที่",
        definition_en="Community organizations divided by the 2012 villages in the area",
        tambon_sql=f"""SELECT t.pcode, coalesce(o.n, 0) AS num, coalesce(v.n, 0) AS den
                   FROM tambon t LEFT JOIN ({_ORGS}) o ON o.tambon_pcode = t.pcode
                   LEFT JOIN ({_VILLAGES}) v ON v.tambon_pcode = t.pcode""",
        has_denominator=True,
        demo_fed=True,
        higher_is="better",
        decimals=2,
    )
)

register(
    Indicator(
        key="council_present",
        name_th="ตำบลที่มีสภาองค์กรชุมชน",
        name_en="Tambons with a community council",
        unit_th="%",
        unit_en="%",
        definition_th="ร้อยละของตำบลที่มีสภาองค์กรชุมชนตำบลที่ยังดำเนินการ (ระดับตำบล: 100 = มี, 0 = ไม่มี)",
        definition_en="Share of tambons with a tambon community council not dissolved "
        "(at tambon level: 100 = present, 0 = absent)",
        tambon_sql="""SELECT t.pcode, CASE WHEN c.tambon_pcode IS NULL THEN 0 ELSE 1 END AS num,
                         1 AS den
                  FROM tambon t LEFT JOIN (SELECT DISTINCT tambon_pcode FROM tambon_council
                                           WHERE status <> 'dissolved') c
                       ON c.tambon_pcode = t.pcode""",
        has_denominator=True,
        scale=100.0,
        demo_fed=True,
        higher_is="better",
        decimals=0,
    )
)

_STAGES = {code: (th, en.lower()) for code, (th, en) in vocab.PROJECT_STAGES.items()}

register(
    Indicator(
        key="baan_mankong_households",
        name_th="ครัวเรือนบ้านมั่นคง (ทุกขั้นตอน)",
        name_en="Baan Mankong households (all stages)",
        unit_th="ครัวเรือน",
        unit_en="households",
        definition_th="จำนวนครัวเรือนในโครงการบ้านมั่นคงทุกขั้นตอน ตั้งแต่สำรวจข้อมูลถึงเสร็จสิ้น",
        definition_en="Households in Baan Mankong projects at any stage, from survey to completed",
        tambon_sql="SELECT tambon_pcode AS pcode, sum(coalesce(households, 0)) AS num "
        "FROM baan_mankong_project GROUP BY 1",
        demo_fed=True,
        higher_is="better",
        decimals=0,
    )
)

for _stage, (_th, _en) in _STAGES.items():
    register(
        Indicator(
            key=f"baan_mankong_households_{_stage}",
            name_th=f"ครัวเรือนบ้านมั่นคง: {_th}",
            name_en=f"Baan Mankong households: {_en}",
            unit_th="ครัวเรือน",
            unit_en="households",
            definition_th=f"จำนวนครัวเรือนในโครงการบ้านมั่นคงที่อยู่ในขั้นตอน{_th}",
            definition_en=f"Households in Baan Mankong projects at the {_en} stage",
            tambon_sql="SELECT tambon_pcode AS pcode, sum(coalesce(households, 0)) AS num "
            f"FROM baan_mankong_project WHERE stage = '{_stage}' GROUP BY 1",
            demo_fed=True,
            higher_is="better",
            decimals=0,
        )
    )

register(
    Indicator(
        key="baan_mankong_completed_share",
        name_th="สัดส่วนครัวเรือนบ้านมั่นคงที่เสร็จสิ้น",
        name_en="Baan Mankong households completed",
        unit_th="%",
        unit_en="%",
        definition_th="ร้อยละของครัวเรือนในโครงการบ้านมั่นคงที่โครงการเสร็จสิ้นแล้ว",
        definition_en="Share of Baan Mankong households whose project is completed",
        tambon_sql="SELECT tambon_pcode AS pcode, "
        "sum(CASE WHEN stage = 'completed' THEN coalesce(households, 0) ELSE 0 END) AS num,"
        " sum(coalesce(households, 0)) AS den FROM baan_mankong_project GROUP BY 1",
        has_denominator=True,
        scale=100.0,
        demo_fed=True,
        higher_is="better",
        decimals=0,
    )
)

register(
    Indicator(
        key="insecure_land_households",
        name_th="ครัวเรือนที่ไม่มั่นคงในที่ดิน",
        name_en="Households on insecure land",
        unit_th="ครัวเรือน",
        unit_en="households",
        definition_th="จำนวนครัวเรือนในกรณีที่ดินที่ไม่มั่นคง ถูกไล่รื้อ หรือมีข้อพิพาท",
        definition_en="Households in land cases that are insecure, under eviction threat or in "
        "dispute",
        tambon_sql="SELECT tambon_pcode AS pcode, sum(coalesce(households, 0)) AS num "
        "FROM land_case WHERE tenure_status <> 'secure' GROUP BY 1",
        demo_fed=True,
        higher_is="worse",
        decimals=0,
    )
)

register(
    Indicator(
        key="eviction_threat_households",
        name_th="ครัวเรือนที่เสี่ยงถูกไล่รื้อ",
        name_en="Households under eviction threat",
        unit_th="ครัวเรือน",
        unit_en="households",
        definition_th="จำนวนครัวเรือนในกรณีที่ดินที่ถูกไล่รื้อหรือเสี่ยงถูกไล่รื้อ",
        definition_en="Households in land cases under eviction threat",
        tambon_sql="SELECT tambon_pcode AS pcode, sum(coalesce(households, 0)) AS num "
        "FROM land_case WHERE tenure_status = 'eviction_threat' GROUP BY 1",
        demo_fed=True,
        higher_is="worse",
        decimals=0,
    )
)
