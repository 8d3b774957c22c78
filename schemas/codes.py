"""The rule codes of the SPEC and the nine this project adds: each with its severity and
the sentences the school reads.

``dmarc_failed`` (quarantined), ``before_round_opens`` (a capital bid sent before the round
opened), ``damaged_email`` (the email itself malformed or cut short, so part of it may be
missing), ``processing_failed`` (the email failed every attempt and was quarantined unread;
its sentence is for the admin), ``email_too_large`` (over ``intake.max_email_mb``: stored,
quarantined, never parsed), ``scan_unreadable`` (a scanned form read too poorly to judge:
send the Word version), ``low_confidence_value`` (information: an answer OCR was unsure
of, to check against the original), ``case_reference_not_senders`` (an email quoting the
reference of another setting's case: quarantined unread, the case untouched) and
``date_header_differs`` (information: the sender's Date header is more than a day from when
the council received the email, which is the time that counts) are added to the SPEC's list,
which allows new ones.

A sentence is a template; the rule that finds the problem fills in its particulars (names,
dates and amounts already written as the school reads them). Where one code is found in
different ways it has a sentence for each, named. The table is longer than most modules
because it reads best whole: every code, how much it matters and what the school is told.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Severity(StrEnum):
    error = "error"
    warning = "warning"
    info = "info"


class RuleCode(StrEnum):
    """A finding's code: ``code.severity`` is how much it matters, ``code.sentence(...)``
    what the school is told."""

    missing_field = "missing_field"
    invalid_value = "invalid_value"
    short_narrative = "short_narrative"
    missing_document = "missing_document"
    unknown_setting = "unknown_setting"
    invalid_upn = "invalid_upn"
    upn_other_la = "upn_other_la"
    age_out_of_range = "age_out_of_range"
    year_group_mismatch = "year_group_mismatch"
    identity_mismatch = "identity_mismatch"
    no_consent = "no_consent"
    consent_stale = "consent_stale"
    date_in_future = "date_in_future"
    date_order = "date_order"
    funding_period_over_year = "funding_period_over_year"
    few_apdr_cycles = "few_apdr_cycles"
    line_cost_mismatch = "line_cost_mismatch"
    total_mismatch = "total_mismatch"
    amount_mismatch = "amount_mismatch"
    weeks_over_school_year = "weeks_over_school_year"
    over_setting_cap = "over_setting_cap"
    cost_below_request = "cost_below_request"
    ineligible_capital = "ineligible_capital"
    completion_after_deadline = "completion_after_deadline"
    after_round_deadline = "after_round_deadline"
    before_round_opens = "before_round_opens"
    not_mainstream = "not_mainstream"
    budget_exceeded = "budget_exceeded"
    late_for_meeting = "late_for_meeting"
    no_meeting_scheduled = "no_meeting_scheduled"
    unknown_sender = "unknown_sender"
    dmarc_failed = "dmarc_failed"
    sender_setting_mismatch = "sender_setting_mismatch"
    duplicate_submission = "duplicate_submission"
    superseded = "superseded"
    unreadable_document = "unreadable_document"
    scanned_document = "scanned_document"
    blocked_file_type = "blocked_file_type"
    unrecognised_document = "unrecognised_document"
    damaged_email = "damaged_email"
    signature_missing = "signature_missing"
    processing_failed = "processing_failed"
    email_too_large = "email_too_large"
    scan_unreadable = "scan_unreadable"
    low_confidence_value = "low_confidence_value"
    case_reference_not_senders = "case_reference_not_senders"
    date_header_differs = "date_header_differs"

    @property
    def severity(self) -> Severity:
        return _RULES[self].severity

    @property
    def sentences(self) -> dict[str, str]:
        """The code's sentence templates by variant ("" is the usual one)."""
        return dict(_RULES[self].sentences)

    def sentence(self, variant: str = "", **particulars: object) -> str:
        """The sentence for the school (its named ``variant``), particulars filled in."""
        return _RULES[self].sentences[variant].format(**particulars)


@dataclass(frozen=True)
class _Rule:
    severity: Severity
    sentences: dict[str, str]


def _error(*default: str, **variants: str) -> _Rule:
    return _Rule(Severity.error, _sentences(default, variants))


def _warning(*default: str, **variants: str) -> _Rule:
    return _Rule(Severity.warning, _sentences(default, variants))


