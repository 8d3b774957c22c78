"""Tesseract OCR, in process: a probe, and one call, image in, words with positions out.

Tesseract is driven through its C++ API (tesserocr) rather than its command line: the
command line loads the language model afresh for every image (about 0.15 s of CPU each time,
as long as reading a dozen short pieces of a page), while an engine kept here loads it once
per process and thread and is handed the page's pixels directly, with no image file between.
An engine is used by one thread at a time: each reading takes an idle one from the pool, or
starts one, and gives it back. The parsing workers' fork server loads them before it forks
(``loading_engines``): a worker finds its engines ready, their model in pages it shares. The
engines use the system's language data (Debian's tesseract-ocr-eng and tesseract-ocr-osd),
found where the distributions put it.
"""

from __future__ import annotations

import csv
import ctypes
import ctypes.util
import io
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import NamedTuple

from PIL import Image

# Tesseract's OpenMP threads fight each other on a small machine (4.5 s a page with them, under
# 1 s with one); pages and documents are spread over threads and processes instead. OpenMP
# reads the limit when it is loaded, with Tesseract, on the import below.
os.environ["OMP_THREAD_LIMIT"] = "1"
import tesserocr

# Automatic page segmentation: on a bordered form, "one uniform block" (6) drops whole lines
# at some resolutions; the label beside its answer is paired afterwards on the word boxes.
PAGE_SEGMENTATION = tesserocr.PSM.AUTO
ONE_LINE = tesserocr.PSM.SINGLE_LINE  # a piece of the page cut out as one line of text
LANGUAGE = "eng"
ORIENTATION = "osd"  # the orientation and script model, itself a language to Tesseract
TESSDATA_PLACES = (  # Debian/Ubuntu (Tesseract 5, then 4), Fedora, Homebrew
    "/usr/share/tesseract-ocr/5/tessdata",
    "/usr/share/tesseract-ocr/4.00/tessdata",
    "/usr/share/tesseract/tessdata",
    "/usr/local/share/tessdata",
    "/opt/homebrew/share/tessdata",
)
_LEPTONICA_QUIET = 6  # L_SEVERITY_NONE: its complaints about a piece's empty box are not ours
_TSV_FIELDS = [
    "level",
    "page_num",
    "block_num",
    "par_num",
    "line_num",
    "word_num",
    "left",
    "top",
    "width",
    "height",
    "conf",
    "text",
]


class TooSlow(Exception):
    """Tesseract did not finish reading a page within the time it was given."""


class Word(NamedTuple):
    """One recognised word: its text and box in pixels, and the line Tesseract put it on."""

    text: str
    left: int
    top: int
    width: int
    height: int
    line: tuple[int, int, int]
    confidence: float = 100.0  # Tesseract's, 0 to 100


def tessdata(language: str = LANGUAGE) -> Path | None:
    """The folder holding ``language``'s model: $TESSDATA_PREFIX, else the usual places."""
    given = os.environ.get("TESSDATA_PREFIX")
    for place in [given] if given else TESSDATA_PLACES:
        if (Path(place) / f"{language}.traineddata").is_file():
            return Path(place)
    return None


def available() -> bool:
    return tessdata() is not None


def words(
    image: Image.Image,
    ppi: int,
    language: str = LANGUAGE,
    segmentation: tesserocr.PSM = PAGE_SEGMENTATION,
    limit_seconds: float | None = None,
) -> list[Word]:
    """The words Tesseract reads on one greyscale page image, in its reading order.

    With ``limit_seconds``, a reading not done by then is stopped and :class:`TooSlow` raised:
    what Tesseract had read by then is a part of the page, and a part is never given out as
    the page (a page redacted from half its words would leak the other half).
    """
    with _engine(language, image, ppi, segmentation) as engine:
        if limit_seconds is not None and not engine.Recognize(timeout=_milliseconds(limit_seconds)):
            raise TooSlow(f"Tesseract did not finish reading the page within {limit_seconds:g} s")
        return _parse_tsv(engine.GetTSVText(0))


