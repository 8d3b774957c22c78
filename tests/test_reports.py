"""The admin's reports: what the cluster admin sees in the HTML report and in the tracker."""

from __future__ import annotations

import re
import zipfile
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from pipeline.config import Config
from pipeline.extract.form import read_located
from pipeline.extract.labels import Located
from pipeline.models import (
    ExtractedDocument,
    Finding,
    Line,
    Provenance,
    RequestType,
    Severity,
    Status,
    Submission,
)
from pipeline.outcomes import Decision, DecisionKind
from pipeline.reports import write_html_report, write_tracker
from pipeline.reports.wording import format_value
from schemas import IpnReferral, ProvisionLine, ProvisionMap, Record
from schemas.types import Kind

BST = timezone(timedelta(hours=1))
GENERATED_AT = datetime(2025, 10, 2, 16, 0, tzinfo=BST)
MISSING_VIEWS = (
    "The Parent/carer views box is empty: ask the parent or carer for their views "
    "and send the form again."
)
SHORT_CHILD_VIEWS = "The child's views are only 6 words; the panel expects at least 20."
UNKNOWN_SENDER = "This email came from a.stranger@gmail.com, which is not a cluster address."


def _located(document: str, values: dict[str, Any]) -> dict[str, Located]:
    """Each value as a reader finds it beside its label, a row of table 1 each."""
    return {
        field: Located(str(value), value, Provenance(document=document, location=where))
        for row, (field, value) in enumerate(values.items(), start=1)
        if (where := f"table 1, row {row}, cell 2")
    }


def _read(form: type[Record], located: dict[str, Located]) -> dict[str, Any]:
    """The form's values and where each came from, read as extraction reads them."""
    values, fields = read_located(form, located)
    return {"form": values, "fields": fields}


def _complete_ipn() -> Submission:
    referral, provision = "IPN referral - JS.docx", "Provision map - JS.xlsx"
    line = {
        field: Located(
            str(value), value, Provenance(document=provision, location=f"Provision!{c}12")
        )
        for field, value, c in (
            ("area_of_need", "Communication and interaction", "A"),
            ("provision", "Speech and language group", "B"),
            ("staff_role", "Teaching assistant", "C"),
            ("group_size", 3, "D"),
            ("sessions_per_week", 2.0, "E"),
            ("minutes_per_session", 30.0, "F"),
            ("weeks", 39.0, "G"),
            ("hourly_rate", 18.5, "H"),
            ("annual_cost", 721.5, "I"),
        )
    }
    line_values, line_fields = read_located(ProvisionLine, line)
    return Submission(
        submission_id="m-0007-a1b2c3",
        case_ref="CC-2526-0007",
        received_at=datetime(2025, 9, 30, 10, 12, tzinfo=BST),
        sender="senco@abbeyhulton.example.sch.uk",
        subject="IPN referral for JS",
        request_type=RequestType.ipn,
        status=Status.complete,
        meeting=date(2025, 10, 16),
        setting="Abbey Hulton Primary School",
        pupil_initials="JS",
        documents=(
            ExtractedDocument(
                filename=referral,
                sha256="3f2a9c1b0d4e" + "0" * 52,
                kind="ipn_referral",
                **_read(
                    IpnReferral,
                    _located(
                        referral,
                        {
                            "setting_name": "Abbey Hulton Primary School",
                            "pupil_forename": "Jayden",
                            "pupil_surname": "Smithson",
                            "date_of_birth": date(2015, 9, 3),
                            "looked_after": False,
                            "attendance_percent": 92.5,
                            "amount_requested": 4250.0,
                        },
                    ),
                ),
            ),
            ExtractedDocument(
                filename=provision,
                sha256="9b8c7d6e5f40" + "1" * 52,
                kind="provision_map",
                **_read(
                    ProvisionMap,
                    _located(provision, {"pupil_name": "Jayden Smithson", "total_cost": 10250.0}),
                ),
                lines=(Line(values=line_values, fields=line_fields),),
            ),
        ),
        findings=(),
    )


