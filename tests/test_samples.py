"""The fictional sample generator: real-looking files, true values, one defect at a time."""

from __future__ import annotations

import email
import email.policy
import io
import random
import zipfile
from datetime import date
from email.message import EmailMessage
from pathlib import Path

import docx
import openpyxl
import pytest
from dateutil.relativedelta import relativedelta
from stdnum.gb import upn as stdnum_upn

from pipeline.config import Config, load_config
from schemas import FORMS, IpnReferral, ProvisionMap, RuleCode, parse_value, specs
from schemas.project_referral import COST_LINES
from schemas.types import Kind
from testkit.samples import (
    ALL_DEFECTS,
    KINDS,
    SampleReferral,
    apply_defect,
    duplicate_pair,
    generate,
    make_referral,
    make_sample,
    render_email,
    write_samples,
)
from testkit.samples import dates as school_dates
from testkit.samples.archive import office_time
from testkit.samples.people import make_upn
from testkit.samples.provision import annual_cost
from testkit.samples.supporting import render_supporting_pdf
from testkit.samples.word import format_value, render_form
from testkit.samples.xlsx_map import render_provision_map

ROOT = Path(__file__).resolve().parent.parent
SEEDS = range(4)


@pytest.fixture(scope="module")
def cfg() -> Config:
    return load_config(ROOT / "config.toml")


def clean(seed: int, cfg: Config) -> SampleReferral:
    return make_referral(random.Random(seed), cfg)


def defective(code: str, seed: int, cfg: Config) -> SampleReferral:
    rng = random.Random(seed)
    return apply_defect(make_referral(rng, cfg), code, rng, cfg)


def parsed(data: bytes) -> EmailMessage:
    message = email.message_from_bytes(data, policy=email.policy.default)
    assert isinstance(message, EmailMessage)
    return message


def attached(message: EmailMessage) -> dict[str, bytes]:
    files: dict[str, bytes] = {}
    for part in message.iter_attachments():
        payload = part.get_payload(decode=True)
        assert isinstance(payload, bytes)
        files[str(part.get_filename())] = payload
    return files


# --- an oracle: the SPEC's data rules, applied to a referral's true values ------------------


def broken_rules(r: SampleReferral, cfg: Config) -> set[str]:
    """Which SPEC rule codes a referral's values break (what the pipeline should report)."""
    form, header, codes = r.values, r.map_header, set()
    for spec in specs(IpnReferral):
        value = form.get(spec.id)
        if value is None:
            if spec.required:
                codes.add(
                    "signature_missing" if spec.id == "headteacher_signature" else "missing_field"
                )
            continue
        try:
            parse_value(IpnReferral, spec.id, format_value(value, spec.kind))
        except ValueError:
            codes.add("invalid_value")
        if spec.kind is Kind.longtext and spec.required and len(str(value).split()) < 20:
            codes.add("short_narrative")
    if not (r.include_form and r.include_map):
        codes.add("missing_document")
    if cfg.setting(str(form["setting_name"])) is None:
        codes.add("unknown_setting")
    upn = str(form["upn"])
    if not stdnum_upn.is_valid(upn):
        codes.add("invalid_upn")
    elif upn[1:4] != "861":
        codes.add("upn_other_la")
    born, declared = form["date_of_birth"], form["declaration_date"]
    assert isinstance(born, date) and isinstance(declared, date)
    if not 2 <= relativedelta(declared, born).years <= 25:
        codes.add("age_out_of_range")
    if school_dates.year_group_on(born, declared) != school_dates.year_index(
        str(form["year_group"])
    ):
        codes.add("year_group_mismatch")
    pupil = f"{form['pupil_forename']} {form['pupil_surname']}"
    if (header["pupil_name"], header["upn"], header["date_of_birth"]) != (pupil, upn, born):
        codes.add("identity_mismatch")
    codes |= _date_rules(r, declared)
    if form["apdr_cycles"] == 1:
        codes.add("few_apdr_cycles")
    codes |= _money_rules(r)
    codes |= _sender_rules(r, cfg)
    codes |= {
        code
        for flag, code in (
            (r.send_twice, "duplicate_submission"),
            (r.corrupt_form or "broken_support_plan" in r.extras, "unreadable_document"),
            ("macro_workbook" in r.extras, "blocked_file_type"),
            ("newsletter" in r.extras or r.include_supporting, "unrecognised_document"),
        )
        if flag
    }
    codes |= _meeting_rules(r.received_at.date(), cfg)
    return codes


