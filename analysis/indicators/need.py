"""Indicators from housing-need reports (verified only; pending and rejected never count).

The verified households indicator itself (``need_verified_households``) is defined with
the need ledger in :mod:`analysis.indicators.planning`; these add the count of reports and
the households facing the sharpest problems.
"""

from analysis.catalogue import Indicator, register

register(
    Indicator(
        key="need_verified_reports",
        name_th="คำร้องความเดือดร้อนที่ตรวจสอบแล้ว",
        name_en="Verified housing-need reports",
        unit_th="คำร้อง",
        unit_en="reports",
        definition_th="จำนวนคำร้องความเดือดร้อนด้านที่อยู่อาศัยที่ผู้ประสานงานตรวจสอบแล้ว "
        "(ไม่นับคำร้องที่รวมเข้ากับคำร้องอื่น)",
        definition_en="Housing-need reports a coordinator has verified (merged duplicates "
        "not counted)",
        tambon_sql="SELECT tambon_pcode AS pcode, count(*) AS num FROM need_report "
        "WHERE status = 'verified' GROUP BY 1",
        demo_fed=True,
        higher_is="worse",
        decimals=0,
    )
)

register(
    Indicator(
        key="need_eviction_households",
        name_th="ครัวเรือนที่ถูกไล่รื้อ (ตรวจสอบแล้ว)",
        name_en="Households under eviction threat (verified)",
        unit_th="ครัวเรือน",
        unit_en="households",
        definition_th="ครัวเรือนในคำร้องที่ตรวจสอบแล้วซึ่งระบุปัญหาถูกไล่รื้อหรือเสี่ยงถูกไล่ที่",
        definition_en="Households in verified reports that name an eviction threat",
        tambon_sql="SELECT tambon_pcode AS pcode, sum(households) AS num FROM need_report "
        "WHERE status = 'verified' AND list_contains(problems, 'eviction') GROUP BY 1",
        demo_fed=True,
        higher_is="worse",
        decimals=0,
    )
)

register(
    Indicator(
        key="need_urgent_households",
        name_th="ครัวเรือนเดือดร้อนเร่งด่วนมาก (ตรวจสอบแล้ว)",
        name_en="Households in very urgent need (verified)",
        unit_th="ครัวเรือน",
        unit_en="households",
        definition_th="ครัวเรือนในคำร้องที่ตรวจสอบแล้วซึ่งผู้แจ้งระบุว่าเร่งด่วนมาก",
        definition_en="Households in verified reports marked very urgent by those who filed them",
        tambon_sql="SELECT tambon_pcode AS pcode, sum(households) AS num FROM need_report "
        "WHERE status = 'verified' AND urgency = 'high' GROUP BY 1",
        demo_fed=True,
        higher_is="worse",
        decimals=0,
    )
)
