"""The two editions: what each shows of a pupil, and the marking it carries.

The panel edition goes to every cluster setting: pupils appear as initials and case reference
only, identifying fields are left out and every printed string passes through the case's
redaction. The full edition is for the council and shows everything.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from pipeline.meetings.models import CaseFile
from pipeline.meetings.redact import Identity, identity_of
from pipeline.reports.wording import format_date
from schemas import personal

Edition = Literal["panel", "full"]
EDITIONS: tuple[Edition, ...] = ("panel", "full")

MARKINGS: dict[Edition, str] = {
    "panel": (
        "OFFICIAL-SENSITIVE – shared with cluster settings: "
        "pupils are identified by initials and case reference only"
    ),
    "full": "OFFICIAL-SENSITIVE – council use only",
}
FOOTER_MARKINGS: dict[Edition, str] = {
    "panel": "OFFICIAL-SENSITIVE · Panel edition: pupils by initials and case reference only",
    "full": "OFFICIAL-SENSITIVE · Full edition: council use only",
}
EDITION_NAMES: dict[Edition, str] = {"panel": "Panel edition", "full": "Full edition"}

# The fields the panel edition never prints are declared in schemas.personal.
identifying = personal.identifying


@dataclass(frozen=True)
class View:
    """How one edition prints one case."""

    edition: Edition
    identity: Identity | None

    @property
    def panel(self) -> bool:
        return self.edition == "panel"

    def text(self, value: str) -> str:
        """The string as this edition may print it."""
        if self.panel and self.identity is not None:
            return self.identity.redact(value)
        return value

    def shows(self, field_id: str) -> bool:
        return not (self.panel and identifying(field_id))


def view_of(edition: Edition, case: CaseFile | None) -> View:
    return View(edition, identity_of(case) if case is not None else None)


def who(case: CaseFile, view: View) -> str:
    """The pupil (or project) a case is about, as the index and summary name it."""
    pupil = case.pupil
    if pupil is not None and (pupil.forename or pupil.surname):
        if view.panel:
            return pupil.initials
        name = " ".join(p for p in (pupil.forename, pupil.surname) if p)
        return f"{name} ({pupil.initials})"
    if case.project_title:
        return view.text(case.project_title)
    return "Not given"


def pupil_details(case: CaseFile, view: View) -> list[tuple[str, str]]:
    """Date of birth and UPN: the full edition only."""
    pupil = case.pupil
    if view.panel or pupil is None:
        return []
    return [
        ("Date of birth", format_date(pupil.date_of_birth)),
        ("UPN", pupil.upn or "Not given"),
    ]
