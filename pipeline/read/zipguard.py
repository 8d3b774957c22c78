"""Refuse Office files that are zip bombs before any parser opens them."""

from __future__ import annotations

import io
import zipfile

MB = 1024 * 1024


class ZipBomb(Exception):
    """Why a zip container is refused, worded for the school that sent it."""


def check_zip(data: bytes, *, max_unzipped_mb: float, max_ratio: float) -> None:
    """Raise ZipBomb when the members would unzip to too much, or by too large a ratio."""
    if not data.startswith(b"PK"):
        return
    try:
        members = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return  # not a readable zip: the reader reports it as damaged
    unzipped = sum(member.file_size for member in members)
    if unzipped > max_unzipped_mb * MB:
        raise ZipBomb(
            f"it would unzip to {unzipped / MB:,.0f} MB, more than the {max_unzipped_mb:g} MB "
            "allowed; it may be a zip bomb"
        )
    packed = max(sum(member.compress_size for member in members), 1)
    if unzipped > MB and unzipped / packed > max_ratio:
        raise ZipBomb(
            f"it is compressed {unzipped / packed:,.0f} times over, far beyond any real "
            "document; it may be a zip bomb"
        )
