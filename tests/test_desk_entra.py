"""Signing in to the desk with a council account: msal's authorisation-code flow against a
loopback Microsoft Entra ID (tests/fakes/entra_server.py), over TLS."""

from __future__ import annotations

import ssl
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from desk_world import DeskWorld
from fakes import Tls, make_tls
from fakes.entra_server import Account, FakeEntra
from starlette.testclient import TestClient

from pipeline.desk.app import create_app
from pipeline.register import Register

pytest_plugins = ["desk_fixtures"]


@pytest.fixture
def entra(tmp_path: Path) -> Iterator[FakeEntra]:
    (tmp_path / "tls").mkdir()
    fake = FakeEntra(tls=make_tls(tmp_path / "tls"))
    fake.server.start()
    yield fake
    fake.server.stop()


@pytest.fixture
def council_client(
    desk_world: DeskWorld, entra: FakeEntra, monkeypatch: pytest.MonkeyPatch
) -> TestClient:
    monkeypatch.setenv("CLUSTER_DESK_ENTRA_CLIENT_SECRET", entra.client_secret)
    settings = desk_world.config.desk.model_copy(
        update={
            "entra_tenant_id": entra.tenant,
            "entra_client_id": entra.client_id,
            "entra_authority": entra.authority,
        }
    )
    config = desk_world.config.model_copy(update={"desk": settings})
    app = create_app(config, desk_world.store, entra_verify=entra.tls.ca_file)
    return TestClient(app, follow_redirects=False)


def trusting(tls: Tls) -> ssl.SSLContext:
    return ssl.create_default_context(cafile=str(tls.ca_file))


def sign_in_at_microsoft(client: TestClient, tls: Tls) -> httpx.Response:
    """Follow the browser's journey: the desk, Microsoft's sign-in page, back to the desk."""
    start = client.get("/signin/entra")
    assert start.status_code == 303
    at_microsoft = httpx.get(start.headers["location"], verify=trusting(tls))
    assert at_microsoft.status_code == 302
    back = httpx.URL(at_microsoft.headers["location"])
    return client.get(f"{back.path}?{back.query.decode()}")


def test_a_council_account_with_the_admin_role_signs_in_to_the_queue(
    council_client: TestClient, entra: FakeEntra, desk_world: DeskWorld
) -> None:
    assert "Sign in with your council account" in council_client.get("/signin").text
    answer = sign_in_at_microsoft(council_client, entra.tls)
    assert answer.status_code == 303 and answer.headers["location"] == "/queue"
    page = council_client.get("/queue")
    assert page.status_code == 200 and "Jo Smith (admin)" in page.text
    with Register(desk_world.config.paths.register_db) as register:
        assert ("jo.smith@stoke.gov.uk", "signin") in [
            (e.actor, e.action) for e in register.audit_log()
        ]


def test_a_council_account_with_the_panel_role_sees_only_its_meetings(
    council_client: TestClient, entra: FakeEntra
) -> None:
    entra.account = Account(username="rp@stoke.gov.uk", name="R Patel", roles=("Desk.Panel",))
    answer = sign_in_at_microsoft(council_client, entra.tls)
    assert answer.headers["location"] == "/panel"
    assert council_client.get("/queue").status_code == 403


def test_a_council_account_without_a_desk_role_is_refused(
    council_client: TestClient, entra: FakeEntra
) -> None:
    entra.account = Account(roles=())
    answer = sign_in_at_microsoft(council_client, entra.tls)
    assert answer.status_code == 401 and "no role in the desk" in answer.text
    assert council_client.get("/queue").status_code == 303


def test_an_account_of_another_tenant_is_refused(
    council_client: TestClient, entra: FakeEntra
) -> None:
    entra.account = Account(tenant="someone-elses-tenant")
    answer = sign_in_at_microsoft(council_client, entra.tls)
    assert answer.status_code == 401 and "not from the council" in answer.text


def test_a_callback_not_started_by_this_browser_is_refused(
    council_client: TestClient, entra: FakeEntra, desk_world: DeskWorld
) -> None:
    start = council_client.get("/signin/entra")
    at_microsoft = httpx.get(start.headers["location"], verify=trusting(entra.tls))
    back = httpx.URL(at_microsoft.headers["location"])
    stranger = TestClient(council_client.app, follow_redirects=False)
    answer = stranger.get(f"{back.path}?{back.query.decode()}")
    assert answer.status_code == 401 and "out of date" in answer.text
