"""The IMAP source against a real Dovecot, tried as a hostile world would: a folder recreated
during a poll, a kill between COPY and EXPUNGE, a FETCH answered without a body, a kill
between the register's commit and the reply draft, a draft the server refuses.

Kills are real: the poll runs in a forked child that sends itself SIGKILL right after the
IMAP command named, so nothing of the pipeline runs after it (no clean-up, no logout).
"""

from __future__ import annotations

import hashlib
import imaplib
import os
import signal
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from pipeline.config import Config
from pipeline.register import Register
from pipeline.runner import RunSummary, open_context, run_source
from pipeline.sources.imap import ImapSource
from testkit.samples import generate

if TYPE_CHECKING:
    from dovecot import Account

pytest_plugins = ["dovecot"]  # the dovecot and account fixtures

ATTEMPTS = 3  # intake.max_attempts, as shipped
Wrap = Callable[[ImapSource, imaplib.IMAP4], None]


def emails(config: Config, tmp_path: Path, seed: int, **kinds: Any) -> list[bytes]:
    paths = generate(tmp_path / f"samples-{seed}", config, seed=seed, **kinds)
    return [path.read_bytes() for path in paths]


def poll(config: Config, wrap: Wrap | None = None) -> RunSummary:
    """One `pipeline poll` through the real pipeline; ``wrap`` may rig the connection."""

    class Rigged(ImapSource):
        def _connection(self) -> imaplib.IMAP4:
            conn = super()._connection()
            if wrap is not None and not getattr(conn, "rigged", False):
                wrap(self, conn)
                conn.rigged = True  # type: ignore[attr-defined]
            return conn

    with open_context(config) as ctx:
        source = Rigged.from_config(config.mailbox, ctx.register)
        try:
            return run_source(source, ctx)
        finally:
            source.close()


def killed_poll(config: Config, wrap: Wrap) -> int:
    """``poll`` in a forked child that ``wrap`` kills; the signal that ended it."""
    pid = os.fork()
    if pid == 0:  # the child: never returns into pytest
        os.setpgid(0, 0)  # its own group, so the kill takes its parsing worker too
        try:
            poll(config, wrap)
        except BaseException:
            traceback.print_exc()
        finally:
            os._exit(0)
    _, status = os.waitpid(pid, 0)
    return os.WTERMSIG(status) if os.WIFSIGNALED(status) else 0


def die() -> None:
    os.killpg(0, signal.SIGKILL)


def kill_after(command: str) -> Wrap:
    """SIGKILL the process as soon as the server has answered the UID ``command``."""

    def wrap(source: ImapSource, conn: imaplib.IMAP4) -> None:
        real = conn.uid

        def uid(name: str, *args: str) -> tuple[str, list[Any]]:
            answer = real(name, *args)
            if name.upper() == command:
                die()
            return answer

        conn.uid = uid  # type: ignore[method-assign]

    return wrap


def without_move(source: ImapSource, conn: imaplib.IMAP4) -> None:
    source._capabilities = source._capabilities - {"MOVE"}


def processed_hashes(config: Config) -> set[str]:
    with Register(config.paths.register_db) as register:
        rows = register._db.execute("SELECT sha256 FROM messages").fetchall()
    return {str(sha) for (sha,) in rows}


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def test_a_mailbox_recreated_during_a_poll_never_has_unprocessed_mail_moved(
    account: Account, config: Config, tmp_path: Path
) -> None:
    first = emails(config, tmp_path, 61, clean=3)
    later = emails(config, tmp_path, 62, clean=4)
    admin = account.client()
    admin.create('"Referrals"')
    for email in first:
        account.append(email, "Referrals")
    mailbox = config.mailbox.model_copy(update={"folder": "Referrals"})
    config = account.configure(config.model_copy(update={"mailbox": mailbox}))
    recreated = []

    def recreate_after_first_fetch(source: ImapSource, conn: imaplib.IMAP4) -> None:
        real = conn.uid

        def uid(name: str, *args: str) -> tuple[str, list[Any]]:
            answer = real(name, *args)
            if name.upper() == "FETCH" and not recreated:
                recreated.append(True)  # another client deletes and recreates the folder
                admin.delete('"Referrals"')
                admin.create('"Referrals"')
                for email in later:
                    account.append(email, "Referrals")
            return answer

        conn.uid = uid  # type: ignore[method-assign]

    poll(config, recreate_after_first_fetch)
    moved = account.messages("Processed")
    assert {sha(m) for m in moved} <= processed_hashes(config)  # nothing moved unprocessed

    poll(config)  # the next poll reads the new folder from the beginning
    assert sorted(account.messages("Processed")) == sorted(later)
    assert account.messages("Referrals") == []
    # the first email was processed before its folder was deleted; the other two went with it
    assert processed_hashes(config) == {sha(m) for m in first[:1] + later}