def _incomplete_ipn() -> Submission:
    referral = "IPN referral - AB.docx"
    return Submission(
        submission_id="m-0008-d4e5f6",
        case_ref="CC-2526-0008",
        received_at=datetime(2025, 10, 1, 14, 30, tzinfo=BST),
        sender="senco@bircheshead.example.sch.uk",
        subject="Referral AB",
        request_type=RequestType.ipn,
        status=Status.incomplete,
        meeting=date(2025, 12, 11),
        setting="Birches Head Academy",
        pupil_initials="AB",
        documents=(
            ExtractedDocument(
                filename=referral,
                sha256="aa" * 32,
                kind="ipn_referral",
                **_read(
                    IpnReferral,
                    {
                        **_located(
                            referral,
                            {
                                "pupil_forename": "Amelia",
                                "pupil_surname": "Brightwater",
                                "support_in_place": "<script>alert('x')</script> small group work",
                            },
                        ),
                        "attendance_percent": Located(
                            "about ninety",
                            "about ninety",
                            Provenance(document=referral, location="table 2, row 1, cell 2"),
                        ),
                    },
                ),
            ),
        ),
        findings=(
            Finding(
                code="missing_field",
                severity=Severity.error,
                field="parent_views",
                document=referral,
                message=MISSING_VIEWS,
            ),
            Finding(
                code="short_narrative",
                severity=Severity.warning,
                field="child_views",
                document=referral,
                message=SHORT_CHILD_VIEWS,
            ),
        ),
    )


def _quarantined() -> Submission:
    return Submission(
        submission_id="m-0009-0a0b0c",
        case_ref=None,
        received_at=datetime(2025, 10, 2, 9, 5, tzinfo=BST),
        sender="a.stranger@gmail.com",
        subject="Please open",
        request_type=None,
        status=Status.quarantined,
        meeting=None,
        setting=None,
        pupil_initials=None,
        documents=(),
        findings=(Finding(code="unknown_sender", severity=Severity.error, message=UNKNOWN_SENDER),),
    )


def sample_submissions() -> list[Submission]:
    """A complete IPN, an incomplete one and a quarantined email, oldest first."""
    return [_complete_ipn(), _incomplete_ipn(), _quarantined()]


def sample_config(root: Path) -> Config:
    return Config.model_validate(
        {
            "cluster": {
                "name": "Central Cluster",
                "mailbox": "CentralCluster@stoke.gov.uk",
                "la_number": 861,
            },
            "paths": {
                "inbox": root / "inbox",
                "outbox": root / "outbox",
                "store": root / "store",
                "register_db": root / "register.sqlite",
            },
            "budget": {"revenue": 210000},
            "capital": {
                "fund_total": 175000,
                "per_setting_cap": 15000,
                "opens": "2025-09-01",
                "closes": "2025-12-31",
                "complete_by": "2026-08-31",
            },
            "meetings": {"dates": ["2025-10-16", "2025-12-11"]},
            "senders": {"accept_domains": ["stoke.gov.uk"]},
            "intake": {"blocked_extensions": [".exe"]},
            "settings": [],
        }
    )


@pytest.fixture
def report(tmp_path: Path) -> str:
    path = tmp_path / "outbox" / "report.html"
    write_html_report(path, sample_submissions(), sample_config(tmp_path), GENERATED_AT)
    return path.read_text(encoding="utf-8")


def part(html: str, pattern: str) -> str:
    found = re.search(pattern, html, re.S)
    assert found, f"the report has nothing like {pattern}"
    return found.group(0)


def summary_table(html: str) -> str:
    return part(html, r'<table class="summary">.*?</table>')


def summary_rows(html: str) -> list[str]:
    return re.findall(r"<tr>\s*<th scope=\"row\">.*?</tr>", summary_table(html), re.S)


def detail(html: str, case_ref: str) -> str:
    return part(html, rf'<section class="submission"[^>]*>\s*<h3[^>]*>{case_ref}.*?</section>')


