"""Service mode exactly as systemd runs it: `pipeline serve` as a process, stopped by SIGTERM."""

from __future__ import annotations

import hashlib
import json
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from pipeline.config import Config
from pipeline.intake.mail import message_id_of
from pipeline.register import Register
from pipeline.runner import open_context
from pipeline.service import STATUS_NAME, serve
from testkit.samples import generate

if TYPE_CHECKING:
    from dovecot import Account

pytest_plugins = ["dovecot"]  # the dovecot and account fixtures


def wait_for(condition: Callable[[], bool], timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("timed out")
        time.sleep(0.02)


def start_service(config_file: Path, user: Account, log: Path) -> subprocess.Popen[bytes]:
    with log.open("ab") as output:
        return subprocess.Popen(
            [sys.executable, "-m", "pipeline", "serve", "--config", str(config_file)],
            env=user.environment(),
            stdout=output,
            stderr=output,
        )


def json_count(outbox: Path) -> int:
    folder = outbox / "submissions"
    return len(list(folder.glob("*.json"))) if folder.exists() else 0


def test_sigterm_mid_batch_finishes_the_message_in_hand_and_a_restart_does_the_rest(
    account: Account, config: Config, tmp_path: Path
) -> None:
    emails = [p.read_bytes() for p in generate(tmp_path / "samples", config, seed=41, clean=10)]
    for email in emails:
        account.append(email)
    config_file = account.config_file(tmp_path, poll_seconds=0.5)
    outbox, log = tmp_path / "outbox", tmp_path / "serve.log"

    service = start_service(config_file, account, log)
    wait_for(lambda: json_count(outbox) >= 1)
    service.send_signal(signal.SIGTERM)
    assert service.wait(30) == 0, log.read_text()

    status = json.loads((outbox / STATUS_NAME).read_text())
    assert status["state"] == "stopped"
    assert status["mailbox"] == "imap"
    processed = status["counts"]["processed"]
    assert 0 < processed < len(emails)  # stopped in the middle of the batch
    inbox, moved = account.messages("INBOX"), account.messages("Processed")
    with Register(tmp_path / "var" / "register.sqlite") as register:
        for email in emails:
            sha = hashlib.sha256(email).hexdigest()
            has_json = (outbox / "submissions" / f"{message_id_of(sha)}.json").exists()
            done = (register.seen_message(sha), has_json, email in moved, email in inbox)
            assert done in ((True, True, True, False), (False, False, False, True))
    assert len(moved) == processed

    service = start_service(config_file, account, log)
    wait_for(lambda: json_count(outbox) == len(emails) and not account.messages("INBOX"))
    service.send_signal(signal.SIGTERM)
    assert service.wait(30) == 0
    status = json.loads((outbox / STATUS_NAME).read_text())
    assert status["counts"]["processed"] == len(emails) - processed
    assert status["counts"]["seen_before"] == 0
    assert status["last_error"] is None
    assert status["last_successful_poll"] is not None
    assert sorted(account.messages("Processed")) == sorted(emails)
    with Register(tmp_path / "var" / "register.sqlite") as register:
        assert register.counts()["messages"] == len(emails)
    processed_lines = [line for line in log.read_text().splitlines() if " processed S-" in line]
    assert len(processed_lines) == len(emails)  # each message processed exactly once


def test_serve_without_a_mailbox_watches_the_drop_folder_and_reports_health(
    config: Config,
) -> None:
    config = config.model_copy(
        update={"intake": config.intake.model_copy(update={"settle_seconds": 0.1})}
    )
    stop = threading.Event()
    with open_context(config) as ctx:
        worker = threading.Thread(target=serve, args=(ctx, stop))
        worker.start()
        try:
            generate(config.paths.inbox, config, seed=42, clean=1, defects=["missing_document"])
            status_file = config.paths.outbox / STATUS_NAME
            wait_for(lambda: json.loads(status_file.read_text())["counts"]["processed"] == 2)
        finally:
            stop.set()
            worker.join(30)
    status = json.loads(status_file.read_text())
    assert status["mailbox"] == "none"
    assert status["counts"]["complete"] == status["counts"]["incomplete"] == 1
    assert len(list((config.paths.outbox / "replies").glob("*.eml"))) == 1


def test_serve_stops_with_the_credential_error_when_a_variable_is_missing(
    account: Account, config: Config, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CLUSTER_IMAP_USERNAME")
    with open_context(account.configure(config)) as ctx, pytest.raises(Exception) as failed:
        serve(ctx, threading.Event())
    assert "CLUSTER_IMAP_USERNAME" in str(failed.value)
    status = json.loads((config.paths.outbox / STATUS_NAME).read_text())
    assert "CLUSTER_IMAP_USERNAME" in status["last_error"]["message"]
