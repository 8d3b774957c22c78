"""A scanned form's ruled lines are erased before OCR, and its letters are kept.

A table's border touching an answer is read as part of it (a "2" beside a cell's edge came
out as "w"), so the page is read without its rules. The page here is drawn with Pillow: a
two-column table at 300 ppi with a digit close to the column's border.
"""

from __future__ import annotations

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from pipeline.read.ocr_image import without_rules

PPI = 300
FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf"


def bordered_form() -> tuple[Image.Image, tuple[int, int, int, int]]:
    """A white page with a ruled two-column table; the box around its answer "2"."""
    page = Image.new("L", (1200, 600), 255)
    draw = ImageDraw.Draw(page)
    for y in (100, 250, 400):
        draw.line([(100, y), (1100, y)], fill=0, width=3)
    for x in (100, 700, 1100):
        draw.line([(x, 100), (x, 400)], fill=0, width=3)
    font = ImageFont.truetype(FONT, 50)  # 12 pt at 300 ppi
    draw.text((130, 140), "Number of cycles", fill=0, font=font)
    draw.text((712, 140), "2", fill=0, font=font)
    return page, draw.textbbox((712, 140), "2", font=font)


def ink(image: Image.Image, box: tuple[int, int, int, int]) -> int:
    return int((np.asarray(image.crop(box)) < 128).sum())


def test_a_tables_borders_are_erased() -> None:
    page, _ = bordered_form()

    erased = without_rules(page, PPI)

    assert ink(erased, (100, 95, 1100, 105)) == 0  # a horizontal border
    assert ink(erased, (695, 100, 705, 400)) == 0  # the column's border beside the answer


def test_the_letters_beside_a_border_are_kept() -> None:
    page, digit = bordered_form()

    erased = without_rules(page, PPI)

    assert ink(erased, digit) == ink(page, digit) > 0
    assert ink(erased, (130, 140, 650, 210)) == ink(page, (130, 140, 650, 210))


def test_a_page_without_rules_is_unchanged() -> None:
    page = Image.new("L", (600, 300), 255)
    ImageDraw.Draw(page).text((50, 50), "Year 2", fill=0, font=ImageFont.truetype(FONT, 50))

    assert np.array_equal(np.asarray(without_rules(page, PPI)), np.asarray(page))
