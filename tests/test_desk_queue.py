"""The desk's queue and case page: one row per case, newest first, the ready-made views, and
a school's resend seen as one case with one current draft."""

from __future__ import annotations

import html
import random
import re
from datetime import UTC, date, datetime, timedelta, timezone

from desk_world import ADMIN, DeskWorld, case_refs, sign_in
from starlette.testclient import TestClient
from test_cases import first_email, run

from pipeline.config import Config
from pipeline.desk.accounts import Role, add_user
from pipeline.desk.app import create_app
from pipeline.desk.drafts import mark_sent
from pipeline.desk.queue import Need, QueueFilter, build_queue
from pipeline.desk.store import DeskStore
from pipeline.models import RequestType
from pipeline.register import Register
from pipeline.reports.wording import format_date
from pipeline.rules.cutoff import meetings
from testkit.samples.case import make_referral
from testkit.samples.email_message import render_email
from testkit.samples.follow_up import follow_up

pytest_plugins = ["desk_fixtures"]


def test_the_queue_has_one_row_per_case_newest_first(desk_world: DeskWorld) -> None:
    queue = build_queue(desk_world.config, desk_world.store, QueueFilter(), date(2025, 9, 1))
    refs = [row.case_ref or row.submission_id for row in queue.rows]
    assert len(refs) == len(set(refs)) == queue.total
    received = [row.received_at for row in queue.rows]
    assert received == sorted(received, reverse=True)


HOUR = timedelta(hours=1)


def test_a_resent_case_is_one_row_with_one_current_draft(config: Config) -> None:
    referral, record = first_email(config, config.paths.inbox)
    # The school saves its form again and resends it, still without the map (the same bytes
    # again would be a duplicate delivery, not a resend).
    resaved = referral.model_copy(update={"document_time": referral.document_time + HOUR})
    resent = follow_up(resaved, case_ref=record["case_ref"], send_form=True, send_map=False)
    (config.paths.inbox / "002-resent.eml").write_bytes(resent)
    run(config)
    store = DeskStore.of(config)
    queue = build_queue(config, store, QueueFilter(need=Need.incomplete), date(2025, 9, 1))
    assert [row.case_ref for row in queue.rows] == [record["case_ref"]]
    assert queue.rows[0].submission_id != record["submission_id"]
    client = TestClient(create_app(config, store))
    add_user(store, *ADMIN, role=Role.admin)
    sign_in(client, ADMIN)
    page = client.get(f"/case/{record['case_ref']}").text
    assert page.count('aria-label="Reply text"') == 1
    assert f"The draft answering {record['submission_id']} is superseded" in page


def test_the_next_meeting_view_lists_its_cases_with_amounts_and_the_cut_off(
    desk_world: DeskWorld,
) -> None:
    with Register(desk_world.config.paths.register_db) as register:
        listed = {s.meeting for s in register.submissions() if s.meeting}
    schedule = meetings(desk_world.config.meetings)
    upcoming = next(m for m in schedule if m.day in listed)
    today = upcoming.cutoff
    queue = build_queue(
        desk_world.config, desk_world.store, QueueFilter(need=Need.next_meeting), today
    )
    assert queue.next_meeting == upcoming
    assert queue.rows and all(row.meeting == upcoming.day.isoformat() for row in queue.rows)
    assert all(row.amount_requested for row in queue.rows if row.request_type is RequestType.ipn)


def test_a_draft_marked_sent_leaves_the_drafts_view(desk_world: DeskWorld) -> None:
    chosen = QueueFilter(need=Need.drafts)
    before = build_queue(desk_world.config, desk_world.store, chosen, date(2025, 9, 1))
    row = before.rows[0]
    assert row.case_ref
    with Register(desk_world.config.paths.register_db) as register:
        mark_sent(desk_world.store, register, row.case_ref, row.submission_id, "ada.admin")
    after = build_queue(desk_world.config, desk_world.store, chosen, date(2025, 9, 1))
    assert after.total == before.total - 1
    assert row.submission_id not in {r.submission_id for r in after.rows}


def test_the_finding_filter_keeps_only_cases_with_that_finding(client: TestClient) -> None:
    sign_in(client, ADMIN)
    everything = case_refs(client)
    page = client.get("/queue?finding=invalid_upn").text
    assert "invalid_upn" in page
    filtered = [ref for ref in everything if f"/case/{ref}" in page]
    assert 0 < len(filtered) < len(everything)


