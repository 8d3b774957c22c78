"""Issue 17: a backlog's documents are read by the parsing workers while the emails before
them are checked and recorded, and nothing else about a run changes: what is never opened is
still never opened, results and their order are those of one email at a time, and nothing is
recorded or moved before its turn."""

from __future__ import annotations

import json
import os
import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from pipeline.config import Config
from pipeline.errors import RegisterError, SourceError
from pipeline.flow import readahead
from pipeline.intake.mail import message_id_of
from pipeline.intake.store import BlobStore, sha256_hex
from pipeline.models import Incoming
from pipeline.register import Register
from pipeline.runner import open_context, run_inbox, run_source
from pipeline.sandbox import ParserPool
from pipeline.sources.folder import FolderSource
from pipeline.sources.imap import ImapSource
from testkit.reliability import files
from testkit.reliability.raw_mail import mail, named, part, sender_of
from testkit.samples import generate, render_email, sample
from testkit.samples.case import SampleReferral
from testkit.samples.follow_up import follow_up

if TYPE_CHECKING:
    from dovecot import Account

pytest_plugins = ["dovecot"]  # the account fixture


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The hash of every document handed to a parsing worker, in the order they were."""
    seen: list[str] = []
    lock = threading.Lock()
    real = ParserPool.read

    def spy(pool: ParserPool, data: bytes | Path, name: str, sha: str) -> object:
        with lock:
            seen.append(sha)
        return real(pool, data, name, sha)

    monkeypatch.setattr(ParserPool, "read", spy)
    return seen


def run(config: Config) -> int:
    with open_context(config) as ctx:
        return run_inbox(ctx).processed


def records(config: Config) -> dict[str, dict[str, Any]]:
    folder = config.paths.outbox / "submissions"
    found = (json.loads(path.read_text()) for path in sorted(folder.iterdir()))
    return {r["submission_id"]: r for r in found}


def sent_by(config: Config, sender: str) -> list[dict[str, Any]]:
    return [r for r in records(config).values() if r["sender"] == sender]


def hashes(record: dict[str, Any]) -> set[str]:
    return {d["sha256"] for d in record["documents"]}


def clean_emails(config: Config, count: int, seed: int, first: int) -> None:
    """``count`` clean referrals named to come at ``first``, ``first + 1``... in the inbox."""
    made = config.paths.inbox.parent / f"made-{seed}"
    for number, path in enumerate(generate(made, config, seed=seed, clean=count)):
        path.rename(config.paths.inbox / f"{first + number:03d}-clean.eml")


def registered_order(config: Config) -> list[str]:
    with sqlite3.connect(config.paths.register_db) as db:
        return [row[0] for row in db.execute("SELECT id FROM messages ORDER BY rowid")]


def test_an_unknown_senders_email_behind_others_is_never_opened(
    config: Config, opened: list[str]
) -> None:
    clean_emails(config, 2, seed=171, first=0)
    form = files.plain_docx("Referral form from outside the cluster")
    stranger = "someone@elsewhere.example"
    (config.paths.inbox / "001-stranger.eml").write_bytes(
        mail(stranger, [part(named("Referral.docx"), form)])
    )
    assert run(config) == 3
    (quarantined,) = sent_by(config, stranger)
    assert quarantined["status"] == "quarantined"
    assert hashes(quarantined) and not hashes(quarantined) & set(opened)


def test_an_over_size_email_behind_others_is_never_opened(
    config: Config, opened: list[str]
) -> None:
    intake = config.intake.model_copy(update={"max_email_mb": 1})
    config = config.model_copy(update={"intake": intake})
    clean_emails(config, 2, seed=172, first=0)
    scans = os.urandom(900_000)
    big = mail(sender_of(config), [part(named("Scans.pdf"), scans)])
    (config.paths.inbox / "001-big.eml").write_bytes(big)
    assert run(config) == 3
    oversize = [r for r in records(config).values() if r["status"] == "quarantined"]
    assert [f["code"] for r in oversize for f in r["findings"]] == ["email_too_large"]
    assert opened and sha256_hex(scans) not in opened  # the clean ones' documents only


def referral_and_intruder(config: Config) -> tuple[SampleReferral, str, str]:
    """A referral opening a new case, then, behind it in the same backlog, another setting's
    sender quoting the reference that case is given."""
    referral = sample(1, "missing_document", config, seed=173)
    assert isinstance(referral, SampleReferral)
    (config.paths.inbox / "001-referral.eml").write_bytes(render_email(referral))
    start = referral.received_at.year - (referral.received_at.month < 9)
    case_ref = f"{config.cluster.case_prefix}-{start % 100:02d}{(start + 1) % 100:02d}-0001"
    other = next(s for s in config.settings if s.name != referral.setting and s.domains)
    intruder = f"e.intruder@{other.domains[0]}"
    changes = {"sender": intruder, "sender_name": "Eve"}
    email = follow_up(referral.model_copy(update=changes), case_ref=case_ref, send_form=True)
    (config.paths.inbox / "002-intruder.eml").write_bytes(email)
    return referral, case_ref, intruder


def test_a_quote_of_a_case_opened_by_an_email_ahead_in_the_backlog_is_quarantined_unopened(
    config: Config, opened: list[str]
) -> None:
    _, case_ref, intruder = referral_and_intruder(config)
    assert run(config) == 2
    (first,) = (r for r in records(config).values() if r["sender"] != intruder)
    assert first["case_ref"] == case_ref  # the reference the intruder quoted was new
    (quarantined,) = sent_by(config, intruder)
    assert quarantined["status"] == "quarantined"
    assert "case_reference_not_senders" in {f["code"] for f in quarantined["findings"]}
    assert not (hashes(quarantined) - hashes(first)) & set(opened)


def test_the_same_email_twice_in_a_backlog_is_read_once(config: Config, opened: list[str]) -> None:
    clean_emails(config, 1, seed=174, first=0)
    clean_emails(config, 1, seed=175, first=1)
    inbox = config.paths.inbox
    (inbox / "002-copy.eml").write_bytes((inbox / "001-clean.eml").read_bytes())
    assert run(config) == 2
    assert len(opened) == len(set(opened))


def test_a_second_delivery_in_the_same_backlog_is_read_once(
    config: Config, opened: list[str]
) -> None:
    email = render_email(sample(1, "clean", config, seed=176))
    again = email.replace(b"Message-ID: <", b"Message-ID: <again.", 1)
    assert again != email
    (config.paths.inbox / "001-email.eml").write_bytes(email)
    (config.paths.inbox / "002-again.eml").write_bytes(again)
    with open_context(config) as ctx:
        summary = run_inbox(ctx)
    assert (summary.processed, summary.skipped) == (1, 1)
    assert len(opened) == len(set(opened)) >= 2


def test_emails_seen_before_are_not_read_again(config: Config, opened: list[str]) -> None:
    clean_emails(config, 2, seed=177, first=0)
    assert run(config) == 2
    before = set(opened)
    opened.clear()
    clean_emails(config, 2, seed=178, first=2)
    assert run(config) == 2
    assert opened and not set(opened) & before


def order_dependent_backlog(config: Config) -> tuple[bytes, bytes]:
    """A referral without its map, then its map a day later (joining the case the first
    opened), with clean referrals around them."""
    clean_emails(config, 2, seed=179, first=0)
    referral = sample(1, "missing_document", config, seed=180)
    assert isinstance(referral, SampleReferral)
    first, then = render_email(referral), follow_up(referral, case_ref=None)
    (config.paths.inbox / "002-referral.eml").write_bytes(first)
    (config.paths.inbox / "003-map.eml").write_bytes(then)
    clean_emails(config, 3, seed=181, first=4)
    return first, then


def inbox_order(config: Config) -> list[str]:
    """The emails' ids in the order the drop folder hands them over (by name)."""
    names = FolderSource(config.paths.inbox, config.intake).names()
    return [message_id_of(sha256_hex((config.paths.inbox / n).read_bytes())) for n in names]


