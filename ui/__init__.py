"""Streamlit glue shared by the pages: language, cached resources, sign-in and roles.

Library packages (boundaries, data, geo, analysis) never import streamlit; this package
and ``views/`` do.
"""
