"""What the golden test compares: every submission's JSON, the tracker's rows and the report's
text, after one run over the golden corpus, with the run's own timestamps taken out."""

from __future__ import annotations

import json
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from openpyxl import load_workbook

from pipeline.config import Config
from pipeline.runner import open_context, run_inbox, write_reports

HERE = Path(__file__).resolve().parent
EMAILS = HERE / "emails"
EXPECTED = HERE / "expected.json"
# The moment of the run (report header, tracker stamp) is the only thing allowed to differ.
RUN_MOMENT = re.compile(
    r"\b\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2})?(\.\d+)?(Z|[+-]\d{2}:?\d{2})?"
    r"|\b\d{1,2} [A-Z][a-z]+ \d{4} at \d{2}:\d{2}"
)


def run_golden(config: Config) -> dict[str, Any]:
    for path in sorted(EMAILS.glob("*.eml")):
        shutil.copy(path, config.paths.inbox / path.name)
    with open_context(config) as ctx:
        run_inbox(ctx)
        write_reports(ctx)
    outbox = config.paths.outbox
    return {
        "submissions": _submissions(outbox / "submissions"),
        "tracker": _tracker(outbox / "tracker.xlsx"),
        "report": _report_text(outbox / "report.html"),
    }


def _submissions(folder: Path) -> dict[str, Any]:
    return {p.stem: json.loads(p.read_text("utf-8")) for p in sorted(folder.glob("*.json"))}


def _tracker(path: Path) -> dict[str, list[list[str]]]:
    book = load_workbook(path, read_only=True)
    sheets = {
        sheet.title: [[_cell(v) for v in row] for row in sheet.iter_rows(values_only=True)]
        for sheet in book.worksheets
    }
    book.close()
    return sheets


def _cell(value: object) -> str:
    return "" if value is None else RUN_MOMENT.sub("<now>", str(value))


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.lines: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._skip += tag in ("style", "script")

    def handle_endtag(self, tag: str) -> None:
        self._skip -= tag in ("style", "script")

    def handle_data(self, data: str) -> None:
        text = " ".join(data.split())
        if text and not self._skip:
            self.lines.append(text)


def _report_text(path: Path) -> list[str]:
    parser = _Text()
    parser.feed(path.read_text("utf-8"))
    return [RUN_MOMENT.sub("<now>", line) for line in parser.lines]