def _sender_rules(r: SampleReferral, cfg: Config) -> set[str]:
    domain = r.sender.partition("@")[2]
    own = cfg.setting_of_domain(domain)
    if own is None and domain not in cfg.senders.accept_domains:
        return {"unknown_sender"}
    if own is not None and own.name != r.values["setting_name"]:
        return {"sender_setting_mismatch"}
    return set()


def _date_rules(r: SampleReferral, declared: date) -> set[str]:
    codes = set()
    consent, start, end = (r.values[k] for k in ("consent_date", "funding_start", "funding_end"))
    assert isinstance(consent, date) and isinstance(start, date) and isinstance(end, date)
    if r.values["parent_consent"] is False:
        codes.add("no_consent")
    if consent < declared - relativedelta(months=12):
        codes.add("consent_stale")
    if max(consent, declared) > r.received_at.date():
        codes.add("date_in_future")
    if end < start:
        codes.add("date_order")
    elif end > start + relativedelta(months=12):
        codes.add("funding_period_over_year")
    return codes


def _money_rules(r: SampleReferral) -> set[str]:
    codes = set()
    for line, written in zip(r.lines, r.written_line_costs, strict=True):
        if abs(written - annual_cost(line)) > 1:
            codes.add("line_cost_mismatch")
        if float(line["weeks"]) > 39:
            codes.add("weeks_over_school_year")
    if abs(r.map_total - sum(r.written_line_costs)) > 1:
        codes.add("total_mismatch")
    if abs(float(str(r.values["amount_requested"])) - r.map_amount_requested) > 1:
        codes.add("amount_mismatch")
    return codes


def _meeting_rules(arrived: date, cfg: Config) -> set[str]:
    later = [m for m in cfg.meetings.dates if m > arrived]
    if not later:
        return {"no_meeting_scheduled"}
    late = any(school_dates.cutoff(m, cfg) <= arrived < m for m in later)
    return {"late_for_meeting"} if late else set()


# --- the documents ------------------------------------------------------------------------


def test_docx_opens_with_the_form_title_first_and_every_required_label(cfg: Config) -> None:
    document = docx.Document(io.BytesIO(render_form(clean(1, cfg))))
    labels = {row.cells[0].text for table in document.tables for row in table.rows}
    assert document.paragraphs[0].text == IpnReferral.title
    assert {s.label for s in specs(IpnReferral) if s.required} <= labels


@pytest.mark.parametrize("kind", [kind for kind, form in FORMS.items() if form.sections])
def test_every_form_kinds_sections_print_each_of_its_fields_once(kind: str) -> None:
    form = FORMS[kind]
    printed = [field_id for _, ids in form.sections for field_id in ids if field_id != COST_LINES]
    assert sorted(printed) == sorted(s.id for s in specs(form))


@pytest.mark.parametrize("kind", list(KINDS))
def test_every_kinds_word_form_prints_the_catalogues_headings_and_labels_in_order(
    kind: str, cfg: Config
) -> None:
    form = FORMS[kind]
    document = docx.Document(io.BytesIO(render_form(make_sample(kind, 1, "clean", cfg))))
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 2"]
    labels = [row.cells[0].text for table in document.tables for row in table.rows]
    by_id = {spec.id: spec.label for spec in specs(form)}
    expected = [by_id[i] for _, ids in form.sections for i in ids if i != COST_LINES]
    assert document.paragraphs[0].text == form.title
    assert headings == [heading for heading, _ in form.sections]
    assert [label for label in labels if label in by_id.values()] == expected


def test_docx_values_read_back_as_the_true_values(cfg: Config) -> None:
    referral = clean(2, cfg)
    document = docx.Document(io.BytesIO(render_form(referral)))
    cells = {row.cells[0].text: row.cells[1].text for t in document.tables for row in t.rows}
    for spec in specs(IpnReferral):
        expected = referral.values.get(spec.id)
        if expected is None or spec.id == "setting_name":
            continue
        typed = parse_value(IpnReferral, spec.id, expected)
        assert parse_value(IpnReferral, spec.id, cells[spec.label]) == typed, spec.id


