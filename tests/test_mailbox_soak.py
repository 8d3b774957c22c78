"""The mailbox soak of `pipeline reliability` at a small size: `pipeline poll` against a real
Dovecot, killed, its server restarted and its INBOX's UIDVALIDITY reset at random moments,
with a poison email among the mail. Nothing lost, nothing twice, every draft there once."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from pipeline.config import Config
from testkit.reliability.dovecot import NoDovecot
from testkit.reliability.mailbox_soak import mailbox_soak


def test_a_disturbed_mailbox_loses_and_duplicates_nothing_and_quarantines_the_poison(
    shipped_config: Config, tmp_path: Path
) -> None:
    try:
        # The over-size email is tried on its own below: through IMAP it is not yet recorded.
        result = mailbox_soak(
            shipped_config,
            tmp_path,
            emails=30,
            kills=3,
            restarts=1,
            resets=1,
            seed=7,
            oversize=False,
        )
    except NoDovecot as missing:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{missing}: .ci/run must install the Debian package dovecot-imapd")
        pytest.skip(str(missing))

    assert (result.lost, result.duplicated, result.left_in_inbox) == (0, 0, 0)
    assert result.drafts_expected > 0
    assert (result.drafts_missing, result.drafts_duplicated) == (0, 0)
    assert result.poison == "processing_failed"
    assert result.integrity == "ok"


@pytest.mark.xfail(
    strict=True,
    reason="known defect (issue 15 open): an email over max_email_mb polled from IMAP is "
    "not recorded in the register (the soak counts it lost)",
)
def test_an_oversize_email_in_a_disturbed_mailbox_is_recorded_and_quarantined(
    shipped_config: Config, tmp_path: Path
) -> None:
    try:
        result = mailbox_soak(
            shipped_config, tmp_path, emails=6, kills=1, restarts=0, resets=0, seed=7
        )
    except NoDovecot as missing:
        pytest.skip(str(missing))
    assert result.lost == 0
    assert result.oversize not in ("processed", "not recorded")
