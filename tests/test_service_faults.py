"""Poison mail and refused credentials, against a real Dovecot: what the admin sees in the
mailbox, the report and outbox/status.json.

The poison email fails inside the pipeline every time (its parsing raises, as a bug met by
one email would); everything else about it is real.
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from pipeline.config import Config
from pipeline.flow import journey as flow
from pipeline.models import Incoming, Message
from pipeline.register import Register
from pipeline.runner import open_context, poll_mailbox
from pipeline.service import STATUS_NAME, serve
from testkit.samples import generate

if TYPE_CHECKING:
    from dovecot import Account

pytest_plugins = ["dovecot"]  # the dovecot and account fixtures

ROOT = Path(__file__).resolve().parent.parent


def wait_for(condition: Callable[[], bool], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("timed out")
        time.sleep(0.05)


@pytest.fixture
def poison(config: Config, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> bytes:
    """An email whose processing raises every time it is tried."""
    (path,) = generate(tmp_path / "poison", config, seed=71, clean=1)
    data = path.read_bytes()
    real = flow.parse_incoming

    def parse(incoming: Incoming, store: Any, max_bytes: float) -> Message:
        if incoming.data == data:
            raise RecursionError("maximum recursion depth exceeded")
        return real(incoming, store, max_bytes)

    monkeypatch.setattr(flow, "parse_incoming", parse)
    return data


def clean_emails(config: Config, tmp_path: Path, count: int) -> list[bytes]:
    paths = generate(tmp_path / "clean", config, seed=72, clean=count)
    return [path.read_bytes() for path in paths]


def status(config: Config) -> dict[str, Any]:
    path = config.paths.outbox / STATUS_NAME
    return json.loads(path.read_text()) if path.exists() else {}


@pytest.fixture
def service(config: Config) -> Iterator[Callable[..., threading.Thread]]:
    """Starts `serve` on a thread; stops it and waits for it at the end of the test."""
    stop = threading.Event()
    threads: list[threading.Thread] = []

    def start(configured: Config, **kwargs: Any) -> threading.Thread:
        def run() -> None:
            with open_context(configured) as ctx:
                serve(ctx, stop, **kwargs)

        thread = threading.Thread(target=run)
        thread.start()
        threads.append(thread)
        return thread

    yield start
    stop.set()
    for thread in threads:
        thread.join(60)


def test_a_poison_email_in_service_mode_does_not_block_the_mail_behind_it(
    account: Account,
    config: Config,
    tmp_path: Path,
    poison: bytes,
    service: Callable[..., threading.Thread],
) -> None:
    behind = clean_emails(config, tmp_path, 2)
    for email in (poison, *behind):
        account.append(email)
    configured = account.configure(config)

    service(configured)
    wait_for(lambda: status(config).get("counts", {}).get("quarantined_after_failures") == 1)

    assert sorted(account.messages("Processed")) == sorted(behind)
    assert account.messages("Quarantine") == [poison]
    counts = status(config)["counts"]
    assert counts["failed_attempts"] == 2  # then the third failure quarantined it
    assert "processing_failed" in status(config)["last_error"]["message"]


def test_pipeline_poll_quarantines_a_poison_email_after_three_attempts_and_reports_it(
    account: Account, config: Config, tmp_path: Path, poison: bytes
) -> None:
    behind = clean_emails(config, tmp_path, 1)
    for email in (poison, *behind):
        account.append(email)
    configured = account.configure(config)

    def poll() -> tuple[int, int]:
        with open_context(configured) as ctx:
            summary = poll_mailbox(ctx)
        return summary.processed, summary.failed

    assert [poll(), poll(), poll(), poll()] == [(1, 1), (0, 1), (1, 0), (0, 0)]
    assert account.messages("Quarantine") == [poison]
    assert account.messages("Processed") == behind
    with Register(config.paths.register_db) as register:
        (quarantined,) = [s for s in register.submissions() if s.status.value == "quarantined"]
    (finding,) = quarantined.findings
    assert (finding.code, finding.severity.value) == ("processing_failed", "error")
    assert f"pipeline reprocess {quarantined.submission_id}" in finding.message
    report = (config.paths.outbox / "report.html").read_text(encoding="utf-8")
    assert quarantined.submission_id in report
    assert "could not be processed in 3 attempts" in report


def test_a_refused_password_is_retried_with_doubling_waits_and_mended_without_a_restart(
    account: Account,
    config: Config,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    service: Callable[..., threading.Thread],
    caplog: pytest.LogCaptureFixture,
) -> None:
    from pipeline.service import CredentialBackoff

    (email,) = clean_emails(config, tmp_path, 1)
    account.append(email)
    password = tmp_path / "imap-password"
    password.write_text("a password changed on the server but not here\n")
    monkeypatch.delenv("CLUSTER_IMAP_PASSWORD")
    monkeypatch.setenv("CLUSTER_IMAP_PASSWORD_FILE", str(password))
    configured = account.configure(config)

    thread = service(configured, backoff=CredentialBackoff(first=0.05, longest=0.2))
    wait_for(lambda: (status(config).get("credentials") or {}).get("refused", 0) >= 5)
    waiting = status(config)
    password.write_text(account.password + "\n")
    wait_for(lambda: account.messages("Processed") == [email])

    assert thread.is_alive()  # never stopped
    assert waiting["state"] == "waiting: credentials refused"
    assert "refused the login" in waiting["credentials"]["message"]
    assert waiting["credentials"]["next_try_at"]
    waits = re.findall(r"trying again in ([\d.]+) s", caplog.text)
    assert waits[:5] == ["0.05", "0.1", "0.2", "0.2", "0.2"]
    wait_for(lambda: status(config)["credentials"] is None)
    assert status(config)["state"] == "running"


def test_a_missing_credential_still_stops_the_service_as_a_configuration_error(
    account: Account, config: Config, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CLUSTER_IMAP_PASSWORD")
    with open_context(account.configure(config)) as ctx, pytest.raises(Exception) as failed:
        serve(ctx, threading.Event())
    assert "CLUSTER_IMAP_PASSWORD" in str(failed.value)
    assert getattr(failed.value, "exit_code", None) == 2


def test_the_systemd_unit_restarts_after_any_failure_but_a_configuration_error() -> None:
    unit = (ROOT / "docs" / "cluster-pipeline.service").read_text(encoding="utf-8")
    (prevented,) = re.findall(r"^RestartPreventExitStatus=(.*)$", unit, flags=re.MULTILINE)
    assert prevented.split() == ["2"]
    assert re.search(r"^Restart=on-failure$", unit, flags=re.MULTILINE)