def _info(*default: str, **variants: str) -> _Rule:
    return _Rule(Severity.info, _sentences(default, variants))


def _sentences(default: tuple[str, ...], variants: dict[str, str]) -> dict[str, str]:
    return {"": "".join(default), **variants} if default else variants


_RULES: dict[RuleCode, _Rule] = {
    RuleCode.missing_field: _error(
        "'{label}' {state} on the {title}. Please complete it and send the form again.",
        no_cost_lines="The {title} has no cost lines. Please list each item and its cost (£) "
        "in the cost table, so the panel can see how the amount requested is made up.",
        line_without_cost="{line} has no cost. Please give the cost in pounds of every item.",
        line_without_item="{line} has a cost but no item. Please say what each cost is for.",
        review_of_nobody="The {title} names neither a pupil nor a project. Please fill in "
        "'{pupil_label}' for a pupil's funding, or '{project_label}' for a project's.",
        pupil_review_outcome="'{label}' is empty on the {title}. A pupil's review needs "
        "attendance and suspensions before and since the funding, so the panel can see its "
        "impact.",
        review_without_case_ref="The {title} quotes no case reference, so it cannot be matched "
        "to the funding it reviews. Please fill in '{label}' with the reference on the outcome "
        "email for this funding and send the form again.",
    ),
    RuleCode.invalid_value: _error(
        "'{label}' on the {title} could not be read: {problem}.",
        line_cost="{line}: the cost could not be read: {problem}.",
        not_an_ehc_plan="'{label}' on the {title} is '{status}', but exceptional needs funding "
        "is only for a pupil with an existing {plan}. For a pupil without one, please send an "
        "{ipn_title} instead.",
        unknown_case_ref="The {title} quotes the case reference {ref}, which is not a case of "
        "the cluster, so it cannot be matched to the funding it reviews. Please check the "
        "reference on the outcome email for this funding and send the form again quoting it.",
    ),
    RuleCode.short_narrative: _warning(
        "'{label}' has only {words}. The panel needs more detail (at least {minimum} words) "
        "to make a decision."
    ),
    RuleCode.missing_document: _error(
        "The {title} is missing: this request needs it. Please send it, quoting the case "
        "reference.",
        no_form="No cluster referral form was found in this email. Please attach the "
        "completed referral form (Word or PDF).",
        no_attachments="This email has no attachments, so there is nothing for the panel to "
        "consider. To make a request, please attach the completed cluster form.",
    ),
    RuleCode.unknown_setting: _error(
        "'{name}' is not a school or setting of the {cluster}. Please write the setting's "
        "full name as the cluster lists it.",
        partner="'{name}', named as a partner school or setting, is not a school or setting "
        "of the {cluster}. Please write the partner's full name as the cluster lists it, or "
        "leave it out if it is not in the cluster.",
    ),
    RuleCode.invalid_upn: _error("The pupil's {kind} {problem}."),
    RuleCode.upn_other_la: _info(
        "The UPN was issued by local authority {issued_by}, not Stoke-on-Trent ({ours}): the "
        "pupil may have joined from another area."
    ),
    RuleCode.age_out_of_range: _error(
        "The date of birth {born} makes the pupil {age} on {on}; the cluster funds children "
        "and young people aged {youngest} to {oldest}. Please check the date of birth."
    ),
    RuleCode.year_group_mismatch: _warning(
        "The form says {stated}, but a child born on {born} is in {expected} in the academic "
        "year of {on}. Please check the year group and date of birth (pupils taught out of "
        "year group are fine: say so in the form)."
    ),
    RuleCode.identity_mismatch: _error(
        "The {what} on '{later}' differs from the one on '{first}'. Please check both "
        "documents are for the same pupil and correct the wrong one."
    ),
    RuleCode.no_consent: _error(
        "The form says the parent/carer has not consented. The panel cannot consider a "
        "referral without consent to the referral and to sharing information."
    ),
    RuleCode.consent_stale: _warning(
        "Consent was given on {given}, more than 12 months before the declaration "
        "({declared}). Please renew consent with the parent/carer."
    ),
    RuleCode.date_in_future: _error(
        "'{label}' is {day}, after the day the referral arrived ({arrived}). Please check the date."
    ),
    RuleCode.date_order: _error(
        "'{end_label}' ({end}) is before '{start_label}' ({start}). Please correct the dates."
    ),
    RuleCode.funding_period_over_year: _warning(
        "Funding runs from {start} to {end}, more than 12 months. Allocated funding is "
        "reviewed within a year: the panel may agree a shorter period."
    ),
    RuleCode.few_apdr_cycles: _warning(
        "The form records {cycles} completed assess, plan, do, review cycle(s); the panel "
        "usually expects at least {minimum} before cluster funding."
    ),
    RuleCode.line_cost_mismatch: _warning(
        "Provision line {line} shows an annual cost of {shown}, but its sessions, minutes, "
        "weeks, hourly rate and group size give {computed}. Please check the line."
    ),
    RuleCode.total_mismatch: _error(
        total_cost="The total cost of provision is {total}, but the provision lines add up "
        "to {lines}. Please correct the total.",
        amount_requested="The amount requested from the cluster is {requested}, but the "
        "total cost {total} less the Element 2 contribution {contribution} is {difference}.",
        cost_lines="'{label}' is {requested}, but the cost lines add up to {lines}. Please "
        "correct the total or the cost lines.",
    ),
    RuleCode.amount_mismatch: _error(
        "The form asks for {asked}, but the costed provision map asks for {mapped}. Please "
        "make the two amounts the same."
    ),
    RuleCode.weeks_over_school_year: _warning(
        "Provision line {line} runs for {weeks} weeks; a school year is {school_year} weeks. "
        "Please check the number of weeks."
    ),
    RuleCode.over_setting_cap: _error(
        one_bid="The bid asks for {asked}. A setting can receive at most {cap} from {fund} in "
        "a round: please reduce the amount requested.",
        several_bids="{setting} has asked for {total} of capital in this round, over {bids} "
        "bids ({now} in this email, {before} before). A setting can receive at most {cap} "
        "from {fund} in a round: please reduce this bid to {room} or less, or withdraw one of "
        "the bids.",
        several_bids_no_room="{setting} has asked for {total} of capital in this round, over "
        "{bids} bids ({now} in this email, {before} before). A setting can receive at most "
        "{cap} from {fund} in a round: please withdraw this bid or one of the earlier ones.",
    ),
    RuleCode.cost_below_request: _error(
        "The total project cost ({total}) is less than the amount requested ({requested}); "
        "the fund cannot pay more than the works cost. Please correct one of the two amounts."
    ),
    RuleCode.ineligible_capital: _error(
        "The declaration '{label}' is answered No, so the bid is not eligible: the fund "
        "cannot pay for {not_funded}. Please change the bid so the declaration is true, or "
        "contact the cluster."
    ),
    RuleCode.completion_after_deadline: _error(
        "The expected completion date is {completion}, but projects in this round must be "
        "complete by {deadline}. Please plan the works to finish by then."
    ),
    RuleCode.after_round_deadline: _error(
        "This capital bid arrived on {arrived}, after the round closed on {closed}, so the "
        "panel cannot consider it in this round. Please contact the cluster about the next "
        "round."
    ),
    RuleCode.before_round_opens: _info(
        "This capital bid arrived on {arrived}, before the round opens on {opens}. It is kept "
        "and will be considered with the round's bids."
    ),
    RuleCode.not_mainstream: _warning(
        "{setting} is configured as {phase}, not a mainstream setting; {fund} is for "
        "mainstream settings. The panel will decide whether the bid can be considered."
    ),
    RuleCode.budget_exceeded: _warning(
        "the requests on this agenda are {over} more than is left of the revenue budget. The "
        "panel cannot agree them all in full."
    ),
    RuleCode.late_for_meeting: _info(
        "The request arrived on {arrived}, after the cut-off ({cutoff}) for the meeting on "
        "{missed}, so it will be heard on {heard}."
    ),
    RuleCode.no_meeting_scheduled: _warning(
        "The request arrived on {arrived}, after the last meeting's cut-off; no later meeting "
        "is scheduled yet. It will be heard once the next meeting dates are set."
    ),
    RuleCode.unknown_sender: _error(
        "This email came from {who}, which is not a cluster school's or the council's "
        "address, so it has been quarantined unread. If it is genuine, the admin can add the "
        "address to config.toml and run 'pipeline reprocess {submission}'."
    ),
    RuleCode.dmarc_failed: _error(
        "This email claims to come from '{sender}', but the council's mail server found it "
        "failed DMARC: it may be forged. It has been quarantined unread. Please check with "
        "the sender by phone before processing it with 'pipeline reprocess {submission}'."
    ),
    RuleCode.sender_setting_mismatch: _warning(
        "The form is for {named}, but it was sent from an address of {sender_setting}. "
        "Please confirm which setting is making the request."
    ),
    RuleCode.duplicate_submission: _info(
        "'{name}' was already received (submission {earlier}); this copy is identical."
    ),
    RuleCode.superseded: _info(
        "'{old}' was replaced by a later version, '{new}', which is the one the panel will "
        "see. Both are kept."
    ),
    RuleCode.unreadable_document: _error("'{name}' cannot be opened: {reason}."),
    RuleCode.scanned_document: _warning(
        ocr="'{name}' is a scan with no text layer: its fields were read by OCR and may "
        "contain misread characters. Please check them against the original, or send the "
        "form as Word or PDF.",
        ocr_part="'{name}' is a scan with no text layer: only its first {read} of {pages} pages "
        "were read, by OCR, and may contain misread characters; the other {unread} were not "
        "read at all. Please check it against the original, or send the form as Word or PDF, "
        "and any long report as a file of its own.",
        no_ocr="'{name}' is a scan with no text layer and could not be read here (no OCR is "
        "installed). It is kept for the panel; if it is a referral form, please send it as "
        "Word or PDF.",
    ),
    RuleCode.blocked_file_type: _error(
        "'{name}' is a macro-enabled or executable file, which the cluster cannot open. It "
        "has been kept in quarantine. Please save it as an ordinary .docx, .xlsx or .pdf and "
        "send it again.",
        active_content="'{name}' was not opened: {reason}.",
    ),
    RuleCode.unrecognised_document: _info(
        "'{name}' is not a cluster form; it is kept as a supporting document for the panel."
    ),
    RuleCode.damaged_email: _warning(
        "This email arrived damaged, so part of it may be missing ({problems}). Please check "
        "that every document you sent is listed, and send again any that is not."
    ),
    RuleCode.signature_missing: _error(
        "The {title} has not been signed: '{label}' is empty. Please ask the headteacher to "
        "sign it and send it again."
    ),
    RuleCode.case_reference_not_senders: _error(
        "This email from '{sender}' quotes the case reference {case_ref}, which is not a case "
        "of the sender's setting, so it has been quarantined unread and the case left as it "
        "was. If it is genuine, the admin can release it from the desk, or add the address to "
        "config.toml and run 'pipeline reprocess {submission}'."
    ),
    RuleCode.date_header_differs: _info(
        "The email says it was sent {claimed}, but the council's mail system received it "
        "{received}: the time it was received is the one that counts for deadlines."
    ),
    RuleCode.email_too_large: _error(
        "This email is larger than the {limit} MB the cluster accepts, so it has been stored "
        "and quarantined without being opened. Please send the documents again in smaller "
        "emails, or ask the admin to raise intake.max_email_mb and run "
        "'pipeline reprocess {submission_id}'."
    ),
    RuleCode.scan_unreadable: _error(
        form="'{name}' is a scan of the {title} that could not be read well enough: only "
        "{read} of its {wanted} required answers could be read{what}. Please send the {title} "
        "as the Word document (or a PDF saved from Word) instead of a scan.",
        unknown="'{name}' is a scan that could not be read well enough to tell what it is "
        "(only {words} words could be read). If it is a cluster form, please send it as the "
        "Word document (or a PDF saved from Word) instead of a scan.",
    ),
    RuleCode.low_confidence_value: _info(
        "'{label}' was read from the scan as '{raw}', but OCR was not sure of it: check it "
        "against the original."
    ),
    RuleCode.processing_failed: _error(
        "This email could not be processed in {attempts} attempts (the error was {reason}), "
        "so it was quarantined unread and the mail behind it processed. It is kept unchanged; "
        "once the cause is mended, `pipeline reprocess {submission_id}` tries it again.",
        unfetched="The mailbox could not give this email to the pipeline ({reason}) in "
        "{attempts} attempts, so it was moved to the Quarantine folder unread. Open it there, "
        "and save its attachments into the drop folder or ask the school to send it again.",
    ),
}
