"""The two kinds of part of a .docx the reader uses, and no others: the body and page headers.

python-docx's ``Document()`` loads and parses every part of the package: the styles (a
Word-made form carries hundreds of kilobytes of them, more than ten times its text), the
numbering, the settings, the fonts, the comments. The reader needs only the main document and
the headers its sections show, so only those are parsed here, with python-docx's own package
reader, relationship and content-type handling and XML parser (the same element classes), and
a section's headers chosen as python-docx's ``Section`` chooses them.
"""

from __future__ import annotations

import io
from typing import Any

from docx.enum.section import WD_HEADER_FOOTER
from docx.opc import phys_pkg, pkgreader
from docx.opc.constants import CONTENT_TYPE, RELATIONSHIP_TYPE
from docx.opc.packuri import PACKAGE_URI, PackURI
from docx.oxml.parser import parse_xml

# python-docx's package reader is untyped inside: used through names typed as Any
_PackageReader: Any = phys_pkg.PhysPkgReader
_ContentTypes: Any = pkgreader._ContentTypeMap
_Relationships: Any = pkgreader._SerializedRelationships


class WordParts:
    """A .docx's main document element and, on demand, the header parts it refers to."""

    def __init__(self, data: bytes) -> None:
        self._reader = _PackageReader(io.BytesIO(data))
        package = self._relationships(PACKAGE_URI)
        main = next(
            (r.target_partname for r in package.values() if r.reltype == _OFFICE_DOCUMENT),
            None,
        )
        if main is None:
            raise KeyError("the package names no main document")
        content_type = _ContentTypes.from_xml(self._reader.content_types_xml)[main]
        if content_type != CONTENT_TYPE.WML_DOCUMENT_MAIN:  # as docx.Document() refuses it
            raise ValueError(f"not a Word document (content type {content_type})")
        self.document: Any = parse_xml(self._reader.blob_for(main))
        self._main = main
        self._document_rels: dict[str, Any] | None = None  # read when a header is first wanted

    def section_headers(self, sectPr: Any) -> list[Any]:
        """The header elements a section shows: its own first-page header (when it has a
        different first page) then its own default header; a header linked to the previous
        section's (no reference of its own) is not repeated."""
        headers = []
        if sectPr.titlePg_val:
            headers.append(self._header(sectPr, WD_HEADER_FOOTER.FIRST_PAGE))
        headers.append(self._header(sectPr, WD_HEADER_FOOTER.PRIMARY))
        return [header for header in headers if header is not None]

    def _header(self, sectPr: Any, kind: WD_HEADER_FOOTER) -> Any | None:
        """The header a reference names; None when the package cannot give it (its
        relationships damaged or missing): the body is read all the same, as Word's repair
        and LibreOffice read it."""
        reference = sectPr.get_headerReference(kind)
        if reference is None:
            return None
        try:
            relationship = self._main_relationships()[reference.rId]
            blob = self._reader.blob_for(relationship.target_partname)
        except (KeyError, SyntaxError, ValueError):  # lxml's XMLSyntaxError is a SyntaxError
            return None
        return parse_xml(blob)

    def _main_relationships(self) -> dict[str, Any]:
        if self._document_rels is None:
            self._document_rels = self._relationships(self._main)
        return self._document_rels

    def _relationships(self, source: PackURI) -> dict[str, Any]:
        xml = self._reader.rels_xml_for(source)
        relationships = _Relationships.load_from_xml(source.baseURI, xml)
        return {r.rId: r for r in relationships if not r.is_external}


_OFFICE_DOCUMENT = RELATIONSHIP_TYPE.OFFICE_DOCUMENT
