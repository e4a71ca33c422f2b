"""Download buttons tied to the signed-in session: the file is served by ``/download/{token}``
only to this session's cookie and only for :data:`data.downloads.LIFETIME_SECONDS`.

Before the browser has its session cookie (the first moments after signing in) the plain
Streamlit download button is used instead.
"""

from __future__ import annotations

import hashlib
import time

import streamlit as st

from ui.i18n import tr


def session_download(
    container, label: str, data: bytes | str, filename: str, mime: str, *, key: str
):
    """A link to download ``data`` that works only for this signed-in session, for a while."""
    from data import downloads

    token_hash = st.session_state.get("session_hash")
    if not token_hash:
        container.download_button(label, data, file_name=filename, mime=mime, key=key)
        return
    payload = data.encode("utf-8") if isinstance(data, str) else data
    digest = hashlib.sha256(payload).hexdigest()
    links = st.session_state.setdefault("download_links", {})
    token, expires = links.get((key, digest, token_hash), (None, 0.0))
    if token is None or expires < time.time() + 60:
        token = downloads.grant(payload, filename, mime, token_hash)
        expires = time.time() + downloads.LIFETIME_SECONDS
        links[(key, digest, token_hash)] = (token, expires)
    container.link_button(label, f"/download/{token}")
    minutes = max(1, int((expires - time.time()) // 60))
    container.caption(
        tr(
            f"ลิงก์ใช้ได้อีก {minutes} นาที เฉพาะบัญชีที่เข้าสู่ระบบอยู่นี้",
            f"The link works for {minutes} more minutes, for this signed-in session only.",
        )
    )
