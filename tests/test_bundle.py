"""The meeting bundle (SPEC section 3): both editions of a 30-case meeting, read back."""

from __future__ import annotations

import re
import resource
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pdfplumber
import pypdfium2 as pdfium
import pytest
from meeting_fixtures import FixturePack, make_pack
from openpyxl import load_workbook
from pypdf import PdfReader

from pipeline.config import Config
from pipeline.meetings import preview
from pipeline.meetings.bundle import build, build_bundle, build_meeting_outputs
from pipeline.meetings.bundle.supporting import NO_LIBREOFFICE, WITHHELD
from pipeline.meetings.convert import libreoffice
from pipeline.meetings.finance import finance_for
from pipeline.meetings.models import Pupil
from pipeline.meetings.preview import PreviewError, render_preview
from pipeline.meetings.redact import redact_text
from pipeline.models import RequestType, Status
from pipeline.reports.wording import format_date

CASES = 30
PAGE_OF = re.compile(r"Page (\d+) of (\d+)")
CASE_REF = re.compile(r"CC-2526-\d{4}")


@dataclass
class Built:
    made: FixturePack
    panel: Path
    full: Path
    seconds: float
    peak_mb: float
    panel_pages: list[str]
    full_pages: list[str]


def _texts(path: Path) -> list[str]:
    """Each page's text (pdfium: a hundred times quicker than pypdf on 200 pages)."""
    document = pdfium.PdfDocument(path)
    try:
        return [
            document[n].get_textpage().get_text_range().replace("\r\n", "\n")
            for n in range(len(document))
        ]
    finally:
        document.close()


@pytest.fixture(scope="module")
def built(shipped_config: Config, tmp_path_factory: pytest.TempPathFactory) -> Built:
    out = tmp_path_factory.mktemp("bundle")
    made = make_pack(shipped_config, CASES)
    started = time.perf_counter()
    panel, full, _ = build_meeting_outputs(made.pack, shipped_config, made.load, out)
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return Built(made, panel, full, seconds, peak, _texts(panel), _texts(full))


def _index_pages(path: Path) -> dict[str, int]:
    """Case ref -> the page number printed on its index row (read by position)."""
    found: dict[str, int] = {}
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages[:8]:
            if "Index of cases" not in (page.extract_text() or ""):
                continue
            words = page.extract_words()
            for word in words:
                if CASE_REF.fullmatch(word["text"]):
                    row = [w for w in words if abs(w["top"] - word["top"]) < 2]
                    found[word["text"]] = int(max(row, key=lambda w: w["x0"])["text"])
    return found


def test_the_30_case_bundle_has_every_case_in_full(built: Built) -> None:
    # Its build time is a benchmark target (python -m testkit.benchmarks), not a test.
    assert len(built.full_pages) > 150


def test_every_case_ref_is_in_the_index_and_in_the_bookmarks(built: Built) -> None:
    refs = {case.case_ref for case in built.made.pack.cases}
    for path in (built.panel, built.full):
        assert set(_index_pages(path)) == refs
        titles = _outline_titles(PdfReader(path).outline)
        assert {ref for ref in refs if any(t.startswith(ref) for t in titles)} == refs


def _outline_titles(outline: list[object]) -> list[str]:
    titles: list[str] = []
    for item in outline:
        if isinstance(item, list):
            titles += _outline_titles(item)
        else:
            titles.append(str(getattr(item, "title", "")))
    return titles


def test_index_page_numbers_point_at_each_cases_summary(built: Built) -> None:
    for path, texts in ((built.panel, built.panel_pages), (built.full, built.full_pages)):
        for ref, page in _index_pages(path).items():
            assert f"{ref}: case summary" in texts[page - 1], (path.name, ref, page)


def test_case_bookmarks_open_the_summary_and_nest_its_parts(built: Built) -> None:
    reader = PdfReader(built.full)
    outline = reader.outline
    flat = [
        (item, outline[n + 1]) for n, item in enumerate(outline[:-1]) if not isinstance(item, list)
    ]
    individual = next(children for item, children in flat if "Individual cases" in item.title)
    case, parts = individual[0], individual[1]
    page = reader.get_destination_page_number(case)
    assert f"{case.title.split(' ')[0]}: case summary" in built.full_pages[page]
    titles = [p.title for p in parts]
    assert titles[0] == "Summary" and "Provision map" in titles
    assert any(t.startswith("Supporting: ") for t in titles)


