"""The Graph source, driven through real msal and httpx against a loopback identity platform and
Graph over HTTPS (a throwaway CA made by the test).

The fake (tests/fakes/graph_server.py) pages delta results two at a time, keeps its mailbox
across restarts and injects the faults: a connection dropped mid-fetch, a restart between
processing and moving, 429 and 503 with Retry-After, refused credentials.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fakes import (
    Tls,
    json_written,
    make_tls,
    oversize_email,
    poll,
    processed_count,
    sample_emails,
    submission_record,
    with_email_limit,
)
from fakes.graph_server import FakeGraph

from pipeline.config import Config, GraphServer, Mailbox, MailboxKind
from pipeline.credentials import CredentialError
from pipeline.errors import SourceError
from pipeline.intake.store import BlobStore, sha256_hex
from pipeline.register import Register
from pipeline.sources.graph import GraphSource
from pipeline.sources.retry import Backoff

ADDRESS = "CentralCluster@stoke.gov.uk"
FAST = Backoff(budget=3.0, first=0.05, longest=0.2)


@pytest.fixture(scope="module")
def tls(tmp_path_factory: pytest.TempPathFactory) -> Tls:
    return make_tls(tmp_path_factory.mktemp("tls"))


@pytest.fixture
def fake(tls: Tls) -> Iterator[FakeGraph]:
    fake = FakeGraph(tls=tls)
    fake.server.start()
    yield fake
    fake.server.stop()


@pytest.fixture
def graph_config(config: Config, fake: FakeGraph, monkeypatch: pytest.MonkeyPatch) -> Config:
    monkeypatch.setenv("CLUSTER_GRAPH_CLIENT_SECRET", fake.client_secret)
    server = GraphServer(
        tenant_id=fake.tenant,
        client_id=fake.client_id,
        authority=fake.authority,
        base_url=fake.base_url,
    )
    mailbox = Mailbox(kind=MailboxKind.graph, address=ADDRESS, graph=server)
    return config.model_copy(update={"mailbox": mailbox})


@pytest.fixture
def state(graph_config: Config) -> Iterator[Register]:
    with Register(graph_config.paths.register_db) as register:
        yield register


def open_graph(config: Config, state: Register, tls: Tls) -> GraphSource:
    return GraphSource.from_config(config.mailbox, state, ca_file=tls.ca_file, backoff=FAST)


@pytest.fixture
def graph(graph_config: Config, state: Register, tls: Tls) -> Iterator[GraphSource]:
    source = open_graph(graph_config, state, tls)
    yield source
    source.close()


@pytest.fixture
def samples(tmp_path: Path) -> Path:
    return tmp_path / "samples"


def deliver(fake: FakeGraph, emails: list[bytes]) -> list[bytes]:
    for mime in emails:
        fake.mailbox.deliver(mime)
    return emails


def test_a_second_poll_fetches_only_the_messages_that_arrived_since(
    graph: GraphSource, fake: FakeGraph, graph_config: Config, samples: Path
) -> None:
    emails = sample_emails(graph_config, samples, clean=4)
    deliver(fake, emails[:3])
    assert poll(graph, graph_config).processed == 3

    deliver(fake, emails[3:])
    assert poll(graph, graph_config).processed == 1

    assert fake.mailbox.fetches == dict.fromkeys(emails, 1)
    assert fake.count("/messages/delta") >= 3  # the first poll read two pages


def test_a_message_is_moved_only_once_its_submission_json_is_on_disk(
    graph: GraphSource, fake: FakeGraph, graph_config: Config, samples: Path
) -> None:
    emails = deliver(fake, sample_emails(graph_config, samples, clean=2))
    fake.mailbox.probe = lambda mime: json_written(graph_config, mime)

    poll(graph, graph_config)

    assert [move.probe for move in fake.mailbox.moves] == [True, True]
    assert sorted(item.mime for item in fake.mailbox.named("Processed")) == sorted(emails)
    assert fake.mailbox.in_folder("inbox") == []


def test_mail_from_an_unknown_sender_goes_to_the_quarantine_folder(
    graph: GraphSource, fake: FakeGraph, graph_config: Config, samples: Path
) -> None:
    clean, stranger = deliver(
        fake, sample_emails(graph_config, samples, clean=1, defects=("unknown_sender",))
    )

    poll(graph, graph_config)

    assert [item.mime for item in fake.mailbox.named("Quarantine")] == [stranger]
    assert [item.mime for item in fake.mailbox.named("Processed")] == [clean]
    quarantine = next(f for f in fake.mailbox.folders.values() if f.name == "Quarantine")
    assert quarantine.parent == "msgfolderroot"


def test_a_reply_draft_is_saved_in_drafts_and_not_sent(
    graph: GraphSource, fake: FakeGraph, graph_config: Config, samples: Path
) -> None:
    reply = sample_emails(graph_config, samples, clean=1)[0]

    graph.save_draft(reply)

    drafts = fake.mailbox.in_folder("drafts")
    assert [(item.mime, item.is_draft) for item in drafts] == [(reply, True)]
    assert fake.mailbox.in_folder("sentitems") == []


def test_a_connection_dropped_mid_fetch_loses_nothing_and_processes_each_message_once(
    graph: GraphSource, fake: FakeGraph, graph_config: Config, samples: Path
) -> None:
    emails = deliver(fake, sample_emails(graph_config, samples, clean=3))
    fake.faults.drop_fetches = 2

    poll(graph, graph_config)

    assert processed_count(graph_config) == (3, 3)
    assert sorted(item.mime for item in fake.mailbox.named("Processed")) == sorted(emails)


def test_a_restart_between_processing_and_moving_is_recovered_on_the_next_poll_without_reprocessing(
    graph_config: Config, fake: FakeGraph, state: Register, tls: Tls, samples: Path
) -> None:
    emails = deliver(fake, sample_emails(graph_config, samples, clean=3))
    fake.faults.down_at_move = True

    with pytest.raises(SourceError, match="could not move a message"):
        poll(open_graph(graph_config, state, tls), graph_config)
    fake.server.start()  # the same port, the same mailbox
    summary = poll(open_graph(graph_config, state, tls), graph_config)

    assert (summary.processed, summary.skipped) == (2, 1)
    assert processed_count(graph_config) == (3, 3)
    assert sorted(item.mime for item in fake.mailbox.named("Processed")) == sorted(emails)
    assert fake.mailbox.in_folder("inbox") == []


def test_throttling_is_waited_out_and_every_message_processed_once(
    graph: GraphSource, fake: FakeGraph, graph_config: Config, samples: Path
) -> None:
    deliver(fake, sample_emails(graph_config, samples, clean=2))
    fake.faults.throttle = 2  # one 503, one 429, each with Retry-After: 1

    poll(graph, graph_config)

    assert processed_count(graph_config) == (2, 2)
    assert len(fake.mailbox.named("Processed")) == 2


def test_a_retry_after_longer_than_the_budget_ends_the_poll_and_the_next_poll_catches_up(
    graph: GraphSource, fake: FakeGraph, graph_config: Config, samples: Path
) -> None:
    deliver(fake, sample_emails(graph_config, samples, clean=2))
    fake.faults.throttle, fake.faults.retry_after = 1, "600"

    with pytest.raises(SourceError, match="HTTP 429"):
        poll(graph, graph_config)
    poll(graph, graph_config)

    assert processed_count(graph_config) == (2, 2)


def test_a_missing_client_secret_is_a_credential_error_naming_the_variable(
    graph_config: Config, state: Register, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CLUSTER_GRAPH_CLIENT_SECRET")
    monkeypatch.delenv("CLUSTER_GRAPH_CLIENT_SECRET_FILE", raising=False)

    with pytest.raises(CredentialError, match="CLUSTER_GRAPH_CLIENT_SECRET"):
        GraphSource.from_config(graph_config.mailbox, state)


def test_a_wrong_client_secret_is_a_credential_error_on_one_line(
    graph_config: Config, state: Register, tls: Tls, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CLUSTER_GRAPH_CLIENT_SECRET", "not-the-secret")

    with pytest.raises(CredentialError, match="invalid_client") as refused:
        poll(open_graph(graph_config, state, tls), graph_config)
    assert "\n" not in str(refused.value)


def test_an_expired_delta_token_reads_the_folder_again_and_moves_what_was_processed(
    graph: GraphSource,
    fake: FakeGraph,
    graph_config: Config,
    state: Register,
    tls: Tls,
    samples: Path,
) -> None:
    emails = deliver(fake, sample_emails(graph_config, samples, clean=4)[:2])
    poll(graph, graph_config)
    emails += deliver(fake, sample_emails(graph_config, samples, clean=4)[2:])
    fake.faults.down_at_move = True  # the third email is processed, then its move fails
    with pytest.raises(SourceError):
        poll(graph, graph_config)
    fake.server.start()
    fake.faults.delta_tokens_expired = True  # 410 syncStateNotFound, as documented

    again = open_graph(graph_config, state, tls)
    summary = poll(again, graph_config)
    again.close()

    assert (summary.processed, summary.skipped) == (1, 1)  # the third recognised, not redone
    assert processed_count(graph_config) == (4, 4)
    assert sorted(item.mime for item in fake.mailbox.named("Processed")) == sorted(emails)
    assert fake.mailbox.in_folder("inbox") == []


def test_a_saved_draft_is_found_by_its_message_id(
    graph: GraphSource, fake: FakeGraph, graph_config: Config, samples: Path
) -> None:
    first, other = sample_emails(graph_config, samples, clean=2)
    graph.save_draft(first)

    assert graph.has_draft(first)
    assert not graph.has_draft(other)


def test_an_email_over_max_email_mb_is_stored_quarantined_unparsed_and_moved_to_quarantine(
    graph: GraphSource, fake: FakeGraph, graph_config: Config, samples: Path
) -> None:
    config = with_email_limit(graph_config, 1)
    big = oversize_email(config, samples / "big", megabytes=1.5)
    (clean,) = sample_emails(config, samples / "clean", clean=1)
    deliver(fake, [big, clean])

    poll(graph, config)

    assert [item.mime for item in fake.mailbox.named("Quarantine")] == [big]
    assert [item.mime for item in fake.mailbox.named("Processed")] == [clean]
    record = submission_record(config, big)
    assert record["status"] == "quarantined"
    assert [f["code"] for f in record["findings"]] == ["email_too_large"]
    assert record["documents"] == []  # never parsed: not one attachment taken out
    assert BlobStore(config.paths.store).has(sha256_hex(big))
    assert submission_record(config, clean)["status"] != "quarantined"
