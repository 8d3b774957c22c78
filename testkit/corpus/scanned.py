"""A printed form, signed and scanned: the text-layer page rendered to an image, no text.

Each page of a text PDF is rendered with pypdfium2 (as a scanner would see it: grey, a
little skewed on alternate documents, with speckles) and wrapped into an image-only PDF.
"""

from __future__ import annotations

import io
import random

import pypdfium2 as pdfium
from PIL import Image

SCAN_DPI = 200
SKEW_DEGREES = 0.6
SPECKLES = 400


def scanned(pdf: bytes, n: int) -> bytes:
    """An image-only PDF of every page of ``pdf``; odd-numbered ones slightly rotated."""
    rng = random.Random(n)
    document = pdfium.PdfDocument(io.BytesIO(pdf))
    try:
        pages = [_scan(document[i], rng, skew=n % 2 == 1) for i in range(len(document))]
    finally:
        document.close()
    buffer = io.BytesIO()
    pages[0].save(buffer, "PDF", resolution=SCAN_DPI, save_all=True, append_images=pages[1:])
    return buffer.getvalue()


def _scan(page: object, rng: random.Random, *, skew: bool) -> Image.Image:
    image: Image.Image = page.render(scale=SCAN_DPI / 72).to_pil().convert("L")  # type: ignore[attr-defined]
    if skew:
        image = image.rotate(SKEW_DEGREES, resample=Image.Resampling.BICUBIC, fillcolor=255)
    pixels = image.load()
    assert pixels is not None
    for _ in range(SPECKLES):
        pixels[rng.randrange(image.width), rng.randrange(image.height)] = rng.randint(0, 120)
    return image