def test_a_blank_optional_field_is_shown_as_left_blank_not_as_a_problem(
    client: TestClient, desk_world: DeskWorld
) -> None:
    sign_in(client, ADMIN)
    rows = [
        row
        for ref in case_refs(client)
        for row in re.findall(r"<tr[^>]*>.*?</tr>", client.get(f"/case/{ref}").text, re.S)
        if "left blank" in row
    ]
    assert rows, "no case has a blank field"
    assert not [row for row in rows if 'class="problem"' in row or "could not be read" in row]


def paged_client(desk_world: DeskWorld, size: int) -> TestClient:
    """The desk signed in as the admin, its queue showing ``size`` cases a page."""
    desk = desk_world.config.desk.model_copy(update={"queue_page_size": size})
    config = desk_world.config.model_copy(update={"desk": desk})
    client = TestClient(create_app(config, desk_world.store, today=date(2025, 9, 1)))
    sign_in(client, ADMIN)
    return client


def shown_rows(page: str) -> list[tuple[str, str]]:
    """Each row of the queue's table as the admin reads it: the case (or email) and status."""
    body = page.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return re.findall(r'<td><a href="[^"]+">([^<]+)</a></td>.*?class="badge (\w+)"', body, re.S)


def link(page: str, rel: str) -> str:
    found = re.search(rf'<a href="([^"]+)" rel="{rel}">', page)
    assert found, f"the page has no {rel} link"
    return html.unescape(found.group(1))


def count_line(page: str) -> str:
    found = re.search(r'<p class="count">(.*?)</p>', page, re.S)
    assert found
    return " ".join(re.sub(r"<[^>]+>", "", found.group(1)).split())


def test_the_older_link_shows_the_next_cases_of_the_queue(desk_world: DeskWorld) -> None:
    everything = shown_rows(paged_client(desk_world, 500).get("/queue").text)
    client = paged_client(desk_world, 3)
    first = client.get("/queue").text
    second = client.get(link(first, "next")).text
    assert len(everything) > 6
    assert shown_rows(first) == everything[:3]
    assert shown_rows(second) == everything[3:6]
    assert f"Page 2 of {-(-len(everything) // 3)}" in second
    assert shown_rows(client.get(link(second, "prev")).text) == everything[:3]


def test_a_filtered_queue_keeps_its_filter_and_counts_on_every_page(
    desk_world: DeskWorld,
) -> None:
    everything = shown_rows(paged_client(desk_world, 500).get("/queue").text)
    incomplete = [row for row in everything if row[1] == "incomplete"]
    client = paged_client(desk_world, 1)
    page = client.get("/queue?status=incomplete").text
    seen = shown_rows(page)
    for _ in range(len(incomplete) - 1):
        assert count_line(page) == f"{len(incomplete)} case(s): {len(incomplete)} incomplete."
        page = client.get(link(page, "next")).text
        seen += shown_rows(page)
    assert len(incomplete) > 1
    assert seen == incomplete
    assert 'rel="next"' not in page


def test_the_queue_counts_its_cases_by_status(desk_world: DeskWorld) -> None:
    everything = shown_rows(paged_client(desk_world, 500).get("/queue").text)
    line = count_line(paged_client(desk_world, 2).get("/queue").text)
    expected = [
        f"{sum(1 for _, s in everything if s == status)} {status}"
        for status in ("incomplete", "complete", "quarantined")
        if any(s == status for _, s in everything)
    ]
    assert line == f"{len(everything)} case(s): " + ", ".join(expected) + "."


def test_the_queue_orders_cases_by_arrival_whatever_offset_each_time_was_written_with(
    config: Config,
) -> None:
    # 09:30 in British Summer Time is 08:30 UTC: earlier than 08:45 UTC, though later as text.
    summer = datetime(2026, 3, 30, 9, 30, tzinfo=timezone(timedelta(hours=1)))
    utc = datetime(2026, 3, 30, 8, 45, tzinfo=UTC)
    for name, arrival, seed in (("001-bst.eml", summer, 31), ("002-utc.eml", utc, 32)):
        referral = make_referral(random.Random(seed), config, received_at=arrival)
        (config.paths.inbox / name).write_bytes(render_email(referral))
    run(config)

    queue = build_queue(config, DeskStore.of(config), QueueFilter(), date(2026, 3, 30))

    assert [row.received_at for row in queue.rows] == [utc, summer]


def test_the_queue_names_the_next_meeting_from_the_desks_day_not_the_machines(
    desk_world: DeskWorld,
) -> None:
    first = meetings(desk_world.config.meetings)[0]
    client = paged_client(desk_world, 50)  # the desk's day: 1 September 2025

    page = client.get("/").text

    assert f"Next meeting: <strong>{format_date(first.day)}</strong>" in page
