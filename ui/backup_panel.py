"""The administrator's backup panel (สำรองข้อมูล): a button that writes a consistent backup
through the app's own connection while every page keeps serving (``data.backup``), and
the list of backups already in the backup folder (``PHANG_BACKUP_DIR``)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from data.backup import backup, list_backups, new_backup_folder
from data.errors import PhangError
from data.pg_store import is_postgres
from data.settings import backup_dir, db_path
from ui.i18n import lang, tr
from ui.resources import cursor


def backup_panel() -> None:
    if is_postgres(db_path()):
        st.info(
            tr(
                "ฐานข้อมูลนี้อยู่บน PostgreSQL: สำรองและกู้คืนด้วยเครื่องมือของ PostgreSQL "
                "(pg_dump -Fc และ pg_restore) หรือสำเนาแบบ replica",
                "This store is PostgreSQL: back it up and restore it with PostgreSQL's own "
                "tools (pg_dump -Fc and pg_restore) or replicas.",
            )
        )
        return
    root = backup_dir()
    st.caption(
        tr(
            f"ข้อมูลสำรองเก็บที่ {root} (ตั้งค่าด้วย PHANG_BACKUP_DIR) กู้คืนได้ด้วยคำสั่ง "
            "python -m data restore โฟลเดอร์ (หยุดแอปก่อน)",
            f"Backups go to {root} (setting PHANG_BACKUP_DIR). Restore one with "
            "python -m data restore FOLDER (stop the app first).",
        )
    )
    if st.button(tr("สำรองข้อมูลตอนนี้", "Back up now"), key="admin_backup", type="primary"):
        cur = cursor()
        try:
            with st.spinner(tr("กำลังสำรองข้อมูล…", "Backing up…")):
                done = backup(cur, new_backup_folder(root))
        except PhangError as exc:
            st.error(exc.localized(lang()))
        else:
            rows = sum(t["rows"] for t in done["tables"].values())
            st.success(
                tr(
                    f"สำรองข้อมูลแล้ว: {len(done['tables'])} ตาราง {rows:,} แถว "
                    f"{done['bytes'] / 1e6:.1f} MB ใน {done['seconds']} วินาที → {done['path']}",
                    f"Backed up {len(done['tables'])} tables, {rows:,} rows, "
                    f"{done['bytes'] / 1e6:.1f} MB in {done['seconds']} s → {done['path']}",
                )
            )
        finally:
            cur.close()
    found = list_backups(root)
    if not found:
        st.info(tr("ยังไม่มีข้อมูลสำรองในโฟลเดอร์นี้", "No backup in this folder yet."))
        return
    st.dataframe(
        pd.DataFrame(
            {
                tr("โฟลเดอร์", "Folder"): [b["folder"] for b in found],
                tr("เมื่อ (UTC)", "When (UTC)"): [b["created_at"] for b in found],
                tr("รุ่นโครงสร้าง", "Schema"): [b["schema_version"] for b in found],
                tr("แถว", "Rows"): [b["rows"] for b in found],
                "MB": [round((b["bytes"] or 0) / 1e6, 1) for b in found],
            }
        ),
        hide_index=True,
        width="stretch",
    )
