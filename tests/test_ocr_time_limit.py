"""A scanned page Tesseract cannot finish in its time is never half read: the reading stops,
and the bundle's panel edition withholds the document with the reason instead of hanging or
redacting from part of the page's words."""

from __future__ import annotations

import pytest
from adversarial import pupils, report_scan

from pipeline.meetings.bundle import page_text
from pipeline.read import tesseract

pytestmark = pytest.mark.skipif(not tesseract.available(), reason="Tesseract is not installed")


def test_a_scan_read_within_its_time_gives_its_words() -> None:
    pages = page_text.page_words(report_scan(pupils(1)[0]))
    assert "nurse" in pages[0].text.casefold()


def test_a_scan_not_read_within_its_time_cannot_be_redacted_and_says_why(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(page_text, "OCR_PAGE_LIMIT_SECONDS", 0.001)
    with pytest.raises(page_text.CannotRead) as problem:
        page_text.page_words(report_scan(pupils(1)[0]))
    assert "could not be read by OCR in time" in str(problem.value)
    assert "within 0.001 s" in str(problem.value)
