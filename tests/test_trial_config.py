"""A trial's configuration, written for `pipeline` subprocesses, points them at the trial's own
folders wherever the trial was started from (`pipeline reliability` defaults to a relative
`--out`)."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.config import Config, load_config
from testkit.reliability.config_file import with_paths, write_config
from testkit.reliability.dovecot import Dovecot, NoDovecot
from testkit.reliability.kill import kill_trial


def test_a_trial_under_a_relative_folder_writes_a_config_naming_the_same_folders(
    shipped_config: Config, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    trial = with_paths(shipped_config, Path("var/reliability/kill/killed"))
    read_back = load_config(write_config(trial, Path("var/reliability/kill/killed/config.toml")))
    assert read_back.paths == trial.paths
    assert read_back.paths.inbox == tmp_path / "var/reliability/kill/killed/inbox"


def test_the_kill_trial_started_with_a_relative_folder_kills_runs_that_process_mail(
    shipped_config: Config, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = kill_trial(shipped_config, Path("trial"), emails=9, kills=2, compare=False)
    assert result.final_exit == 0
    assert result.check.processed == result.emails == 9
    assert (result.lost, result.duplicated) == (0, 0)


def test_the_soak_s_dovecot_started_under_a_relative_folder_serves_its_users(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("dovecot").mkdir()
    try:
        server = Dovecot(Path("dovecot"))
    except NoDovecot as missing:
        pytest.skip(str(missing))
    try:
        server.start()
        account = server.account()
        account.append(b"From: a@school.example\r\nSubject: x\r\n\r\nHello\r\n")
        assert len(account.messages("INBOX")) == 1
    finally:
        server.cleanup()
