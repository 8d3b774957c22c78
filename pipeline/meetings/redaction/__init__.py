"""The panel edition's redaction: by identity, not by word (see ``identity``)."""

from pipeline.meetings.redaction.from_case import identity_of
from pipeline.meetings.redaction.identity import DATE_OF_BIRTH, Identity, Span
from pipeline.meetings.redaction.people import Person, initials_of, names_in, person

__all__ = [
    "DATE_OF_BIRTH",
    "Identity",
    "Person",
    "Span",
    "identity_of",
    "initials_of",
    "names_in",
    "person",
]
