"""ตรวจสอบคำร้อง / Verify reports: a coordinator's queue, scoped to their area.

Each report is shown on a map with nearby reports, Baan Mankong projects and land cases;
overlaps are flagged. Verify, reject (a reason is required) or merge a duplicate; every
decision is recorded with the status the coordinator saw, so if someone else decided
first the page says so and nothing is written.
"""

import streamlit as st

from data.need_reports import Actor, scope_label
from ui.auth import require_role
from ui.i18n import lang, tr
from ui.resources import cursor
from ui.safe import md
from ui.verify_decision import decision_form, settle_sent_form, show_outcome
from ui.verify_queue import filtered_queue, open_report
from ui.verify_report import contact_and_history, report_details

user = require_role("coordinator")
L = lang()
con = cursor()
actor = Actor(user.username, user.role, user.scope if user.role == "coordinator" else None)

area_th, area_en = scope_label(con, actor.scope)
st.title(tr("ตรวจสอบคำร้อง", "Verify reports"))
st.caption(tr("พื้นที่รับผิดชอบ: ", "Your area: ") + md(area_th if L == "th" else area_en))

settle_sent_form(actor, L)  # before the queue is read: a decided report leaves it
show_outcome()

reports = filtered_queue(con, actor)
report_id = open_report(reports)
report, near = report_details(con, report_id)
contact_and_history(con, report_id, actor)

# --- decide (ui.verify_decision: a sent form is settled at the top of the next run) -------
decision_form(report, near["reports"])
