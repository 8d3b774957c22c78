"""The Tesseract OCR program: a probe and one call, image in, words with positions out."""

from __future__ import annotations

import csv
import io
import os
import shutil
import subprocess
from pathlib import Path
from typing import NamedTuple

TIMEOUT_SECONDS = 120
# Automatic page segmentation: on a bordered form, "one uniform block" (6) drops whole lines
# at some resolutions; the label beside its answer is paired afterwards on the word boxes.
PAGE_SEGMENTATION = "3"
ONE_LINE = "7"  # a piece of the page cut out as one line of text
ORIENTATION = "0"  # orientation and script detection only
# Tesseract's OpenMP threads fight each other on a small machine (4.5 s a page with them,
# under 1 s with one); pages and documents are spread over processes instead.
ONE_THREAD = {"OMP_THREAD_LIMIT": "1"}


class Word(NamedTuple):
    """One recognised word: its text and box in pixels, and the line Tesseract put it on."""

    text: str
    left: int
    top: int
    width: int
    height: int
    line: tuple[int, int, int]
    confidence: float = 100.0  # Tesseract's, 0 to 100


def available() -> bool:
    return shutil.which("tesseract") is not None


def words(
    image: Path, ppi: int, language: str = "eng", segmentation: str = PAGE_SEGMENTATION
) -> list[Word]:
    """The words Tesseract reads on one page image, in its reading order."""
    command = ["tesseract", str(image), "stdout", "-l", language, "--dpi", str(ppi)]
    result = subprocess.run(
        [*command, "--psm", segmentation, "tsv"],
        capture_output=True,
        check=True,
        timeout=TIMEOUT_SECONDS,
        env=_environment(),
    )
    return _parse_tsv(result.stdout.decode("utf-8", errors="replace"))


def rotation(image: Path, ppi: int) -> int:
    """The clockwise turn (0, 90, 180 or 270 degrees) that puts the page upright; 0 if unsure."""
    result = subprocess.run(
        ["tesseract", str(image), "stdout", "--dpi", str(ppi), "--psm", ORIENTATION],
        capture_output=True,
        check=False,
        timeout=TIMEOUT_SECONDS,
        env=_environment(),
    )
    for line in result.stdout.decode("utf-8", errors="replace").splitlines():
        name, _, value = line.partition(":")
        if name.strip() == "Rotate" and value.strip() in ("90", "180", "270"):
            return int(value)
    return 0


def _environment() -> dict[str, str]:
    return {**os.environ, **ONE_THREAD}


def _parse_tsv(tsv: str) -> list[Word]:
    found = []
    for row in csv.DictReader(io.StringIO(tsv), delimiter="\t", quoting=csv.QUOTE_NONE):
        text = (row.get("text") or "").strip()
        if row.get("level") != "5" or not text:
            continue
        found.append(
            Word(
                text=text,
                left=int(row["left"]),
                top=int(row["top"]),
                width=int(row["width"]),
                height=int(row["height"]),
                line=(int(row["block_num"]), int(row["par_num"]), int(row["line_num"])),
                confidence=float(row.get("conf") or 0),
            )
        )
    return found
