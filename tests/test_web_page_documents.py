"""A form that is a web page under an Office name is read as the form it is: Word's "save as
web page" kept as .doc, a school system's HTML export named .doc or .xls, Word's and Excel's
2003 XML under the old names. The pages are made here by LibreOffice from the generated
forms; converting one never fetches what it links to on the internet."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any, ClassVar

import pytest
from records import codes, run_one
from test_containers import form_fields, needs_libreoffice

from pipeline.config import Config
from pipeline.read import read_document
from testkit.corpus import libreoffice
from testkit.samples import sample
from testkit.samples.email_message import attachments, email_bytes

# LibreOffice's own export filters for a web page of a text document and of a sheet
WEB_PAGE = {".docx": "html:HTML (StarWriter)", ".xlsx": "html:HTML (StarCalc)"}
OFFICE_2003_XML = {".docx": "xml:MS Word 2003 XML", ".xlsx": "xml:MS Excel 2003 XML"}


def resaved(
    files: list[tuple[str, bytes]],
    folder: Path,
    suffix: str,
    filters: dict[str, str],
    new_suffix: str,
) -> list[tuple[str, bytes]]:
    """The attachments, with the one ending ``suffix`` converted by ``filters`` and sent under
    its old name with ``new_suffix`` (what the school's system called it)."""
    name, data = next((n, d) for n, d in files if n.endswith(suffix))
    source = folder / f"original{suffix}"
    source.write_bytes(data)
    (converted,) = libreoffice.convert([source], filters[suffix], folder / "converted")
    renamed = (name.removesuffix(suffix) + new_suffix, converted.read_bytes())
    return [renamed if n == name else (n, d) for n, d in files]


def both_ways(
    config: Config, tmp_path: Path, index: int, suffix: str, filters: dict[str, str], as_: str
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The record of the referral as generated, and as sent with one file resaved."""
    needs_libreoffice()
    referral = sample(index, "clean", config)
    files = attachments(referral)
    elsewhere = config.under(tmp_path / "direct")
    elsewhere.paths.inbox.mkdir(parents=True)
    direct = run_one(elsewhere, "direct.eml", email_bytes(referral, files))
    changed = resaved(files, tmp_path, suffix, filters, as_)
    return direct, run_one(config, "resaved.eml", email_bytes(referral, changed))


def test_a_referral_saved_as_a_web_page_under_a_doc_name_is_read_as_the_form(
    config: Config, tmp_path: Path
) -> None:
    direct, record = both_ways(config, tmp_path, 4, ".docx", WEB_PAGE, ".doc")
    assert form_fields(record)["ipn_referral"] == form_fields(direct)["ipn_referral"]
    assert "unrecognised_document" not in codes(record)
    assert record["status"] == direct["status"] == "complete"


def test_a_provision_map_exported_as_html_under_an_xls_name_is_read_as_the_map(
    config: Config, tmp_path: Path
) -> None:
    direct, record = both_ways(config, tmp_path, 5, ".xlsx", WEB_PAGE, ".xls")
    shown, original = (form_fields(r)["provision_map"] for r in (record, direct))
    assert shown.keys() == original.keys()
    for field, value in original.items():  # a page shows amounts to the penny
        assert shown[field] == (pytest.approx(value, abs=0.011) if _money(value) else value)
    assert "missing_document" not in codes(record)
    assert record["status"] == "complete"


def _money(value: object) -> bool:
    return isinstance(value, float)


@pytest.mark.parametrize("suffix, as_", [(".docx", ".doc")])
def test_a_form_in_office_2003_xml_under_an_old_office_name_is_read_as_the_form(
    config: Config, tmp_path: Path, suffix: str, as_: str
) -> None:
    direct, record = both_ways(config, tmp_path, 6, suffix, OFFICE_2003_XML, as_)
    assert form_fields(record) == form_fields(direct)
    assert record["status"] == "complete"


class _Counting(http.server.BaseHTTPRequestHandler):
    asked: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        _Counting.asked.append(self.path)
        self.send_response(404)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def web_server() -> Iterator[str]:
    """A loopback web server that counts what is asked of it; its address."""
    _Counting.asked = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Counting)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()
    thread.join()


def test_reading_a_web_page_form_fetches_nothing_it_links_to(web_server: str) -> None:
    needs_libreoffice()
    at = web_server
    page = (
        f"<html><head><link rel=stylesheet href='{at}/style.css'>"
        f"<style>@import url({at}/more.css); body {{ background: url('{at}/bg.png') }}</style>"
        "</head><body><h1>Individual Pupil Need Referral Form</h1>"
        f'<img src="{at}/pixel.png"><table><tr><td>Forename</td><td>Sam</td></tr>'
        f"<tr><td>Professionals involved</td><td>See {at}/notes</td></tr></table>"
        f"<iframe src='{at}/frame.html'></iframe></body></html>"
    )

    read = read_document(page.encode(), "Referral.doc", "0" * 64)

    assert read is not None
    assert _Counting.asked == []
    texts = [cell.text for grid in read.grids for row in grid.rows for cell in row]
    assert "Sam" in texts
    assert f"See {at}/notes" in texts  # an address the school typed is its answer, kept
