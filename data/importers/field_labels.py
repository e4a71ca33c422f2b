"""The labels an import accepts for each coded value (organization type, status, project
type, landowner, land arrangement, stage, tenure): label key -> code, built from the
aliases here plus the labels the product itself shows (:mod:`data.vocab`).

Split from :mod:`data.importers.fields`, which re-exports every name here.
"""

from __future__ import annotations

from data import vocab
from data.importers.values import label_key


def _labels(table: dict[str, tuple[str, ...]], shown: vocab.Labels | None = None) -> dict[str, str]:
    """Label key -> code from the aliases, plus the labels the product itself shows
    (``shown``, from :mod:`data.vocab`), so a file the product exported imports back."""
    out = {}
    for code, words in table.items():
        out[label_key(code)] = code
        for word in (*words, *(shown or {}).get(code, ())):
            out[label_key(word)] = code
    return out


ORG_TYPES = _labels(
    {
        "savings_group": (
            "กลุ่มออมทรัพย์",
            "ออมทรัพย์",
            "กลุ่มออมทรัพย์เพื่อการผลิต",
            "สัจจะออมทรัพย์",
            "savings",
            "savings group",
        ),
        "welfare_fund": (
            "กองทุนสวัสดิการชุมชน",
            "กองทุนสวัสดิการ",
            "สวัสดิการชุมชน",
            "สวัสดิการ",
            "welfare",
            "welfare fund",
        ),
        "womens_group": (
            "กลุ่มสตรี",
            "กลุ่มแม่บ้าน",
            "แม่บ้าน",
            "สตรี",
            "women",
            "women's group",
            "womens group",
        ),
        "occupational_group": (
            "กลุ่มอาชีพ",
            "อาชีพ",
            "วิสาหกิจชุมชน",
            "occupational",
            "occupational group",
            "livelihood",
        ),
        "network": ("เครือข่าย", "เครือข่ายองค์กรชุมชน", "network"),
        "other": ("อื่นๆ", "อื่น ๆ", "อื่น", "other"),
    },
    vocab.ORG_TYPES,
)
STATUSES = _labels(
    {
        "active": ("ดำเนินการอยู่", "ดำเนินการ", "ยังดำเนินการ", "เปิด", "active", "ปกติ"),
        "inactive": ("หยุดดำเนินการ", "ไม่ดำเนินการ", "ชะลอ", "inactive", "dormant"),
        "dissolved": ("ยุบ", "ยุบเลิก", "เลิก", "ปิด", "dissolved", "closed"),
        "unknown": ("ไม่ทราบ", "unknown"),
    },
    vocab.ORG_STATUS,
)
PROJECT_TYPES = _labels(
    {
        "onsite_upgrading": (
            "ปรับปรุงในที่เดิม",
            "ปรับปรุงชุมชนในที่เดิม",
            "on-site upgrading",
            "onsite upgrading",
            "upgrading",
        ),
        "reblocking": ("ปรับผัง", "ปรับผังชุมชน", "reblocking", "re-blocking"),
        "reconstruction": ("ก่อสร้างใหม่ในที่เดิม", "รื้อสร้างใหม่", "สร้างใหม่", "reconstruction"),
        "nearby_relocation": ("ย้ายไปที่ใหม่ใกล้เคียง", "ย้ายใกล้ที่เดิม", "ย้ายที่ใกล้เคียง", "nearby relocation"),
        "relocation": ("ย้ายที่ใหม่", "ย้ายไปที่ใหม่", "relocation"),
    },
    vocab.PROJECT_TYPES,
)
LANDOWNERS = _labels(
    {
        "treasury": ("กรมธนารักษ์", "ที่ราชพัสดุ", "ธนารักษ์", "treasury", "treasury department"),
        "state_railway": (
            "การรถไฟแห่งประเทศไทย",
            "การรถไฟ",
            "รฟท",
            "ที่ดินรถไฟ",
            "state railway",
            "srt",
            "railway",
        ),
        "crown_property": (
            "สำนักงานทรัพย์สินพระมหากษัตริย์",
            "สำนักงานทรัพย์สินส่วนพระมหากษัตริย์",
            "ทรัพย์สินส่วนพระมหากษัตริย์",
            "ทรัพย์สิน",
            "crown property",
            "cpb",
        ),
        "private": ("เอกชน", "ที่ดินเอกชน", "private"),
        "local_authority": (
            "องค์กรปกครองส่วนท้องถิ่น",
            "อปท",
            "เทศบาล",
            "อบต",
            "ท้องถิ่น",
            "local authority",
            "municipality",
        ),
        "temple": ("วัด", "ที่ธรณีสงฆ์", "ธรณีสงฆ์", "temple", "wat"),
        "other": ("อื่นๆ", "อื่น ๆ", "อื่น", "other", "ที่สาธารณะ", "ป่าไม้", "กรมเจ้าท่า"),
    },
    vocab.LANDOWNERS,
)
ARRANGEMENTS = _labels(
    {
        "long_lease": ("เช่าระยะยาว", "เช่ายาว", "เช่า", "long lease", "lease"),
        "cooperative_ownership": (
            "กรรมสิทธิ์สหกรณ์",
            "สหกรณ์เป็นเจ้าของ",
            "กรรมสิทธิ์ร่วม",
            "cooperative ownership",
            "cooperative",
        ),
        "purchase": ("ซื้อที่ดิน", "ซื้อ", "purchase", "bought"),
        "other": ("อื่นๆ", "อื่น ๆ", "อื่น", "other"),
    },
    vocab.LAND_ARRANGEMENTS,
)
STAGES = _labels(
    {
        "survey": ("สำรวจข้อมูล", "สำรวจ", "survey"),
        "savings": ("ออมทรัพย์", "ออมเงิน", "ระดมเงินออม", "savings"),
        "land_negotiation": ("เจรจาที่ดิน", "จัดหาที่ดิน", "land negotiation", "negotiation"),
        "loan_approved": ("อนุมัติสินเชื่อ", "อนุมัติงบประมาณ", "อนุมัติ", "loan approved", "approved"),
        "construction": ("ก่อสร้าง", "กำลังก่อสร้าง", "ระหว่างก่อสร้าง", "construction"),
        "completed": ("เสร็จสิ้น", "แล้วเสร็จ", "เสร็จ", "completed", "complete", "done"),
    },
    vocab.PROJECT_STAGES,
)
TENURE = _labels(
    {
        "secure": ("มั่นคง", "ถือครองมั่นคง", "secure"),
        "insecure": ("ไม่มั่นคง", "ไม่มีความมั่นคง", "insecure", "บุกรุก", "อยู่อาศัยโดยไม่มีสิทธิ์"),
        "eviction_threat": ("ถูกไล่รื้อ", "เสี่ยงถูกไล่รื้อ", "ไล่รื้อ", "eviction threat", "eviction"),
        "dispute": ("ข้อพิพาท", "พิพาท", "คดีความ", "dispute", "conflict"),
    },
    vocab.TENURE,
)
