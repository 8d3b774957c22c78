"""Only a PDF that may be a cluster form gets layout analysis (pdfplumber's words, lines and
tables); a professional's report or a newsletter is read from its plain text, and is still
classified a supporting document."""

from __future__ import annotations

import io
import random
from collections.abc import Callable
from typing import Any

import pytest
from reportlab.pdfgen.canvas import Canvas

from pipeline.config import Config
from pipeline.extract.classify import SUPPORTING, classify
from pipeline.read import pdf, read_document
from schemas import FORMS, DocumentKind, ProvisionMap, specs
from testkit.corpus.generate import FORM_LAYOUTS
from testkit.corpus.values import truth_for
from testkit.samples import make_referral
from testkit.samples.supporting import render_supporting_pdf

SHA = "0" * 64
FORM_KINDS = [kind for kind, form in FORMS.items() if form is not ProvisionMap]
TEXT_LAYOUTS = ["pdf-text-reportlab", "pdf-lines-reportlab"]


@pytest.fixture
def layout_reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The PDFs opened for layout analysis (pdfplumber), by their first bytes' length."""
    opened: list[str] = []
    real: Callable[..., Any] = pdf.pdfplumber.open

    def spy(source: Any, *args: Any, **kwargs: Any) -> Any:
        opened.append("opened")
        return real(source, *args, **kwargs)

    monkeypatch.setattr(pdf.pdfplumber, "open", spy)
    return opened


@pytest.mark.parametrize("layout", TEXT_LAYOUTS)
@pytest.mark.parametrize("kind", FORM_KINDS)
def test_every_cluster_form_as_a_pdf_is_laid_out_and_classified_as_itself(
    kind: DocumentKind, layout: str, config: Config, layout_reads: list[str]
) -> None:
    form = FORMS[kind]
    render, _ = FORM_LAYOUTS[layout]
    data = render(form, truth_for(form, random.Random(f"triage:{kind}"), config), 1)

    read = read_document(data, "form.pdf", SHA)

    assert read is not None and layout_reads == ["opened"]
    assert classify(read) is kind


def test_a_form_without_its_title_is_laid_out_when_its_labels_are_there(
    layout_reads: list[str],
) -> None:
    form = FORMS[DocumentKind.ipn_referral]
    buffer = io.BytesIO()
    canvas = Canvas(buffer)
    for n, spec in enumerate(s for s in specs(form) if s.required):
        canvas.drawString(72, 800 - 14 * (n % 50), f"{spec.labels[0]}: x")
        if n % 50 == 49:
            canvas.showPage()
    canvas.save()

    read = read_document(buffer.getvalue(), "untitled.pdf", SHA)

    assert read is not None and layout_reads == ["opened"]
    assert classify(read) is DocumentKind.ipn_referral


def test_a_professionals_report_is_read_from_its_text_without_layout_analysis(
    config: Config, layout_reads: list[str]
) -> None:
    referral = make_referral(random.Random("triage report"), config)

    read = read_document(render_supporting_pdf(referral), "Report.pdf", SHA)

    assert read is not None and layout_reads == []
    assert read.paragraphs[0].text == referral.supporting_title
    assert read.paragraphs[0].location == "page 1, line 1"
    assert classify(read) is SUPPORTING
