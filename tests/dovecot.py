"""The Dovecot of testkit/reliability/dovecot.py as pytest fixtures: one server for the
session (each test takes its own account), or one of a test's own for tests that stop it.

Without Dovecot the tests are skipped, except in CI (CI=true), where they fail: .ci/run
installs the Debian package dovecot-imapd.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from testkit.reliability.dovecot import PASSWORD, Account, Dovecot, NoDovecot

__all__ = ["PASSWORD", "Account", "Dovecot", "account", "dovecot", "own_dovecot"]


def started(tmp_path_factory: pytest.TempPathFactory) -> Dovecot:
    try:
        server = Dovecot(tmp_path_factory.mktemp("dovecot"))
    except NoDovecot as missing:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{missing}: .ci/run must install the Debian package dovecot-imapd")
        pytest.skip(str(missing))
    server.start()
    return server


@pytest.fixture(scope="session")
def dovecot(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Dovecot]:
    """One Dovecot for the whole session; each test takes its own account."""
    server = started(tmp_path_factory)
    yield server
    server.cleanup()


@pytest.fixture
def own_dovecot(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Dovecot]:
    """A Dovecot of the test's own, for tests that stop and restart the server."""
    server = started(tmp_path_factory)
    yield server
    server.cleanup()


@pytest.fixture
def account(dovecot: Dovecot, monkeypatch: pytest.MonkeyPatch) -> Account:
    """A fresh IMAP user, its credentials in the environment as the pipeline reads them."""
    user = dovecot.account()
    monkeypatch.setenv("CLUSTER_IMAP_USERNAME", user.username)
    monkeypatch.setenv("CLUSTER_IMAP_PASSWORD", user.password)
    return user
