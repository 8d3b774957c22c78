"""Failure 9 of issue 15: the same email delivered twice with different Message-IDs.

A second delivery (the same sender, the same set of attachments, within 30 days) is recorded
and moved like any processed message, but not processed again: no second submission, no
second case, no second reply draft.
"""

from __future__ import annotations

import re
from datetime import timedelta
from email.utils import format_datetime, parsedate_to_datetime
from typing import TYPE_CHECKING

from pipeline.config import Config
from pipeline.intake.store import sha256_hex
from pipeline.register import Register
from pipeline.runner import open_context, run_inbox, run_source
from pipeline.sources.imap import ImapSource
from testkit.samples import render_email, sample

if TYPE_CHECKING:
    from dovecot import Account

pytest_plugins = ["dovecot"]  # the account fixture


def redelivered(email: bytes, *, number: int, days_later: int = 0, sender: str = "") -> bytes:
    """The same email with a new Message-ID (and a later Date, or another sender, if given)."""
    email = re.sub(rb"Message-ID: <[^>]+>", f"Message-ID: <again{number}@example>".encode(), email)
    date = re.search(rb"^Date: (.+?)\r?$", email, re.MULTILINE)
    assert date is not None
    later = parsedate_to_datetime(date.group(1).decode()) + timedelta(days=days_later)
    email = email.replace(date.group(0), f"Date: {format_datetime(later)}".encode(), 1)
    if sender:
        email = re.sub(rb"^From: .+?$", f"From: {sender}".encode(), email, flags=re.MULTILINE)
    return email


def message_id(email: bytes) -> bytes:
    found = re.search(rb"Message-ID: (<[^>]+>)", email)
    assert found is not None
    return found.group(1)


def submissions(config: Config) -> list[str]:
    folder = config.paths.outbox / "submissions"
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def status_of(config: Config, email: bytes) -> str | None:
    with Register(config.paths.register_db) as register:
        return register.message_status(sha256_hex(email))


def test_same_email_delivered_twice_with_different_message_ids_is_processed_once(
    account: Account, config: Config
) -> None:
    email = render_email(sample(1, "no_consent", config, seed=51))
    again = redelivered(email, number=1, days_later=2)
    account.append(email)
    account.append(again)
    config = account.configure(config)
    with open_context(config) as ctx:
        source = ImapSource.from_config(config.mailbox, ctx.register)
        try:
            summary = run_source(source, ctx)
        finally:
            source.close()
    assert summary.processed == 1
    assert len(submissions(config)) == 1
    assert sorted(map(message_id, account.messages("Processed"))) == sorted(
        map(message_id, [email, again])
    )
    assert account.messages("INBOX") == []
    assert len(account.messages("Drafts")) == 1
    assert {status_of(config, e) for e in account.messages("Processed")} == {
        "incomplete",
        "duplicate",
    }


def test_same_attachments_from_another_sender_are_processed(config: Config) -> None:
    email = render_email(sample(1, "clean", config, seed=52))
    other = redelivered(email, number=2, sender="head@stoke.gov.uk")
    (config.paths.inbox / "a.eml").write_bytes(email)
    (config.paths.inbox / "b.eml").write_bytes(other)
    with open_context(config) as ctx:
        assert run_inbox(ctx).processed == 2
    assert len(submissions(config)) == 2


def test_same_attachments_from_the_same_sender_after_30_days_are_processed(
    config: Config,
) -> None:
    email = render_email(sample(1, "clean", config, seed=53))
    (config.paths.inbox / "a.eml").write_bytes(email)
    (config.paths.inbox / "b.eml").write_bytes(redelivered(email, number=3, days_later=31))
    with open_context(config) as ctx:
        assert run_inbox(ctx).processed == 2
    assert len(submissions(config)) == 2
