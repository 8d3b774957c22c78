"""The EWS source, driven through real exchangelib against a loopback Exchange that speaks SOAP.

The fake (tests/fakes/ews_server.py) keeps its mailbox across restarts and injects the faults
only Exchange has: ErrorServerBusy with BackOffMilliseconds, expired sync states, items it
cannot convert, basic and OAuth2 sign-in refused. What EWS and Graph both promise (moves after
the JSON is on disk, quarantine, drafts, dropped connections, restarts, over-size mail) is in
tests/test_synced_mailboxes.py.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import suppress
from pathlib import Path

import pytest
from fakes import (
    Tls,
    make_tls,
    poll,
    processed_count,
    sample_emails,
)
from fakes.ews_server import FakeEws
from fakes.synced import SyncedWorld, ews_world

from pipeline.config import Config
from pipeline.credentials import CredentialError
from pipeline.errors import SourceError
from pipeline.register import Register
from pipeline.sources.ews import EwsSource
from pipeline.sources.retry import Backoff

ADDRESS = "CentralCluster@stoke.gov.uk"
FAST = Backoff(budget=2.0, first=0.05, longest=0.2)


@pytest.fixture(scope="module")
def tls(tmp_path_factory: pytest.TempPathFactory) -> Tls:
    return make_tls(tmp_path_factory.mktemp("tls"))


@pytest.fixture
def world(config: Config, tls: Tls, monkeypatch: pytest.MonkeyPatch) -> Iterator[SyncedWorld]:
    with ews_world(config, tls, monkeypatch, backoff=FAST) as world:
        yield world


@pytest.fixture
def fake(world: SyncedWorld) -> FakeEws:
    assert isinstance(world.fake, FakeEws)
    return world.fake


@pytest.fixture
def ews_config(world: SyncedWorld) -> Config:
    return world.config


@pytest.fixture
def state(world: SyncedWorld) -> Register:
    return world.register


@pytest.fixture
def ews(world: SyncedWorld) -> EwsSource:
    source = world.source()
    assert isinstance(source, EwsSource)
    return source


@pytest.fixture
def samples(tmp_path: Path) -> Path:
    return tmp_path / "samples"


def deliver(fake: FakeEws, emails: list[bytes]) -> list[bytes]:
    for mime in emails:
        fake.mailbox.deliver(mime)
    return emails


def test_each_poll_asks_exchange_once_for_the_changes_since_the_saved_sync_state(
    ews: EwsSource, fake: FakeEws, ews_config: Config, samples: Path
) -> None:
    emails = sample_emails(ews_config, samples, clean=3)
    deliver(fake, emails[:2])
    poll(ews, ews_config)
    deliver(fake, emails[2:])

    assert poll(ews, ews_config).processed == 1
    assert fake.count("SyncFolderItems") == 2


def test_a_busy_server_is_waited_out_and_every_message_processed_once(
    ews: EwsSource, fake: FakeEws, ews_config: Config, samples: Path
) -> None:
    deliver(fake, sample_emails(ews_config, samples, clean=2))
    fake.faults.busy, fake.faults.busy_ms = 3, 100

    poll(ews, ews_config)

    assert processed_count(ews_config) == (2, 2)
    assert len(fake.mailbox.named("Processed")) == 2


def test_a_back_off_longer_than_the_budget_ends_the_poll_and_the_next_poll_catches_up(
    ews: EwsSource, fake: FakeEws, ews_config: Config, samples: Path
) -> None:
    deliver(fake, sample_emails(ews_config, samples, clean=2))
    fake.faults.busy, fake.faults.busy_ms = 1, 60_000

    with pytest.raises(SourceError, match="ErrorServerBusy"):
        poll(ews, ews_config)
    poll(ews, ews_config)

    assert processed_count(ews_config) == (2, 2)


@pytest.mark.parametrize(
    ("auth", "variable"),
    [
        ("oauth2", "CLUSTER_EWS_CLIENT_SECRET"),
        ("ntlm", "CLUSTER_EWS_USERNAME"),
        ("basic", "CLUSTER_EWS_USERNAME"),
    ],
)
def test_a_missing_credential_is_a_credential_error_naming_the_variable(
    ews_config: Config, state: Register, monkeypatch: pytest.MonkeyPatch, auth: str, variable: str
) -> None:
    for name in ("CLIENT_SECRET", "USERNAME", "PASSWORD"):
        monkeypatch.delenv(f"CLUSTER_EWS_{name}", raising=False)
        monkeypatch.delenv(f"CLUSTER_EWS_{name}_FILE", raising=False)
    mailbox = ews_config.mailbox.model_copy(
        update={"ews": ews_config.mailbox.ews.model_copy(update={"auth": auth})}
    )

    with pytest.raises(CredentialError, match=variable):
        EwsSource.from_config(mailbox, state)


def test_a_wrong_client_secret_is_a_credential_error(
    ews_config: Config, fake: FakeEws, state: Register, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CLUSTER_EWS_CLIENT_SECRET", "not-the-secret")
    source = EwsSource.from_config(
        ews_config.mailbox, state, authority=fake.authority, backoff=FAST
    )

    with pytest.raises(CredentialError, match="refused the EWS credentials") as refused:
        poll(source, ews_config)
    assert "\n" not in str(refused.value)


def test_on_premises_basic_auth_reads_the_folder_and_a_wrong_password_is_refused(
    ews_config: Config,
    fake: FakeEws,
    state: Register,
    samples: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    deliver(fake, sample_emails(ews_config, samples, clean=1))
    mailbox = ews_config.mailbox.model_copy(
        update={"ews": ews_config.mailbox.ews.model_copy(update={"auth": "basic"})}
    )
    monkeypatch.setenv("CLUSTER_EWS_USERNAME", fake.username)
    monkeypatch.setenv("CLUSTER_EWS_PASSWORD", "wrong-password")
    with pytest.raises(CredentialError, match="refused"):
        poll(EwsSource.from_config(mailbox, state, backoff=FAST), ews_config)

    monkeypatch.setenv("CLUSTER_EWS_PASSWORD", fake.password)
    assert poll(EwsSource.from_config(mailbox, state, backoff=FAST), ews_config).processed == 1


def quarantined_codes(config: Config) -> list[list[str]]:
    with Register(config.paths.register_db) as register:
        return [
            [f.code for f in s.findings]
            for s in register.submissions()
            if s.status.value == "quarantined"
        ]


def test_a_poll_that_fails_before_its_sync_state_is_saved_loses_no_mail_on_later_polls(
    ews: EwsSource, fake: FakeEws, ews_config: Config, state: Register, samples: Path
) -> None:
    emails = deliver(fake, sample_emails(ews_config, samples, clean=3))
    fake.faults.failed_fetches = 1  # the first fetch of the first poll fails

    for _ in range(5):  # the service polls again and again with the same source
        with suppress(SourceError):
            poll(ews, ews_config)
    restarted = EwsSource.from_config(
        ews_config.mailbox, state, authority=fake.authority, backoff=FAST
    )
    poll(restarted, ews_config)

    assert processed_count(ews_config) == (3, 3)
    assert sorted(item.mime for item in fake.mailbox.named("Processed")) == sorted(emails)
    assert fake.mailbox.in_folder("inbox") == []


def test_an_invalid_sync_state_reads_the_folder_again_and_moves_what_was_processed(
    ews: EwsSource, fake: FakeEws, ews_config: Config, state: Register, samples: Path
) -> None:
    emails = deliver(fake, sample_emails(ews_config, samples, clean=4)[:2])
    poll(ews, ews_config)
    emails += deliver(fake, sample_emails(ews_config, samples, clean=4)[2:])
    # the third email is processed, then its move fails
    fake.faults.busy, fake.faults.busy_ms, fake.faults.busy_operation = 1, 60_000, "MoveItem"
    with pytest.raises(SourceError, match="could not move a message"):
        poll(ews, ews_config)
    fake.faults.sync_states_expired = True

    again = EwsSource.from_config(ews_config.mailbox, state, authority=fake.authority, backoff=FAST)
    summary = poll(again, ews_config)

    assert (summary.processed, summary.skipped) == (1, 1)  # the third recognised, not redone
    assert processed_count(ews_config) == (4, 4)
    assert sorted(item.mime for item in fake.mailbox.named("Processed")) == sorted(emails)
    assert fake.mailbox.in_folder("inbox") == []


def test_a_message_exchange_cannot_convert_does_not_stop_the_poll_and_is_quarantined_after_repeats(
    ews: EwsSource, fake: FakeEws, ews_config: Config, samples: Path
) -> None:
    first, bad, last = deliver(fake, sample_emails(ews_config, samples, clean=3))
    fake.faults.unconvertible = {bad}

    summaries = [poll(ews, ews_config) for _ in range(3)]

    assert [(s.processed, s.failed) for s in summaries] == [(2, 1), (0, 1), (1, 0)]
    assert sorted(item.mime for item in fake.mailbox.named("Processed")) == sorted([first, last])
    assert [item.mime for item in fake.mailbox.named("Quarantine")] == [bad]
    assert quarantined_codes(ews_config) == [["processing_failed"]]


def test_a_draft_whose_saving_was_cut_short_is_found_in_drafts_not_saved_twice(
    ews: EwsSource, fake: FakeEws, ews_config: Config, samples: Path
) -> None:
    (draft,) = sample_emails(ews_config, samples, clean=1)
    ews.save_draft(draft)

    assert ews.has_draft(draft)
    assert not ews.has_draft(sample_emails(ews_config, samples, clean=2)[1])
