"""A scanned form's ruled lines are erased before OCR, and its letters are kept.

A table's border touching an answer is read as part of it (a "2" beside a cell's edge came
out as "w"), so the page is read without its rules. The page here is drawn with Pillow: a
two-column table at 300 ppi with a digit close to the column's border. What is erased is
compared with the rule's own words (ink in a straight run at least 0.3 inch down or 0.6 inch
across, and the pixels beside it), worked out run by run, on random pages and real scans.
"""

from __future__ import annotations

import random

import numpy as np
import numpy.typing as npt
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from PIL import Image, ImageDraw, ImageFont

from pipeline.config import Config
from pipeline.read.ocr_image import at_working_resolution, page_images, straightened
from pipeline.read.ocr_rules import without_rules
from schemas import IpnReferral
from testkit.corpus.pdf_layouts import ruled_table
from testkit.corpus.scanned import scanned
from testkit.corpus.values import truth_for

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


def erased_by_definition(page: Image.Image, ppi: int) -> npt.NDArray[np.uint8]:
    """The page with every ink pixel in a run of at least 0.3 inch down or 0.6 inch across
    whitened, and each pixel above, below, left and right of one, found run by run."""
    pixels = np.asarray(page)
    ink = pixels < 160
    rules = np.zeros_like(ink)
    down, across = (max(2, round(ppi * inches)) for inches in (0.3, 0.6))
    for lines, marked, length in ((ink.T, rules.T, down), (ink, rules, across)):
        for number, line in enumerate(lines):
            edges = np.diff(np.concatenate(([0], line.astype(np.int8), [0])))
            starts, ends = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)
            for start, end in zip(starts, ends, strict=True):
                if end - start >= length:
                    marked[number, start:end] = True
    grown = rules.copy()
    grown[1:] |= rules[:-1]
    grown[:-1] |= rules[1:]
    grown[:, 1:] |= rules[:, :-1]
    grown[:, :-1] |= rules[:, 1:]
    return np.where(grown, np.uint8(255), pixels)


@st.composite
def ruled_pages(draw: st.DrawFn) -> tuple[Image.Image, int]:
    """A small grey page of speckle with a few dark rows and columns, and its resolution."""
    height, width = draw(st.integers(1, 70)), draw(st.integers(1, 70))
    pixels = draw(
        arrays(np.uint8, (height, width), elements=st.sampled_from([0, 90, 159, 160, 255]))
    )
    for row in draw(st.lists(st.integers(0, height - 1), max_size=3)):
        pixels[row, draw(st.integers(0, width - 1)) :] = 0
    for column in draw(st.lists(st.integers(0, width - 1), max_size=3)):
        pixels[draw(st.integers(0, height - 1)) :, column] = 0
    return Image.fromarray(pixels), draw(st.integers(1, 150))


@settings(max_examples=300, deadline=None)
@given(ruled_pages())
def test_exactly_the_ink_in_long_straight_runs_and_its_fringe_is_erased(
    page: tuple[Image.Image, int],
) -> None:
    image, ppi = page

    assert np.array_equal(np.asarray(without_rules(image, ppi)), erased_by_definition(image, ppi))


def test_a_scanned_forms_rules_are_erased_exactly_as_defined(config: Config) -> None:
    truth = truth_for(IpnReferral, random.Random("rules"), config)
    scan = scanned(ruled_table(IpnReferral, truth, 1), 1)

    for image in page_images(scan, 2):
        page, ppi = straightened(at_working_resolution(image)), image.working
        assert np.array_equal(np.asarray(without_rules(page, ppi)), erased_by_definition(page, ppi))
