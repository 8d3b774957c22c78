"""Fixtures of the desk's tests: a register of generated referrals (made once per module and
copied for each test) and a desk with an admin and a panel member."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from desk_world import ADMIN, DEFECTS, MEETING, PANEL, DeskWorld
from starlette.testclient import TestClient

from pipeline.config import Config
from pipeline.desk.accounts import Role, add_user
from pipeline.desk.app import create_app
from pipeline.desk.store import DeskStore
from pipeline.runner import open_context, run_inbox
from testkit.samples import generate

# The meetings of the sample year (2025/26) are still to come on this day.
YEAR_STARTS = date(2025, 9, 1)


@pytest.fixture(scope="module")
def desk_template(shipped_config: Config, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Generated referrals run through the pipeline, with the desk's two accounts."""
    root = tmp_path_factory.mktemp("desk-template")
    (root / "inbox").mkdir()
    config = shipped_config.under(root)
    generate(config.paths.inbox, config, seed=16, clean=3, defects=DEFECTS)
    with open_context(config) as ctx:
        run_inbox(ctx)
    store = DeskStore.of(config)
    add_user(store, ADMIN[0], ADMIN[1], role=Role.admin, display="Ada Admin")
    add_user(store, PANEL[0], PANEL[1], role=Role.panel, display="Pat Panel", meetings=(MEETING,))
    store.close()
    return root


@pytest.fixture
def desk_world(desk_template: Path, shipped_config: Config, tmp_path: Path) -> Iterator[DeskWorld]:
    root = tmp_path / "world"
    shutil.copytree(desk_template, root)
    store = DeskStore.of(shipped_config.under(root))
    yield DeskWorld(shipped_config.under(root), store)
    store.close()


@pytest.fixture
def client(desk_world: DeskWorld) -> TestClient:
    return TestClient(
        create_app(desk_world.config, desk_world.store, today=YEAR_STARTS), follow_redirects=False
    )
