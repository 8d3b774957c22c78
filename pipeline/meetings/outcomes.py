"""Outcome emails to schools: what the panel agreed, as drafts for the admin to send.

Pupils are named by initials and case reference only: email leaves the council's systems.
"""

from __future__ import annotations

import hashlib
from datetime import date, datetime, time
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime

from pipeline.cases.assess import LONDON
from pipeline.config import Config
from pipeline.meetings.capital.outcome import capital_outcome
from pipeline.meetings.models import CaseFile
from pipeline.models import RequestType
from pipeline.outcomes import Decision, DecisionKind
from pipeline.reports.wording import format_date, format_money, request_type

NEXT_STEPS = {
    DecisionKind.agreed: "The funding is agreed as requested.",
    DecisionKind.agreed_with_changes: "The funding is agreed, with changes.",
    DecisionKind.declined: "The panel did not agree the funding this time.",
    DecisionKind.deferred: "The panel deferred its decision to {meeting}.",
}


def outcome_email(
    decision: Decision, case: CaseFile, to: str, config: Config, relisted: date | None = None
) -> bytes:
    """The draft to the school; a deferred case names the meeting it is ``relisted`` at."""
    message = EmailMessage(policy=SMTP)
    message["From"] = config.cluster.mailbox
    message["To"] = to
    message["Subject"] = f"Cluster panel decision: {case.case_ref}"
    message["Date"] = format_datetime(datetime.combine(decision.meeting, time(14), LONDON))
    message["Message-ID"] = _message_id(decision, config)
    message["X-Unsent"] = "1"  # opens as a draft in Outlook
    message.set_content(_body(decision, case, config, relisted))
    return bytes(message)


def _body(decision: Decision, case: CaseFile, config: Config, relisted: date | None) -> str:
    who = (
        f"for pupil {case.pupil.initials}"
        if case.pupil
        else (f"for '{case.project_title}'" if case.project_title else "")
    )
    lines = [
        "Dear colleague,",
        "",
        f"The {config.cluster.name} panel met on {format_date(decision.meeting)} and considered "
        f"your {request_type(case.request_type).lower()} request {case.case_ref} {who}.".replace(
            "  ", " "
        ),
        "",
    ]
    if case.request_type is RequestType.capital:
        lines += capital_outcome(decision, config, next_meeting(relisted))
    else:
        lines += _revenue_outcome(decision, next_meeting(relisted))
    if decision.actions.strip():
        lines += ["", "Actions agreed:", decision.actions.strip()]
    lines += [
        "",
        "Please quote the case reference in any reply.",
        "",
        "Kind regards,",
        f"{config.cluster.name} admin",
        config.cluster.mailbox,
    ]
    return "\n".join(lines) + "\n"


def next_meeting(relisted: date | None) -> str:
    return f"its meeting on {format_date(relisted)}" if relisted else "a later meeting"


def _revenue_outcome(decision: Decision, meeting: str) -> list[str]:
    steps = NEXT_STEPS[decision.decision].format(meeting=meeting)
    lines = [f"Decision: {decision.decision.value}. {steps}"]
    if decision.amount_agreed is not None and decision.decision.commits_money:
        lines.append(f"Amount agreed: {format_money(decision.amount_agreed)}.")
    if decision.review_date is not None and decision.decision.commits_money:
        lines += [
            "",
            f"The funding will be reviewed by {format_date(decision.review_date)}. "
            "Please send the Cluster Funding Review form, quoting the case reference, "
            "before then.",
        ]
    return lines


def _message_id(decision: Decision, config: Config) -> str:
    digest = hashlib.sha256(decision.model_dump_json().encode()).hexdigest()[:20]
    domain = config.cluster.mailbox.rpartition("@")[2] or "localhost"
    return f"<outcome.{digest}@{domain}>"
