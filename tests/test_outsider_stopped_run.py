"""A `pipeline run` stopped from outside (systemd's stop, `timeout`, `kill`) while its parsing
workers are reading leaves no process of its own behind."""

from __future__ import annotations

import random
import signal
import subprocess
from email.message import EmailMessage
from pathlib import Path

import pytest
from processes import kill_all, session_members, started_run, wait_for

from pipeline.config import Config
from schemas import IpnReferral
from testkit.corpus.pdf_layouts import spaced_lines
from testkit.corpus.scanned import scanned
from testkit.corpus.values import truth_for
from testkit.reliability.config_file import write_config

SCANS = 4  # emails, each a scan the workers take seconds over: the run is busy when stopped


def scan_emails(config: Config) -> None:
    for n in range(SCANS):
        truth = truth_for(IpnReferral, random.Random(f"stopped {n}"), config)
        message = EmailMessage()
        message["From"] = f"senco@{config.settings[0].domains[0]}"
        message["To"] = config.cluster.mailbox
        message["Subject"] = f"Scanned referral {n}"
        message["Date"] = "Wed, 01 Oct 2025 09:00:00 +0100"
        message.set_content("Scanned copy attached.")
        pdf = scanned(spaced_lines(IpnReferral, truth, n), n)
        message.add_attachment(pdf, maintype="application", subtype="pdf", filename="scan.pdf")
        (config.paths.inbox / f"{n:03d}-scan.eml").write_bytes(bytes(message))


def workers_reading(run: subprocess.Popen[bytes]) -> bool:
    """A worker exists: a process of the run's session whose parent is not the run itself."""
    members = session_members(run.pid)
    return any(parent in members and parent != run.pid for parent in members.values())


@pytest.fixture
def run_process(config: Config, tmp_path: Path) -> object:
    scan_emails(config)
    path = write_config(config, tmp_path / "config.toml")
    run = started_run(path, OMP_THREAD_LIMIT="1")
    yield run
    kill_all(session_members(run.pid))
    run.wait()


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGKILL])
def test_a_run_stopped_while_its_workers_read_leaves_no_process_behind(
    run_process: subprocess.Popen[bytes], stop: signal.Signals
) -> None:
    run = run_process
    assert wait_for(lambda: workers_reading(run), 120)
    assert run.poll() is None  # still reading its backlog when stopped
    run.send_signal(stop)
    run.wait()

    assert wait_for(lambda: not session_members(run.pid), 30), session_members(run.pid)
