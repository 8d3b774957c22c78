"""Ink that Tesseract's page segmentation left unread, read piece by piece.

Automatic page segmentation drops a short answer standing alone in its cell (a "0", a "97%",
a "No" beside a long label): its layout analysis takes a lone small blob far from any text
line for noise. So the words it did read are whitened out, what ink remains is cut into
word-sized pieces (rows of ink, split where a gap is wider than a letter is tall), and each
piece is read on its own as one line of text, as form readers do for a field's box. Only
pieces of about a letter's height, standing apart from the words read (as an answer stands
apart from its label), and words read with confidence are kept: a speck, a letter's tail
Tesseract's box left out, the edge of a border or a scribble gives nothing.

A word Tesseract was unsure of is read again the same way, on its own, and the surer of the
two readings kept (a "0" read as "6)" beside a cell's edge, an "8" as "6" on a skewed page).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import numpy.typing as npt
from PIL import Image, ImageDraw

from pipeline.read import tesseract
from pipeline.read.lines import GAP_IN_HEIGHTS

INK = 160  # grey level below which a pixel is ink
UNSURE = 85  # Tesseract's confidence below which a word is read again on its own
SURE = 60  # Tesseract's confidence a piece's reading needs to be kept
MAX_PIECES = 40  # a page with more unread pieces than this is not a form with a few misses
_MARGIN = 0.2  # of a letter's height, around each word read: its antialiased edge goes too
_LETTER = (0.5, 2.5)  # a piece's height, in letters' heights: smaller is a speck, taller art
_PAD = 1.0  # of a letter's height: white around a piece, as Tesseract wants a margin
LEFTOVER_BLOCK = 1000  # block numbers from here on are the pieces read on their own


class Piece(NamedTuple):
    left: int
    top: int
    right: int
    bottom: int


def leftover_words(
    image: Image.Image, words: list[tesseract.Word], ppi: int
) -> list[tesseract.Word]:
    """The words read in the ink ``words`` do not cover, each piece its own line."""
    height = _letter_height(words)
    rest = _without_words(image, words, height)
    pieces = unread_pieces(rest, words)
    if len(pieces) > MAX_PIECES:
        return []
    found: list[tesseract.Word] = []
    for number, piece in enumerate(pieces):
        found += _read_piece(rest, piece, height, ppi, LEFTOVER_BLOCK + number)
    return found


def unread_pieces(rest: Image.Image, words: list[tesseract.Word]) -> list[Piece]:
    """The pieces of ink on the page with its words whitened that may be words of their own."""
    height = _letter_height(words)
    if height <= 0:
        return []
    ink = np.asarray(rest) < INK
    return [p for p in pieces_of(ink, height) if not _beside_a_word(p, words, height)]


def _letter_height(words: list[tesseract.Word]) -> int:
    heights = sorted(w.height for w in words if any(ch.isalnum() for ch in w.text))
    return heights[len(heights) // 2] if heights else 0


def _without_words(image: Image.Image, words: list[tesseract.Word], height: int) -> Image.Image:
    rest = image.copy()
    draw = ImageDraw.Draw(rest)
    margin = max(1, round(_MARGIN * height))
    for w in words:
        box = (
            w.left - margin,
            w.top - margin,
            w.left + w.width + margin,
            w.top + w.height + margin,
        )
        draw.rectangle(box, fill=255)
    return rest


def _beside_a_word(piece: Piece, words: list[tesseract.Word], height: int) -> bool:
    """Whether the piece is closer to a word read on its line than a label is to its answer:
    then it is a part of that word Tesseract's box left out (a letter's tail), not an answer."""
    near = GAP_IN_HEIGHTS * height
    for w in words:
        level = min(piece.bottom, w.top + w.height) > max(piece.top, w.top)
        gap = max(w.left - piece.right, piece.left - (w.left + w.width))
        if level and gap < near:
            return True
    return False


def pieces_of(ink: np.ndarray, height: int) -> list[Piece]:
    """The word-sized pieces of ink: rows of ink, each cut across gaps wider than a letter."""
    low, high = (round(share * height) for share in _LETTER)
    pieces: list[Piece] = []
    for top, bottom in _runs(ink.any(axis=1)):
        band = ink[top:bottom]
        for left, right in _runs(band.any(axis=0), gap=height):
            # a column's own rows: a stray upright (a border's remnant) joins rows in a band
            for row_top, row_bottom in _runs(band[:, left:right].any(axis=1)):
                if low <= row_bottom - row_top <= high:
                    line = band[row_top:row_bottom, left:right].any(axis=0)
                    start, end = np.flatnonzero(line)[[0, -1]].tolist()
                    pieces.append(
                        Piece(left + start, top + row_top, left + end + 1, top + row_bottom)
                    )
    return pieces


def _runs(filled: npt.ArrayLike, gap: int = 1) -> list[tuple[int, int]]:
    """The stretches of True (start, end), those fewer than ``gap`` apart run together."""
    runs: list[tuple[int, int]] = []
    indices = np.flatnonzero(filled)
    for index in indices.tolist():
        if runs and index - runs[-1][1] < gap:
            runs[-1] = (runs[-1][0], index + 1)
        else:
            runs.append((index, index + 1))
    return runs


def _read_piece(
    rest: Image.Image, piece: Piece, height: int, ppi: int, block: int
) -> list[tesseract.Word]:
    pad = round(_PAD * height)
    crop = rest.crop(piece)
    framed = Image.new("L", (crop.width + 2 * pad, crop.height + 2 * pad), 255)
    framed.paste(crop, (pad, pad))
    words = tesseract.words(framed, ppi, segmentation=tesseract.ONE_LINE)
    return [
        w._replace(left=w.left - pad + piece.left, top=w.top - pad + piece.top, line=(block, 1, 1))
        for w in words
        if w.confidence >= SURE and any(ch.isalnum() for ch in w.text)
    ]


def reread_unsure(
    image: Image.Image, words: list[tesseract.Word], ppi: int
) -> list[tesseract.Word]:
    """The words, each one Tesseract was unsure of read again on its own (cut out of the
    page and framed in white); the surer of the two readings kept."""
    height = _letter_height(words)
    unsure = [
        i
        for i, w in enumerate(words)
        if w.confidence < UNSURE and any(ch.isalnum() for ch in w.text)
    ]
    if height <= 0 or len(unsure) > MAX_PIECES:
        return words
    better = list(words)
    for index in unsure:
        word = words[index]
        piece = Piece(word.left, word.top, word.left + word.width, word.top + word.height)
        again = _read_piece(image, piece, height, ppi, LEFTOVER_BLOCK)
        if len(again) == 1 and again[0].confidence > word.confidence:
            better[index] = word._replace(text=again[0].text, confidence=again[0].confidence)
    return better
