"""Word and Excel files saved the ways the project's generators never save them: by Word for
the web (its main part named ``word/document2.xml``) and as "Strict Open XML" (every
namespace, and the package's relationship to its main part, in the strict vocabulary).

Word and Excel open both; so must the pipeline: a generated referral is sent with its form
or map saved so, and the submission's JSON must hold the form as read from a usual save.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import pytest
from outsider import kinds_and_fields, read_as_usual, repackaged, submitted

from pipeline.config import Config
from testkit.corpus import libreoffice

TRANSITIONAL_TO_STRICT = {
    b"http://schemas.openxmlformats.org/wordprocessingml/2006/main": (
        b"http://purl.oclc.org/ooxml/wordprocessingml/main"
    ),
    b"http://schemas.openxmlformats.org/spreadsheetml/2006/main": (
        b"http://purl.oclc.org/ooxml/spreadsheetml/main"
    ),
    b"http://schemas.openxmlformats.org/officeDocument/2006/relationships": (
        b"http://purl.oclc.org/ooxml/officeDocument/relationships"
    ),
    b"http://schemas.openxmlformats.org/drawingml/2006/main": (
        b"http://purl.oclc.org/ooxml/drawingml/main"
    ),
}


def as_word_for_the_web(docx: bytes) -> bytes:
    """The document as Word for the web saves it: the main part is word/document2.xml."""
    rename = {
        "word/document.xml": "word/document2.xml",
        "word/_rels/document.xml.rels": "word/_rels/document2.xml.rels",
    }

    def rewrite(name: str, part: bytes) -> bytes:
        if name in ("_rels/.rels", "[Content_Types].xml"):
            return part.replace(b"word/document.xml", b"word/document2.xml")
        return part

    return repackaged(docx, rewrite, rename)


def as_strict(package: bytes) -> bytes:
    """The document saved as Strict Open XML: the strict namespaces and relationship types."""

    def rewrite(name: str, part: bytes) -> bytes:
        if not name.endswith((".xml", ".rels")):
            return part
        for transitional, strict in TRANSITIONAL_TO_STRICT.items():
            part = part.replace(transitional, strict)
        return re.sub(rb"<(w:document|workbook) ", rb'<\1 conformance="strict" ', part, count=1)

    return repackaged(package, rewrite)


@pytest.fixture
def as_usual(config: Config, tmp_path: Path) -> list[tuple[str, dict[str, Any]]]:
    return read_as_usual(config, tmp_path / "usual")


def needs_libreoffice() -> None:
    if not libreoffice.available():
        if os.environ.get("CI") == "true":
            pytest.fail("CI must install LibreOffice")
        pytest.skip("LibreOffice is not installed")


def test_a_form_saved_by_word_for_the_web_is_read_as_the_same_form(
    config: Config, as_usual: list[tuple[str, dict[str, Any]]]
) -> None:
    record = submitted(config, form=as_word_for_the_web)

    assert record["status"] == "complete"
    assert kinds_and_fields(record) == as_usual


def test_a_form_saved_as_strict_open_xml_is_read_as_the_same_form(
    config: Config, as_usual: list[tuple[str, dict[str, Any]]]
) -> None:
    needs_libreoffice()
    record = submitted(config, form=as_strict)

    assert record["status"] == "complete"
    assert kinds_and_fields(record) == as_usual


def test_a_provision_map_saved_as_strict_open_xml_is_read_as_the_same_map(
    config: Config, as_usual: list[tuple[str, dict[str, Any]]]
) -> None:
    needs_libreoffice()
    record = submitted(config, provision_map=as_strict)

    assert record["status"] == "complete"
    assert kinds_and_fields(record) == as_usual
