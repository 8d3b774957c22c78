"""OCR: Tesseract's words put back into lines, a wide gap read as label | value."""

from __future__ import annotations

import io
import json
import os
import random
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest
import tesserocr
from PIL import Image, ImageDraw, ImageFont
from pypdf import PdfReader

from pipeline.config import Config
from pipeline.read import ocr, tesseract
from pipeline.read.lines import Placed, group_lines, line_text
from pipeline.read.ocr import _lines
from schemas import IpnReferral
from testkit.corpus.pdf_layouts import ruled_table
from testkit.corpus.scanned import scanned
from testkit.corpus.values import truth_for

needs_tesseract = pytest.mark.skipif(not tesseract.available(), reason="Tesseract is not installed")

TSV = (
    "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext\n"
    "5\t1\t1\t1\t1\t1\t100\t200\t60\t30\t96\tDate\n"
    "5\t1\t1\t1\t1\t2\t170\t200\t30\t30\t96\tof\n"
    "5\t1\t1\t1\t1\t3\t210\t200\t70\t30\t96\tbirth\n"
    "5\t1\t1\t1\t1\t4\t700\t201\t200\t30\t95\t03/09/2015\n"
    "4\t1\t1\t1\t2\t0\t100\t260\t500\t30\t-1\t\n"
)


def test_tesseract_tsv_words_make_a_label_tab_value_line() -> None:
    words = tesseract._parse_tsv(TSV)
    placed = [Placed(w.text, w.left, w.left + w.width, w.top, w.top + w.height) for w in words]
    assert [line_text(line) for line in group_lines(placed)] == ["Date of birth\t03/09/2015"]


def word(text: str, left: int, top: int, width: int, confidence: float = 95) -> tesseract.Word:
    return tesseract.Word(text, left, top, width, 30, (1, 1, 1), confidence)


def test_a_skewed_scan_line_with_short_words_stays_one_line() -> None:
    words = [word("Tyler", 100, 200, 80), word("says", 190, 212, 60), word("he", 260, 216, 30)]

    assert _lines(words) == ["Tyler says he"]


def test_a_speck_beside_a_label_across_a_wide_gap_is_dropped() -> None:
    words = [word("Professionals", 100, 200, 170), word("involved", 280, 200, 110)]

    assert _lines([*words, word("|", 900, 198, 6, confidence=82)]) == ["Professionals involved"]


def test_a_lone_bar_between_words_is_the_pronoun_i() -> None:
    words = [word("said:", 100, 200, 60), word("|", 170, 200, 6), word("like", 186, 200, 50)]

    assert _lines(words) == ["said: I like"]


def test_a_bar_taller_than_the_line_between_label_and_answer_is_a_border() -> None:
    words = [
        word("consent", 100, 200, 110),
        word("and", 220, 200, 50),
        tesseract.Word("|", 292, 192, 22, 50, (1, 1, 1), 96),
        word("Yes", 326, 200, 55),
    ]

    assert _lines(words) == ["consent and\tYes"]


def test_an_address_wrapped_at_its_cells_edge_is_joined_without_a_space() -> None:
    words = [
        tesseract.Word("SENCo", 100, 200, 90, 30, (1, 1, 1), 96),
        tesseract.Word("email", 200, 200, 80, 30, (1, 1, 1), 96),
        tesseract.Word("g.bennett@manorabbey.sch.exampl", 700, 200, 800, 30, (2, 1, 1), 92),
        tesseract.Word("e", 700, 245, 20, 22, (2, 1, 2), 90),
    ]

    assert _lines(words) == ["SENCo email\tg.bennett@manorabbey.sch.example"]


def test_an_answer_wrapped_at_a_compound_words_hyphen_is_joined_whole() -> None:
    words = [
        tesseract.Word("Needs", 100, 200, 90, 30, (1, 1, 1), 96),
        tesseract.Word("below", 700, 200, 80, 30, (2, 1, 1), 96),
        tesseract.Word("age-", 790, 200, 60, 30, (2, 1, 1), 96),
        tesseract.Word("related", 700, 245, 100, 30, (2, 1, 2), 96),
    ]

    assert _lines(words) == ["Needs\tbelow age-related"]


def test_an_answer_carried_to_the_next_line_keeps_its_space() -> None:
    words = [
        tesseract.Word("Needs", 100, 200, 90, 30, (1, 1, 1), 96),
        tesseract.Word("Sam", 700, 200, 60, 30, (2, 1, 1), 96),
        tesseract.Word("reads", 770, 200, 80, 30, (2, 1, 1), 96),
        tesseract.Word("well.", 700, 245, 70, 30, (2, 1, 2), 96),
    ]

    assert _lines(words) == ["Needs\tSam reads well."]


def test_an_unsure_comma_is_dropped() -> None:
    words = [word("reading", 100, 200, 90), word(",", 200, 215, 6, confidence=0)]

    assert _lines(words) == ["reading"]


