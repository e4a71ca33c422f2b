"""Import kinds for community development plans, their items, people developed and
organisation assessments (migration 0011).

- ``plan`` (แผนพัฒนาชุมชนท้องถิ่น, ``community_plan``): tambon, council, period (start and end
  year, Buddhist era or CE), date adopted, status;
- ``plan_item`` (รายการในแผน, ``plan_item``): the plan it belongs to (``รหัสแผน``, the
  plan's record id, which must already be imported for the same tambon), title,
  dimension, optional point or area (checked like every geometry and required to lie in
  the row's tambon), estimated budget, the agency type it is proposed to, whether it is in
  that agency's plan (with the plan's name and year), the support received, status;
- ``person_developed`` (ผู้ผ่านการพัฒนา, ``person_developed``): a person, the tambon, the
  course or activity and its date. The name goes to ``person_private`` only;
- ``org_assessment`` (การประเมินองค์กร, ``org_assessment``): organisation, date, the form
  (key and version, data in ``assessment_form``/``assessment_criterion``) and a score per
  criterion (``governance=4; finance=3 ...``); the total and pass/fail are computed from
  the form, never typed in.

The columns (label sets and headers) are in :mod:`data.importers.plan_fields`, the row
checks in :mod:`data.importers.plan_checks`; this module registers the four kinds, once, on
import, and every name stays importable from here.
"""

from __future__ import annotations

from data.importers.plan_checks import (
    _forms,
    _plans,
    _scores,
    check_assessment,
    check_item,
    check_person,
    check_plan,
    person_key,
    store_private_names,
)
from data.importers.plan_fields import (
    AGENCIES,
    ASSESSMENT_FIELDS,
    DIMENSIONS,
    ITEM_FIELDS,
    ITEM_STATUS,
    PERSON_FIELDS,
    PLAN_FIELDS,
    PLAN_STATUS,
    SUPPORT,
    _id,
)
from data.importers.registry import KindSpec, register_kind

_PLACE = ("tambon_pcode",)
register_kind(
    KindSpec(
        "plan",
        "แผนพัฒนาชุมชนท้องถิ่น",
        "Community development plans",
        "community_plan",
        PLAN_FIELDS,
        (*_PLACE, "council", "start_year", "end_year", "adopted_date", "status", "geom"),
        natural_key=("start_year", "end_year"),
        check_row=check_plan,
    )
)
register_kind(
    KindSpec(
        "plan_item",
        "รายการในแผนพัฒนาชุมชน",
        "Community plan items",
        "plan_item",
        ITEM_FIELDS,
        (
            *_PLACE,
            "plan_ref",
            "title",
            "dimension",
            "budget_baht",
            "agency_type",
            "agency_name",
            "in_agency_plan",
            "agency_plan_name",
            "agency_plan_year",
            "support_type",
            "support_baht",
            "status",
            "geom",
        ),
        natural_key=("plan_ref", "title"),
        check_row=check_item,
    )
)
register_kind(
    KindSpec(
        "person_developed",
        "ผู้ผ่านการพัฒนา",
        "People developed",
        "person_developed",
        PERSON_FIELDS,
        (*_PLACE, "person_key", "course", "activity_date", "geom"),
        column_types={"person_key": "VARCHAR"},
        keep=("person_name",),
        natural_key=("person_name", "course", "activity_date"),
        check_row=check_person,
        after_write=store_private_names,
    )
)
register_kind(
    KindSpec(
        "org_assessment",
        "การประเมินองค์กรชุมชน",
        "Organisation assessments",
        "org_assessment",
        ASSESSMENT_FIELDS,
        (
            *_PLACE,
            "organization",
            "org_ref",
            "assessed_date",
            "form_key",
            "form_version",
            "scores",
            "total_score",
            "passed",
            "geom",
        ),
        column_types={"total_score": "DOUBLE", "passed": "BOOLEAN"},
        natural_key=("organization", "assessed_date"),
        check_row=check_assessment,
    )
)


__all__ = [
    "AGENCIES",
    "ASSESSMENT_FIELDS",
    "DIMENSIONS",
    "ITEM_FIELDS",
    "ITEM_STATUS",
    "PERSON_FIELDS",
    "PLAN_FIELDS",
    "PLAN_STATUS",
    "SUPPORT",
    "_PLACE",
    "_forms",
    "_id",
    "_plans",
    "_scores",
    "check_assessment",
    "check_item",
    "check_person",
    "check_plan",
    "person_key",
    "store_private_names",
]
