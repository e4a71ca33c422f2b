"""The code lists of the community data and their Thai and English labels, in one place.

Codes are what the database stores (the CHECK constraints of migration 0003 list the same
codes); labels are what people read on maps, report cards and exports. Importers accept
every label here besides their own aliases, so an exported file imports back.
"""

from __future__ import annotations

Labels = dict[str, tuple[str, str]]  # code -> (Thai, English)

ORG_TYPES: Labels = {
    "savings_group": ("กลุ่มออมทรัพย์", "Savings group"),
    "welfare_fund": ("กองทุนสวัสดิการชุมชน", "Community welfare fund"),
    "womens_group": ("กลุ่มสตรี", "Women's group"),
    "occupational_group": ("กลุ่มอาชีพ", "Occupational group"),
    "network": ("เครือข่าย", "Network"),
    "other": ("อื่น ๆ", "Other"),
}
ORG_STATUS: Labels = {
    "active": ("ดำเนินการอยู่", "Active"),
    "inactive": ("หยุดดำเนินการ", "Inactive"),
    "dissolved": ("ยุบเลิก", "Dissolved"),
    "unknown": ("ไม่ทราบ", "Unknown"),
}
PROJECT_TYPES: Labels = {
    "onsite_upgrading": ("ปรับปรุงในที่เดิม", "On-site upgrading"),
    "reblocking": ("ปรับผังชุมชน", "Reblocking"),
    "reconstruction": ("ก่อสร้างใหม่ในที่เดิม", "Reconstruction"),
    "nearby_relocation": ("ย้ายไปที่ใหม่ใกล้เคียง", "Nearby relocation"),
    "relocation": ("ย้ายไปที่ใหม่", "Relocation"),
}
PROJECT_STAGES: Labels = {
    "survey": ("สำรวจข้อมูล", "Survey"),
    "savings": ("ออมทรัพย์", "Savings"),
    "land_negotiation": ("เจรจาที่ดิน", "Land negotiation"),
    "loan_approved": ("อนุมัติสินเชื่อ", "Loan approved"),
    "construction": ("ก่อสร้าง", "Construction"),
    "completed": ("แล้วเสร็จ", "Completed"),
}
LAND_ARRANGEMENTS: Labels = {
    "long_lease": ("เช่าระยะยาว", "Long lease"),
    "cooperative_ownership": ("กรรมสิทธิ์สหกรณ์", "Cooperative ownership"),
    "purchase": ("ซื้อที่ดิน", "Purchase"),
    "other": ("อื่น ๆ", "Other"),
}
LANDOWNERS: Labels = {
    "treasury": ("ที่ราชพัสดุ (กรมธนารักษ์)", "Treasury"),
    "state_railway": ("การรถไฟแห่งประเทศไทย", "State Railway"),
    "crown_property": ("ทรัพย์สินส่วนพระมหากษัตริย์", "Crown Property"),
    "private": ("เอกชน", "Private"),
    "local_authority": ("องค์กรปกครองส่วนท้องถิ่น", "Local authority"),
    "temple": ("ที่วัด", "Temple"),
    "other": ("อื่น ๆ", "Other"),
    "unknown": ("ไม่ทราบ", "Unknown"),
}
TENURE: Labels = {
    "secure": ("มั่นคง", "Secure"),
    "insecure": ("ไม่มั่นคง", "Insecure"),
    "eviction_threat": ("เสี่ยงถูกไล่รื้อ", "Eviction threat"),
    "dispute": ("มีข้อพิพาท", "Dispute"),
}

# Community development plans (แผนพัฒนาชุมชนท้องถิ่น, migration 0011).
PLAN_STATUS: Labels = {
    "draft": ("ร่างแผน", "Draft"),
    "adopted": ("ประกาศใช้แล้ว", "Adopted"),
    "under_review": ("อยู่ระหว่างทบทวน", "Under review"),
    "ended": ("สิ้นสุดแล้ว", "Ended"),
}
PLAN_DIMENSIONS: Labels = {
    "social": ("ด้านสังคม", "Social"),
    "economic": ("ด้านเศรษฐกิจ", "Economic"),
    "resources_environment": ("ด้านทรัพยากรและสิ่งแวดล้อม", "Resources and environment"),
    "housing_land": ("ด้านที่อยู่อาศัยและที่ดิน", "Housing and land"),
    "welfare": ("ด้านสวัสดิการ", "Welfare"),
    "other": ("ด้านอื่น ๆ", "Other"),
}
AGENCY_TYPES: Labels = {
    "local_government": ("องค์กรปกครองส่วนท้องถิ่น (อปท.)", "Local government (LAO)"),
    "amphoe": ("อำเภอ", "Amphoe (district)"),
    "province": ("จังหวัด", "Province"),
    "ministry": ("กระทรวง/กรม", "Ministry or department"),
    "partner": ("ภาคี/องค์กรพัฒนา", "Partner organisation"),
}
SUPPORT_TYPES: Labels = {
    "none": ("ยังไม่ได้รับ", "None yet"),
    "money": ("งบประมาณ", "Money"),
    "in_kind": ("สิ่งของ/แรงงาน/วิชาการ", "In kind"),
    "money_and_in_kind": ("งบประมาณและสิ่งของ", "Money and in kind"),
}
PLAN_ITEM_STATUS: Labels = {
    "proposed": ("เสนอแล้ว", "Proposed"),
    "in_agency_plan": ("บรรจุในแผนหน่วยงาน", "In an agency's plan"),
    "supported": ("ได้รับการสนับสนุน", "Supported"),
    "completed": ("ดำเนินการแล้วเสร็จ", "Completed"),
    "dropped": ("ไม่ได้รับการพิจารณา", "Dropped"),
}
#: How far an item was taken up by the agency it was proposed to (for maps and cards).
UPTAKE: Labels = {
    "supported": ("หน่วยงานสนับสนุนแล้ว", "Supported by the agency"),
    "included": ("บรรจุในแผนหน่วยงาน ยังไม่ได้รับการสนับสนุน", "In the agency's plan, not yet supported"),
    "not_taken_up": ("ยังไม่ได้รับการบรรจุ", "Not taken up yet"),
}


def label(labels: Labels, code, lang: str = "th") -> str:
    """The label of ``code`` in ``lang``; an unknown code comes back as it was."""
    pair = labels.get(code)
    if pair is None:
        return "" if code is None else str(code)
    return pair[0] if lang == "th" else pair[1]


def both(labels: Labels) -> dict[str, str]:
    """``code -> "ไทย · English"``, for places shown to readers of either language."""
    return {code: f"{th} · {en}" for code, (th, en) in labels.items()}
