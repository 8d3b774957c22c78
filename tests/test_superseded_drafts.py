"""A school that resends gets exactly one current reply draft: the earlier one is withdrawn
from outbox/replies/ (kept under replies/superseded/) and from the mailbox's Drafts."""

from __future__ import annotations

import hashlib
import sqlite3
from datetime import timedelta
from email import message_from_bytes, policy
from pathlib import Path
from typing import TYPE_CHECKING

from test_cases import first_email, records, run

from pipeline.config import Config
from pipeline.intake.mail import message_id_of
from pipeline.runner import open_context, run_source
from pipeline.sources.imap import ImapSource
from testkit.samples import SampleReferral, sample
from testkit.samples.email_message import render_email
from testkit.samples.follow_up import follow_up

if TYPE_CHECKING:
    from dovecot import Account

pytest_plugins = ["dovecot"]


def drafts(config: Config) -> list[str]:
    return sorted(p.stem for p in (config.paths.outbox / "replies").glob("*.eml"))


def superseded(config: Config) -> list[str]:
    return sorted(p.stem for p in (config.paths.outbox / "replies" / "superseded").glob("*.eml"))


HOUR = timedelta(hours=1)


def resend(referral: SampleReferral, case_ref: str) -> bytes:
    """The school saves its form again and resends it, still without the map (the same bytes
    again would be a duplicate delivery, not a resend)."""
    resaved = referral.model_copy(update={"document_time": referral.document_time + HOUR})
    return follow_up(resaved, case_ref=case_ref, send_form=True, send_map=False)


def test_a_resend_still_incomplete_leaves_one_current_draft_and_withdraws_the_first(
    config: Config,
) -> None:
    referral, record = first_email(config, config.paths.inbox)
    first = record["submission_id"]
    resent = resend(referral, record["case_ref"])
    (config.paths.inbox / "002-resent.eml").write_bytes(resent)
    run(config)
    (current,) = drafts(config)
    assert current != first
    assert superseded(config) == [first]


def test_a_resend_that_completes_the_case_withdraws_its_draft_and_makes_none(
    config: Config,
) -> None:
    referral, record = first_email(config, config.paths.inbox)
    (config.paths.inbox / "002-map.eml").write_bytes(
        follow_up(referral, case_ref=record["case_ref"])
    )
    run(config)
    assert drafts(config) == []
    assert superseded(config) == [record["submission_id"]]


def test_an_earlier_email_seen_again_after_its_resend_gets_no_draft_and_keeps_the_current(
    config: Config,
) -> None:
    referral = sample(1, "missing_document", config, seed=21)
    first_bytes = render_email(referral)
    (config.paths.inbox / "001-referral.eml").write_bytes(first_bytes)
    run(config)
    (record,) = records(config)
    first = record["submission_id"]
    # As if the first run was killed between the register's commit and its draft.
    (config.paths.outbox / "replies" / f"{first}.eml").unlink()
    with sqlite3.connect(config.paths.register_db) as db:
        db.execute("DELETE FROM drafts WHERE submission = ?", (first,))
    (config.paths.inbox / "001-referral.eml").unlink()  # seen again only after the resend
    resent = resend(referral, record["case_ref"])
    (config.paths.inbox / "002-resent.eml").write_bytes(resent)
    run(config)
    (current,) = drafts(config)
    (config.paths.inbox / "003-first-again.eml").write_bytes(first_bytes)
    run(config)
    assert drafts(config) == [current]


def test_the_current_draft_gives_the_senco_by_name_and_the_day_to_send_by(
    config: Config,
) -> None:
    referral, _ = first_email(config, config.paths.inbox)
    (name,) = drafts(config)
    draft = message_from_bytes(
        (config.paths.outbox / "replies" / f"{name}.eml").read_bytes(), policy=policy.default
    )
    text = draft.get_content()
    assert text.startswith(f"Dear {referral.values['senco_name']},")
    assert "Please send them by " in text and " to be heard on " in text


def test_the_superseded_draft_is_taken_out_of_the_mailbox_drafts(
    account: Account, config: Config, tmp_path: Path
) -> None:
    referral = sample(1, "missing_document", config, seed=21)
    first_bytes = render_email(referral)
    account.append(first_bytes)
    config = account.configure(config)
    poll(config)
    (first_draft,) = account.messages("Drafts")
    case_ref = _case_ref_of(first_draft)
    account.append(resend(referral, case_ref))
    poll(config)
    (draft,) = account.messages("Drafts")
    assert draft != first_draft
    first_id = message_id_of(hashlib.sha256(first_bytes).hexdigest())
    assert superseded(config) == [first_id]
    assert (config.paths.outbox / "replies" / "superseded" / f"{first_id}.eml").read_bytes() == (
        first_draft
    )


def poll(config: Config) -> None:
    with open_context(config) as ctx:
        source = ImapSource.from_config(config.mailbox, ctx.register)
        try:
            run_source(source, ctx)
        finally:
            source.close()


def _case_ref_of(draft: bytes) -> str:
    subject = str(message_from_bytes(draft, policy=policy.default)["Subject"])
    return subject.rsplit("[", 1)[1].rstrip("]")
