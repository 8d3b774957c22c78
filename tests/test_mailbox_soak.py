"""The mailbox soak of `pipeline reliability` at a small size: `pipeline poll` against a real
Dovecot, killed, its server restarted and its INBOX's UIDVALIDITY reset at random moments,
with a poison email and one over the whole-email limit among the mail. Nothing lost, nothing
twice, every draft there once."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from pipeline.config import Config
from testkit.reliability.dovecot import NoDovecot
from testkit.reliability.mailbox_soak import mailbox_soak


def test_a_disturbed_mailbox_loses_and_duplicates_nothing_and_quarantines_poison_and_oversize(
    shipped_config: Config, tmp_path: Path
) -> None:
    try:
        result = mailbox_soak(
            shipped_config, tmp_path, emails=30, kills=3, restarts=1, resets=1, seed=7
        )
    except NoDovecot as missing:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{missing}: .ci/run must install the Debian package dovecot-imapd")
        pytest.skip(str(missing))

    assert (result.lost, result.duplicated, result.left_in_inbox) == (0, 0, 0)
    assert result.drafts_expected > 0
    assert (result.drafts_missing, result.drafts_duplicated) == (0, 0)
    assert result.poison == "processing_failed"
    assert result.oversize == "email_too_large"
    assert result.integrity == "ok"


def test_an_oversize_email_in_a_disturbed_mailbox_is_recorded_and_quarantined(
    shipped_config: Config, tmp_path: Path
) -> None:
    try:
        result = mailbox_soak(
            shipped_config, tmp_path, emails=6, kills=1, restarts=0, resets=0, seed=7
        )
    except NoDovecot as missing:
        pytest.skip(str(missing))

    assert (result.lost, result.duplicated, result.left_in_inbox) == (0, 0, 0)
    assert result.oversize == "email_too_large"
