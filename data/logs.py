"""Loggers of the product (``phang.*``) write to the server's standard error, the server log."""

from __future__ import annotations

import logging

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def logger(name: str) -> logging.Logger:
    """The logger ``phang.<name>``, with a handler on standard error (Streamlit configures
    only its own loggers, so without one warnings would lose their time and name)."""
    log = logging.getLogger(f"phang.{name}")
    if not log.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter(FORMAT))
        log.addHandler(handler)
        log.setLevel(logging.INFO)
        log.propagate = False
    return log
