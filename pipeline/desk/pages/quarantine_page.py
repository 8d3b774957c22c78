"""The quarantine page: release (process again) or reject, each with a reason."""

from __future__ import annotations

from starlette.responses import Response

from pipeline.desk import quarantine
from pipeline.desk.web import Call, see_other
from pipeline.errors import PipelineError
from pipeline.runner import write_reports

PAGE = "/quarantine"


def show_quarantine(call: Call) -> Response:
    with call.desk.context() as ctx:
        mail = quarantine.quarantined_mail(ctx, call.desk.store)
    query = call.query()
    return call.page(
        "quarantine.html", mail=mail, note=query.get("note", ""), error=query.get("error", "")
    )


def release(call: Call) -> Response:
    message_id = str(call.request.path_params["message_id"])
    with call.desk.actions, call.desk.context() as ctx:
        try:
            submissions = quarantine.release(
                ctx, message_id, call.form.get("reason", ""), call.user.name
            )
        except PipelineError as refused:
            return see_other(PAGE, error=str(refused))
    outcome = ", ".join(f"{s.case_ref or s.submission_id} is {s.status.value}" for s in submissions)
    return see_other(PAGE, f"Released and processed: {outcome}.")


def reject(call: Call) -> Response:
    message_id = str(call.request.path_params["message_id"])
    with call.desk.actions, call.desk.context() as ctx:
        try:
            quarantine.reject(
                ctx, call.desk.store, message_id, call.form.get("reason", ""), call.user.name
            )
        except PipelineError as refused:
            return see_other(PAGE, error=str(refused))
        write_reports(ctx)
    return see_other(PAGE, "Rejected: it stays in the register, off this list.")