def test_xlsx_holds_formulas_for_line_costs_and_totals(cfg: Config) -> None:
    referral = clean(3, cfg)
    sheet = openpyxl.load_workbook(io.BytesIO(render_provision_map(referral)))["Provision map"]
    by_label = {row[-2]: row[-1] for row in sheet.iter_rows(values_only=True) if row[-2]}
    costs = [
        row[-1]
        for row in sheet.iter_rows(min_row=11, max_row=10 + len(referral.lines), values_only=True)
    ]
    labels = {s.id: s.label for s in specs(ProvisionMap)}
    assert sheet["A1"].value == ProvisionMap.title
    assert all(str(cost).startswith("=ROUND(") for cost in costs)
    assert str(by_label[labels["total_cost"]]).startswith("=SUM(")
    assert by_label[labels["element2_contribution"]] == 6000
    assert str(by_label[labels["amount_requested"]]).startswith("=I")


def test_xlsx_writes_the_date_of_birth_as_a_date_cell(cfg: Config) -> None:
    referral = clean(4, cfg)
    sheet = openpyxl.load_workbook(io.BytesIO(render_provision_map(referral))).active
    assert sheet is not None
    cell = next(row[1] for row in sheet.iter_rows() if row[0].value == "Date of birth")
    assert cell.value.date() == referral.values["date_of_birth"]
    assert cell.number_format == "DD/MM/YYYY"


def test_eml_parses_and_carries_the_form_and_the_map(cfg: Config) -> None:
    referral = clean(5, cfg)
    message = parsed(render_email(referral))
    files = attached(message)
    assert message["To"] == "CentralCluster@stoke.gov.uk"
    assert cfg.setting_of_domain(message["From"].addresses[0].domain) is not None
    assert {referral.form_filename, referral.map_filename} <= set(files)
    assert str(referral.values["pupil_surname"]) not in message["Subject"]


def test_supporting_pdf_carries_no_form_title(cfg: Config) -> None:
    pdf = render_supporting_pdf(clean(6, cfg))
    assert pdf.startswith(b"%PDF")
    assert IpnReferral.title.encode() not in pdf and b"Provision Map" not in pdf
    assert render_supporting_pdf(clean(6, cfg)) == pdf


def test_office_files_carry_the_referrals_document_time_not_the_clock(cfg: Config) -> None:
    referral = clean(10, cfg)
    when = referral.document_time
    form, workbook = render_form(referral), render_provision_map(referral)
    for data in (form, workbook):
        stamps = {info.date_time for info in zipfile.ZipFile(io.BytesIO(data)).infolist()}
        assert stamps == {
            (when.year, when.month, when.day, when.hour, when.minute, when.second - when.second % 2)
        }
    modified = docx.Document(io.BytesIO(form)).core_properties.modified
    assert modified.replace(tzinfo=None) == office_time(when)
    assert openpyxl.load_workbook(io.BytesIO(workbook)).properties.modified == office_time(when)


# --- the true values ----------------------------------------------------------------------


@pytest.mark.parametrize("seed", SEEDS)
def test_clean_referral_costs_follow_the_spec_formula_and_amounts_reconcile(
    seed: int, cfg: Config
) -> None:
    r = clean(seed, cfg)
    for line in r.lines:
        expected = (
            float(line["sessions_per_week"])
            * float(line["minutes_per_session"])
            / 60
            * float(line["weeks"])
            * float(line["hourly_rate"])
            / int(line["group_size"])
        )
        assert line["annual_cost"] == round(expected, 2)
    assert 2 <= len(r.lines) <= 5
    assert r.map_total == round(sum(float(line["annual_cost"]) for line in r.lines), 2)
    assert r.values["amount_requested"] == r.map_amount_requested == round(r.map_total - 6000, 2)


@pytest.mark.parametrize("seed", range(12))
def test_clean_referral_breaks_no_rule(seed: int, cfg: Config) -> None:
    assert broken_rules(clean(seed, cfg), cfg) == set()


def test_every_defect_is_keyed_by_a_spec_rule_code() -> None:
    assert set(ALL_DEFECTS) <= set(RuleCode)
    assert len(ALL_DEFECTS) == 28


@pytest.mark.parametrize("code", ALL_DEFECTS)
def test_each_defect_changes_the_referral(code: str, cfg: Config) -> None:
    changed = defective(code, 7, cfg)
    assert changed.model_copy(update={"defect": None}) != clean(7, cfg)


