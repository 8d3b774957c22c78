"""Which Office Open XML document a zip is, by its package relationships, as Word and Excel
find out, not by the names of its parts.

Word and Excel find a package's main document through the package's relationships
(``_rels/.rels``), wherever the part is and whatever it is called: Word for the web saves it
as ``word/document2.xml``. A document saved as "Strict Open XML" names the relationship (and
every namespace inside) differently; the readers here know only the usual, transitional,
vocabulary, so such a document is converted by LibreOffice first (``sniff.py``). A package
whose relationships cannot be read is known by its usual part names, as before.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass

from defusedxml.ElementTree import fromstring

PACKAGE_RELATIONSHIPS = "_rels/.rels"
_RELATIONSHIP = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
_MAIN_DOCUMENT = {
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument": False,
    "http://purl.oclc.org/ooxml/officeDocument/relationships/officeDocument": True,  # strict
}
_USUAL_MAIN_PARTS = ("word/document.xml", "xl/workbook.xml", "ppt/presentation.xml")
_KINDS = {"word/": "word", "xl/": "excel", "ppt/": "powerpoint"}
_MAX_RELATIONSHIPS_BYTES = 1024 * 1024  # a real package's are a few hundred bytes


@dataclass(frozen=True)
class OfficePackage:
    main: str  # the main document's part, as named in the zip
    strict: bool  # saved as Strict Open XML

    @property
    def kind(self) -> str | None:
        """'word', 'excel' or 'powerpoint' by the main document's folder; None for another."""
        return next((k for folder, k in _KINDS.items() if self.main.startswith(folder)), None)


def office_package(archive: zipfile.ZipFile) -> OfficePackage | None:
    """The package's main document, or None for a zip that is no Office document."""
    names = set(archive.namelist())
    main = _related_main(archive, names)
    if main is not None:
        return main
    usual = next((part for part in _USUAL_MAIN_PARTS if part in names), None)
    return OfficePackage(usual, strict=False) if usual is not None else None


def _related_main(archive: zipfile.ZipFile, names: set[str]) -> OfficePackage | None:
    if PACKAGE_RELATIONSHIPS not in names:
        return None
    try:
        with archive.open(PACKAGE_RELATIONSHIPS) as part:
            root = fromstring(part.read(_MAX_RELATIONSHIPS_BYTES))
    except Exception:  # damaged, or not XML: known by its part names
        return None
    for relationship in root.iter(_RELATIONSHIP):
        strict = _MAIN_DOCUMENT.get(relationship.get("Type", ""))
        target = relationship.get("Target", "").lstrip("/")
        if strict is not None and target in names:
            return OfficePackage(target, strict)
    return None
