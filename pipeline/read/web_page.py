"""Forms that are web pages or Office 2003 XML under an Office name, and what makes them safe
to convert.

Word's "save as web page" kept under its .doc name, a school system's HTML export named .doc
or .xls, and Word's or Excel's 2003 XML ("XML Document", "XML Spreadsheet") are text, not the
binary formats their names claim. LibreOffice reads them all; before it does, every address
in their markup is cut (pictures, style sheets, frames), so that converting a school's file
never fetches anything from the internet nor tells a sender it was opened.
"""

from __future__ import annotations

import re

WORD_NAMES = (".doc", ".docx", ".dot", ".rtf", ".odt", ".wps")
SHEET_NAMES = (".xls", ".xlsx", ".xlt", ".ods")
_WORD_MARKS = (b"urn:schemas-microsoft-com:office:word", b'progid="word.document"')
_SHEET_MARKS = (b"urn:schemas-microsoft-com:office:excel", b'progid="excel.sheet"')
_OFFICE_XML = re.compile(rb'<\?mso-application\s+progid="(word\.document|excel\.sheet)"')
_HEAD = 4096
_BOM = b"\xef\xbb\xbf"

# An address LibreOffice would follow: a scheme it fetches, or a host without one ("//host");
# an XML namespace (first group) is a name that looks like an address, and is kept.
_ADDRESS = re.compile(
    rb"(?i)(\bxmlns(?::[\w.-]+)?\s*=\s*(?:\"[^\"]*\"|'[^']*'))"
    rb"|\b(?:https?|ftps?|file|smb|s?webdav|davs?|vnd\.sun\.star\.webdav)://"
    rb"|(?<=[=(\"'\s])(?://|\\\\)"
)
_MARKUP = re.compile(rb"(?is)<style\b.*?</style\s*>|<[^<>]*>")
# LibreOffice's own web pages carry each cell's value and format for LibreOffice alone
# (in US English): the text the page shows is what the school sent.
_OWN_VALUES = re.compile(rb'(?i)\s+sd(?:val|num)\s*=\s*(?:"[^"]*"|\'[^\']*\'|[^\s>]+)')


def _head(data: bytes) -> bytes:
    return data[:_HEAD].removeprefix(_BOM).lstrip().lower()


def markup_format(data: bytes) -> str | None:
    """'.html' for a web page, '.xml' for Office 2003 XML; None for anything else."""
    head = _head(data)
    if head.startswith((b"<!doctype html", b"<html")) or (
        head.startswith(b"<?xml") and b"<html" in head
    ):
        return ".html"
    if head.startswith(b"<?xml") and _OFFICE_XML.search(head):
        return ".xml"
    return None


def is_word_markup(data: bytes, filename: str) -> bool:
    """Word's own markup, or any web page sent under a word-processor file's name."""
    head = _head(data)
    return any(mark in head for mark in _WORD_MARKS) or (
        filename.lower().endswith(WORD_NAMES) and not _is_sheet(head)
    )


def is_sheet_markup(data: bytes, filename: str) -> bool:
    """Excel's own markup, or any web page sent under a spreadsheet's name."""
    return _is_sheet(_head(data)) or filename.lower().endswith(SHEET_NAMES)


def _is_sheet(head: bytes) -> bool:
    return any(mark in head for mark in _SHEET_MARKS)


def offline(data: bytes) -> bytes:
    """The markup with every address inside its tags and style sheets cut; the text a
    school typed (a web address in an answer, say) is left as it is; so are the values the
    page shows, without LibreOffice's own copies of them."""
    return _MARKUP.sub(lambda tag: _tag_cleaned(tag.group(0)), data)


def _tag_cleaned(tag: bytes) -> bytes:
    cut = _ADDRESS.sub(lambda found: found.group(1) or b"blocked:", tag)
    return _OWN_VALUES.sub(b"", cut)
