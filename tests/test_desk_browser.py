"""The admin's day at the desk, in real Chromium (Playwright, Debian's browser): each step
asserts what the admin sees and takes a screenshot; with REFRESH_DOCS=1 (``make docs``) they
replace the ones the README shows (docs/desk/), otherwise they go to the temporary folder, so
that running the tests leaves the working tree as it was."""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import threading
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from desk_world import ADMIN, DeskWorld

from pipeline.desk.app import create_app

# The meetings of the sample year (2025/26) are still to come on this day.
YEAR_STARTS = date(2025, 9, 1)

pytestmark = pytest.mark.browser
pytest_plugins = ["desk_fixtures"]

SHOTS = (
    Path(__file__).resolve().parent.parent / "docs" / "desk"
    if os.environ.get("REFRESH_DOCS") == "1"
    else Path(tempfile.gettempdir()) / "desk-shots"
)
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_path() -> str:
    found = CHROMIUM if Path(CHROMIUM).exists() else shutil.which("chromium")
    if found:
        return found
    if os.environ.get("CI") == "true":
        pytest.fail("no chromium binary: the CI must install Debian's chromium package")
    pytest.skip("no chromium binary (install Debian's chromium package to run this test)")


@pytest.fixture
def desk_url(desk_world: DeskWorld) -> Iterator[str]:
    """The desk served by uvicorn on a free loopback port, stopped after the test."""
    app = create_app(desk_world.config, desk_world.store, today=YEAR_STARTS)
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning", access_log=False)
    )
    thread = threading.Thread(target=server.run, name="desk-under-test")
    thread.start()
    try:
        _wait_for(lambda: server.started or not thread.is_alive())
        assert server.started, "the desk did not start"
        port = server.servers[0].sockets[0].getsockname()[1]
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=30)


def _wait_for(condition: Any, limit: float = 30.0) -> None:
    deadline = time.monotonic() + limit
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.02)


@pytest.fixture
def page(desk_url: str) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    executable = chromium_path()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        context = browser.new_context(base_url=desk_url, viewport={"width": 1280, "height": 900})
        context.set_default_timeout(120_000)  # building a bundle converts Word and Excel
        tab = context.new_page()
        try:
            yield tab
        finally:
            context.close()
            browser.close()


def shot(page: Any, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=False)


