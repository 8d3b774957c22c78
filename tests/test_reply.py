"""Reply drafts: what the school would read, and what never goes into an email about a child."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from datetime import date
from email import message_from_bytes, policy
from email.message import EmailMessage

import pytest

from pipeline.config import Config
from pipeline.errors import SourceError
from pipeline.intake.mail import message_id_of
from pipeline.models import Finding, Incoming, Severity, Status, Submission
from pipeline.reports.reply import build_reply
from pipeline.runner import handle, open_context, run_inbox
from pipeline.sources.folder import FolderSource
from testkit.samples import generate, sample


def processed(config: Config, defect: str, seed: int) -> tuple[Submission, bytes]:
    (path,) = generate(config.paths.inbox, config, seed=seed, clean=0, defects=[defect])
    with open_context(config) as ctx:
        run_inbox(ctx)
        (submission,) = ctx.register.submissions()
    return submission, path.read_bytes()


def parsed(draft: bytes) -> EmailMessage:
    message = message_from_bytes(draft, policy=policy.default)
    assert isinstance(message, EmailMessage)
    return message


def test_the_draft_answers_the_sender_and_quotes_the_case_reference(config: Config) -> None:
    submission, raw = processed(config, "missing_document", seed=51)
    original = parsed(raw)
    reply = parsed(build_reply(submission, config, original["Message-ID"]))
    assert reply["To"] == submission.sender
    assert reply["From"].addresses[0].addr_spec == config.cluster.mailbox
    assert reply["Subject"] == f"Re: {original['Subject']} [{submission.case_ref}]"
    assert reply["In-Reply-To"] == reply["References"] == original["Message-ID"]
    assert reply["Message-ID"] and reply["Date"]
    body = reply.get_content()
    assert f"Case reference: {submission.case_ref}" in body
    assert f"keep the case reference {submission.case_ref} in the subject" in body


def test_the_draft_numbers_what_must_be_fixed_and_lists_what_to_check(config: Config) -> None:
    submission, _ = processed(config, "missing_document", seed=52)
    (missing,) = submission.findings
    submission = submission.model_copy(
        update={
            "findings": (
                missing,
                Finding(code="no_consent", severity=Severity.error, message="Consent is missing."),
                Finding(code="consent_stale", severity=Severity.warning, message="Consent is old."),
                Finding(code="upn_other_la", severity=Severity.info, message="From elsewhere."),
            )
        }
    )
    body = parsed(build_reply(submission, config, None)).get_content().replace("\r\n", "\n")
    assert (
        "What needs fixing before the panel can consider it:\n"
        f"1. {missing.message}\n"
        "2. Consent is missing.\n\n"
        "Please also check:\n"
        "- Consent is old.\n"
    ) in body
    assert "From elsewhere." not in body
    assert not any(code in body for code in ("missing_document", "no_consent", "consent_stale"))


def test_the_draft_never_names_the_pupil_or_gives_the_date_of_birth(config: Config) -> None:
    submission, _ = processed(config, "age_out_of_range", seed=53)
    referral = sample(1, "age_out_of_range", config, seed=53)
    born = referral.values["date_of_birth"]
    assert isinstance(born, date)
    assert any(f"{born:%d/%m/%Y}" in f.message for f in submission.findings)  # the finding does
    draft = parsed(build_reply(submission, config, None))
    text = f"{draft['Subject']}\n{draft.get_content()}"
    for personal in (
        str(referral.values["pupil_forename"]),
        str(referral.values["pupil_surname"]),
        f"{born:%d/%m/%Y}",
        str(referral.values["upn"]),
    ):
        assert personal not in text
    assert f"Pupil: {submission.pupil_initials} (initials only)" in text
    assert "(withheld)" in text


def test_only_an_incomplete_submission_gets_a_draft(config: Config) -> None:
    submission, _ = processed(config, "short_narrative", seed=54)
    assert submission.status is Status.complete
    with pytest.raises(ValueError, match="only for incomplete"):
        build_reply(submission, config, None)


def test_pipeline_run_writes_a_draft_for_each_incomplete_submission_only(config: Config) -> None:
    generate(config.paths.inbox, config, seed=55, clean=2, defects=["missing_field"])
    with open_context(config) as ctx:
        run_inbox(ctx)
        incomplete = [
            s.submission_id for s in ctx.register.submissions() if s.status.value == "incomplete"
        ]
    drafts = sorted(p.stem for p in (config.paths.outbox / "replies").glob("*.eml"))
    assert drafts == sorted(incomplete)
    assert len(drafts) == 1


class RefusingDrafts(FolderSource):
    keeps_drafts = True  # as a mailbox does
    finished_calls: int = 0

    def save_draft(self, message: bytes) -> None:
        raise SourceError("the mailbox refused the draft")

    def finished(self, incoming: Incoming, *, quarantined: bool) -> None:
        self.finished_calls += 1


def test_a_mailbox_refusing_the_draft_loses_nothing(
    config: Config, caplog: pytest.LogCaptureFixture
) -> None:
    (path,) = generate(config.paths.inbox, config, seed=56, clean=0, defects=["missing_document"])
    source = RefusingDrafts(config.paths.inbox, config.intake)
    with open_context(config) as ctx:
        (incoming,) = _pending(source)
        submissions = handle(incoming, source, ctx)
    assert submissions is not None
    submission_id = message_id_of(hashlib.sha256(path.read_bytes()).hexdigest())
    assert (config.paths.outbox / "replies" / f"{submission_id}.eml").exists()
    assert source.finished_calls == 1
    assert "the mailbox refused the draft" in caplog.text


def _pending(source: FolderSource) -> Iterator[Incoming]:
    return iter(list(source.pending()))
