"""A scanned page as Tesseract reads it best: at a working resolution, straightened.

A scanner's image is taken at the resolution it was made at (its pixels over the width it is
placed at on the page), resampled to a working resolution (a multifunction printer's
100-150 ppi "email" setting enlarged to WORKING_PPI, a 600 ppi scan reduced to MAX_PPI) and
cleaned of specks. The
skew is measured as OCRmyPDF's deskew (Leptonica) does it, by the angle at which the rows of
ink line up best (the variance of the horizontal projection is greatest), and undone.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import NamedTuple

import numpy as np
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from PIL import Image

WORKING_PPI = 300
MAX_PPI = 400
MAX_SKEW = 5.0  # degrees either way; a page further off is not a skewed scan but a rotated one
_SKEW_STEPS = (1.0, 0.2, 0.05)  # coarse to fine search, degrees
_SKEW_PPI = 75  # the skew is measured on a small copy: it is a property of the whole page
_FULL_PAGE = 0.9  # an image covering this share of the page is the scan of it
_LEVEL_ENOUGH = 0.2  # degrees: the measure's own error on a straight page


class PageImage(NamedTuple):
    """A page's image as the PDF holds it (its scan) or rendered, to be read at ``working``
    ppi (``at_working_resolution``: the part of the work each page's reader does itself)."""

    image: Image.Image
    ppi: float  # its own resolution
    working: int
    scanned: bool


def page_images(data: bytes, max_pages: int) -> Iterator[PageImage]:
    """Each page's image: the scan it is, or (a page that is no scan) rendered."""
    document = pdfium.PdfDocument(data)
    try:
        for index in range(min(len(document), max_pages)):
            page = document[index]
            scan = _scan_of(page)
            if scan is None:
                image = page.render(scale=WORKING_PPI / 72).to_pil().convert("L")
                yield PageImage(image, WORKING_PPI, WORKING_PPI, scanned=False)
            else:
                image, ppi = scan
                yield PageImage(image, ppi, working_ppi(ppi), scanned=True)
    finally:
        document.close()


def at_working_resolution(page: PageImage) -> Image.Image:
    """The page as a greyscale image at its working resolution, a scan cleaned of specks."""
    if not page.scanned:
        return page.image
    return _cleaned(_resampled(page.image, page.working / page.ppi))


def _scan_of(page: pdfium.PdfPage) -> tuple[Image.Image, float] | None:
    """The page's one full-page image (its scan) and its resolution, if that is what it is."""
    images = list(page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=1))
    if len(images) != 1:
        return None
    left, bottom, right, top = images[0].get_bounds()
    if (right - left) < _FULL_PAGE * page.get_width():
        return None
    if (top - bottom) < _FULL_PAGE * page.get_height():
        return None
    try:
        image = images[0].get_bitmap(render=False).to_pil().convert("L")
    except Exception:  # an image format pdfium cannot hand over raw: the page is rendered
        return None
    return image, image.width * 72 / float(right - left)


def working_ppi(ppi: float) -> int:
    """A low-resolution scan is enlarged to WORKING_PPI; a fine one is read at its own
    resolution up to MAX_PPI, beyond which Tesseract gains nothing and only slows."""
    return round(min(max(ppi, WORKING_PPI), MAX_PPI))


def _resampled(image: Image.Image, factor: float) -> Image.Image:
    if abs(factor - 1) < 0.02:
        return image
    size = (round(image.width * factor), round(image.height * factor))
    return image.resize(size, Image.Resampling.LANCZOS)


def _cleaned(image: Image.Image) -> Image.Image:
    """Specks of a few pixels removed (a 3x3 median), as OCRmyPDF's --clean does with unpaper.

    The median of each 3x3 window, as Pillow's MedianFilter(3) gives it (edges repeated) but
    a few times faster: each column of three sorted once, then the median of nine is the
    median of the largest low, the median middle and the smallest high of its three columns.
    """
    padded = np.pad(np.asarray(image), 1, mode="edge")
    above, level, below = padded[:-2], padded[1:-1], padded[2:]
    low, high = np.minimum(above, level), np.maximum(above, level)
    middle = _median_of_three(low, high, below)
    low, high = np.minimum(low, below), np.maximum(high, below)
    lows = np.maximum(np.maximum(low[:, :-2], low[:, 1:-1]), low[:, 2:])
    highs = np.minimum(np.minimum(high[:, :-2], high[:, 1:-1]), high[:, 2:])
    middles = _median_of_three(middle[:, :-2], middle[:, 1:-1], middle[:, 2:])
    return Image.fromarray(_median_of_three(lows, middles, highs))


def _median_of_three(a: np.ndarray, b: np.ndarray, c: np.ndarray) -> np.ndarray:
    median: np.ndarray = np.maximum(np.minimum(a, b), np.minimum(np.maximum(a, b), c))
    return median


def straightened(image: Image.Image) -> Image.Image:
    """The page turned by the skew measured on it (nothing for a straight page)."""
    angle = skew_angle(image)
    if abs(angle) < _LEVEL_ENOUGH:
        return image
    return image.rotate(angle, resample=Image.Resampling.BICUBIC, fillcolor=255, expand=False)


def skew_angle(image: Image.Image) -> float:
    """The angle (degrees, anticlockwise) that makes the page's lines of text level."""
    small = image.resize(
        (
            max(1, image.width * _SKEW_PPI // WORKING_PPI),
            max(1, image.height * _SKEW_PPI // WORKING_PPI),
        ),
        Image.Resampling.BOX,
    )
    ink = Image.fromarray(((np.asarray(small) < 160) * 255).astype(np.uint8))
    best, span = 0.0, MAX_SKEW
    for step in _SKEW_STEPS:
        angles = np.arange(best - span, best + span + step / 2, step)
        best = float(max(angles, key=lambda a: _alignment(ink, float(a))))
        span = step
    return best


def _alignment(ink: Image.Image, angle: float) -> float:
    """How sharply the ink falls into rows when the page is turned by ``angle``."""
    turned = np.asarray(ink.rotate(angle, resample=Image.Resampling.NEAREST, fillcolor=0))
    rows = turned.sum(axis=1, dtype=np.float64)
    return float(np.square(np.diff(rows)).sum())
