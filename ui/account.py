"""Sidebar account panel: who is signed in, sign in / sign out.

Issue 5 (accounts and roles) replaces the body of ``sidebar`` with built-in accounts and
``st.login`` (OpenID Connect); until then everyone is a public viewer.
"""

from __future__ import annotations

import streamlit as st

from ui.auth import ROLE_NAMES, current_user
from ui.i18n import tr


def sidebar() -> None:
    user = current_user()
    st.sidebar.caption(tr("สิทธิ์: ", "Role: ") + tr(*ROLE_NAMES[user.role]))
