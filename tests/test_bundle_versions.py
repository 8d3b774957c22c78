"""Versions of a bundle as the panel sees them: the cover's issue date and version, and a
rebuild after issue that adds late papers at the end without moving an earlier page."""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from meeting_fixtures import FixturePack, make_pack
from test_bundle_links import links

from pipeline.config import Config
from pipeline.meetings.bundle import build_meeting_outputs
from pipeline.meetings.models import MeetingPack

ISSUED = date(2025, 11, 27)
LATE = date(2025, 12, 3)
FOOT = re.compile(r"Page \d+ of \d+")
REPORT = "Educational psychology report.pdf"


@dataclass(frozen=True)
class Versions:
    made: FixturePack
    first: dict[str, list[str]]  # edition -> page texts of version 1
    second: dict[str, list[str]]  # the same after the late papers
    paths: dict[str, Path]
    late_case: str
    late_report_of: str


def pages(path: Path) -> list[str]:
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True)
    return text.stdout.split("\f")[:-1]


def _issued_pack(pack: MeetingPack) -> MeetingPack:
    """The pack as it stood at issue: no last case, and the first case without its EP report."""
    first, *middle, _ = pack.cases
    documents = tuple(d for d in first.documents if d.filename != REPORT)
    cases = (first.model_copy(update={"documents": documents}), *middle)
    return pack.model_copy(update={"cases": cases})


@pytest.fixture(scope="module")
def versions(shipped_config: Config, tmp_path_factory: pytest.TempPathFactory) -> Versions:
    made = make_pack(shipped_config, 5, word_originals=0, scanned=0)
    out = tmp_path_factory.mktemp("versions")
    issued = _issued_pack(made.pack)
    panel, full, _ = build_meeting_outputs(issued, shipped_config, made.load, out, today=ISSUED)
    first = {"panel": pages(panel), "full": pages(full)}
    build_meeting_outputs(made.pack, shipped_config, made.load, out, today=LATE)
    second = {"panel": pages(panel), "full": pages(full)}
    return Versions(
        made, first, second, {"panel": panel, "full": full},
        made.pack.cases[-1].case_ref, made.pack.cases[0].case_ref,
    )  # fmt: skip


def test_the_cover_gives_the_issue_date_and_version_1(versions: Versions) -> None:
    for texts in versions.first.values():
        cover = " ".join(texts[0].split())
        assert "Version 1, issued 27 November 2025" in cover


def test_the_cover_of_a_rebuild_gives_version_2_and_what_changed(versions: Versions) -> None:
    for texts in versions.second.values():
        cover = " ".join(texts[0].split())
        assert "Version 2, issued 3 December 2025" in cover
        assert "version 1 was issued 27 November 2025" in cover
        assert f"{versions.late_case}, a new case on the agenda" in cover
        assert f"{versions.late_report_of}, 1 late document" in cover


def test_a_rebuild_keeps_every_issued_page_where_it_was(versions: Versions) -> None:
    for edition, before in versions.first.items():
        after = versions.second[edition]
        assert len(after) > len(before)
        for number in range(1, len(before)):
            assert FOOT.sub("", after[number]) == FOOT.sub("", before[number]), (edition, number)


def test_late_papers_are_in_a_late_additions_section_at_the_end(versions: Versions) -> None:
    for edition, before in versions.first.items():
        late = " ".join(" ".join(versions.second[edition][len(before) :]).split())
        assert late.startswith("Late additions: version 2") or "Late additions: version 2" in late
        assert f"{versions.late_case}: case summary" in late
        assert f"{versions.late_report_of}: case summary" in late
        assert "Educational psychology report (page 1)" in late


def test_every_page_of_a_rebuild_has_one_foot_with_the_new_total(versions: Versions) -> None:
    for texts in versions.second.values():
        feet = [FOOT.findall(text) for text in texts]
        total = len(texts)
        assert feet == [[f"Page {n} of {total}"] for n in range(1, total + 1)]


def test_late_additions_index_links_open_each_late_case(versions: Versions) -> None:
    for edition, before in versions.first.items():
        texts = versions.second[edition]
        start = len(before)
        opened = {link.target for link in links(versions.paths[edition]) if link.page == start}
        summaries = {
            ref: next(n for n, t in enumerate(texts) if f"{ref}: case summary" in t and n >= start)
            for ref in (versions.late_case, versions.late_report_of)
        }
        assert set(summaries.values()) <= opened, (edition, summaries, opened)


def test_a_late_report_in_the_panel_edition_is_redacted_with_what_its_case_knows(
    versions: Versions,
) -> None:
    pupil = versions.made.pack.cases[0].pupil
    assert pupil is not None and pupil.surname and pupil.upn
    late = "\n".join(versions.second["panel"][len(versions.first["panel"]) :])
    assert "Educational psychology report (page 2)" in late
    assert pupil.surname not in late and pupil.upn not in late
    full = "\n".join(versions.second["full"][len(versions.first["full"]) :])
    assert pupil.surname in full


def test_a_rebuild_with_nothing_new_leaves_the_bundles_as_they_were(
    versions: Versions, shipped_config: Config
) -> None:
    before = {name: path.read_bytes() for name, path in versions.paths.items()}
    out = versions.paths["full"].parent
    build_meeting_outputs(versions.made.pack, shipped_config, versions.made.load, out)
    assert {name: path.read_bytes() for name, path in versions.paths.items()} == before


@pytest.mark.skipif(shutil.which("qpdf") is None, reason="qpdf is not installed")
def test_both_editions_of_a_rebuild_pass_qpdf_check(versions: Versions) -> None:
    for path in versions.paths.values():
        result = subprocess.run(["qpdf", "--check", str(path)], capture_output=True, text=True)
        assert result.returncode == 0, result.stdout + result.stderr


@pytest.fixture(scope="module")
def moved_off(shipped_config: Config, tmp_path_factory: pytest.TempPathFactory) -> Versions:
    """Issued with five cases; the middle one is then moved to another meeting."""
    made = make_pack(shipped_config, 5, word_originals=0, scanned=0)
    out = tmp_path_factory.mktemp("moved-off")
    panel, full, _ = build_meeting_outputs(made.pack, shipped_config, made.load, out, today=ISSUED)
    first = {"panel": pages(panel), "full": pages(full)}
    moved = made.pack.cases[2]
    remaining = tuple(c for c in made.pack.cases if c.case_ref != moved.case_ref)
    after = made.pack.model_copy(update={"cases": remaining})
    build_meeting_outputs(after, shipped_config, made.load, out, today=LATE)
    second = {"panel": pages(panel), "full": pages(full)}
    return Versions(made, first, second, {"panel": panel, "full": full}, moved.case_ref, "")


def test_a_case_moved_off_the_agenda_after_issue_is_named_on_the_next_versions_cover(
    moved_off: Versions,
) -> None:
    for texts in moved_off.second.values():
        cover = " ".join(texts[0].split())
        assert "Version 2, issued 3 December 2025" in cover
        assert f"{moved_off.late_case} is no longer on this meeting's agenda" in cover


def test_the_issued_pages_of_a_case_moved_off_the_agenda_say_it_is_not_for_decision(
    moved_off: Versions,
) -> None:
    for edition, texts in moved_off.second.items():
        kept = texts[1 : len(moved_off.first[edition])]
        of_case = [
            t for t in kept if f"Case {moved_off.late_case}" in t or moved_off.late_case in t
        ]
        assert of_case
        withdrawn = [t for t in of_case if "Not for decision at this meeting" in t]
        assert withdrawn, "no page of the moved case carries the notice"
