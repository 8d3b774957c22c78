"""A scanned page's ruled lines (a table's borders, an underline to write on) erased.

A border touching an answer is read as part of it (a "2" beside a cell's edge comes out as
"w", a "4" as "4d"), so any straight run of ink longer than a letter is ever tall or wide is
whitened, with its one-pixel fringe, as form readers do before OCR (Leptonica's line
removal).

The page's ink is worked on as bits, eight pixels of a row to a byte (a 300 ppi page is a
megabyte so, not eight): a run along a column is then a run of bytes down the rows, and a
run along a row a run of bits along it. A pixel lies in a run of at least ``length`` if some
window of ``length`` pixels around it is all ink (a binary opening by a line): the windows
all ink are found by doubling (a window of 2k is two of k side by side), and the pixels they
cover likewise.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import numpy.typing as npt
from PIL import Image

Bits = npt.NDArray[np.uint8]  # a page's pixels packed eight to a byte along each row

INK = 160  # grey level below which a pixel is ink
# a run of ink this long is a rule: taller than any letter up to 18 pt, and wider than the
# letters of a word blurred together along a serif's foot
RULE_INCHES = (0.3, 0.6)  # down, across
DOWN, ACROSS = 0, 1  # the axes of a page's pixels: along a column, along a row


def without_rules(image: Image.Image, ppi: int) -> Image.Image:
    """The page with its ruled lines erased (itself, if it has none)."""
    pixels = np.asarray(image)
    ink = np.packbits(pixels < INK, axis=ACROSS)
    down, across = (max(2, round(ppi * inches)) for inches in RULE_INCHES)
    rules = runs(ink, down, DOWN) | runs(ink, across, ACROSS)
    if not rules.any():
        return image
    erased = np.unpackbits(fringed(rules), axis=ACROSS, count=pixels.shape[ACROSS])
    return Image.fromarray(np.where(erased.view(bool), np.uint8(255), pixels))


def runs(ink: Bits, length: int, axis: int) -> Bits:
    """The ink lying in an unbroken run of at least ``length`` pixels along ``axis``."""
    starts = _windows(ink, length, lambda bits, k: bits & shifted(bits, k, axis))
    covered = _windows(starts, length, lambda bits, k: bits | shifted(bits, -k, axis))
    return covered & ink  # the row's last byte's spare bits stay clear


def _windows(bits: Bits, length: int, join: Callable[[Bits, int], Bits]) -> Bits:
    """``bits`` joined with itself shifted by 1, 2, 4 ... then the rest: each position then
    stands for the window of ``length`` pixels from it."""
    span = 1
    while span * 2 <= length:
        bits, span = join(bits, span), span * 2
    return join(bits, length - span) if span < length else bits


def fringed(mask: Bits) -> Bits:
    """The mask grown by a pixel each way: a rule's grey anti-aliased edge goes with it."""
    grown: Bits = mask | shifted(mask, 1, DOWN) | shifted(mask, -1, DOWN)
    return grown | shifted(mask, 1, ACROSS) | shifted(mask, -1, ACROSS)


def shifted(bits: Bits, by: int, axis: int) -> Bits:
    """Each pixel given the value of the pixel ``by`` further along ``axis`` (``by`` < 0:
    before it); blank where that is off the page."""
    moved = np.zeros_like(bits)
    if axis == DOWN:
        _move(moved, bits, by)
        return moved
    whole, part = divmod(abs(by), 8)  # bytes and bits; the first pixel is a byte's top bit
    bit, rest = np.uint8(part), np.uint8(8 - part)
    if by > 0:
        _move(moved, bits << bit, whole, ACROSS)
        if part:
            moved |= _bytes_on(bits >> rest, whole + 1)
    else:
        _move(moved, bits >> bit, -whole, ACROSS)
        if part:
            moved |= _bytes_on(bits << rest, -whole - 1)
    return moved


def _bytes_on(bits: Bits, by: int) -> Bits:
    moved = np.zeros_like(bits)
    _move(moved, bits, by, ACROSS)
    return moved


def _move(into: Bits, bits: Bits, by: int, axis: int = DOWN) -> None:
    """``into[i] = bits[i + by]`` along ``axis`` (whole rows, or whole bytes of a row)."""
    size = bits.shape[axis]
    if abs(by) >= size:
        return
    if by >= 0:
        target, source = slice(0, size - by), slice(by, size)
    else:
        target, source = slice(-by, size), slice(0, size + by)
    if axis == DOWN:
        into[target] = bits[source]
    else:
        into[:, target] = bits[:, source]
