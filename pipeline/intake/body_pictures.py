"""Pictures that are part of an email's body, not attachments: a signature logo, a pasted
screenshot. An HTML body shows them by their Content-ID (``<img src="cid:image001.png@...">``);
Outlook and Gmail send them in a multipart/related beside the HTML, marked ``inline``.

Such a picture stays in the stored email (it is part of the body) and is not taken as one of
its documents: it is no form, no supporting document for the panel, and an email with nothing
else is an email with no attachments. A picture the body does not show, or one its sender
marked ``attachment``, is an attachment like any other.
"""

from __future__ import annotations

import mimetypes
import re
from collections.abc import Iterable, Iterator
from email.message import Message
from urllib.parse import unquote

# RFC 2392: a "cid:" URL is the Content-ID without its angle brackets, %-encoded.
_CID_URL = re.compile(r"""cid:([^\s"'<>()]+)""", re.IGNORECASE)
_ATTACHED_EMAIL = ("message/rfc822", "message/global")
_MAX_PART_DEPTH = 40  # as the attachments' walk (intake.eml)


def shown_ids(html_bodies: Iterable[str]) -> frozenset[str]:
    """The Content-IDs the HTML bodies show, normalised by :func:`normal_id`."""
    return frozenset(normal_id(unquote(m)) for html in html_bodies for m in _CID_URL.findall(html))


def normal_id(content_id: str) -> str:
    """A Content-ID as compared: without angle brackets or spaces, case folded."""
    return content_id.strip().strip("<>").strip().casefold()


def is_picture(content_type: str | None, filename: str | None) -> bool:
    """Whether a part is an image, by its type or, failing that, its name."""
    if content_type and content_type.lower().startswith("image/"):
        return True
    guessed = mimetypes.guess_type(filename or "")[0]
    return guessed is not None and guessed.startswith("image/")


def html_parts(msg: Message, depth: int = 0) -> Iterator[Message]:
    """The email's own HTML body parts: not attachments, not those of an attached email."""
    if msg.get_content_type() in _ATTACHED_EMAIL or depth > _MAX_PART_DEPTH:
        return
    if msg.is_multipart():
        for sub in msg.get_payload():
            if isinstance(sub, Message):
                yield from html_parts(sub, depth + 1)
    elif msg.get_content_type() == "text/html" and msg.get_content_disposition() != "attachment":
        yield msg


def in_mime_body(part: Message, content_id: str | None, shown: frozenset[str]) -> bool:
    """Whether a MIME leaf is a picture its email's HTML shows (and not marked attachment)."""
    return (
        content_id is not None
        and normal_id(content_id) in shown
        and part.get_content_disposition() != "attachment"
        and is_picture(part.get_content_type(), None)
    )
