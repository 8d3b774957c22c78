"""Secrets for the mailboxes: from environment variables, or files those variables name.

Never from config.toml. ``CLUSTER_IMAP_PASSWORD=...`` or ``CLUSTER_IMAP_PASSWORD_FILE=/run/
secrets/imap`` (a systemd credential or a file readable by the service account only).
"""

from __future__ import annotations

import os
from pathlib import Path

from pipeline.errors import SourceError

PREFIX = "CLUSTER_"


class CredentialError(SourceError):
    """A credential that is missing, unreadable or refused by the server."""


class MissingCredential(CredentialError):
    """A credential not given, or its file unreadable: a configuration error, for a person."""

    exit_code = 2


class CredentialRefused(CredentialError):
    """The server (or Microsoft sign-in) refused the credential: maybe for a while only, so the
    service tries again with waits that double, and a one-off command stops with exit 5."""


def secret(name: str) -> str | None:
    """The value of CLUSTER_<NAME>, or the content of the file CLUSTER_<NAME>_FILE names."""
    variable = PREFIX + name
    value = os.environ.get(variable)
    if value:
        return value
    file_name = os.environ.get(f"{variable}_FILE")
    if not file_name:
        return None
    try:
        return Path(file_name).read_text(encoding="utf-8").strip() or None
    except OSError as exc:
        raise MissingCredential(
            f"{variable}_FILE names {file_name}, which cannot be read ({exc.strerror})"
        ) from None


def require(name: str, purpose: str) -> str:
    value = secret(name)
    if value is None:
        raise MissingCredential(
            f"{purpose} needs the environment variable {PREFIX}{name} "
            f"(or {PREFIX}{name}_FILE naming a file that holds it)"
        )
    return value
