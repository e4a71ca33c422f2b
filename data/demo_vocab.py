"""The demo dataset's vocabulary: provinces on the railway lines, organisation types,
products, people's names, project stages and types, landowners, tenure and community
name words, with the shares each is drawn with.

Part of :mod:`data.demo` (every name is importable from there).
"""

from __future__ import annotations

# Provinces the railway lines run through (Bangkok plus 34), for railway-land communities.
RAILWAY_PROVINCES = (
    "TH10", "TH14", "TH16", "TH60", "TH66", "TH65", "TH53", "TH54", "TH52", "TH51", "TH50",
    "TH19", "TH30", "TH31", "TH32", "TH33", "TH34", "TH40", "TH41", "TH43", "TH24", "TH25",
    "TH27", "TH20", "TH73", "TH70", "TH76", "TH77", "TH86", "TH84", "TH80", "TH93", "TH90",
    "TH95", "TH96",
)  # fmt: skip

ORG_TYPES = (
    "savings_group",
    "welfare_fund",
    "womens_group",
    "occupational_group",
    "network",
    "other",
)
ORG_TYPE_P = (0.30, 0.17, 0.16, 0.27, 0.04, 0.06)
ORG_PREFIX = {
    "savings_group": "กลุ่มออมทรัพย์เพื่อการผลิต",
    "welfare_fund": "กองทุนสวัสดิการชุมชน",
    "womens_group": "กลุ่มสตรี",
    "occupational_group": "กลุ่มอาชีพ",
    "network": "เครือข่ายองค์กรชุมชน",
    "other": "กลุ่มพัฒนา",
}
ORG_TYPE_LABEL = {
    "savings_group": "กลุ่มออมทรัพย์",
    "welfare_fund": "กองทุนสวัสดิการ",
    "womens_group": "กลุ่มสตรี",
    "occupational_group": "กลุ่มอาชีพ",
    "network": "เครือข่าย",
    "other": "อื่นๆ",
}
PRODUCTS = (
    "ผ้าทอมือ",
    "ข้าวกล้องอินทรีย์",
    "น้ำพริกแกง",
    "เครื่องจักสาน",
    "ปลาร้า",
    "ขนมไทย",
    "สบู่สมุนไพร",
    "ไม้กวาดดอกหญ้า",
    "กล้วยตาก",
    "ผักปลอดสารพิษ",
    "ปุ๋ยอินทรีย์",
    "น้ำยาล้างจาน",
    "เสื่อกก",
    "ปลาแห้ง",
    "ผ้าบาติก",
)
GIVEN = (
    "สมชาย",
    "สมศรี",
    "บุญมี",
    "มาลี",
    "ประเสริฐ",
    "วันเพ็ญ",
    "สุนทร",
    "จันทร์เพ็ญ",
    "ทองดี",
    "ละออ",
    "สมบัติ",
    "บุญเรือน",
    "อำนวย",
    "สายทอง",
    "ประยูร",
    "คำปุ่น",
)
FAMILY = (
    "ใจดี",
    "มีสุข",
    "ทองคำ",
    "ศรีสุข",
    "บุญมา",
    "แก้วมณี",
    "สุขสวัสดิ์",
    "พรหมมา",
    "ชัยมงคล",
    "อินทร์แก้ว",
    "จันทร์หอม",
    "ทองมา",
)
STAGES = ("survey", "savings", "land_negotiation", "loan_approved", "construction", "completed")
STAGE_P = (0.05, 0.07, 0.08, 0.10, 0.15, 0.55)
PROJECT_TYPES = (
    "onsite_upgrading",
    "reblocking",
    "reconstruction",
    "nearby_relocation",
    "relocation",
)
PROJECT_TYPE_P = (0.30, 0.22, 0.18, 0.15, 0.15)
LANDOWNERS = (
    "treasury",
    "state_railway",
    "crown_property",
    "private",
    "local_authority",
    "temple",
    "other",
)
PROJECT_OWNER_P = (0.18, 0.14, 0.08, 0.35, 0.10, 0.07, 0.08)
CASE_OWNER_P = (0.22, 0.0, 0.10, 0.33, 0.12, 0.10, 0.13)
TENURE = ("secure", "insecure", "eviction_threat", "dispute")
CASE_TENURE_P = (0.10, 0.50, 0.22, 0.18)
COMMUNITY_WORDS = (
    "ร่วมใจ",
    "พัฒนา",
    "สามัคคี",
    "ริมทางรถไฟ",
    "ริมคลอง",
    "เจริญสุข",
    "มั่นคง",
    "ใหม่",
    "ริมน้ำ",
    "หลังวัด",
    "สะพาน",
    "ตลาด",
)
