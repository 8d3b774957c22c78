"""The panel edition's redaction, as the bundle calls it.

The panel edition of a bundle is shared with every cluster setting, so it names a pupil by
initials and case reference only. :func:`redact_text` is applied to every piece of text that
edition prints (narratives, field values, finding messages, file names) and to the text of
every supporting document (``pipeline.meetings.bundle.redact_pdf``). The work is done in
``pipeline.meetings.redaction``: an :class:`Identity` built from the case lists who and what
to remove, and finds each in every variant a person writes.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from pipeline.meetings.models import Pupil
from pipeline.meetings.redaction import (
    DATE_OF_BIRTH,
    Identity,
    identity_of,
    initials_of,
    names_in,
    person,
)
from pipeline.meetings.redaction.patterns import UPN

DOB_PLACEHOLDER = DATE_OF_BIRTH
UPN_PLACEHOLDER = UPN

__all__ = ["Identity", "identifiers_in", "identity_of", "initials_of", "redact_text"]


def redact_text(
    text: str,
    pupil: Pupil | None,
    extra_names: Sequence[str] = (),
    *,
    dates_of_birth: Sequence[date] = (),
    pupil_numbers: Sequence[str] = (),
) -> str:
    """The text with the pupil's and each parent's names, dates of birth and numbers replaced."""
    return identity_for(pupil, extra_names, dates_of_birth, pupil_numbers).redact(text)


def identity_for(
    pupil: Pupil | None,
    parent_fields: Sequence[str] = (),
    dates_of_birth: Sequence[date] = (),
    pupil_numbers: Sequence[str] = (),
) -> Identity:
    people = []
    if pupil is not None and (pupil.forename or pupil.surname):
        full = " ".join(p for p in (pupil.forename, pupil.surname) if p)
        people.append(person(full, pupil.initials))
        dates_of_birth = [*dates_of_birth, *([pupil.date_of_birth] if pupil.date_of_birth else [])]
        pupil_numbers = [*pupil_numbers, *([pupil.upn] if pupil.upn else [])]
    people += [person(name) for field in parent_fields for name in names_in(field)]
    return Identity(
        people=tuple(people),
        dates_of_birth=tuple(dates_of_birth),
        numbers=tuple(pupil_numbers),
    )


def identifiers_in(text: str, identity: Identity) -> bool:
    """True when the text still carries anything the identity would remove."""
    return bool(identity.spans(text))