def _milliseconds(seconds: float) -> int:
    return max(1, round(seconds * 1000))


def rotation(image: Image.Image, ppi: int) -> int:
    """The clockwise turn (0, 90, 180 or 270 degrees) that puts the page upright; 0 if unsure."""
    with _engine(ORIENTATION, image, ppi, tesserocr.PSM.OSD_ONLY) as engine:
        found = engine.DetectOrientationScript()
    turn = (360 - int(found["orient_deg"])) % 360 if found else 0
    return turn if turn in (90, 180, 270) else 0


_idle: dict[str, list[tesserocr.PyTessBaseAPI]] = {}
_idle_lock = threading.Lock()


@contextmanager
def loading_engines(count: int) -> Iterator[None]:
    """``count`` engines of the language model loaded side by side with the body (loading lets
    go of the GIL), each on a thread of its own, idle once the body is done."""
    threads = [
        threading.Thread(target=_load_idle_engine, name="tesseract-load")
        for _ in range(count if available() else 0)
    ]
    for thread in threads:
        thread.start()
    try:
        yield
    finally:
        for thread in threads:
            thread.join()


def _load_idle_engine() -> None:
    try:
        engine = _new_engine(LANGUAGE)
    except RuntimeError:  # a damaged model: the first reading meets it again and says so
        return
    with _idle_lock:
        _idle.setdefault(LANGUAGE, []).append(engine)


def _new_engine(language: str) -> tesserocr.PyTessBaseAPI:
    return tesserocr.PyTessBaseAPI(
        path=f"{tessdata(language)}/", lang=language, variables={"debug_file": os.devnull}
    )


@contextmanager
def _engine(
    language: str, image: Image.Image, ppi: int, segmentation: tesserocr.PSM
) -> Iterator[tesserocr.PyTessBaseAPI]:
    """An engine with ``language`` loaded and the image set, this thread's alone until it is
    given back. The grey pixels are handed over as they are (no image file, no encoding)."""
    with _idle_lock:
        engine = _idle.get(language, []).pop() if _idle.get(language) else None
    if engine is None:
        engine = _new_engine(language)
    grey = image if image.mode == "L" else image.convert("L")
    pixels = grey.tobytes()  # referenced until the reading is done
    try:
        engine.SetPageSegMode(segmentation)
        engine.SetImageBytes(pixels, grey.width, grey.height, 1, grey.width)
        engine.SetSourceResolution(ppi)
        yield engine
    finally:
        engine.Clear()
        with _idle_lock:
            _idle.setdefault(language, []).append(engine)


def _idle_engines_in_child() -> None:
    """A forked child keeps its parent's idle engines: no thread was inside one (a thread
    reading holds its engine out of ``_idle``), so each is whole, and the child's own threads
    use it one at a time like any other. The lock is new: another of the parent's threads
    may have held it, and that thread is not in the child to let it go."""
    global _idle_lock
    _idle_lock = threading.Lock()


os.register_at_fork(after_in_child=_idle_engines_in_child)


def _quiet_leptonica() -> None:
    """Leptonica, under Tesseract, writes its warnings to the process's stderr (the command
    line's went to a pipe that was thrown away); they say nothing a user can act on."""
    name = ctypes.util.find_library("lept") or ctypes.util.find_library("leptonica")
    if name is not None:
        ctypes.CDLL(name).setMsgSeverity(_LEPTONICA_QUIET)


_quiet_leptonica()


def _parse_tsv(tsv: str) -> list[Word]:
    """Tesseract's TSV (with or without its header line) -> the words, empty ones left out."""
    found = []
    for row in csv.DictReader(
        io.StringIO(tsv), fieldnames=_TSV_FIELDS, delimiter="\t", quoting=csv.QUOTE_NONE
    ):
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
