"""Meetings: the list, one meeting's agenda with the bundle and the decisions form, the
editions to download; a panel member sees the panel edition of their meetings only."""

from __future__ import annotations

from datetime import date

from starlette.responses import FileResponse, Response

from pipeline.desk import meetings
from pipeline.desk.web import Call, see_other
from pipeline.errors import PipelineError
from pipeline.meetings.decision_log.columns import ACTIONS, AMOUNT, CASE_REF, DECISION, REVIEW
from pipeline.outcomes import DecisionKind
from pipeline.runner import write_reports


def _day(call: Call) -> date | None:
    try:
        return date.fromisoformat(str(call.request.path_params["day"]))
    except ValueError:
        return None


def list_meetings(call: Call) -> Response:
    with call.desk.context() as ctx:
        rows = meetings.meeting_rows(ctx)
    return call.page("meetings.html", rows=rows)


def show_meeting(call: Call) -> Response:
    query = call.query()
    return _meeting(call, note=query.get("note", ""), error=query.get("error", ""))


def _meeting(
    call: Call, *, note: str = "", error: str = "", entered: dict[str, dict[str, str]] | None = None
) -> Response:
    """The meeting's page; after refused decisions, with what the admin typed kept."""
    day = _day(call)
    with call.desk.context() as ctx:
        try:
            if day is None:
                raise PipelineError("That is not a meeting date.")
            page = meetings.meeting_page(ctx, day)
        except PipelineError as missing:
            return call.page("missing.html", status=404, reason=str(missing))
    return call.page(
        "meeting.html",
        status=422 if entered else 200,
        page=page,
        kinds=[k.value for k in DecisionKind],
        entered=entered or {},
        note=note,
        error=error,
    )


def build_bundle(call: Call) -> Response:
    day = _day(call)
    page = f"/meetings/{call.request.path_params['day']}"
    with call.desk.actions, call.desk.context() as ctx:
        try:
            if day is None:
                raise PipelineError("That is not a meeting date.")
            meetings.build_bundle(ctx, day, call.user.name)
        except PipelineError as refused:
            return see_other(page, error=str(refused))
    return see_other(page, "Bundle built: both editions and the decision log.")


def enter_decisions(call: Call) -> Response:
    day = _day(call)
    page = f"/meetings/{call.request.path_params['day']}"
    refs = [v for k, v in sorted(call.form.items()) if k.startswith("ref-")]
    rows = [
        {
            CASE_REF: ref,
            DECISION: call.form.get(f"decision-{ref}", ""),
            AMOUNT: call.form.get(f"amount-{ref}", ""),
            REVIEW: call.form.get(f"review-{ref}", ""),
            ACTIONS: call.form.get(f"actions-{ref}", ""),
        }
        for ref in refs
    ]
    with call.desk.actions, call.desk.context() as ctx:
        try:
            if day is None:
                raise PipelineError("That is not a meeting date.")
            if "log" in call.files:
                name, data = call.files["log"]
                imported = meetings.import_log(ctx, day, name, data, call.user.name)
            else:
                imported = meetings.enter_decisions(ctx, day, rows, call.user.name)
        except PipelineError as refused:
            typed = {row[CASE_REF]: row for row in rows}
            return _meeting(call, error=f"Nothing was saved. {refused}", entered=typed)
        write_reports(ctx)
    return see_other(
        page,
        f"{len(imported.decisions)} decision(s) recorded, {imported.changed} changed; "
        f"{len(imported.drafts)} outcome email draft(s) written.",
    )


def download(call: Call) -> Response:
    """An edition of the bundle; a panel member gets only the panel edition, of a meeting
    they sit on."""
    day, edition = _day(call), str(call.request.path_params["edition"])
    allowed = edition == "panel" if not call.user.is_admin else edition in meetings.EDITIONS
    if day is None or not allowed or not call.user.sits_on(day.isoformat()):
        return call.page("refused.html", status=403, reason="That edition is not for you.")
    with call.desk.context() as ctx:
        path = meetings.meeting_dir(ctx, day) / meetings.EDITIONS[edition]
        if path.exists():
            ctx.register.audit(call.user.name, "download", f"{day.isoformat()} {path.name}")
    if not path.exists():
        return call.page("missing.html", status=404, reason="That bundle has not been built yet.")
    return FileResponse(path, filename=f"{day.isoformat()}-{path.name}")


def panel_home(call: Call) -> Response:
    """A panel member's page: the meetings they sit on, with the panel edition where built."""
    with call.desk.context() as ctx:
        rows = [
            r for r in meetings.meeting_rows(ctx) if call.user.sits_on(r.meeting.day.isoformat())
        ]
    return call.page("panel.html", rows=rows)
