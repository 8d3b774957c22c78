"""The exceptions a reader raises for a file that cannot be opened, and their shared wording."""

from __future__ import annotations


class Unreadable(Exception):
    """The reason a file can't be opened, worded for the school that sent it."""


class Archive(Unreadable):
    """A zip (or other archive) that is not an Office document: never opened, never bundled."""


class Empty(Unreadable):
    """A file of 0 bytes: nothing was sent."""


def encrypted(what: str) -> str:
    return (
        f"the file is encrypted ({what}), so it cannot be read; please send it again "
        "without a password or encryption"
    )


PASSWORD_PROTECTED_PDF = encrypted("a password protected PDF")
PASSWORD_PROTECTED_OFFICE = encrypted("a password protected Office file")
PGP_ENCRYPTED = encrypted("PGP")
SMIME_ENCRYPTED = encrypted("S/MIME")
EMPTY = "the file is empty (0 bytes); please attach it again"
