"""A form's printed labels and what is found beside them: the index from label to field (with
OCR's misread labels matched when one is much closer than any other), and a value located.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from rapidfuzz import fuzz, process

from pipeline.models import Provenance
from schemas import FieldSpec, normalise_label
from schemas.types import RawValue

MISREAD_SCORE = 92  # percent alike: one slip in a label of 25 characters
MISREAD_MIN_LENGTH = 8  # shorter labels ("UPN", "Surname") are matched exactly
# Words printed to tell the school how to fill a box in, never the school's answer in it.
INSTRUCTION = re.compile(
    r"^(dd|mm|yyyy)([/.\-\s]+(dd|mm|yy|yyyy))+$"
    r"|^(type|enter|insert|tick|select|choose|please (enter|type|give|state|sign|insert|provide"
    r"|describe|complete|list|attach|tick|select))\b"
    r"|\b(this (form|box|section|field)|from your mis|must (equal|match)|as shown on"
    r"|(13|thirteen)-character)\b",
    re.IGNORECASE,
)
GUIDANCE_VALUES = 2  # a table giving this many instructions is guidance, not the form


def is_instruction(text: str) -> bool:
    """Whether ``text`` tells the school what to write ("dd/mm/yyyy", "Type the headteacher's
    name...") rather than being what they wrote."""
    return bool(INSTRUCTION.search(text.strip()))


class Located:
    """A raw value found for a field, with the cell it came from."""

    __slots__ = ("problem", "raw", "source", "text")

    def __init__(
        self, text: str, raw: RawValue, source: Provenance, problem: str | None = None
    ) -> None:
        self.text = text
        self.raw = raw
        self.source = source
        self.problem = problem  # why the cell has no value (a formula that failed), if known


class LabelIndex:
    """Normalised label -> field id, for one form's specs.

    ``misread`` (for text read by OCR) also takes a label with a letter or two misread
    ("Name of schooll/setting"), when it is much closer to one label than to any other.
    """

    def __init__(
        self, specs: Iterable[FieldSpec], other_labels: Iterable[str] = (), *, misread: bool = False
    ) -> None:
        self.fields: dict[str, str] = {}
        for spec in specs:
            for label in spec.labels:
                self.fields.setdefault(normalise_label(label), spec.id)
        self.any_label = set(self.fields) | {normalise_label(o) for o in other_labels}
        self.misread = misread

    def field_of(self, text: str) -> str | None:
        if len(text) >= 120:
            return None
        label = normalise_label(text)
        if label in self.fields or not self.misread:
            return self.fields.get(label)
        close = _closest(label, self.fields)
        return self.fields[close] if close else None

    def is_label(self, text: str) -> bool:
        if len(text) >= 120:
            return False
        label = normalise_label(text)
        return label in self.any_label or bool(self.misread and _closest(label, self.any_label))


def _closest(label: str, labels: Iterable[str]) -> str | None:
    """The one label within a character or two of ``label`` (OCR's slips), if there is one."""
    if len(label) < MISREAD_MIN_LENGTH:
        return None
    found = process.extractOne(label, list(labels), scorer=fuzz.ratio, score_cutoff=MISREAD_SCORE)
    return found[0] if found else None
