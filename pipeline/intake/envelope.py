"""What a mail parser makes of one email before it becomes a Message, and the shared helpers."""

from __future__ import annotations

import mimetypes
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from html.parser import HTMLParser

from pipeline.intake.filenames import safe_filename
from pipeline.intake.store import BlobStore
from pipeline.models import Attachment

OCTET_STREAM = "application/octet-stream"
MAX_ATTACHMENTS = 200  # a real referral has a handful; thousands would each be stored and read


@dataclass
class Envelope:
    """Filled while one parse runs and thrown away after; the frozen Message is what lives on."""

    store: BlobStore
    sender: str | None = None
    subject: str = ""
    received_at: datetime | None = None  # stamped by the council's side: topmost Received
    dated_at: datetime | None = None  # the Date header: the sender's own clock
    message_id: str | None = None
    body: str = ""
    authentication: list[str] = field(default_factory=list)
    attachments: list[Attachment] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def attach(self, name: str | None, data: bytes, content_type: str | None) -> None:
        """Store the bytes first, then record them; the name is only for display."""
        if len(self.attachments) >= MAX_ATTACHMENTS:
            self.problem(f"email: more than {MAX_ATTACHMENTS} attachments, the rest not taken")
            return
        index = len(self.attachments) + 1
        content_type = (content_type or "").lower() or OCTET_STREAM
        if not name:
            guessed = mimetypes.guess_extension(content_type) or ".bin"
            name = f"attachment-{index}{guessed}"
        filename = safe_filename(name, index)
        sha = self.store.put(data)
        self.attachments.append(
            Attachment(filename=filename, sha256=sha, size=len(data), content_type=content_type)
        )

    def problem(self, text: str) -> None:
        if text not in self.problems:
            self.problems.append(text)


def aware(moment: datetime) -> datetime:
    """A naive time is taken as UTC (RFC 5322 ``-0000``: the sender's zone is unknown)."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def decode_lenient(data: bytes, charset: str | None) -> str:
    """Text in its declared charset, else UTF-8, else Windows-1252; never raises."""
    for candidate in (charset, "utf-8"):
        if not candidate:
            continue
        try:
            return data.decode(candidate)
        except (LookupError, UnicodeDecodeError):
            continue
    return data.decode("cp1252", errors="replace")


def html_to_text(html: str) -> str:
    stripper = _TagStripper()
    stripper.feed(html)
    stripper.close()
    lines = (" ".join(line.split()) for line in "".join(stripper.parts).splitlines())
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


class _TagStripper(HTMLParser):
    _BREAKS = frozenset({"br", "p", "div", "tr", "li", "h1", "h2", "h3", "h4", "table"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style", "head"):
            self._hidden += 1
        elif tag in self._BREAKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "head"):
            self._hidden = max(0, self._hidden - 1)
        elif tag in self._BREAKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.parts.append(data)