def test_the_admins_day_at_the_desk(page: Any) -> None:
    from playwright.sync_api import expect

    # Sign in.
    page.goto("/")
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    page.get_by_label("Name").fill(ADMIN[0])
    page.get_by_label("Password").fill(ADMIN[1])
    shot(page, "01-sign-in")
    page.get_by_role("button", name="Sign in").click()

    # The queue: newest first, one row per case.
    expect(page.get_by_role("heading", name="Queue")).to_be_visible()
    expect(page.locator("table.queue tbody tr")).not_to_have_count(0)
    expect(page.get_by_text("Ada Admin (admin)")).to_be_visible()
    shot(page, "02-queue")

    # Open an incomplete case and see where a value was read, highlighted.
    page.get_by_role("link", name="Incomplete").click()
    page.get_by_label("Finding").select_option("invalid_upn")
    page.get_by_role("button", name="Filter").click()
    page.locator("table.queue tbody a").first.click()
    expect(page.locator("h1")).to_contain_text("incomplete")
    case_url = page.url
    upn_row = page.locator("table.fields tr", has=page.locator("code.flag", has_text="invalid_upn"))
    upn = upn_row.first.locator("td").nth(1).inner_text().strip()
    shot(page, "03-case")
    upn_row.first.get_by_role("link").click()
    expect(page.locator(".here")).to_have_text(upn)
    shot(page, "04-value-highlighted")

    # Accept the finding with a reason.
    page.goto(case_url)
    finding = page.locator("article.finding", has=page.locator("code", has_text="invalid_upn"))
    finding.get_by_label("Reason").fill("UPN confirmed with the school's MIS by phone")
    finding.get_by_role("button", name="Accept with this reason").click()
    expect(page.get_by_role("status")).to_have_text("Finding accepted.")
    expect(page.get_by_text("Accepted by ada.admin")).to_be_visible()
    expect(page.get_by_text("UPN confirmed with the school's MIS by phone")).to_be_visible()
    shot(page, "05-finding-accepted")

    # Release a quarantined email.
    page.get_by_role("link", name="Quarantine").click()
    held = page.locator("article.quarantined").first
    expect(held).to_contain_text("not a cluster school")
    expect(held).to_contain_text("provision map.xlsx")
    shot(page, "06-quarantine")
    held.locator("form", has_text="Release").get_by_label("Reason").fill(
        "Confirmed by phone: the school's new address"
    )
    held.get_by_role("button", name="Release and process").click()
    expect(page.get_by_role("status")).to_contain_text("Released and processed: CC-")
    shot(page, "07-released")

    # Move a case to another meeting.
    page.goto(case_url)
    page.get_by_label("Hear it on").select_option("2026-02-05")
    page.get_by_role("button", name="Move the case").click()
    expect(page.get_by_role("status")).to_have_text("Moved to the meeting on 5 February 2026.")
    expect(page.get_by_text("move case", exact=False).first).to_be_visible()

    # Edit the reply draft of an incomplete case and mark it sent.
    page.goto("/queue?need=drafts")
    page.locator("table.queue tbody a").first.click()
    draft = page.get_by_label("Reply text")
    expect(draft).to_contain_text("Please send them by")
    expect(draft).to_contain_text("to be heard on")
    draft.fill(draft.input_value() + "\nI will ring you on Monday to talk it through.")
    page.get_by_role("button", name="Save the draft").click()
    expect(page.get_by_role("status")).to_have_text("Draft saved.")
    expect(page.get_by_label("Reply text")).to_contain_text("ring you on Monday")
    page.get_by_role("button", name="Mark as sent").click()
    expect(page.get_by_text("Marked as sent by ada.admin")).to_be_visible()
    shot(page, "08-draft-sent")

    # Build a meeting's bundle.
    page.get_by_role("link", name="Meetings").click()
    row = page.locator("table.meetings tbody tr").filter(has_not_text=re.compile(r"^\s*$"))
    meeting_link = _meeting_with_cases(row)
    meeting_link.click()
    expect(page.get_by_role("heading", name="Money")).to_be_visible()
    expect(page.get_by_text("Remaining if all are agreed")).to_be_visible()
    page.get_by_role("button", name="Build the bundle").click()
    expect(page.get_by_role("status")).to_have_text(
        "Bundle built: both editions and the decision log."
    )
    expect(page.get_by_role("link", name="Panel edition (PDF)")).to_be_visible()
    expect(page.get_by_role("link", name="Full edition (PDF)")).to_be_visible()
    shot(page, "09-bundle-built")

    # Enter decisions: one refused with the reason shown, then saved.
    first = page.locator("form.decisions tbody tr").first
    ref = first.locator("a").inner_text()
    first.get_by_label(f"Decision for {ref}").select_option("Agreed")
    page.get_by_role("button", name="Save the decisions").click()
    expect(page.get_by_role("alert")).to_have_text(
        f"Nothing was saved. {ref}, Amount agreed: is required when the decision is 'Agreed'"
    )
    first = page.locator("form.decisions tbody tr").first
    expect(first.get_by_label(f"Decision for {ref}")).to_have_value("Agreed")  # kept as typed
    shot(page, "10-decision-refused")
    first.get_by_label(f"Amount agreed for {ref}").fill("4,250")
    page.get_by_role("button", name="Save the decisions").click()
    expect(page.get_by_role("status")).to_contain_text("1 decision(s) recorded, 1 changed")
    expect(first.get_by_label(f"Amount agreed for {ref}")).to_have_value("4250.00")
    shot(page, "11-decisions-saved")


def _meeting_with_cases(rows: Any) -> Any:
    for index in range(rows.count()):
        row = rows.nth(index)
        if row.locator("td").nth(2).inner_text().strip() not in ("", "0"):
            return row.locator("a").first
    raise AssertionError("no meeting has cases")