@pytest.mark.parametrize("code", ALL_DEFECTS)
def test_each_defect_breaks_its_own_rule_and_no_other(code: str, cfg: Config) -> None:
    # A one-year-old is too young for any year group: year_group_mismatch may come along.
    allowed = {"year_group_mismatch"} if code == "age_out_of_range" else set()
    for seed in SEEDS:
        assert code in broken_rules(defective(code, seed, cfg), cfg) <= {code} | allowed


def test_upn_generator_gives_valid_upns_of_the_la(cfg: Config) -> None:
    rng = random.Random(1)
    for _ in range(200):
        upn = make_upn(rng)
        assert stdnum_upn.is_valid(upn) and upn[1:4] == "861"


def test_arriving_on_the_cutoff_day_is_late(cfg: Config) -> None:
    assert school_dates.cutoff(date(2025, 10, 16), cfg) == date(2025, 10, 2)
    assert _meeting_rules(date(2025, 10, 2), cfg) == {"late_for_meeting"}
    assert _meeting_rules(date(2025, 10, 1), cfg) == set()


# --- special deliveries -------------------------------------------------------------------


def test_duplicate_pair_repeats_the_documents_in_different_emails(cfg: Config) -> None:
    first, second = duplicate_pair(defective("duplicate_submission", 8, cfg))
    assert first != second
    assert attached(parsed(first)) == attached(parsed(second))
    assert parsed(first)["Date"] != parsed(second)["Date"]


def test_unreadable_document_is_a_broken_word_file_beside_an_intact_form(cfg: Config) -> None:
    referral = defective("unreadable_document", 9, cfg)
    files = attached(parsed(render_email(referral)))
    broken = [data for name, data in files.items() if name.startswith("Support plan")]
    assert len(broken) == 1
    with pytest.raises(zipfile.BadZipFile):
        zipfile.ZipFile(io.BytesIO(broken[0]))
    assert zipfile.ZipFile(io.BytesIO(files[referral.form_filename])).testzip() is None


def test_a_corrupt_form_is_not_a_zip(cfg: Config) -> None:
    referral = clean(9, cfg).model_copy(update={"corrupt_form": True})
    data = attached(parsed(render_email(referral)))[referral.form_filename]
    with pytest.raises(zipfile.BadZipFile):
        zipfile.ZipFile(io.BytesIO(data))


def test_generate_writes_files_named_for_their_code(tmp_path: Path, cfg: Config) -> None:
    paths = generate(tmp_path, cfg, clean=1, defects=("duplicate_submission", "no_consent"))
    assert [p.name for p in paths] == [
        "001-clean.eml",
        "002-duplicate_submission-first.eml",
        "002-duplicate_submission.eml",
        "003-no_consent.eml",
    ]


def test_generation_is_deterministic_for_a_seed(tmp_path: Path, cfg: Config) -> None:
    codes = ("blocked_file_type", "unrecognised_document")
    first = generate(tmp_path / "a", cfg, seed=11, clean=2, defects=codes)
    second = generate(tmp_path / "b", cfg, seed=11, clean=2, defects=codes)
    assert [p.read_bytes() for p in first] == [p.read_bytes() for p in second]


def test_every_kind_is_written_the_same_way_and_the_same_bytes_for_a_seed(
    tmp_path: Path, cfg: Config
) -> None:
    requests = [(kind, "clean") for kind in KINDS] + [("capital_bid", "over_setting_cap")]
    first = write_samples(tmp_path / "a", cfg, requests, seed=12)
    second = write_samples(tmp_path / "b", cfg, requests, seed=12)
    assert [p.name for p in first] == [
        "001-clean.eml",
        "002-project_referral-clean.eml",
        "003-capital_bid-clean.eml",
        "004-ehcp_exceptional-clean.eml",
        "005-funding_review-clean.eml",
        "006-capital_bid-over_setting_cap-first.eml",
        "006-capital_bid-over_setting_cap.eml",
    ]
    assert [p.read_bytes() for p in first] == [p.read_bytes() for p in second]


def test_a_request_of_an_unknown_kind_or_defect_writes_nothing(tmp_path: Path, cfg: Config) -> None:
    for requests in ([("ipn_referral", "clean"), ("grant", "clean")], [("capital_bid", "nope")]):
        with pytest.raises(ValueError, match="known: "):
            write_samples(tmp_path, cfg, requests)
    assert list(tmp_path.iterdir()) == []
