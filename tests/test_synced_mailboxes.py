"""What both synced mailboxes promise, each test run against Exchange (EWS, through real
exchangelib) and Microsoft Graph (through real msal and httpx), each on its loopback fake.

Each protocol's own faults and sign-in are in tests/test_ews_source.py and
tests/test_graph_source.py.
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
from fakes.synced import SyncedWorld, ews_world, graph_world

from pipeline.config import Config
from pipeline.errors import SourceError
from pipeline.intake.store import BlobStore, sha256_hex


@pytest.fixture(scope="module")
def tls(tmp_path_factory: pytest.TempPathFactory) -> Tls:
    return make_tls(tmp_path_factory.mktemp("tls"))


@pytest.fixture(params=["ews", "graph"])
def world(
    request: pytest.FixtureRequest, config: Config, tls: Tls, monkeypatch: pytest.MonkeyPatch
) -> Iterator[SyncedWorld]:
    stand_up = ews_world if request.param == "ews" else graph_world
    with stand_up(config, tls, monkeypatch) as world:
        yield world


@pytest.fixture
def samples(tmp_path: Path) -> Path:
    return tmp_path / "samples"


def folder_mimes(world: SyncedWorld, name: str) -> list[bytes]:
    return sorted(item.mime for item in world.fake.mailbox.named(name))


def test_a_second_poll_fetches_only_the_messages_that_arrived_since(
    world: SyncedWorld, samples: Path
) -> None:
    emails = sample_emails(world.config, samples, clean=4)
    source = world.source()
    world.deliver(emails[:3])
    assert poll(source, world.config).processed == 3

    world.deliver(emails[3:])
    assert poll(source, world.config).processed == 1

    assert world.fake.mailbox.fetches == dict.fromkeys(emails, 1)


def test_a_poll_that_moved_every_message_saves_its_sync_state_for_the_next(
    world: SyncedWorld, samples: Path
) -> None:
    # The runner reads ahead: the walk of the changes ends before its messages are moved.
    source = world.source()
    world.deliver(sample_emails(world.config, samples, clean=3))
    assert poll(source, world.config).processed == 3
    assert world.register.source_state(source.state_key)


def test_a_message_is_moved_only_once_its_submission_json_is_on_disk(
    world: SyncedWorld, samples: Path
) -> None:
    emails = world.deliver(sample_emails(world.config, samples, clean=2))
    world.fake.mailbox.probe = lambda mime: json_written(world.config, mime)

    poll(world.source(), world.config)

    assert [move.probe for move in world.fake.mailbox.moves] == [True, True]
    assert folder_mimes(world, "Processed") == sorted(emails)
    assert world.fake.mailbox.in_folder("inbox") == []


def test_mail_from_an_unknown_sender_goes_to_the_quarantine_folder(
    world: SyncedWorld, samples: Path
) -> None:
    clean, stranger = world.deliver(
        sample_emails(world.config, samples, clean=1, defects=("unknown_sender",))
    )

    poll(world.source(), world.config)

    assert folder_mimes(world, "Quarantine") == [stranger]
    assert folder_mimes(world, "Processed") == [clean]
    quarantine = next(f for f in world.fake.mailbox.folders.values() if f.name == "Quarantine")
    assert quarantine.parent == "msgfolderroot"


def test_a_reply_draft_is_saved_in_drafts_and_not_sent(world: SyncedWorld, samples: Path) -> None:
    reply = sample_emails(world.config, samples, clean=1)[0]

    world.source().save_draft(reply)

    drafts = world.fake.mailbox.in_folder("drafts")
    assert [(item.mime, item.is_draft) for item in drafts] == [(reply, True)]
    assert world.fake.mailbox.in_folder("sentitems") == []


def test_a_connection_dropped_mid_fetch_loses_nothing_and_processes_each_message_once(
    world: SyncedWorld, samples: Path
) -> None:
    emails = world.deliver(sample_emails(world.config, samples, clean=3))
    world.fake.faults.drop_fetches = 2

    poll(world.source(), world.config)

    assert processed_count(world.config) == (3, 3)
    assert folder_mimes(world, "Processed") == sorted(emails)


def test_a_restart_between_processing_and_moving_is_recovered_on_the_next_poll_without_reprocessing(
    world: SyncedWorld, samples: Path
) -> None:
    emails = world.deliver(sample_emails(world.config, samples, clean=3))
    world.fake.faults.down_at_move = True

    with pytest.raises(SourceError, match="could not move a message"):
        poll(world.source(), world.config)
    world.fake.server.start()  # the same port, the same mailbox
    summary = poll(world.source(), world.config)

    assert (summary.processed, summary.skipped) == (2, 1)
    assert processed_count(world.config) == (3, 3)
    assert folder_mimes(world, "Processed") == sorted(emails)
    assert world.fake.mailbox.in_folder("inbox") == []


def test_an_email_over_max_email_mb_is_stored_quarantined_unparsed_and_moved_to_quarantine(
    world: SyncedWorld, samples: Path
) -> None:
    config = with_email_limit(world.config, 1)
    big = oversize_email(config, samples / "big", megabytes=1.5)
    (clean,) = sample_emails(config, samples / "clean", clean=1)
    world.deliver([big, clean])

    poll(world.source(config), config)

    assert folder_mimes(world, "Quarantine") == [big]
    assert folder_mimes(world, "Processed") == [clean]
    record = submission_record(config, big)
    assert record["status"] == "quarantined"
    assert [f["code"] for f in record["findings"]] == ["email_too_large"]
    assert record["documents"] == []  # never parsed: not one attachment taken out
    assert BlobStore(config.paths.store).has(sha256_hex(big))
    assert submission_record(config, clean)["status"] != "quarantined"
