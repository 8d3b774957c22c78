"""A funding review joins the case it reviews and is heard when it is due, with its form."""

from __future__ import annotations

import email
import email.policy
import json
import random
from datetime import date, datetime
from pathlib import Path

import pytest
from test_decisions_roundtrip import LONDON, decided, fill, import_log, pdf_text

from pipeline.admin import make_bundle
from pipeline.config import Config
from pipeline.meetings.pack import case_file, meeting_pack
from pipeline.runner import open_context, run_inbox
from testkit.samples import render_email
from testkit.samples.kinds import KINDS

__all__ = ["decided"]  # the fixture, used here by name

FEBRUARY, MARCH = date(2026, 2, 5), date(2026, 3, 19)
REVIEW_BY = date(2026, 3, 1)  # due at 5 February, the last meeting before it
IN_TIME, LATE = date(2026, 1, 12), date(2026, 1, 28)  # February's cut-off is 22 January
SPENT = 3125.40


@pytest.fixture
def agreed(decided: tuple[Config, Path]) -> tuple[Config, str]:
    """October's first case agreed (£5,000), its review set for 1 March 2026."""
    config, log = decided
    fill(log, [("Agreed with changes", 5000, REVIEW_BY), ("Declined", None, None)])
    import_log(config, log)
    with open_context(config) as ctx:
        ref = next(d.case_ref for d in ctx.register.decisions() if d.amount_agreed)
    return config, ref


def send_review(
    config: Config, quoting: str, day: date, *, seed: int = 7, subject: str | None = None
) -> None:
    """The school's Cluster Funding Review, quoting ``quoting`` as the outcome email asks."""
    rng = random.Random(seed)
    review = KINDS["funding_review"].make(rng, config, 1)
    arrival = datetime(day.year, day.month, day.day, 10, tzinfo=LONDON)
    values = {**review.values, "case_ref": quoting, "amount_spent": SPENT, "review_date": day}
    with open_context(config) as ctx:
        known = ctx.register.case_exists(quoting)
        pupil = case_file(ctx, quoting).pupil if known else None
        own = ctx.register.case_setting(quoting) if known else None
    if pupil is not None:
        values["pupil_name"] = f"{pupil.forename} {pupil.surname}"
    sender = {}
    setting = next((s for s in config.settings if s.name == own and s.domains), None)
    if setting is not None:  # the case's own school answers its outcome email
        values["setting_name"] = setting.name
        sender = {"setting": setting.name, "sender": f"senco@{setting.domains[0]}"}
    review = review.model_copy(
        update={
            "values": values,
            "received_at": arrival,
            "subject": subject or f"Cluster funding review – {quoting}",
            **sender,
        }
    )
    (config.paths.inbox / f"review-{seed}.eml").write_bytes(render_email(review))
    with open_context(config) as ctx:
        run_inbox(ctx)


def bundle_text(config: Config, day: date, edition: str = "full") -> str:
    with open_context(config) as ctx:
        make_bundle(ctx, day, by="Cluster admin")
    path = config.paths.outbox / "meetings" / day.isoformat() / f"bundle-{edition}.pdf"
    return " ".join(pdf_text(path).split())  # table cells wrap their lines


def test_a_review_quoting_its_case_joins_that_case(agreed: tuple[Config, str]) -> None:
    config, ref = agreed
    with open_context(config) as ctx:
        cases_before = ctx.register.decisions()
    send_review(config, ref, IN_TIME)
    with open_context(config) as ctx:
        kinds = [d.kind for s in ctx.register.case_submissions(ref) for d in s.documents]
        assert ctx.register.decisions() == cases_before
    assert "funding_review" in kinds


def test_a_review_quoting_its_case_only_on_the_form_joins_that_case(
    agreed: tuple[Config, str],
) -> None:
    config, ref = agreed
    send_review(config, ref, IN_TIME, subject="Our funding review for this term")
    with open_context(config) as ctx:
        kinds = [d.kind for s in ctx.register.case_submissions(ref) for d in s.documents]
    assert "funding_review" in kinds


def test_a_review_in_time_is_in_the_bundle_of_the_meeting_it_is_due_at(
    agreed: tuple[Config, str],
) -> None:
    config, ref = agreed
    send_review(config, ref, IN_TIME)
    text = bundle_text(config, FEBRUARY)
    assert f"{ref}: case summary" in text
    assert "Cluster Funding Review" in text
    assert "Original award" in text and "£5,000.00" in text
    assert "Spent to date (review form)" in text and "£3,125.40" in text
    assert "Not yet spent" in text and "£1,874.60" in text
    assert "Received 12 January 2026" in text


def test_a_review_form_arriving_after_the_cut_off_is_heard_at_the_next_meeting(
    agreed: tuple[Config, str],
) -> None:
    config, ref = agreed
    send_review(config, ref, LATE)
    with open_context(config) as ctx:
        february = meeting_pack(ctx, FEBRUARY).reviews_due
        march = meeting_pack(ctx, MARCH).reviews_due
    assert february == ()
    assert [(r.case_ref, r.papers is not None) for r in march] == [(ref, True)]


