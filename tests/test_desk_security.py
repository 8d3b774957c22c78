"""The desk's guard rails, through the framework's test client: sign-in before any page,
CSRF on every form, what a panel member may open, user text shown as text, the headers."""

from __future__ import annotations

import re
import sqlite3
from datetime import UTC, datetime, timedelta

import pytest
from desk_world import ADMIN, MEETING, PANEL, DeskWorld, case_refs, csrf_of, sign_in
from starlette.routing import Route
from starlette.testclient import TestClient

from pipeline.desk.app import create_app
from pipeline.desk.store import desk_db_path
from pipeline.register import Register

pytest_plugins = ["desk_fixtures"]

SAMPLE_PARAMS = {
    "case_ref": "CC-2526-0001",
    "sha256": "0" * 64,
    "message_id": "S-0000000000000000",
    "day": MEETING,
    "edition": "panel",
}
OPEN_PATHS = {"/", "/signin", "/signin/entra", "/signin/entra/callback"}  # the sign-in itself


def guarded_routes(client: TestClient) -> list[tuple[str, str]]:
    """Every (method, path) of the desk except the sign-in page and static files."""
    routes = client.app.app.routes  # type: ignore[attr-defined]
    found = []
    for route in routes:
        if not isinstance(route, Route) or route.path in OPEN_PATHS:
            continue
        path = route.path.format(**SAMPLE_PARAMS)
        found += [(method, path) for method in sorted(route.methods or ()) if method != "HEAD"]
    return found


def audit_actions(world: DeskWorld) -> list[str]:
    with Register(world.config.paths.register_db) as register:
        return [entry.action for entry in register.audit_log()]


def test_every_page_without_a_session_redirects_to_sign_in(client: TestClient) -> None:
    routes = guarded_routes(client)
    assert len(routes) >= 15
    for method, path in routes:
        answer = client.request(method, path)
        assert answer.status_code == 303, (method, path)
        assert answer.headers["location"].startswith("/signin?next="), (method, path)


def test_a_form_post_without_the_csrf_token_is_refused_and_changes_nothing(
    client: TestClient, desk_world: DeskWorld
) -> None:
    sign_in(client, ADMIN)
    before = audit_actions(desk_world)
    for method, path in guarded_routes(client):
        if method == "POST":
            answer = client.post(path, data={"reason": "no token", "text": "no token"})
            assert answer.status_code == 403, path
            assert "not from the desk" in answer.text
    assert audit_actions(desk_world) == before


def test_a_form_post_with_another_sessions_token_is_refused(
    client: TestClient, desk_world: DeskWorld
) -> None:
    other = TestClient(create_app(desk_world.config, desk_world.store), follow_redirects=False)
    stolen = sign_in(other, ADMIN)
    sign_in(client, ADMIN)
    ref = case_refs(client, "incomplete")[0]
    answer = client.post(f"/case/{ref}/note", data={"csrf": stolen, "text": "x"})
    assert answer.status_code == 403


def test_the_sign_in_form_without_its_token_is_refused(client: TestClient) -> None:
    answer = client.post("/signin", data={"name": ADMIN[0], "password": ADMIN[1]})
    assert answer.status_code == 403
    assert "desk_session" not in answer.cookies


@pytest.mark.parametrize(
    "path",
    [
        "/queue",
        f"/case/{SAMPLE_PARAMS['case_ref']}",
        "/quarantine",
        "/meetings",
        f"/meetings/{MEETING}",
        f"/meetings/{MEETING}/download/full",
        f"/meetings/{MEETING}/download/log",
    ],
)
def test_a_panel_member_cannot_open_the_admins_pages_or_the_full_edition(
    client: TestClient, path: str
) -> None:
    sign_in(client, PANEL)
    answer = client.get(path)
    assert answer.status_code == 403
    assert "CC-2526-" not in answer.text and "%PDF" not in answer.text


def test_a_panel_member_lands_on_their_meetings_and_not_others(client: TestClient) -> None:
    sign_in(client, PANEL)
    page = client.get("/panel").text
    assert "11 December 2025" in page and "16 October 2025" not in page
    assert client.get("/meetings/2025-10-16/download/panel").status_code == 403


