"""The Graph source, driven through real msal and httpx against a loopback identity platform and
Graph over HTTPS (a throwaway CA made by the test).

The fake (tests/fakes/graph_server.py) pages delta results two at a time, keeps its mailbox
across restarts and injects the faults only Graph has: 429 and 503 with Retry-After, expired
delta tokens, refused credentials. What EWS and Graph both promise is in
tests/test_synced_mailboxes.py.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fakes import (
    Tls,
    make_tls,
    poll,
    processed_count,
    sample_emails,
)
from fakes.graph_server import FakeGraph
from fakes.synced import SyncedWorld, graph_world

from pipeline.config import Config
from pipeline.credentials import CredentialError
from pipeline.errors import SourceError
from pipeline.register import Register
from pipeline.sources.graph import GraphSource
from pipeline.sources.retry import Backoff

ADDRESS = "CentralCluster@stoke.gov.uk"
FAST = Backoff(budget=3.0, first=0.05, longest=0.2)


@pytest.fixture(scope="module")
def tls(tmp_path_factory: pytest.TempPathFactory) -> Tls:
    return make_tls(tmp_path_factory.mktemp("tls"))


@pytest.fixture
def world(config: Config, tls: Tls, monkeypatch: pytest.MonkeyPatch) -> Iterator[SyncedWorld]:
    with graph_world(config, tls, monkeypatch) as world:
        yield world


@pytest.fixture
def fake(world: SyncedWorld) -> FakeGraph:
    assert isinstance(world.fake, FakeGraph)
    return world.fake


@pytest.fixture
def graph_config(world: SyncedWorld) -> Config:
    return world.config


@pytest.fixture
def state(world: SyncedWorld) -> Register:
    return world.register


def open_graph(config: Config, state: Register, tls: Tls) -> GraphSource:
    return GraphSource.from_config(config.mailbox, state, ca_file=tls.ca_file, backoff=FAST)


@pytest.fixture
def graph(world: SyncedWorld) -> GraphSource:
    source = world.source()
    assert isinstance(source, GraphSource)
    return source


@pytest.fixture
def samples(tmp_path: Path) -> Path:
    return tmp_path / "samples"


def deliver(fake: FakeGraph, emails: list[bytes]) -> list[bytes]:
    for mime in emails:
        fake.mailbox.deliver(mime)
    return emails


def test_a_poll_reads_every_page_of_the_delta_results(
    graph: GraphSource, fake: FakeGraph, graph_config: Config, samples: Path
) -> None:
    deliver(fake, sample_emails(graph_config, samples, clean=3))  # two a page: two pages

    assert poll(graph, graph_config).processed == 3
    assert fake.count("/messages/delta") >= 2


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
