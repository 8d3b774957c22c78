"""Either synced mailbox, EWS or Graph, stood up with its loopback fake, so that what both
promise is tested once against both (tests/test_synced_mailboxes.py) and each protocol's own
tests start from the same place."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TypeVar

import pytest

from fakes import Tls
from fakes.ews_server import FakeEws
from fakes.graph_server import FakeGraph
from pipeline.config import Config, EwsServer, GraphServer, Mailbox, MailboxKind
from pipeline.register import Register
from pipeline.sources.ews import EwsSource
from pipeline.sources.graph import GraphSource
from pipeline.sources.retry import Backoff

ADDRESS = "CentralCluster@stoke.gov.uk"
FAST = Backoff(budget=3.0, first=0.05, longest=0.2)

Opener = Callable[[Config, Register], EwsSource | GraphSource]


@dataclass
class SyncedWorld:
    """A fake server with its mailbox, the configuration pointing at it, and the register."""

    fake: FakeEws | FakeGraph
    config: Config
    register: Register
    opener: Opener
    opened: list[EwsSource | GraphSource] = field(default_factory=list)

    def source(self, config: Config | None = None) -> EwsSource | GraphSource:
        """A new client, as a restarted poller would make (closed with the world)."""
        source = self.opener(config or self.config, self.register)
        self.opened.append(source)
        return source

    def deliver(self, emails: list[bytes]) -> list[bytes]:
        for mime in emails:
            self.fake.mailbox.deliver(mime)
        return emails


@contextmanager
def ews_world(
    config: Config, tls: Tls, monkeypatch: pytest.MonkeyPatch, backoff: Backoff = FAST
) -> Iterator[SyncedWorld]:
    """Exchange Online style: OAuth2 client credentials, the secret from the environment."""
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(tls.ca_file))  # requests trusts the test CA
    with _started(FakeEws(tls=tls)) as fake, _ews(config, fake, monkeypatch, backoff) as world:
        yield world


@contextmanager
def _ews(
    config: Config, fake: FakeEws, monkeypatch: pytest.MonkeyPatch, backoff: Backoff
) -> Iterator[SyncedWorld]:
    monkeypatch.setenv("CLUSTER_EWS_CLIENT_SECRET", fake.client_secret)
    server = EwsServer(server_url=fake.url, tenant_id="tenant", client_id=fake.client_id)
    mailbox = Mailbox(kind=MailboxKind.ews, address=ADDRESS, ews=server)

    def opener(chosen: Config, register: Register) -> EwsSource:
        return EwsSource.from_config(
            chosen.mailbox, register, authority=fake.authority, backoff=backoff
        )

    with _running(fake, config.model_copy(update={"mailbox": mailbox}), opener) as world:
        yield world


@contextmanager
def graph_world(
    config: Config, tls: Tls, monkeypatch: pytest.MonkeyPatch, backoff: Backoff = FAST
) -> Iterator[SyncedWorld]:
    with (
        _started(FakeGraph(tls=tls)) as fake,
        _graph(config, fake, tls, monkeypatch, backoff) as world,
    ):
        yield world


@contextmanager
def _graph(
    config: Config, fake: FakeGraph, tls: Tls, monkeypatch: pytest.MonkeyPatch, backoff: Backoff
) -> Iterator[SyncedWorld]:
    monkeypatch.setenv("CLUSTER_GRAPH_CLIENT_SECRET", fake.client_secret)
    server = GraphServer(
        tenant_id=fake.tenant,
        client_id=fake.client_id,
        authority=fake.authority,
        base_url=fake.base_url,
    )
    mailbox = Mailbox(kind=MailboxKind.graph, address=ADDRESS, graph=server)

    def opener(chosen: Config, register: Register) -> GraphSource:
        return GraphSource.from_config(
            chosen.mailbox, register, ca_file=tls.ca_file, backoff=backoff
        )

    with _running(fake, config.model_copy(update={"mailbox": mailbox}), opener) as world:
        yield world


Fake = TypeVar("Fake", FakeEws, FakeGraph)


@contextmanager
def _started(fake: Fake) -> Iterator[Fake]:
    fake.server.start()
    try:
        yield fake
    finally:
        fake.server.stop()


@contextmanager
def _running(fake: FakeEws | FakeGraph, config: Config, opener: Opener) -> Iterator[SyncedWorld]:
    with Register(config.paths.register_db) as register:
        world = SyncedWorld(fake, config, register, opener)
        try:
            yield world
        finally:
            for source in world.opened:
                source.close()