def test_markup_in_user_text_is_shown_as_text(client: TestClient) -> None:
    csrf = sign_in(client, ADMIN)
    ref = case_refs(client, "incomplete")[0]
    markup = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    client.post(f"/case/{ref}/note", data={"csrf": csrf, "text": markup})
    page = client.get(f"/case/{ref}").text
    assert (
        "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;" in page
    )
    assert "<script" not in page and "<img" not in page


def test_every_page_carries_a_policy_without_inline_script_and_no_framing(
    client: TestClient,
) -> None:
    sign_in(client, ADMIN)
    for path in ("/signin", "/queue", "/quarantine", "/meetings", "/static/desk.css"):
        headers = client.get(path).headers
        policy = headers["content-security-policy"]
        assert "frame-ancestors 'none'" in policy and "unsafe-inline" not in policy, path
        assert "script-src" not in policy and "default-src 'none'" in policy, path
        assert headers["x-frame-options"] == "DENY" and headers["cache-control"] == "no-store"
        assert headers["x-content-type-options"] == "nosniff"


def test_pages_have_no_inline_script_or_style(client: TestClient) -> None:
    sign_in(client, ADMIN)
    ref = case_refs(client, "incomplete")[0]
    for path in ("/queue", f"/case/{ref}", "/quarantine", "/meetings", f"/meetings/{MEETING}"):
        page = client.get(path).text
        assert not re.search(r"<script|<style|\sstyle=|\son[a-z]+=", page), path


def test_failed_sign_ins_are_limited_then_even_the_right_password_waits(
    client: TestClient, desk_world: DeskWorld
) -> None:
    for _ in range(desk_world.config.desk.max_failed_signins):
        form = client.get("/signin")
        answer = client.post(
            "/signin", data={"csrf": csrf_of(form.text), "name": ADMIN[0], "password": "wrong"}
        )
        assert answer.status_code == 401 and "not right" in answer.text
    form = client.get("/signin")
    answer = client.post(
        "/signin", data={"csrf": csrf_of(form.text), "name": ADMIN[0], "password": ADMIN[1]}
    )
    assert answer.status_code == 401 and "Too many failed sign-ins" in answer.text
    assert audit_actions(desk_world).count("signin_refused") == 6


def test_an_idle_session_expires_and_asks_to_sign_in_again(
    client: TestClient, desk_world: DeskWorld
) -> None:
    sign_in(client, ADMIN)
    assert client.get("/queue").status_code == 200
    idle = desk_world.config.desk.session_minutes + 1
    with sqlite3.connect(desk_db_path(desk_world.config)) as db:
        db.execute(
            "UPDATE sessions SET seen_at = ?",
            ((datetime.now(UTC) - timedelta(minutes=idle)).isoformat(),),
        )
    answer = client.get("/queue")
    assert answer.status_code == 303 and answer.headers["location"].startswith("/signin")


def test_signing_in_never_redirects_to_another_site(client: TestClient) -> None:
    form = client.get("/signin?next=//evil.example/phish")
    answer = client.post(
        "/signin",
        data={
            "csrf": csrf_of(form.text),
            "name": ADMIN[0],
            "password": ADMIN[1],
            "next": "//evil.example/phish",
        },
    )
    assert answer.headers["location"] == "/queue"


def test_signing_out_ends_the_session(client: TestClient) -> None:
    csrf = sign_in(client, ADMIN)
    client.post("/signout", data={"csrf": csrf})
    assert client.get("/queue").status_code == 303


def test_every_action_is_in_the_audit_log_with_who(
    client: TestClient, desk_world: DeskWorld
) -> None:
    csrf = sign_in(client, ADMIN)
    ref = case_refs(client, "incomplete")[0]
    client.post(f"/case/{ref}/note", data={"csrf": csrf, "text": "rang the school"})
    client.post(f"/case/{ref}/move", data={"csrf": csrf, "meeting": "2026-02-05"})
    with Register(desk_world.config.paths.register_db) as register:
        mine = [(e.actor, e.action) for e in register.audit_log() if e.actor == ADMIN[0]]
    assert mine == [(ADMIN[0], "signin"), (ADMIN[0], "add_note"), (ADMIN[0], "move_case")]
