"""A case: its documents and values with where each came from, findings to accept, its
history, moving it to another meeting, notes, and the reply draft of its current state."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from starlette.responses import Response

from pipeline import admin
from pipeline.context import Context
from pipeline.desk.casefile import case_page
from pipeline.desk.document_view import lay_out, page_picture
from pipeline.desk.drafts import case_drafts, mark_sent, save_draft_text
from pipeline.desk.notes import add_note
from pipeline.desk.web import Call, see_other
from pipeline.errors import PipelineError
from pipeline.reports.wording import format_date
from pipeline.runner import write_reports

Action = Callable[[Context], object]


def _ref(call: Call) -> str:
    return str(call.request.path_params["case_ref"]).upper()


def show_case(call: Call) -> Response:
    with call.desk.context() as ctx:
        try:
            page = case_page(ctx, call.desk.store, _ref(call))
        except PipelineError as missing:
            return call.page("missing.html", status=404, reason=str(missing))
    query = call.query()
    return call.page(
        "case.html", page=page, note=query.get("note", ""), error=query.get("error", "")
    )


def show_document(call: Call) -> Response:
    ref, sha256 = _ref(call), str(call.request.path_params["sha256"])
    with call.desk.context() as ctx:
        try:
            laid = lay_out(ctx, ref, sha256, call.query().get("at", ""))
        except PipelineError as missing:
            return call.page("missing.html", status=404, reason=str(missing))
    return call.page("document.html", case_ref=ref, laid=laid)


def show_page_picture(call: Call) -> Response:
    ref, sha256 = _ref(call), str(call.request.path_params["sha256"])
    with call.desk.context() as ctx:
        try:
            picture = page_picture(ctx, ref, sha256, call.query().get("at", ""))
        except PipelineError as missing:
            return call.page("missing.html", status=404, reason=str(missing))
    if picture is None:
        return call.page("missing.html", status=404, reason="That place is not on a PDF page.")
    return Response(picture, media_type="image/png")


def accept_finding(call: Call) -> Response:
    def accept(ctx: Context) -> object:
        return admin.accept_finding(
            ctx,
            _ref(call),
            call.form.get("code", ""),
            field=call.form.get("field") or None,
            reason=call.form.get("reason", ""),
            by=call.user.name,
        )

    return _act(call, accept, "Finding accepted.")


def move_case(call: Call) -> Response:
    try:
        day = date.fromisoformat(call.form.get("meeting", ""))
    except ValueError:
        return see_other(f"/case/{_ref(call)}", error="Choose a meeting.")
    return _act(
        call,
        lambda ctx: admin.move_case(ctx, _ref(call), day, call.user.name, today=call.desk.today),
        f"Moved to the meeting on {format_date(day)}.",
    )


def add_case_note(call: Call) -> Response:
    def note(ctx: Context) -> None:
        add_note(
            call.desk.store, ctx.register, _ref(call), call.form.get("text", ""), call.user.name
        )

    return _act(call, note, "Note added.", reports=False)


def save_draft(call: Call) -> Response:
    def save(ctx: Context) -> None:
        submission_id = _current_draft(call, ctx)
        text = call.form.get("text", "")
        save_draft_text(
            call.desk.store, ctx.register, _ref(call), submission_id, text, call.user.name
        )

    return _act(call, save, "Draft saved.", reports=False)


def draft_sent(call: Call) -> Response:
    def sent(ctx: Context) -> None:
        submission_id = _current_draft(call, ctx)
        mark_sent(call.desk.store, ctx.register, _ref(call), submission_id, call.user.name)

    return _act(call, sent, "Reply marked as sent.", reports=False)


def _current_draft(call: Call, ctx: Context) -> str:
    """Only the draft of the case's current state can be changed: a form for a superseded one
    (the school resent while the page was open) is refused."""
    submissions = ctx.register.case_submissions(_ref(call))
    current = case_drafts(ctx.config, call.desk.store, submissions).current if submissions else None
    if current is None or current.submission_id != call.form.get("submission_id"):
        raise PipelineError(
            "That draft has been superseded by a later email: the page now shows the current one."
        )
    return current.submission_id


def _act(call: Call, action: Action, done: str, *, reports: bool = True) -> Response:
    """Run one change to the case (one at a time), then back to its page saying how it went."""
    page = f"/case/{_ref(call)}"
    with call.desk.actions, call.desk.context() as ctx:
        try:
            action(ctx)
        except PipelineError as refused:
            return see_other(page, error=str(refused))
        if reports:
            write_reports(ctx)
    return see_other(page, done)
