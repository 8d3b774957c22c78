"""What the register knew before an email arrived, read once and handed to the rules.

A rule is then a function of the documents and this snapshot: it never reads the register
while it checks, so the same documents and snapshot always give the same findings.
"""

from __future__ import annotations

from datetime import date

from pydantic import Field

from pipeline.models import Acceptance, Frozen, Submission
from pipeline.rules.base import EarlierBid

FindingKey = tuple[str, str, str]  # code, field, document: see Finding.key


class CaseHistory(Frozen):
    """A case as the register has it before this assessment."""

    case_ref: str
    earlier: tuple[Submission, ...] = ()  # the case's submissions, oldest first
    # The round's capital bids already in the register (for a capital request only).
    capital_bids: tuple[EarlierBid, ...] = ()
    # The findings the admin let stand, by key.
    accepted: dict[FindingKey, Acceptance] = Field(default_factory=dict)
    moved_meeting: date | None = None  # the meeting the admin moved the case to


class EmailHistory(Frozen):
    """What the register knew of an email's attachments: the earlier email of each copy."""

    # attachment sha256 -> the id of the email it first came in
    earlier_copies: dict[str, str] = Field(default_factory=dict)