def elsewhere(config: Config, root: Path) -> Config:
    """The same inbox, with an outbox, store and register of its own."""
    paths = config.paths.model_copy(
        update={
            "outbox": root / "outbox",
            "store": root / "var" / "store",
            "register_db": root / "var" / "register.sqlite",
        }
    )
    return config.model_copy(update={"paths": paths})


def test_results_and_their_order_are_those_of_one_email_at_a_time(
    config: Config, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first, then = order_dependent_backlog(config)
    assert run(config) == 7
    ahead = records(config)
    assert registered_order(config) == inbox_order(config)
    joined = ahead[message_id_of(sha256_hex(then))]["case_ref"]
    assert joined is not None and joined == ahead[message_id_of(sha256_hex(first))]["case_ref"]

    one_at_a_time = elsewhere(config, tmp_path / "one-at-a-time")
    monkeypatch.setattr(readahead, "EMAILS_PER_WORKER", 0)
    assert run(one_at_a_time) == 7
    assert records(one_at_a_time) == ahead
    assert registered_order(one_at_a_time) == inbox_order(config)


def test_a_document_that_kills_its_worker_in_an_email_read_ahead_costs_only_that_document(
    config: Config,
) -> None:
    limit = 300  # MB beyond what a worker maps when it starts: the hungry file needs far more
    intake = config.intake.model_copy(update={"parse_memory_mb": limit, "max_zip_ratio": 10_000})
    config = config.model_copy(update={"intake": intake})
    clean_emails(config, 1, seed=182, first=0)
    hungry = files.memory_hungry_docx(1_000_000)
    letter = files.plain_docx("A letter from the educational psychologist")
    parts = [part(named("Hungry report.docx"), hungry), part(named("Letter.docx"), letter)]
    (config.paths.inbox / "001-hostile.eml").write_bytes(mail(sender_of(config), parts))
    clean_emails(config, 2, seed=183, first=2)
    assert run(config) == 4
    unreadable = [
        (f["document"], f["message"])
        for r in records(config).values()
        for f in r["findings"]
        if f["code"] == "unreadable_document"
    ]
    assert [name for name, _ in unreadable] == ["Hungry report.docx"]
    assert f"needs more than {limit} MB of memory" in unreadable[0][1]
    complete = [r for r in records(config).values() if r["status"] == "complete"]
    assert len(complete) == 3


def failing_second_record(monkeypatch: pytest.MonkeyPatch) -> None:
    """The register fails (its disk went away) when the second email is recorded."""
    real, recorded = Register.record, []

    def fails_second(register: Register, *args: Any, **kwargs: Any) -> None:
        if len(recorded) == 1:
            raise RegisterError("the register's disk went away")
        recorded.append(args[0].id)
        real(register, *args, **kwargs)

    monkeypatch.setattr(Register, "record", fails_second)


def poll_imap(config: Config) -> None:
    with open_context(config) as ctx:
        source = ImapSource.from_config(config.mailbox, ctx.register)
        try:
            run_source(source, ctx)
        finally:
            source.close()


def test_a_poll_stopped_mid_backlog_moves_only_the_mail_recorded_and_the_next_poll_finishes(
    account: Account, config: Config, monkeypatch: pytest.MonkeyPatch, opened: list[str]
) -> None:
    made = generate(config.paths.inbox.parent / "made", config, seed=186, clean=4)
    emails = [path.read_bytes() for path in made]
    for email in emails:
        account.append(email)
    config = account.configure(config)
    with monkeypatch.context() as patch:
        failing_second_record(patch)
        with pytest.raises(RegisterError):
            poll_imap(config)
    assert account.messages("Processed") == emails[:1]
    assert account.messages("INBOX") == emails[1:]
    read_in_first_poll = set(opened)
    poll_imap(config)
    assert account.messages("Processed") == emails and account.messages("INBOX") == []
    later = hashes_of(config, emails[2]) | hashes_of(config, emails[3])
    assert later & read_in_first_poll  # read ahead, and still left in the INBOX
    assert {r["status"] for r in records(config).values()} == {"complete"}
    assert len(records(config)) == 4


def hashes_of(config: Config, email: bytes) -> set[str]:
    return hashes(records(config)[message_id_of(sha256_hex(email))])


def test_a_run_stopped_mid_backlog_records_nothing_after_it_and_the_next_run_finishes(
    config: Config, monkeypatch: pytest.MonkeyPatch
) -> None:
    clean_emails(config, 5, seed=184, first=0)
    with monkeypatch.context() as patch:
        failing_second_record(patch)
        with pytest.raises(RegisterError), open_context(config) as ctx:
            run_inbox(ctx)
    order = inbox_order(config)
    assert registered_order(config) == order[:1]
    store = BlobStore(config.paths.store)
    names = FolderSource(config.paths.inbox, config.intake).names()
    assert store.has(sha256_hex((config.paths.inbox / names[2]).read_bytes()))  # read ahead
    assert run(config) == 4
    assert registered_order(config) == order
    assert {r["status"] for r in records(config).values()} == {"complete"}


class FailingAfter(FolderSource):
    """The drop folder as a mailbox whose connection drops after it has given ``count`` emails;
    it remembers which emails it was told were finished, and when."""

    def __init__(self, config: Config, count: int) -> None:
        super().__init__(config.paths.inbox, config.intake)
        self.count = count
        self.finished_refs: list[str] = []
        self.db = config.paths.register_db

    def pending(self) -> Iterator[Incoming]:
        for number, incoming in enumerate(super().pending()):
            if number == self.count:
                raise SourceError("the mailbox connection dropped")
            yield incoming

    def finished(self, incoming: Incoming, *, quarantined: bool) -> None:
        with Register(self.db) as register:  # its results are on disk before it is finished
            assert register.seen_message(sha256_hex(incoming.data))
        self.finished_refs.append(incoming.ref)


def test_a_source_failing_mid_poll_first_finishes_every_email_it_gave(config: Config) -> None:
    clean_emails(config, 4, seed=185, first=0)
    source = FailingAfter(config, count=2)
    with pytest.raises(SourceError), open_context(config) as ctx:
        run_source(source, ctx)
    assert source.finished_refs == source.names()[:2]
    assert registered_order(config) == inbox_order(config)[:2]
