"""What a read PDF's ``format`` says of it: read from its text layer, read by OCR, or a scan
left unread (OCR turned off); and how many pages of a scan OCR reads. A module of its own: the
main process needs the names, not the PDF libraries the reader imports."""

from __future__ import annotations

FORMAT_TEXT, FORMAT_OCR, FORMAT_NO_OCR = "pdf", "pdf-ocr", "pdf-scanned-no-ocr"
MAX_OCR_PAGES = 20
