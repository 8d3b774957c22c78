"""Byte-for-byte repeatable Office files: fixed zip entry times and document timestamps.

python-docx and openpyxl stamp each zip entry with the time of saving, so the same document
saved twice differs. :func:`restamp` rewrites the archive with one fixed time for every entry.
"""

from __future__ import annotations

import io
import zipfile
from datetime import UTC, datetime


def restamp(data: bytes, when: datetime) -> bytes:
    """The same zip archive, every entry dated ``when`` (its local wall-clock time)."""
    stamp = (max(when.year, 1980), when.month, when.day, when.hour, when.minute, when.second)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for entry in source.infolist():
            fixed = zipfile.ZipInfo(entry.filename, date_time=stamp)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o600 << 16
            fixed.create_system = 0
            target.writestr(fixed, source.read(entry.filename))
    return out.getvalue()


def office_time(when: datetime) -> datetime:
    """A timestamp as Office document properties hold it: naive UTC, whole seconds."""
    return when.astimezone(UTC).replace(tzinfo=None, microsecond=0)