def test_every_page_says_page_n_of_m(built: Built) -> None:
    for texts in (built.panel_pages, built.full_pages):
        total = len(texts)
        numbers = [PAGE_OF.findall(text) for text in texts]
        assert numbers == [[(str(n), str(total))] for n in range(1, total + 1)]


def test_every_page_is_a4(built: Built) -> None:
    sizes = {
        tuple(sorted((round(float(p.mediabox.width)), round(float(p.mediabox.height)))))
        for p in PdfReader(built.full).pages
    }
    assert sizes == {(595, 842)}


def _identifiers(made: FixturePack) -> list[str]:
    found: list[str] = list(made.parent_names)
    for pupil in made.pupils:
        assert pupil.forename and pupil.surname and pupil.date_of_birth and pupil.upn
        found += [pupil.forename, pupil.surname, pupil.upn]
        found += [f"{pupil.date_of_birth:%d/%m/%Y}", format_date(pupil.date_of_birth)]
    return found


def test_panel_edition_names_no_pupil_parent_birth_date_or_upn(built: Built) -> None:
    text = "\n".join(built.panel_pages).casefold()
    leaks = [item for item in _identifiers(built.made) if item.casefold() in text]
    assert leaks == []


def test_full_edition_has_every_name_birth_date_and_upn(built: Built) -> None:
    text = "\n".join(built.full_pages).casefold()
    missing = [item for item in _identifiers(built.made) if item.casefold() not in text]
    assert missing == []


def test_panel_edition_replaces_names_in_narratives_with_initials(built: Built) -> None:
    text = "\n".join(built.panel_pages)
    pupil = built.made.pupils[0]
    assert f"{pupil.initials}'s mornings are very hard" in text


def test_panel_edition_has_the_supporting_reports_redacted(built: Built) -> None:
    panel = "\n".join(built.panel_pages)
    pupil = built.made.pupils[0]
    assert "Educational psychology report (page 2)" in panel
    assert "The pupil responds well to a predictable routine and adult co-regulation." in panel
    assert re.search(rf"Name:\s*{pupil.initials}\b", panel)
    assert re.search(r"Date of birth:\s*\[date of birth\]", panel)


def test_panel_edition_withholds_a_scan_it_cannot_read_and_says_why(built: Built) -> None:
    panel = " ".join("\n".join(built.panel_pages).split())
    assert " ".join(WITHHELD.split()[:10]) in panel
    assert "no text was found on a page that has ink" in panel


def test_finance_page_warns_when_requests_exceed_what_is_left(built: Built) -> None:
    assert built.made.pack.finance.budget_exceeded
    finance_page = next(t for t in built.panel_pages if "1. Admin and finance\nRevenue" in t)
    assert "Budget exceeded (budget_exceeded)" in finance_page
    assert "Over the cap" in finance_page


def test_finance_page_is_quiet_when_the_budget_covers_the_requests(
    config: Config, tmp_path: Path
) -> None:
    made = make_pack(config, 4, committed_revenue=0.0, word_originals=0, scanned=0)
    path = build_bundle(made.pack, config, made.load, tmp_path, edition="panel")
    assert "budget_exceeded" not in "\n".join(_texts(path))


@pytest.mark.skipif(libreoffice() is None, reason="LibreOffice is not installed")
def test_word_originals_are_converted_when_libreoffice_is_installed(built: Built) -> None:
    assert "Speech and language therapy report" in "\n".join(built.full_pages)


