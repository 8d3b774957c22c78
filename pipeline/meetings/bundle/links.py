"""Links inside the bundle: the index and agenda entries, and a report's own links to its pages.

pypdf, adding a page that holds a link to another page, copies the target page as a loose
object that is not in the bundle's page tree: the link would open nothing. So each internal
link is taken off its page as the page is added, and put back once every page is in, pointing
at the bundle page its target landed on.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import cast

from pypdf import PageObject, PdfReader, PdfWriter
from pypdf.annotations import Link
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    IndirectObject,
    NameObject,
    NumberObject,
)

Rect = tuple[float, float, float, float]


@dataclass(frozen=True)
class Taken:
    """An internal link taken off a page: where it was and the source page it opens."""

    rect: Rect
    target: int


def take_internal_links(
    reader: PdfReader, page: PageObject, numbers: dict[int, int]
) -> list[Taken]:
    """Remove the page's links to pages of its own document and say where they went.

    ``numbers`` is :func:`page_numbers` of the reader. A link whose target cannot be found (a
    named destination the file lacks) is dropped: in the bundle it would open nothing.
    """
    annotations = page.get("/Annots")
    if not annotations:
        return []
    kept, taken = ArrayObject(), []
    for reference in annotations:
        annotation = reference.get_object()
        destination = _destination(annotation)
        if annotation.get("/Subtype") != "/Link" or destination is None:
            kept.append(reference)
            continue
        target = _target_page(reader, destination, numbers)
        if target is not None:
            x1, y1, x2, y2 = (float(v) for v in annotation["/Rect"])
            taken.append(Taken((x1, y1, x2, y2), target))
    if kept:
        page[NameObject("/Annots")] = kept
    else:
        del page["/Annots"]
    return taken


def put_back(writer: PdfWriter, page: int, taken: Taken, where: Callable[[int], int]) -> None:
    """The link on bundle page ``page``, opening the bundle page ``where(source target)``."""
    writer.add_annotation(page, Link(rect=taken.rect, target_page_index=where(taken.target)))


def _destination(annotation: object) -> object | None:
    """The /Dest of a link, or the /D of its GoTo action; None for any other link."""
    if not isinstance(annotation, DictionaryObject):
        return None
    if "/Dest" in annotation:
        return cast(object, annotation["/Dest"])
    action = annotation.get("/A")
    if isinstance(action, DictionaryObject) and action.get("/S") == "/GoTo":
        return cast(object, action.get("/D"))
    return None


def _target_page(reader: PdfReader, destination: object, numbers: dict[int, int]) -> int | None:
    if isinstance(destination, ArrayObject) and destination:
        first = destination[0]
        if isinstance(first, IndirectObject):
            return numbers.get(first.idnum)
        if isinstance(first, NumberObject) and 0 <= int(first) < len(numbers):
            return int(first)
        return None
    named = reader.named_destinations.get(str(destination))
    if named is None or not isinstance(named.page, IndirectObject):
        return None
    return numbers.get(named.page.idnum)


def page_numbers(reader: PdfReader) -> dict[int, int]:
    """Object number of each page of the reader -> its 0-based page number."""
    return {
        page.indirect_reference.idnum: number
        for number, page in enumerate(reader.pages)
        if page.indirect_reference is not None
    }