@pytest.mark.skipif(
    shutil.which("tesseract") is None and os.environ.get("CI") != "true",
    reason="Tesseract not installed",
)
def test_tesseract_is_installed_where_ci_runs() -> None:
    assert tesseract.available(), ".ci/run must install tesseract-ocr and tesseract-ocr-eng"


def text_page(lines: list[str]) -> Image.Image:
    """A page of printed lines (DejaVu Sans 12 pt at 300 ppi) on white A4."""
    page = Image.new("L", (2480, 3508), 255)
    draw = ImageDraw.Draw(page)
    font = ImageFont.truetype("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", 50)
    for number, line in enumerate(lines):
        draw.text((250, 300 + 90 * number), line, fill=0, font=font)
    return page


LINES = [
    "Individual Pupil Need Referral Form",
    "Please complete every section in full and return this form by email",
    "to the Central Cluster mailbox, together with a costed provision map.",
    *(f"Section {n}: the school, the child, the support and the funding" for n in range(1, 13)),
]


@needs_tesseract
def test_the_language_model_is_loaded_once_for_all_the_readings_of_a_thread(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    started: list[str] = []

    engine = tesserocr.PyTessBaseAPI

    def counted(**settings: str) -> tesserocr.PyTessBaseAPI:
        started.append(settings["lang"])
        return engine(**settings)

    monkeypatch.setattr(tesseract, "_idle", {})
    monkeypatch.setattr(tesserocr, "PyTessBaseAPI", counted)
    page = text_page(LINES[:3])

    whole = tesseract.words(page, 300)
    pieces = [
        tesseract.words(page.crop((200, y, 2400, y + 90)), 300, segmentation=tesseract.ONE_LINE)
        for y in (280, 370)
    ]

    assert [w.text for w in whole][:2] == ["Individual", "Pupil"]
    assert [w.text for w in pieces[1]][:2] == ["Please", "complete"]
    assert started == ["eng"]


# The parsing workers' fork server, in small: engines loaded, then a child forked that reads
# with them (it loads none of its own); printed as JSON with what the parent reads after.
FORKED_READER = """
import json, os, sys
from PIL import Image
from pipeline.read import tesseract
import tesserocr

page = Image.open(sys.argv[1]).convert("L")  # read now, not by parent and child at once
with tesseract.loading_engines(1):
    pass
started, engine = [], tesserocr.PyTessBaseAPI
tesserocr.PyTessBaseAPI = lambda **settings: started.append(settings["lang"]) or engine(**settings)
results, written = os.pipe()
pid = os.fork()
if pid == 0:
    try:
        words = [w.text for w in tesseract.words(page, 300)]
        os.write(written, json.dumps({"words": words, "started": started}).encode())
    finally:
        os._exit(0)
os.close(written)
with os.fdopen(results, "rb") as pipe:
    child = json.loads(pipe.read() or b"{}")
os.waitpid(pid, 0)
print(json.dumps({"child": child, "parent": [w.text for w in tesseract.words(page, 300)]}))
"""


@needs_tesseract
def test_an_engine_loaded_before_a_fork_reads_a_page_in_the_child_as_the_parent_reads_it(
    tmp_path: Path,
) -> None:
    text_page(LINES[:3]).save(tmp_path / "page.png")

    shown = subprocess.run(
        [sys.executable, "-c", FORKED_READER, str(tmp_path / "page.png")],
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    )
    read = json.loads(shown.stdout)

    assert read["child"]["started"] == []
    assert read["child"]["words"] == read["parent"]
    assert read["parent"][:2] == ["Individual", "Pupil"]


@needs_tesseract
def test_a_model_that_fails_to_load_ahead_is_left_to_the_reading_that_needs_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    failures: list[object] = []

    def damaged(language: str) -> tesserocr.PyTessBaseAPI:
        raise RuntimeError("Failed to init API, possibly an invalid tessdata path")

    monkeypatch.setattr(tesseract, "_idle", {})
    monkeypatch.setattr(tesseract, "_new_engine", damaged)
    monkeypatch.setattr(threading, "excepthook", failures.append)

    with tesseract.loading_engines(2):
        pass

    assert failures == []
    assert tesseract._idle == {}
    with pytest.raises(RuntimeError, match="Failed to init API"):
        tesseract.words(text_page(LINES[:1]), 300)


@needs_tesseract
def test_the_turn_that_puts_a_page_upright_is_found_for_each_way_it_was_scanned() -> None:
    page = text_page(LINES)
    turned = {turn: page.rotate(-turn, expand=True) for turn in (90, 180, 270)}

    assert {turn: tesseract.rotation(image, 300) for turn, image in turned.items()} == {
        90: 270,
        180: 180,
        270: 90,
    }
    assert tesseract.rotation(page, 300) == 0


@needs_tesseract
def test_pages_read_side_by_side_give_the_lines_one_reader_gives(config: Config) -> None:
    truth = truth_for(IpnReferral, random.Random("side by side"), config)
    scan = scanned(ruled_table(IpnReferral, truth, 1), 1)
    assert len(PdfReader(io.BytesIO(scan)).pages) >= 2

    assert ocr.ocr_pages(scan, readers=3) == ocr.ocr_pages(scan, readers=1)