def text(fragment: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", fragment))


# --- the HTML report ----------------------------------------------------------------------------


def test_report_lists_every_submission_with_its_status(report: str) -> None:
    rows = [text(row) for row in summary_rows(report)]
    assert len(rows) == 3
    assert any("CC-2526-0007" in r and "Complete" in r for r in rows)
    assert any("CC-2526-0008" in r and "Incomplete" in r for r in rows)
    assert any("No case reference" in r and "Quarantined" in r for r in rows)


def test_submissions_are_listed_newest_first(report: str) -> None:
    rows = [text(row) for row in summary_rows(report)]
    assert "Quarantined" in rows[0]
    assert "CC-2526-0008" in rows[1]
    assert "CC-2526-0007" in rows[2]


def test_each_summary_row_links_to_its_detail_section(report: str) -> None:
    for anchor in re.findall(r'href="#([^"]+)"', summary_table(report)):
        assert f'id="{anchor}"' in report


def test_summary_shows_request_type_in_words(report: str) -> None:
    assert "Individual Pupil Need" in text(summary_table(report))


def test_incomplete_submission_detail_shows_the_finding_sentence(report: str) -> None:
    section = text(detail(report, "CC-2526-0008"))
    assert "Must fix before panel" in section
    assert MISSING_VIEWS in section


def test_findings_name_the_field_by_its_form_label(report: str) -> None:
    section = text(detail(report, "CC-2526-0008"))
    assert "Field: Parent/carer views in IPN referral - AB.docx" in section
    assert "Panel should know" in section
    assert "Views of the child or young person" in section


def test_quarantined_submission_says_why(report: str) -> None:
    assert "Kept but not processed" in report
    assert UNKNOWN_SENDER in report


def test_summary_table_shows_pupil_initials_not_names(report: str) -> None:
    summary = summary_table(report)
    assert "JS" in text(summary)
    for name in ("Jayden", "Smithson", "Amelia", "Brightwater"):
        assert name not in summary


def test_report_is_self_contained(report: str) -> None:
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", report, re.I)
    assert "<script" not in report.lower().replace("&lt;script", "")
    assert not re.search(r"<link[^>]+stylesheet", report, re.I)
    assert "@import" not in report
    assert "url(" not in report


def test_values_are_formatted_for_people(report: str) -> None:
    section = text(detail(report, "CC-2526-0007"))
    assert "Date of birth 3 September 2015" in section
    assert "£4,250.00" in section
    assert "Child looked after (CLA) No" in section
    assert "92.5%" in section


def test_a_value_that_could_not_be_read_is_shown_as_written_with_the_reason(report: str) -> None:
    section = text(detail(report, "CC-2526-0008"))
    assert "about ninety Not accepted: &#39;about ninety&#39; is not a percentage" in section


def test_fields_show_where_each_value_came_from(report: str) -> None:
    assert "table 1, row 4, cell 2" in detail(report, "CC-2526-0007")


def test_provision_lines_are_a_table(report: str) -> None:
    section = text(detail(report, "CC-2526-0007"))
    assert "Provision / intervention" in section
    assert "Speech and language group" in section
    assert "£721.50" in section


def test_field_values_are_html_escaped(report: str) -> None:
    assert "<script>alert" not in report
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in report


def test_report_counts_statuses_and_findings(report: str) -> None:
    tallies = text(part(report, r'<ul class="tallies".*?</ul>'))
    for expected in (
        "3 Submissions",
        "1 Complete",
        "1 Incomplete",
        "1 Quarantined",
        "2 Errors",
        "1 Warnings",
    ):
        assert expected in tallies


def test_same_submissions_give_the_same_report(tmp_path: Path, report: str) -> None:
    again = tmp_path / "again.html"
    write_html_report(again, sample_submissions()[::-1], sample_config(tmp_path), GENERATED_AT)
    assert again.read_text(encoding="utf-8") == report


@pytest.mark.parametrize(
    ("value", "kind", "shown"),
    [
        (date(2015, 9, 3), Kind.date, "3 September 2015"),
        (1234.5, Kind.money, "£1,234.50"),
        (True, Kind.yesno, "Yes"),
        (False, Kind.yesno, "No"),
        (92.0, Kind.percent, "92%"),
        (39.0, Kind.number, "39"),
        (
            ("Access to nature", "Acoustic improvements"),
            Kind.list,
            "Access to nature; Acoustic improvements",
        ),
        (None, Kind.text, "Not given"),
    ],
)
def test_values_read_as_the_admin_writes_them(value: Any, kind: Kind, shown: str) -> None:
    assert format_value(value, kind) == shown


# --- the tracker --------------------------------------------------------------------------------


@pytest.fixture
def tracker(tmp_path: Path) -> Path:
    path = tmp_path / "outbox" / "tracker.xlsx"
    write_tracker(path, sample_submissions(), GENERATED_AT)
    return path


def test_tracker_has_one_row_per_submission(tracker: Path) -> None:
    sheet = load_workbook(tracker)["Submissions"]
    rows = list(sheet.values)
    assert rows[0] == (
        "Case ref",
        "Submission id",
        "Received",
        "Sender",
        "Request type",
        "Setting",
        "Pupil initials",
        "Meeting",
        "Status",
        "Errors",
        "Warnings",
        "Amount requested (£)",
        "Decision",
        "Amount agreed (£)",
        "Committed (£)",
        "What needs fixing",
    )
    assert [row[0] for row in rows[1:]] == ["No case reference", "CC-2526-0008", "CC-2526-0007"]
    assert rows[2][8:11] == ("Incomplete", 1, 1)
    assert rows[2][15] == MISSING_VIEWS


def test_tracker_gives_the_decision_once_per_case_on_its_newest_row(tmp_path: Path) -> None:
    submissions = sample_submissions()
    ref = "CC-2526-0008"
    decisions = {
        ref: Decision(
            case_ref=ref,
            meeting=date(2025, 12, 11),
            decision=DecisionKind.agreed_with_changes,
            amount_agreed=3200.0,
        )
    }
    path = tmp_path / "tracker.xlsx"
    write_tracker(path, [*submissions, submissions[1]], GENERATED_AT, decisions)
    sheet = load_workbook(path)["Submissions"]
    rows = [row for row in sheet.values if row[0] == ref]
    assert [row[12:15] for row in rows] == [
        ("Agreed with changes", 3200, 3200),
        (None, None, None),
    ]
    assert sheet["O3"].number_format == "£#,##0.00"


def test_tracker_has_one_row_per_finding(tracker: Path) -> None:
    rows = list(load_workbook(tracker)["Findings"].values)
    assert rows[0] == (
        "Case ref",
        "Submission id",
        "Severity",
        "Code",
        "Field",
        "Document",
        "Message",
    )
    assert [(row[0], row[3]) for row in rows[1:]] == [
        ("No case reference", "unknown_sender"),
        ("CC-2526-0008", "missing_field"),
        ("CC-2526-0008", "short_narrative"),
    ]
    assert rows[2][4] == "Parent/carer views"


def test_tracker_received_is_a_real_date(tracker: Path) -> None:
    cell = load_workbook(tracker)["Submissions"]["C4"]
    assert cell.value == datetime(2025, 9, 30)
    assert cell.number_format == "dd/mm/yyyy"


def test_tracker_header_is_frozen_and_filtered(tracker: Path) -> None:
    for sheet in load_workbook(tracker).worksheets:
        assert sheet.freeze_panes == "A2"
        assert sheet.auto_filter.ref.startswith("A1:")
        assert all(cell.font.b for cell in sheet[1])


def test_same_submissions_give_the_same_tracker(tmp_path: Path, tracker: Path) -> None:
    again = tmp_path / "again.xlsx"
    write_tracker(again, sample_submissions()[::-1], GENERATED_AT)
    assert again.read_bytes() == tracker.read_bytes()
    with zipfile.ZipFile(tracker) as archive:
        assert {info.date_time for info in archive.infolist()} == {(2025, 10, 2, 15, 0, 0)}
