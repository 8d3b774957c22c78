"""What an admin could use instead, over the same attachments: markitdown, and a floor.

- ``markitdown``: ``MarkItDown().convert(path)`` for each attachment (one converter object
  for all, as a script would), the text thrown away.
- ``floor``: the least any reader must do. A .docx or .xlsx is unzipped and its document
  parts (``word/document.xml``; ``xl/sharedStrings.xml`` and every worksheet) parsed with
  lxml, nothing else; a PDF's text is extracted page by page with pypdfium2.
"""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

from testkit.benchmarks.measure import TreeSampler, max_rss_mb, stopwatch


def convert_all(kind: str, folder: Path) -> dict[str, Any]:
    files = sorted(p for p in folder.iterdir() if p.suffix in (".docx", ".xlsx", ".pdf"))
    convert = _markitdown() if kind == "markitdown" else floor
    failures = 0
    characters = 0
    with TreeSampler() as sampler, stopwatch() as elapsed:
        for path in files:
            try:
                characters += convert(path)
            except Exception:
                failures += 1
    return {
        "seconds": elapsed[0],
        "files": len(files),
        "failures": failures,
        "characters": characters,
        "peak_rss_mb": sampler.peak.rss_mb,
        "peak_pss_mb": sampler.peak.pss_mb,
        "max_process_rss_mb": max_rss_mb(),
    }


def _markitdown() -> Any:
    from markitdown import MarkItDown

    converter = MarkItDown()

    def convert(path: Path) -> int:
        return len(converter.convert(str(path)).text_content)

    return convert


def floor(path: Path) -> int:
    if path.suffix == ".pdf":
        return _pdf_text(path)
    return _office_xml(path)


def _office_xml(path: Path) -> int:
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    size = 0
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            if (
                name == "word/document.xml"
                or name == "xl/sharedStrings.xml"
                or (name.startswith("xl/worksheets/") and name.endswith(".xml"))
            ):
                root = etree.fromstring(archive.read(name), parser)
                size += len(root)
    return size


def _pdf_text(path: Path) -> int:
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(str(path))
    size = 0
    try:
        for page in document:
            textpage = page.get_textpage()
            size += len(textpage.get_text_range())
            textpage.close()
            page.close()
    finally:
        document.close()
    return size
