"""A scanned page as Tesseract reads it best: at a working resolution, straightened.

A scanner's image is taken at the resolution it was made at (its pixels over the width it is
placed at on the page), not re-rendered at a guess, and then resampled to WORKING_PPI: a
multifunction printer's 100-150 ppi "email" setting is enlarged, a 600 ppi scan reduced. The
skew is measured as OCRmyPDF's deskew (Leptonica) does it, by the angle at which the rows of
ink line up best (the variance of the horizontal projection is greatest), and undone.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from PIL import Image

WORKING_PPI = 300
MAX_SKEW = 5.0  # degrees either way; a page further off is not a skewed scan but a rotated one
_SKEW_STEPS = (1.0, 0.2, 0.05)  # coarse to fine search, degrees
_SKEW_PPI = 75  # the skew is measured on a small copy: it is a property of the whole page
_FULL_PAGE = 0.9  # an image covering this share of the page is the scan of it
_LEVEL_ENOUGH = 0.2  # degrees: the measure's own error on a straight page


def page_images(data: bytes, max_pages: int) -> Iterator[tuple[Image.Image, float]]:
    """Each page as a greyscale image at WORKING_PPI, with the resolution it came at."""
    document = pdfium.PdfDocument(data)
    try:
        for index in range(min(len(document), max_pages)):
            page = document[index]
            image, ppi = _scan_of(page) or _rendered(page)
            yield _at_working_resolution(image, ppi), ppi
    finally:
        document.close()


def _scan_of(page: pdfium.PdfPage) -> tuple[Image.Image, float] | None:
    """The page's one full-page image at its own resolution, if that is what the page is."""
    images = list(page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=1))
    if len(images) != 1:
        return None
    left, bottom, right, top = images[0].get_bounds()
    width, height = page.get_width(), page.get_height()
    if (right - left) < _FULL_PAGE * width or (top - bottom) < _FULL_PAGE * height:
        return None
    try:
        image = images[0].get_bitmap(render=False).to_pil().convert("L")
    except Exception:  # an image format pdfium cannot hand over raw: render the page instead
        return None
    return image, image.width / ((right - left) / 72)


def _rendered(page: pdfium.PdfPage) -> tuple[Image.Image, float]:
    image: Image.Image = page.render(scale=WORKING_PPI / 72).to_pil().convert("L")
    return image, float(WORKING_PPI)


def _at_working_resolution(image: Image.Image, ppi: float) -> Image.Image:
    if abs(ppi - WORKING_PPI) < 5:
        return image
    factor = WORKING_PPI / ppi
    size = (round(image.width * factor), round(image.height * factor))
    return image.resize(size, Image.Resampling.LANCZOS)


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
