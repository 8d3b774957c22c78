"""Attachment names as senders wrote them, made safe to show; never used as a path."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from email.errors import HeaderParseError
from email.header import decode_header, make_header

MAX_LENGTH = 120
_MAX_EXTENSION = 16
_WINDOWS_INVALID = re.compile(r'[<>:"/\\|?*]')
_ENCODED_WORD = re.compile(r"=\?[^?]+\?[bBqQ]\?[^?]*\?=")
_RESERVED = re.compile(r"(con|prn|aux|nul|com[0-9]|lpt[0-9])", re.IGNORECASE)


def safe_filename(name: str | None, index: int) -> str:
    """A display name: no folders, no control characters, at most 120 characters."""
    text = _decode_encoded_words(name or "")
    text = re.split(r"[/\\]", text)[-1]
    text = "".join(ch for ch in text if unicodedata.category(ch) not in ("Cc", "Cf", "Cs"))
    text = unicodedata.normalize("NFC", _WINDOWS_INVALID.sub("", text))
    text = " ".join(text.split()).lstrip(". ").rstrip(". ")
    if not text:
        return f"attachment-{index}.bin"
    stem, ext = _split(text)
    if _RESERVED.fullmatch(stem):
        stem += "_"
    if len(stem) + len(ext) > MAX_LENGTH:
        stem = stem[: MAX_LENGTH - len(ext)].rstrip(". ")
    return stem + ext


def extension(name: str) -> str:
    """The last extension, lower-case with its dot (``".docx"``), or ``""``."""
    return _split(_base(name))[1].lower()


def is_blocked(name: str, blocked_extensions: Iterable[str]) -> bool:
    """Whether the name ends in a blocked extension, as Windows would read it.

    Windows ignores trailing dots and spaces (``report.exe.``) and a ``:stream`` suffix, and
    the last extension alone decides how a file opens, so ``report.pdf.exe`` is blocked.
    """
    blocked = [_dotted(ext) for ext in blocked_extensions if ext.strip(". ")]
    text = "".join(ch for ch in _base(name) if unicodedata.category(ch) not in ("Cc", "Cf"))
    candidates = {text, text.split(":", 1)[0]}
    for candidate in candidates:
        cleaned = candidate.rstrip(". ").lower()
        if any(cleaned.endswith(ext) for ext in blocked):
            return True
    return False


def _dotted(ext: str) -> str:
    return "." + ext.strip().lstrip(".").lower()


def _base(name: str) -> str:
    return re.split(r"[/\\]", name)[-1].strip().rstrip(". ")


def _split(name: str) -> tuple[str, str]:
    dot = name.rfind(".")
    ext = name[dot:] if dot > 0 else ""
    if not ext or len(ext) > _MAX_EXTENSION or " " in ext or ext == ".":
        return name, ""
    return name[:dot], ext


def _decode_encoded_words(text: str) -> str:
    if not _ENCODED_WORD.search(text):
        return text
    try:
        return str(make_header(decode_header(text)))
    except (HeaderParseError, LookupError, UnicodeError, ValueError):
        return text