def test_a_review_not_yet_received_is_listed_as_due_without_a_form(
    agreed: tuple[Config, str],
) -> None:
    config, ref = agreed
    text = bundle_text(config, FEBRUARY)
    assert ref in text and "Not received" in text
    assert f"{ref}: case summary" not in text


def test_the_panel_edition_names_the_reviewed_pupil_by_initials_only(
    agreed: tuple[Config, str],
) -> None:
    config, ref = agreed
    send_review(config, ref, IN_TIME)
    with open_context(config) as ctx:
        pupil = case_file(ctx, ref).pupil
    assert pupil is not None and pupil.surname
    text = bundle_text(config, FEBRUARY, "panel")
    assert f"{ref}: case summary" in text
    assert pupil.surname not in text


def test_cover_agenda_and_finance_count_the_reviews_alike(agreed: tuple[Config, str]) -> None:
    config, ref = agreed
    send_review(config, ref, IN_TIME)
    text = bundle_text(config, FEBRUARY)
    index = text.index("Index of cases")
    assert text[:index].count("1 review due, 1 with the review form") == 3


def test_a_review_quoting_an_unknown_reference_is_a_finding_not_a_case(
    agreed: tuple[Config, str],
) -> None:
    config, _ = agreed
    with open_context(config) as ctx:
        cases = len(ctx.register.decisions()), _case_count(ctx)
    send_review(config, "CC-2526-0999", IN_TIME)
    with open_context(config) as ctx:
        assert _case_count(ctx) == cases[1]
    reply = _only_reply(config)
    assert "quotes the case reference CC-2526-0999, which is not a case of the cluster" in reply
    assert "Please check the reference on the outcome email" in reply
    assert "keep the case reference" not in reply


def test_the_report_lists_the_unmatched_review_with_what_to_fix(
    agreed: tuple[Config, str],
) -> None:
    config, _ = agreed
    send_review(config, "CC-2526-0999", IN_TIME)
    report = (config.paths.outbox / "report.html").read_text()
    assert "CC-2526-0999, which is not a case of the cluster" in report


def _case_count(ctx: object) -> int:
    register = ctx.register  # type: ignore[attr-defined]
    return int(register._db.execute("SELECT COUNT(*) FROM cases").fetchone()[0])


def _only_reply(config: Config) -> str:
    replies = sorted((config.paths.outbox / "replies").glob("*.eml"))
    texts = []
    for path in replies:
        message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        body = message.get_body(preferencelist=("plain",))
        texts.append(body.get_content() if body else "")
    matching = [t for t in texts if "funding review" in t.lower() or "Funding Review" in t]
    assert len(matching) == 1, texts
    return matching[0]


def test_a_review_from_another_setting_quoting_a_case_on_its_form_does_not_join_it(
    agreed: tuple[Config, str],
) -> None:
    # The form's reference is no password: another setting typing it must not reach the case.
    config, ref = agreed
    with open_context(config) as ctx:
        own = ctx.register.case_setting(ref)
        before = len(ctx.register.case_submissions(ref))
    other = next(s for s in config.settings if s.name != own and s.domains)
    rng = random.Random(7)
    review = KINDS["funding_review"].make(rng, config, 1)
    values = {**review.values, "case_ref": ref, "setting_name": other.name}
    review = review.model_copy(
        update={
            "values": values,
            "setting": other.name,
            "sender": f"senco@{other.domains[0]}",
            "received_at": datetime(2026, 1, 12, 10, tzinfo=LONDON),
            "subject": "Our funding review for this term",
        }
    )
    (config.paths.inbox / "review-other.eml").write_bytes(render_email(review))
    with open_context(config) as ctx:
        run_inbox(ctx)
        assert len(ctx.register.case_submissions(ref)) == before
    assert f"quotes the case reference {ref}" in _only_reply(config)


def review_records(config: Config, ref: str) -> list[dict[str, object]]:
    folder = config.paths.outbox / "submissions"
    found = [json.loads(path.read_text()) for path in sorted(folder.iterdir())]
    return [r for r in found if r["case_ref"] == ref and r["request_type"] == "review"]


def test_a_joined_review_is_recorded_as_a_review_for_the_meeting_it_is_due_at(
    agreed: tuple[Config, str],
) -> None:
    config, ref = agreed
    send_review(config, ref, IN_TIME)
    assert [(r["meeting"], r["status"]) for r in review_records(config, ref)] == [
        (FEBRUARY.isoformat(), "complete")
    ]


def test_a_late_review_is_recorded_for_the_meeting_that_will_hear_it(
    agreed: tuple[Config, str],
) -> None:
    config, ref = agreed
    send_review(config, ref, LATE)
    assert [r["meeting"] for r in review_records(config, ref)] == [MARCH.isoformat()]


def test_a_case_whose_review_arrives_is_under_review_for_that_meeting(
    agreed: tuple[Config, str],
) -> None:
    config, ref = agreed
    send_review(config, ref, IN_TIME)
    with open_context(config) as ctx:
        last = ctx.register.case_states(ref)[-1]
    assert (last.state, last.meeting, last.by) == ("under review", FEBRUARY, "pipeline")
