"""pdftoppm at the edge: the first pages of a PDF as PNG pictures (for the README's docs/)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from pipeline.errors import PipelineError

RESOLUTION = 80  # dots per inch: an A4 page is about 660 x 935 pixels
TIMEOUT = 120.0


class PreviewError(PipelineError):
    """pdftoppm is missing or failed."""


def pdftoppm() -> str | None:
    return shutil.which("pdftoppm")


def render_preview(
    pdf: Path, out_dir: Path, pages: int = 3, *, resolution: int = RESOLUTION
) -> list[Path]:
    """PNG pictures of the first ``pages`` pages of ``pdf``, written to ``out_dir``.

    The files are named after the PDF: ``bundle-panel-1.png``, ``bundle-panel-2.png`` ...
    """
    program = pdftoppm()
    if program is None:
        raise PreviewError(
            "pdftoppm is not installed; install poppler-utils (apt-get install poppler-utils)"
        )
    out_dir.mkdir(parents=True, exist_ok=True)
    prefix = out_dir / pdf.stem
    command = [program, "-png", "-r", str(resolution), "-f", "1", "-l", str(pages)]
    try:
        done = subprocess.run(
            [*command, str(pdf), str(prefix)], capture_output=True, timeout=TIMEOUT, check=False
        )
    except subprocess.TimeoutExpired:
        raise PreviewError(f"pdftoppm took longer than {TIMEOUT:.0f} seconds") from None
    if done.returncode != 0:
        message = done.stderr.decode(errors="replace").strip()
        raise PreviewError(f"pdftoppm could not render {pdf.name}: {message}")
    return sorted(out_dir.glob(f"{pdf.stem}-*.png"), key=_page_number)


def _page_number(path: Path) -> int:
    return int(path.stem.rsplit("-", 1)[1])
