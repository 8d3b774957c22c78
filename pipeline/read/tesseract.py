"""The Tesseract OCR program: a probe and one call, image in, words with positions out."""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
from pathlib import Path
from typing import NamedTuple

TIMEOUT_SECONDS = 120
PAGE_SEGMENTATION = "6"  # one uniform block of text: keeps a label and its value on one line


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


def words(image: Path, language: str = "eng") -> list[Word]:
    """The words Tesseract reads on one page image, in its reading order."""
    result = subprocess.run(
        ["tesseract", str(image), "stdout", "-l", language, "--psm", PAGE_SEGMENTATION, "tsv"],
        capture_output=True,
        check=True,
        timeout=TIMEOUT_SECONDS,
    )
    return _parse_tsv(result.stdout.decode("utf-8", errors="replace"))


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
