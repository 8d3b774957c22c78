"""The one exception a reader raises for a file that cannot be opened."""

from __future__ import annotations


class Unreadable(Exception):
    """The reason a file can't be opened, worded for the school that sent it."""


PASSWORD_PROTECTED_PDF = (
    "the PDF is password protected (encrypted); please send it without a password"
)
PASSWORD_PROTECTED_OFFICE = (
    "the file is password protected (encrypted Office file); please send it without a password"
)
