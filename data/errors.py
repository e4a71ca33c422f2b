"""A small exception tree whose messages are written for the person who caused them.

Every error carries an English ``message`` and, where it helps, a Thai ``message_th``;
pages show the one that matches the interface language, the CLI prints the English one.
"""

from __future__ import annotations


class PhangError(Exception):
    """Base class: a problem the user can understand and act on."""

    def __init__(self, message: str, *, message_th: str | None = None, details=None) -> None:
        super().__init__(message)
        self.message = message
        self.message_th = message_th or message
        self.details = details

    def localized(self, lang: str = "th") -> str:
        return self.message_th if lang == "th" else self.message


class StoreError(PhangError):
    """The database cannot be opened or used."""


class StoreLockedError(StoreError):
    """Another process holds the database file."""


class SchemaTooNewError(StoreError):
    """The database was written by a newer version of the code."""


class BoundaryFileError(PhangError):
    """A boundary file cannot be read, or lacks a required column, or fails validation."""


class GroupingError(PhangError):
    """A grouping (provinces -> clusters -> regions) breaks its rules."""


class InputError(PhangError):
    """A value given on the command line or in a form is not acceptable."""


class AccountError(InputError):
    """An account cannot be created, changed or signed in to as asked."""
