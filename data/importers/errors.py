"""Errors an import raises for a whole file (row problems go to the quarantine instead)."""

from __future__ import annotations

from data.errors import PhangError


class ImportFileError(PhangError):
    """The file cannot be imported at all: unreadable, hostile, or without usable columns."""


class ImportRefused(PhangError):
    """An all-or-nothing import found bad rows, so nothing was imported (details: the rows)."""

    def __init__(
        self,
        message: str,
        *,
        message_th: str | None = None,
        details=None,
        summary: dict | None = None,
    ) -> None:
        super().__init__(message, message_th=message_th, details=details)
        self.summary = summary or {}