def test_without_libreoffice_the_bundle_says_which_originals_were_left_out(
    config: Config, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(build, "libreoffice", lambda: None)
    made = make_pack(config, 2, word_originals=1, scanned=0)
    path = build_bundle(made.pack, config, made.load, tmp_path, edition="full")
    text = " ".join("\n".join(_texts(path)).split())
    assert "Originals left out of this bundle" in text
    assert "CC-2526-0001: Speech and language report.docx" in text
    assert " ".join(NO_LIBREOFFICE.split()[:10]) in text


@pytest.mark.skipif(preview.pdftoppm() is None, reason="poppler-utils is not installed")
def test_preview_renders_the_first_pages_as_png(config: Config, tmp_path: Path) -> None:
    made = make_pack(config, 2, word_originals=0, scanned=0)
    pdf = build_bundle(made.pack, config, made.load, tmp_path, edition="panel")
    pictures = render_preview(pdf, tmp_path / "docs", pages=2)
    assert [p.name for p in pictures] == ["bundle-panel-01.png", "bundle-panel-02.png"]
    assert pictures[0].read_bytes().startswith(b"\x89PNG")


def test_preview_without_pdftoppm_says_what_to_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(preview, "pdftoppm", lambda: None)
    with pytest.raises(PreviewError, match="poppler-utils"):
        render_preview(tmp_path / "bundle.pdf", tmp_path)


# --- redaction ----------------------------------------------------------------------------------

AMY = Pupil(
    forename="Amy", surname="Zebedee-Quill", date_of_birth=date(2015, 9, 3), upn="T861400112001"
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Amy Zebedee-Quill joined in Year 1.", "AZQ joined in Year 1."),
        ("amy's mum says AMY likes lego.", "AZQ's mum says AZQ likes lego."),
        (
            "The Zebedee–Quill family; Zebedee - Quill; Quill alone.",
            "The AZQ family; AZQ; AZQ alone.",
        ),
        ("Amyas and Amyotte are other children.", "Amyas and Amyotte are other children."),
        (
            "Born 03/09/2015, 3.9.15, 3rd September 2015 or 2015-09-03.",
            "Born [date of birth], [date of birth], [date of birth] or [date of birth].",
        ),
        ("UPN T861400112001 or t861 4001 12001.", "UPN [pupil number] or [pupil number]."),
        ("Mrs Siân O'Kerrigan-Price agreed; Siân’s view.", "Mrs SOKP agreed; SOKP’s view."),
    ],
)
def test_redact_text_replaces_names_and_identifiers(text: str, expected: str) -> None:
    assert redact_text(text, AMY, ["Siân O'Kerrigan-Price"]) == expected


def test_redact_text_leaves_text_without_the_pupil_alone() -> None:
    text = "The pupil attends Abbey Hulton Primary School."
    assert redact_text(text, AMY, []) == text


# --- finance ------------------------------------------------------------------------------------


def test_capital_bids_count_against_the_capital_fund_and_the_rest_against_revenue(
    config: Config,
) -> None:
    made = make_pack(config, 6, committed_revenue=1_000.0, word_originals=0, scanned=0)
    cases = made.pack.cases
    finance = finance_for(config, cases, 1_000.0, {"Grove Academy": 5_000.0})
    capital = [c for c in cases if c.request_type is RequestType.capital]
    ready = [c for c in cases if c.status is not Status.incomplete]  # not ready: not counted
    revenue = [c.amount_requested or 0 for c in ready if c.request_type is not RequestType.capital]
    assert finance.revenue_requested == pytest.approx(sum(revenue))
    assert finance.capital_requested_by_setting == {
        c.setting: c.amount_requested for c in capital if c.setting
    }
    assert finance.capital_committed_by_setting == {"Grove Academy": 5_000.0}
    assert finance.revenue_budget == config.budget.revenue


def test_a_meeting_with_no_cases_still_has_cover_agenda_finance_and_reviews(
    config: Config, tmp_path: Path
) -> None:
    made = make_pack(config, 0)
    path = build_bundle(made.pack, config, made.load, tmp_path, edition="full")
    text = " ".join(" ".join(_texts(path)).split())
    assert "No cases on this agenda." in text
    assert "5. Reviews due" in text and "CC-2526-0901" in text


def test_rebuilding_keeps_a_filled_decision_log_and_writes_the_new_one_beside_it(
    config: Config, tmp_path: Path
) -> None:
    made = make_pack(config, 2, word_originals=0, scanned=0)
    *_, log = build_meeting_outputs(made.pack, config, made.load, tmp_path)
    workbook = load_workbook(log)
    workbook["Decisions"].cell(row=2, column=6, value="Deferred")
    workbook.save(log)
    filled = log.read_bytes()
    *_, again = build_meeting_outputs(made.pack, config, made.load, tmp_path)
    assert log.read_bytes() == filled
    assert again.name == "decision-log-2.xlsx"
