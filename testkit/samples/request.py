"""What every sample request is, whatever its form: the form's true values and its email.

:class:`SampleRequest` holds what the school meant, keyed by the catalogue's field ids
(dates as dates, money as floats, tick lists as tuples), what it typed instead where that
differs, and the email that carries the form. Each kind adds what its own documents need:
:class:`testkit.samples.case.SampleReferral` the provision map and supporting report of an
IPN referral, :class:`testkit.samples.kinds.form.SampleForm` an exceptional-needs request's
pupil. One renderer (:mod:`testkit.samples.word`) lays out the form of every kind and one
(:mod:`testkit.samples.email_message`) writes every email.
"""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, ConfigDict

Value = date | bool | int | float | str | tuple[str, ...] | None


class SampleRequest(BaseModel):
    """A request's true values and how to send it. Change it with ``model_copy(update=)``."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    kind: str  # its form's kind in schemas.FORMS: ipn_referral, capital_bid ...
    values: dict[str, Value]  # the form's values by field id (None = left blank)
    written: dict[str, str] = {}  # field id -> the text the school typed instead
    cost_lines: tuple[tuple[str, float], ...] = ()  # the form's table of (item, cost) rows
    setting: str  # the (lead) setting's canonical name, or the unknown name as sent
    # The email.
    sender: str
    sender_name: str
    mailbox: str
    subject: str
    body: str
    received_at: datetime  # timezone-aware, Europe/London
    message_id: str
    # Rendering: the time stamped inside the files, the form's file name, what goes in.
    document_time: datetime
    form_filename: str
    include_form: bool = True
    include_map: bool = True  # its costed provision map, for a kind that has one
    corrupt_form: bool = False  # the Word form truncated: unreadable (and so also missing)
    send_twice: bool = False  # sent again later with byte-identical attachments
    earlier: SampleRequest | None = None  # a request sent before this one (over_setting_cap)
    defect: str | None = None  # the rule code seeded into it, if any

    def typed_text(self, field_id: str) -> str | None:
        """What the school typed in the field's box instead of its true value, if anything."""
        return self.written.get(field_id)
