"""Failure 11 of issue 15: no cap on a whole email.

An 80 MB email used about 870 MB in the main process and, under a memory limit, killed every
run before the clean email behind it. Now an email over ``intake.max_email_mb`` is stored and
quarantined with ``email_too_large``, never parsed, and the mail behind it goes on.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from email.message import EmailMessage
from email.policy import SMTP
from pathlib import Path

from pipeline.config import Config
from pipeline.intake.store import BlobStore, sha256_hex
from pipeline.runner import REPORT_NAME, open_context, run_inbox
from testkit.reliability.config_file import write_config
from testkit.samples import generate

MB = 1024 * 1024


def big_email(megabytes: int) -> bytes:
    """An email from a cluster school with one attachment; base64 makes it 4/3 its size."""
    message = EmailMessage(policy=SMTP)
    message["From"] = "Office <office@stoke.gov.uk>"
    message["To"] = "CentralCluster@stoke.gov.uk"
    message["Subject"] = "Scanned referral pack"
    message["Date"] = "Mon, 03 Nov 2025 09:00:00 +0000"
    message.set_content("Please find the scanned pack attached.")
    payload = os.urandom(megabytes * MB * 3 // 4)
    message.add_attachment(payload, maintype="application", subtype="pdf", filename="pack.pdf")
    return message.as_bytes()


def _records(config: Config) -> dict[str, dict[str, object]]:
    folder = config.paths.outbox / "submissions"
    return {p.stem: json.loads(p.read_text()) for p in folder.iterdir()}


def test_email_over_max_email_mb_is_quarantined_unparsed_and_the_mail_behind_goes_on(
    config: Config,
) -> None:
    config = config.model_copy(
        update={"intake": config.intake.model_copy(update={"max_email_mb": 2})}
    )
    big = big_email(3)
    (config.paths.inbox / "001-big.eml").write_bytes(big)
    (clean,) = generate(config.paths.inbox, config, seed=81, clean=1)
    clean.rename(config.paths.inbox / "002-clean.eml")
    with open_context(config) as ctx:
        summary = run_inbox(ctx)
    assert summary.processed == 2 and summary.failed == 0
    records = _records(config)
    oversize = records["S-" + sha256_hex(big)[:16]]
    assert oversize["status"] == "quarantined"
    assert [f["code"] for f in oversize["findings"]] == ["email_too_large"]
    assert oversize["sender"] == "office@stoke.gov.uk"
    assert oversize["documents"] == []  # nothing inside it was opened, or even stored
    assert BlobStore(config.paths.store).has(sha256_hex(big))
    assert sorted(r["status"] for r in records.values()) == ["complete", "quarantined"]
    assert "email_too_large" in (config.paths.outbox / REPORT_NAME).read_text()


def _peak_rss_mb(config_file: Path) -> float:
    """Peak resident memory of one `pipeline run` (its largest process), in MB."""
    script = (
        "import resource, subprocess, sys\n"
        "subprocess.run([sys.executable, '-m', 'pipeline', 'run', '--config', sys.argv[1]],"
        " check=True, capture_output=True)\n"
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(config_file)], capture_output=True, text=True, check=True
    )
    return int(done.stdout.strip()) / 1024  # ru_maxrss is in KB on Linux


def test_an_80_mb_email_holds_at_most_twice_its_size_in_memory(
    config: Config, tmp_path: Path
) -> None:
    generate(config.paths.inbox, config, seed=82, clean=1)
    config_file = write_config(config, tmp_path / "config.toml")
    baseline = _peak_rss_mb(config_file)  # the same run, one clean email
    big = big_email(80)
    (config.paths.inbox / "big.eml").write_bytes(big)
    peak = _peak_rss_mb(config_file)
    assert peak - baseline <= 2 * len(big) / MB, (peak, baseline)
    statuses = sorted(str(r["status"]) for r in _records(config).values())
    assert statuses == ["complete", "quarantined"]
