"""Shared fixtures: the project's own config.toml, pointed at throwaway folders."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.config import Config, load_config

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def shipped_config() -> Config:
    return load_config(ROOT / "config.toml")


@pytest.fixture
def config(shipped_config: Config, tmp_path: Path) -> Config:
    """The shipped configuration with inbox, outbox, store and register under tmp_path."""
    (tmp_path / "inbox").mkdir()
    return shipped_config.under(tmp_path)
