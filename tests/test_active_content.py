"""No active content in any bundle: a school's PDF with scripts, actions, links, attachments
and form fields goes into both editions rebuilt without them, and says what was removed."""

from __future__ import annotations

import hashlib
import io
import shutil
import subprocess
from pathlib import Path

import pikepdf
import pytest
from meeting_fixtures import make_pack
from reportlab.pdfgen.canvas import Canvas

from pipeline.config import Config
from pipeline.meetings.bundle import build_meeting_outputs
from pipeline.models import ExtractedDocument

ACTIVE = ("/JS", "/JavaScript", "/OpenAction", "/AA", "/Launch", "/EmbeddedFile")


def hostile_pdf() -> bytes:
    """A one-page report with a page-open script, an open action, a launch link, a web link,
    an attached file and a fillable field holding text."""
    out = io.BytesIO()
    canvas = Canvas(out)
    canvas.drawString(72, 760, "Occupational therapy report: fine motor skills are improving.")
    canvas.acroForm.textfield(name="note", value="Typed into the form", x=72, y=600, width=300)
    canvas.showPage()
    canvas.save()
    pdf = pikepdf.open(io.BytesIO(out.getvalue()))
    script = pdf.make_indirect(
        pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS=pikepdf.String("app.alert('hi')"))
    )
    page = pdf.pages[0].obj
    page.AA = pikepdf.Dictionary(O=script)
    pdf.Root.OpenAction = script
    pdf.Root.Names = pikepdf.Dictionary(
        JavaScript=pikepdf.Dictionary(Names=pikepdf.Array([pikepdf.String("a"), script]))
    )
    pdf.attachments["notes.txt"] = pikepdf.AttachedFileSpec(pdf, b"attached notes")
    links = [
        pikepdf.Dictionary(S=pikepdf.Name.URI, URI=pikepdf.String("https://example.com/x")),
        pikepdf.Dictionary(S=pikepdf.Name.Launch, F=pikepdf.String("calc.exe")),
    ]
    for number, action in enumerate(links):
        link = pikepdf.Dictionary(
            Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.Link, A=action,
            Rect=pikepdf.Array([72, 700 - 20 * number, 200, 715 - 20 * number]),
        )  # fmt: skip
        page.Annots.append(pdf.make_indirect(link))
    data = io.BytesIO()
    pdf.save(data)
    return data.getvalue()


@pytest.fixture(scope="module")
def editions(shipped_config: Config, tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    made = make_pack(shipped_config, 2, word_originals=0, scanned=0)
    data = hostile_pdf()
    sha = hashlib.sha256(data).hexdigest()
    made.store[sha] = data
    report = ExtractedDocument(filename="OT report.pdf", sha256=sha, kind="supporting")
    first = made.pack.cases[0]
    cases = (first.model_copy(update={"documents": (*first.documents, report)}),
             *made.pack.cases[1:])  # fmt: skip
    pack = made.pack.model_copy(update={"cases": cases})
    out = tmp_path_factory.mktemp("active")
    panel, full, _ = build_meeting_outputs(pack, shipped_config, made.load, out)
    return [panel, full]


def _active_keys(path: Path) -> list[str]:
    found = []
    with pikepdf.open(path) as pdf:
        for obj in pdf.objects:
            if isinstance(obj, pikepdf.Dictionary | pikepdf.Stream):
                found += [key for key in ACTIVE if key in obj]
                if obj.get("/S") in (pikepdf.Name.JavaScript, pikepdf.Name.Launch):
                    found.append(str(obj.get("/S")))
        for page in pdf.pages:
            for annotation in page.obj.get("/Annots") or []:
                action = annotation.get("/A")
                if action is not None and action.get("/S") != pikepdf.Name.GoTo:
                    found.append(f"link {action.get('/S')}")
    return found


def test_no_script_action_or_attachment_is_left_in_either_edition(editions: list[Path]) -> None:
    assert {path.name: _active_keys(path) for path in editions} == {
        "bundle-panel.pdf": [],
        "bundle-full.pdf": [],
    }


@pytest.mark.skipif(shutil.which("qpdf") is None, reason="qpdf is not installed")
def test_both_editions_pass_qpdf_check(editions: list[Path]) -> None:
    for path in editions:
        result = subprocess.run(["qpdf", "--check", str(path)], capture_output=True, text=True)
        assert result.returncode == 0, result.stdout + result.stderr


def test_the_report_is_kept_with_its_form_text_and_its_line_says_what_was_removed(
    editions: list[Path],
) -> None:
    for path in editions:
        with pikepdf.open(path) as pdf:
            assert "/AcroForm" not in pdf.Root
        text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True)
        words = " ".join(text.stdout.split())
        assert "Occupational therapy report: fine motor skills are improving." in words
        assert "Typed into the form" in words
        assert "Removed from the file:" in words
        assert "JavaScript" in words and "embedded files" in words
