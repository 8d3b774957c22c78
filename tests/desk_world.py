"""Helpers for the desk's tests: the accounts, signing in through the form, reading pages."""

from __future__ import annotations

import re
from dataclasses import dataclass

from starlette.testclient import TestClient

from pipeline.config import Config
from pipeline.desk.store import DeskStore

ADMIN = ("ada.admin", "a long admin password")
PANEL = ("pat.panel", "a long panel password")
DEFECTS = ("missing_document", "unknown_sender", "invalid_upn", "total_mismatch")
MEETING = "2025-12-11"


@dataclass(frozen=True)
class DeskWorld:
    config: Config
    store: DeskStore


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found, "the page has no form with a CSRF token"
    return found.group(1)


def sign_in(client: TestClient, who: tuple[str, str]) -> str:
    """Sign in through the form; returns the session's CSRF token from the landing page."""
    form = client.get("/signin")
    answer = client.post(
        "/signin",
        data={"csrf": csrf_of(form.text), "name": who[0], "password": who[1]},
        follow_redirects=False,
    )
    assert answer.status_code == 303, answer.text
    landing = client.get(answer.headers["location"])
    return csrf_of(landing.text)


def case_refs(client: TestClient, need: str = "all") -> list[str]:
    page = client.get(f"/queue?need={need}").text
    return list(dict.fromkeys(re.findall(r'href="/case/(CC-\d{4}-\d{4})"', page)))