@pytest.mark.parametrize("killed_after", ["COPY", "STORE"])
def test_a_kill_between_copy_and_expunge_leaves_no_duplicate_and_no_deleted_leftover(
    account: Account, config: Config, tmp_path: Path, killed_after: str
) -> None:
    batch = emails(config, tmp_path, 63, clean=2)
    for email in batch:
        account.append(email)
    config = account.configure(config)

    def rig(source: ImapSource, conn: imaplib.IMAP4) -> None:
        without_move(source, conn)
        kill_after(killed_after)(source, conn)

    assert killed_poll(config, rig) == signal.SIGKILL
    poll(config, without_move)

    assert sorted(account.messages("Processed")) == sorted(batch)  # each exactly once
    assert account.flags("INBOX") == []  # nothing left behind flagged \Deleted
    assert processed_hashes(config) == {sha(m) for m in batch}


def test_a_kill_between_the_register_commit_and_the_draft_makes_the_draft_on_the_next_poll(
    account: Account, config: Config, tmp_path: Path
) -> None:
    (email,) = emails(config, tmp_path, 64, clean=0, defects=["missing_document"])
    account.append(email)
    config = account.configure(config)

    def kill_at_draft(source: ImapSource, conn: imaplib.IMAP4) -> None:
        def append(*args: object) -> tuple[str, list[Any]]:
            die()
            raise AssertionError("not reached")

        conn.append = append  # type: ignore[method-assign]

    assert killed_poll(config, kill_at_draft) == signal.SIGKILL
    assert account.messages("INBOX") == [email]  # processed, not yet moved
    again = poll(config)

    assert (again.processed, again.skipped) == (0, 1)
    assert len(account.messages("Drafts")) == 1
    assert account.messages("Processed") == [email]


def test_a_draft_the_server_refuses_is_saved_on_the_next_poll_and_only_once(
    account: Account, config: Config, tmp_path: Path
) -> None:
    (email,) = emails(config, tmp_path, 65, clean=0, defects=["missing_document"])
    account.append(email)
    config = account.configure(config)

    def over_quota(source: ImapSource, conn: imaplib.IMAP4) -> None:
        def append(*args: object) -> tuple[str, list[Any]]:
            return "NO", [b"[OVERQUOTA] Quota exceeded (mailbox for user is full)"]

        conn.append = append  # type: ignore[method-assign]

    poll(config, over_quota)
    assert account.messages("Drafts") == []
    assert account.messages("Processed") == [email]  # the email itself is done

    poll(config)
    poll(config)
    (draft,) = account.messages("Drafts")
    saved = next((config.paths.outbox / "replies").glob("*.eml")).read_bytes()
    assert draft == saved


def test_a_kill_after_the_draft_was_appended_does_not_duplicate_it(
    account: Account, config: Config, tmp_path: Path
) -> None:
    (email,) = emails(config, tmp_path, 66, clean=0, defects=["missing_document"])
    account.append(email)
    config = account.configure(config)

    def kill_after_append(source: ImapSource, conn: imaplib.IMAP4) -> None:
        real = conn.append

        def append(*args: Any) -> tuple[str, list[Any]]:
            real(*args)
            die()
            raise AssertionError("not reached")

        conn.append = append  # type: ignore[method-assign]

    assert killed_poll(config, kill_after_append) == signal.SIGKILL
    poll(config)
    assert len(account.messages("Drafts")) == 1
    assert account.messages("Processed") == [email]


def without_body(source: ImapSource, conn: imaplib.IMAP4) -> None:
    """The server answers FETCH OK but without the message, as Exchange does for mail it
    cannot convert: the body is left out of what is asked of the real Dovecot."""
    real = conn.uid

    def uid(name: str, *args: str) -> tuple[str, list[Any]]:
        if name.upper() == "FETCH" and "BODY.PEEK[]" in args[-1]:
            args = (*args[:-1], args[-1].replace(" BODY.PEEK[]", ""))
        return real(name, *args)

    conn.uid = uid  # type: ignore[method-assign]


def test_an_empty_fetch_is_logged_counted_and_quarantined_after_repeats(
    account: Account, config: Config, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    (email,) = emails(config, tmp_path, 67, clean=1)
    account.append(email)
    config = account.configure(config)

    summaries = [poll(config, without_body) for _ in range(ATTEMPTS)]

    assert [s.failed for s in summaries] == [1] * (ATTEMPTS - 1) + [0]
    assert caplog.text.count("answered FETCH for UID 1 without a body") == 3
    assert account.messages("Quarantine") == [email]
    assert account.messages("INBOX") == []
    with Register(config.paths.register_db) as register:
        (submission,) = register.submissions()
    assert [f.code for f in submission.findings] == ["processing_failed"]
    assert submission.status.value == "quarantined"
