"""Hostile input: every kind of the hostile corpus, through the real pipeline, beside clean mail.

Table-driven over :func:`testkit.reliability.hostile.corpus`: each kind gets the finding it
should (or is processed safely), the clean emails around it are processed normally, nothing
is written outside the outbox and var folders, and blocked files never reach a parser.
"""

from __future__ import annotations

import json
import tracemalloc
from pathlib import Path

import pytest

from pipeline.config import Config, load_config
from pipeline.read import Unreadable, read_document
from pipeline.read.active_content import ActiveContent, check_program
from pipeline.read.pdf import MAX_PAGES
from pipeline.read.xlsx import read_xlsx
from pipeline.read.zipguard import ZipBomb, check_zip
from pipeline.sandbox import Limits, ParserPool, guarded_read
from testkit.reliability import files
from testkit.reliability.hostile import corpus
from testkit.reliability.trials import HostileResult, hostile_trial


@pytest.fixture(scope="module")
def trial(
    tmp_path_factory: pytest.TempPathFactory, shipped_config: Config
) -> tuple[HostileResult, Path, list[str]]:
    root = tmp_path_factory.mktemp("hostile")
    config = shipped_config.model_copy(
        update={"intake": shipped_config.intake.model_copy(update={"max_attachment_mb": 2})}
    )
    opened: list[str] = []
    real = ParserPool.read

    def spy(pool: ParserPool, data: bytes, name: str, sha: str) -> object:
        opened.append(name)
        return real(pool, data, name, sha)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(ParserPool, "read", spy)
        result = hostile_trial(config, root)
    return result, root, opened


ROOT = Path(__file__).resolve().parent.parent
KINDS = sorted(
    {h.kind for h in corpus(load_config(ROOT / "config.toml"), huge=False)}
    | {"oversize_attachment"}
)


@pytest.mark.parametrize("kind", KINDS)
def test_each_hostile_kind_gets_its_finding_without_crashing_or_hanging(
    trial: tuple[HostileResult, Path, list[str]], kind: str
) -> None:
    result = next(k for k in trial[0].kinds if k.kind == kind)
    assert result.tried >= 1
    assert (result.crashed, result.hung) == (0, 0)
    assert result.as_expected == result.tried, [p for p in trial[0].problems if kind in p]


def test_clean_emails_around_the_hostile_ones_are_processed_normally(
    trial: tuple[HostileResult, Path, list[str]],
) -> None:
    result = trial[0]
    assert result.clean_crashed == 0
    assert result.clean_normal == result.clean_tried


def test_nothing_is_written_outside_the_outbox_and_var(
    trial: tuple[HostileResult, Path, list[str]],
) -> None:
    root = trial[1]
    assert sorted(p.name for p in root.iterdir()) == ["inbox", "outbox", "var"]
    assert not Path("/tmp/evil.docx").exists()
    names = {p.name for p in (root / "outbox" / "submissions").iterdir()}
    assert all(name.endswith(".json") and "/" not in name for name in names)


def test_blocked_files_never_reach_a_parser(trial: tuple[HostileResult, Path, list[str]]) -> None:
    opened = trial[2]
    assert opened, "the spy saw no document at all"
    blocked = ("docm", "xlsm", ".exe", ".js", "cod.exe", "EXE")
    assert not [name for name in opened if name.rstrip(". ").endswith(blocked)]


def test_same_message_id_with_different_content_is_processed_twice(
    trial: tuple[HostileResult, Path, list[str]],
) -> None:
    result = next(k for k in trial[0].kinds if k.kind == "same_message_id")
    assert (result.tried, result.as_expected) == (2, 2)


def test_findings_say_why_in_words_the_school_can_act_on(
    trial: tuple[HostileResult, Path, list[str]],
) -> None:
    messages = [
        f["message"]
        for path in (trial[1] / "outbox" / "submissions").iterdir()
        for f in json.loads(path.read_text())["findings"]
        if f["code"] == "unreadable_document"
    ]
    for words in ("password protected", "entity declarations", "zip bomb", "larger than the 2"):
        assert any(words in m for m in messages), words


