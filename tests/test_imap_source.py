"""The IMAP source against a real Dovecot: what the admin sees in the mailbox and the outbox.

Faults are real too: a TCP proxy cuts the connection mid-fetch or answers with BYE, and a
server of the test's own is stopped between processing a message and moving it.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from email import message_from_bytes, policy
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

import pytest
from fakes import make_tls
from fakes.graph_server import FakeGraph
from tcp_proxy import Proxy

from pipeline.config import Config
from pipeline.credentials import CredentialError
from pipeline.errors import SourceError
from pipeline.intake.mail import message_id_of
from pipeline.models import Incoming
from pipeline.register import Register
from pipeline.runner import RunSummary, open_context, run_source
from pipeline.sources.factory import open_mailbox
from pipeline.sources.imap import ImapSource
from testkit.samples import generate

if TYPE_CHECKING:
    from dovecot import Account, Dovecot

pytest_plugins = ["dovecot"]  # the dovecot, own_dovecot and account fixtures


def sample_emails(config: Config, tmp_path: Path, **kinds: object) -> list[bytes]:
    folder = tmp_path / "samples"
    return [path.read_bytes() for path in generate(folder, config, **kinds)]  # type: ignore[arg-type]


def poll(config: Config, source_class: type[ImapSource] = ImapSource) -> RunSummary:
    with open_context(config) as ctx:
        source = source_class.from_config(config.mailbox, ctx.register)
        try:
            return run_source(source, ctx)
        finally:
            source.close()


def register_counts(config: Config) -> dict[str, int]:
    with Register(config.paths.register_db) as register:
        return register.counts()


def json_files(config: Config) -> list[str]:
    folder = config.paths.outbox / "submissions"
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


class CountingSource(ImapSource):
    fetched: ClassVar[list[str]] = []

    def _fetch(self, uidvalidity: int, uid: int) -> Incoming | None:
        CountingSource.fetched.append(f"{uidvalidity}:{uid}")
        return super()._fetch(uidvalidity, uid)


def test_messages_in_the_inbox_are_processed_and_moved_to_processed(
    account: Account, config: Config, tmp_path: Path
) -> None:
    emails = sample_emails(config, tmp_path, seed=21, clean=3)
    for email in emails:
        account.append(email)
    config = account.configure(config)
    summary = poll(config)
    assert summary.processed == 3
    assert account.messages("INBOX") == []
    assert sorted(account.messages("Processed")) == sorted(emails)
    assert len(json_files(config)) == 3
    assert register_counts(config)["messages"] == 3


def test_mail_from_an_unknown_sender_goes_to_quarantine(
    account: Account, config: Config, tmp_path: Path
) -> None:
    (email,) = sample_emails(config, tmp_path, seed=22, clean=0, defects=["unknown_sender"])
    account.append(email)
    poll(account.configure(config))
    assert account.messages("Quarantine") == [email]
    assert account.messages("INBOX") == account.messages("Processed") == []


def test_a_second_poll_fetches_only_new_messages(
    account: Account, config: Config, tmp_path: Path
) -> None:
    first, second = sample_emails(config, tmp_path, seed=23, clean=2)
    config = account.configure(config)
    CountingSource.fetched = []
    account.append(first)
    poll(config, CountingSource)
    account.append(second)
    summary = poll(config, CountingSource)
    assert len(CountingSource.fetched) == 2  # one per poll: the first was not fetched again
    assert summary.processed == 1
    assert summary.skipped == 0


def test_an_incomplete_submission_gets_a_reply_draft_in_drafts_and_the_outbox(
    account: Account, config: Config, tmp_path: Path
) -> None:
    (email,) = sample_emails(config, tmp_path, seed=24, clean=0, defects=["missing_document"])
    account.append(email)
    config = account.configure(config)
    poll(config)
    submission_id = message_id_of(hashlib.sha256(email).hexdigest())
    saved = (config.paths.outbox / "replies" / f"{submission_id}.eml").read_bytes()
    (draft,) = account.messages("Drafts")
    assert draft == saved
    reply = message_from_bytes(draft, policy=policy.default)
    original = message_from_bytes(email, policy=policy.default)
    assert reply["To"] == original["From"].addresses[0].addr_spec
    assert reply["In-Reply-To"] == original["Message-ID"]
    assert "\\Draft" in account.flags("Drafts")[0]
    assert "What needs fixing before the panel can consider it" in reply.get_content()


def test_a_connection_dropped_mid_fetch_loses_nothing_and_processes_each_once(
    account: Account, config: Config, tmp_path: Path
) -> None:
    emails = sample_emails(config, tmp_path, seed=25, clean=3)
    for email in emails:
        account.append(email)
    proxy = Proxy(account.port)
    config = account.configure(config, port=proxy.port)
    proxy.cut_after = len(emails[0]) + len(emails[1]) // 2 + 2000  # inside the second message
    try:
        with pytest.raises(SourceError, match=r"connection .* failed while fetching UID 2"):
            poll(config)
        assert proxy.cuts == 1
        second = poll(config)
    finally:
        proxy.close()
    assert second.processed + 1 == 3
    assert register_counts(config)["messages"] == 3
    assert len(json_files(config)) == 3
    assert account.messages("INBOX") == []
    assert sorted(account.messages("Processed")) == sorted(emails)


def test_a_server_down_between_processing_and_the_move_moves_it_next_poll(
    own_dovecot: Dovecot, config: Config, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    user = own_dovecot.account()
    monkeypatch.setenv("CLUSTER_IMAP_USERNAME", user.username)
    monkeypatch.setenv("CLUSTER_IMAP_PASSWORD", user.password)
    (email,) = sample_emails(config, tmp_path, seed=26, clean=1)
    user.append(email)
    config = user.configure(config)

    class StopBeforeMove(ImapSource):
        def finished(self, incoming: Incoming, *, quarantined: bool) -> None:
            own_dovecot.stop()
            super().finished(incoming, quarantined=quarantined)

    with pytest.raises(SourceError, match="failed while moving UID 1"):
        poll(config, StopBeforeMove)
    own_dovecot.start()
    assert user.messages("INBOX") == [email]
    again = poll(config)
    assert (again.processed, again.skipped) == (0, 1)
    assert user.messages("Processed") == [email]
    assert register_counts(config)["messages"] == 1


def test_a_server_answering_bye_fails_the_poll_and_the_next_poll_recovers(
    account: Account, config: Config, tmp_path: Path
) -> None:
    (email,) = sample_emails(config, tmp_path, seed=27, clean=1)
    account.append(email)
    proxy = Proxy(account.port)
    proxy.greeting = b"* BYE Too many connections, try again later\r\n"
    config = account.configure(config, port=proxy.port)
    try:
        with pytest.raises(SourceError) as refused:
            poll(config)
        proxy.greeting = None
        recovered = poll(config)
    finally:
        proxy.close()
    assert "\n" not in str(refused.value)
    assert "Too many connections" in str(refused.value)
    assert recovered.processed == 1


def test_a_missing_password_names_the_variable(
    account: Account, config: Config, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CLUSTER_IMAP_PASSWORD")
    with pytest.raises(CredentialError, match="CLUSTER_IMAP_PASSWORD"):
        ImapSource.from_config(account.configure(config).mailbox, _NoState())


class _TokenRecorder:
    """Stands in for the connection at login: records what XOAUTH2 sends."""

    def __init__(self) -> None:
        self.sent: list[bytes] = []

    def authenticate(self, mechanism: str, respond: object) -> None:
        assert mechanism == "XOAUTH2" and callable(respond)
        self.sent.append(respond(b""))


def test_an_xoauth2_token_is_read_again_from_its_file_at_every_login(
    config: Config, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    token = tmp_path / "imap-token"
    token.write_text("first-token\n")
    monkeypatch.setenv("CLUSTER_IMAP_USERNAME", "cluster@stoke.gov.uk")
    monkeypatch.setenv("CLUSTER_IMAP_OAUTH_TOKEN_FILE", str(token))
    imap = config.mailbox.imap.model_copy(update={"host": "127.0.0.1", "auth": "xoauth2"})
    source = ImapSource.from_config(config.mailbox.model_copy(update={"imap": imap}), _NoState())
    connection = _TokenRecorder()

    source._login(connection)  # type: ignore[arg-type]
    token.write_text("renewed-token\n")
    source._login(connection)  # type: ignore[arg-type]

    assert connection.sent == [
        b"user=cluster@stoke.gov.uk\x01auth=Bearer first-token\x01\x01",
        b"user=cluster@stoke.gov.uk\x01auth=Bearer renewed-token\x01\x01",
    ]


def test_with_a_client_id_the_imap_source_signs_in_as_the_app(
    config: Config, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "tls").mkdir()
    identity = FakeGraph(tls=make_tls(tmp_path / "tls"))
    identity.server.start()
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(identity.tls.ca_file))
    monkeypatch.setenv("CLUSTER_IMAP_USERNAME", "cluster@stoke.gov.uk")
    monkeypatch.setenv("CLUSTER_IMAP_CLIENT_SECRET", identity.client_secret)
    imap = config.mailbox.imap.model_copy(
        update={
            "host": "127.0.0.1",
            "auth": "xoauth2",
            "tenant_id": identity.tenant,
            "client_id": identity.client_id,
            "authority": identity.authority,
        }
    )
    source = ImapSource.from_config(config.mailbox.model_copy(update={"imap": imap}), _NoState())
    connection = _TokenRecorder()
    try:
        source._login(connection)  # type: ignore[arg-type]
    finally:
        identity.server.stop()

    assert connection.sent == [b"user=cluster@stoke.gov.uk\x01auth=Bearer token-1\x01\x01"]


def test_an_unreachable_microsoft_sign_in_is_one_line_naming_it_not_the_imap_server(
    config: Config, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CLUSTER_IMAP_USERNAME", "cluster@stoke.gov.uk")
    monkeypatch.setenv("CLUSTER_IMAP_CLIENT_SECRET", "secret")
    imap = config.mailbox.imap.model_copy(
        update={
            "host": "127.0.0.1",
            "auth": "xoauth2",
            "tenant_id": "tenant",
            "client_id": "client",
            "authority": "https://127.0.0.1:9",  # nothing listens on the discard port
        }
    )
    mailbox = config.mailbox.model_copy(update={"imap": imap, "timeout_seconds": 5})
    source = ImapSource.from_config(mailbox, _NoState())

    with pytest.raises(SourceError) as failed:
        source._login(_TokenRecorder())  # type: ignore[arg-type]

    assert str(failed.value).startswith(
        "Microsoft sign-in could not be reached for the IMAP mailbox: "
    )
    assert "\n" not in str(failed.value)


def test_a_wrong_password_is_one_clear_line(
    account: Account, config: Config, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CLUSTER_IMAP_PASSWORD", "wrong")
    with pytest.raises(CredentialError) as refused:
        poll(account.configure(config))
    assert str(refused.value) == (
        f"the IMAP server 127.0.0.1 refused the login for {account.username}"
    )


def test_pipeline_poll_with_a_wrong_password_exits_with_that_one_line(
    account: Account, tmp_path: Path
) -> None:
    config_file = account.config_file(tmp_path)
    result = subprocess.run(
        [sys.executable, "-m", "pipeline", "poll", "--config", str(config_file)],
        env=account.environment(password="wrong"),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 5
    assert result.stderr.splitlines() == [
        f"error: the IMAP server 127.0.0.1 refused the login for {account.username}"
    ]


def test_pipeline_poll_processes_the_mailbox_and_writes_the_reports(
    account: Account, config: Config, tmp_path: Path
) -> None:
    (email,) = sample_emails(config, tmp_path, seed=28, clean=1)
    account.append(email)
    config_file = account.config_file(tmp_path)
    result = subprocess.run(
        [sys.executable, "-m", "pipeline", "poll", "--config", str(config_file)],
        env=account.environment(),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "processed 1 message(s) (1 complete)" in result.stdout
    assert (tmp_path / "outbox" / "report.html").exists()
    assert account.messages("Processed") == [email]


def test_without_move_the_message_is_copied_then_expunged(
    account: Account, config: Config, tmp_path: Path
) -> None:
    (email,) = sample_emails(config, tmp_path, seed=29, clean=1)
    account.append(email)

    class NoMove(ImapSource):
        def _connection(self):  # type: ignore[no-untyped-def]
            conn = super()._connection()
            self._capabilities = self._capabilities - {"MOVE"}
            return conn

    poll(account.configure(config), NoMove)
    assert account.messages("Processed") == [email]
    assert account.flags("INBOX") == []


def test_a_changed_uidvalidity_reads_the_folder_from_the_beginning(
    account: Account, config: Config, tmp_path: Path
) -> None:
    (email,) = sample_emails(config, tmp_path, seed=30, clean=1)
    account.append(email)
    config = account.configure(config)
    key = f"imap:{account.username}@127.0.0.1/INBOX"
    with open_context(config) as ctx:
        ctx.register.save_source_state(key, json.dumps({"uidvalidity": 1, "done": [1]}))
    assert poll(config).processed == 1
    with open_context(config) as ctx:
        saved = json.loads(ctx.register.source_state(key) or "{}")
    assert saved["uidvalidity"] != 1
    assert saved["done"] == [1]  # UID 1 of the folder as it is now


@pytest.mark.parametrize(("security", "tls_port"), [("tls", True), ("starttls", False)])
def test_tls_connections_verify_the_server_certificate(
    account: Account,
    config: Config,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    security: str,
    tls_port: bool,
) -> None:
    (email,) = sample_emails(config, tmp_path, seed=31, clean=1)
    account.append(email)
    port = account.tls_port if tls_port else account.port
    config = account.configure(config, security=security, port=port)
    with pytest.raises(SourceError, match="CERTIFICATE_VERIFY_FAILED"):
        poll(config)
    monkeypatch.setenv("SSL_CERT_FILE", str(account.cert))
    assert poll(config).processed == 1


class _NoState:
    def source_state(self, source: str) -> str | None:
        return None

    def save_source_state(self, source: str, state: str) -> None:
        pass


def test_the_configured_mailbox_kind_picks_the_source(account: Account, config: Config) -> None:
    assert open_mailbox(config, _NoState()) is None  # kind = "none": the drop folder only
    assert isinstance(open_mailbox(account.configure(config), _NoState()), ImapSource)
