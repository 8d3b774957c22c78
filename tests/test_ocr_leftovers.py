"""Which ink OCR reads again after Tesseract's page segmentation: an answer standing apart
in its cell, never a letter's tail that a word's box left out; and a word Tesseract was
unsure of, read again on its own.

The page is drawn with Pillow (DejaVu Sans, 12 pt at 300 ppi); the words "Tesseract read" are
given as boxes, so what is tested is the choice of pieces, not Tesseract.
"""

from __future__ import annotations

import os

import pytest
from PIL import Image, ImageDraw, ImageFont

from pipeline.read import tesseract
from pipeline.read.ocr_leftovers import reread_unsure, unread_pieces
from pipeline.read.tesseract import Word

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
PPI = 300


def page_with(texts: list[tuple[int, str]]) -> tuple[Image.Image, list[Word]]:
    """A line of text pieces at the given x; each piece's ink box as a word read."""
    page = Image.new("L", (2000, 300), 255)
    draw = ImageDraw.Draw(page)
    font = ImageFont.truetype(FONT, 50)
    words = []
    for x, text in texts:
        draw.text((x, 120), text, fill=0, font=font)
        left, top, right, bottom = draw.textbbox((x, 120), text, font=font)
        words.append(Word(text, left, top, right - left, bottom - top, (1, 1, len(words) + 1)))
    return page, words


def whitened(page: Image.Image, words: list[Word]) -> Image.Image:
    rest = page.copy()
    draw = ImageDraw.Draw(rest)
    for w in words:
        draw.rectangle((w.left, w.top, w.left + w.width, w.top + w.height), fill=255)
    return rest


def test_an_answer_standing_apart_from_its_label_is_a_piece_to_read() -> None:
    page, words = page_with([(100, "Suspensions"), (1200, "0")])
    label = words[:1]

    (piece,) = unread_pieces(whitened(page, label), label)

    assert piece.left >= 1200


def test_a_letters_tail_left_out_of_its_words_box_is_not_read_as_an_answer() -> None:
    page, words = page_with([(100, "Home"), (300, "address")])
    clipped = [*words[:1], words[1]._replace(width=words[1].width - 30)]

    assert unread_pieces(whitened(page, clipped), clipped) == []


@pytest.fixture
def amount_page() -> tuple[Image.Image, list[Word]]:
    if not tesseract.available():
        if os.environ.get("CI") == "true":
            pytest.fail("CI must install Tesseract")
        pytest.skip("Tesseract not installed")
    page, words = page_with([(100, "Total amount requested"), (1200, "£4,381.55")])
    return page, words


def test_a_word_tesseract_was_unsure_of_is_read_again_on_its_own(
    amount_page: tuple[Image.Image, list[Word]],
) -> None:
    page, (label, amount) = amount_page
    misread = amount._replace(text="£4,361.55", confidence=41.0)

    again = reread_unsure(page, [label, misread], PPI)

    assert [w.text for w in again] == ["Total amount requested", "£4,381.55"]


def test_a_word_tesseract_was_sure_of_is_kept_as_read(
    amount_page: tuple[Image.Image, list[Word]],
) -> None:
    page, (label, amount) = amount_page
    sure = amount._replace(text="£4,361.55", confidence=96.0)

    assert reread_unsure(page, [label, sure], PPI)[1].text == "£4,361.55"