def test_entity_declarations_are_refused_before_any_parser() -> None:
    for data in (files.entity_docx(), files.entity_docx(external=True), files.entity_xlsx()):
        with pytest.raises(ZipBomb, match="entity declarations"):
            check_zip(data, max_unzipped_mb=200, max_ratio=200)


def test_utf16_entity_declarations_are_refused_too() -> None:
    body = '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE a [<!ENTITY x "y">]><a>&x;</a>'
    data = files.rezip(files.plain_docx(), {"word/document.xml": body.encode("utf-16")})
    with pytest.raises(ZipBomb, match="entity declarations"):
        check_zip(data, max_unzipped_mb=200, max_ratio=200)


def test_openpyxl_alone_refuses_a_worksheet_entity_bomb() -> None:
    """Defence in depth: without our scan, openpyxl (with defusedxml) still refuses it."""
    with pytest.raises(Exception) as raised:  # openpyxl wraps the real cause
        read_xlsx(files.entity_xlsx(), "x.xlsx", "0" * 64)
    chain: list[BaseException] = []
    error: BaseException | None = raised.value
    while error is not None:
        chain.append(error)
        error = error.__cause__ or error.__context__
    assert any(type(e).__name__ == "EntitiesForbidden" for e in chain), chain


def test_a_workbook_with_macros_is_refused_whatever_it_is_called() -> None:
    with pytest.raises(ActiveContent, match="contains macros"):
        check_zip(files.with_macros(files.plain_xlsx()), max_unzipped_mb=200, max_ratio=200)


def test_a_program_named_as_a_pdf_is_refused_before_any_parser() -> None:
    limits = Limits(timeout=10, memory_mb=512, max_unzipped_mb=200, max_zip_ratio=200)
    with pytest.raises(ActiveContent, match="is a program"):
        guarded_read(files.windows_program(), "Report.pdf", "0" * 64, limits)


def test_a_text_that_starts_with_mz_is_not_taken_for_a_program() -> None:
    check_program(b"MZ Smith asked for the provision map to be sent again.")


def test_zip_bombs_are_refused_without_being_expanded() -> None:
    # The bombs expand to hundreds of MB; refusing them may not cost more than a few MB.
    for data in (
        files.zip_bomb(files.plain_docx(), "word/document.xml", 300),
        files.zip_bomb(files.plain_xlsx(), "xl/worksheets/sheet1.xml", 60),
        files.many_members(files.plain_docx()),
    ):
        tracemalloc.start()
        try:
            with pytest.raises(ZipBomb, match="zip bomb"):
                check_zip(data, max_unzipped_mb=200, max_ratio=200)
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
        assert peak < 16 * files.MB


def test_encrypted_office_and_pdf_files_are_password_protected() -> None:
    for data, name in (
        (files.encrypted_office(files.plain_docx()), "a.docx"),
        (files.encrypted_office(files.plain_xlsx()), "a.xlsx"),
        (files.encrypted_pdf(), "a.pdf"),
    ):
        with pytest.raises(Unreadable, match="password protected"):
            read_document(data, name, "0" * 64)


def test_a_5000_page_pdf_is_read_only_up_to_the_page_limit() -> None:
    # Its time is the benchmark's business; what a test can prove is that the reader stops.
    document = read_document(files.long_pdf(5000), "long.pdf", "0" * 64)
    assert document is not None
    assert document.paragraphs[0].location.startswith("page 1,")
    assert document.paragraphs[-1].location.startswith(f"page {MAX_PAGES},")


def test_oversize_attachment_is_stored_but_not_parsed(config: Config) -> None:
    from pipeline.sandbox import Limits, ParserPool

    small = config.intake.model_copy(update={"max_attachment_mb": 1})
    pool = ParserPool(Limits.of(small))
    try:
        with pytest.raises(Unreadable, match="larger than the 1 MB the cluster accepts"):
            pool.read(b"%PDF" + bytes(2 * files.MB), "scan.pdf", "0" * 64)
    finally:
        pool.close()
