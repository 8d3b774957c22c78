"""Everything that identifies the people a case is about, and finding it in any text.

:class:`Identity` holds the pupil and parents (as :class:`Person`), dates of birth, pupil
numbers, home address lines, postcodes, phone numbers and personal email addresses.
:meth:`Identity.spans` finds each in every variant (see ``variants``) plus whatever has the
shape of an identifier (see ``patterns``); :meth:`Identity.redact` replaces each span, on
token boundaries, by the person's initials or a labelled token. Nothing else changes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from pipeline.meetings.redaction import variants
from pipeline.meetings.redaction.fold import Folded, fold, fold_plain
from pipeline.meetings.redaction.patterns import (
    ADDRESS,
    EMAIL,
    PHONE,
    POSTCODE,
    UPN,
    found_by_shape,
)
from pipeline.meetings.redaction.people import Person

DATE_OF_BIRTH = "[date of birth]"
# Names that are also ordinary words: matched only where written with a capital letter, and a
# month name not where it is part of a date ("in May 2025", "3 May").
COMMON_WORDS = frozenset(
    {
        "hill", "young", "may", "june", "april", "august", "rose", "hope", "grace", "joy",
        "faith", "wood", "brown", "green", "white", "black", "gray", "grey", "rich", "long",
        "short", "little", "king", "bishop", "page", "bell", "hall", "field", "mark", "will",
        "bill", "frank", "guy", "sue", "art", "dawn", "summer", "autumn", "winter", "amber",
        "ruby", "pearl", "ivy", "holly", "lily", "daisy", "iris", "heather", "jade", "sky",
        "river", "brook", "stone", "lane", "marsh", "moore", "ford", "cook", "baker", "mason",
        "carter", "turner", "walker", "hunter", "archer", "fisher", "fox", "lamb", "bird",
        "swan", "crane", "rice", "best", "sharp", "wise", "love", "hart", "wells", "banks",
        "price", "north", "south", "west", "east", "english", "french", "chase", "rock",
        "reed", "read", "hunt", "miles", "dean", "gill", "hay", "lord", "major", "noble",
        "penny", "sterling", "storm", "sunny", "victory", "ward", "well", "sandy", "terry",
        "roman", "law", "bond", "cross", "church", "street", "parish", "kind", "care",
    }
)  # fmt: skip
GLUED_NAME_LENGTH = 3  # shorter names run on from a word are too often just letters of it
_NUMBER_BEFORE = re.compile(r"\d+(?:st|nd|rd|th)?\s*$")
_NUMBER_AFTER = re.compile(r"\s*\d")


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    replacement: str


@dataclass(frozen=True)
class Identity:
    """What identifies a case's pupil and family, as the redaction looks for it."""

    people: tuple[Person, ...] = ()
    dates_of_birth: tuple[date, ...] = ()
    numbers: tuple[str, ...] = ()
    addresses: tuple[str, ...] = ()
    postcodes: tuple[str, ...] = ()
    phones: tuple[str, ...] = ()
    emails: tuple[str, ...] = ()

    @property
    def empty(self) -> bool:
        """Nothing listed: a project or capital case that names no pupil."""
        return not (self.people or self.dates_of_birth or self.numbers or self.addresses)

    def spans(self, text: str) -> list[Span]:
        """Every identifier in the text, in order, none overlapping, in the text's positions."""
        folded = fold(text)
        found = [*self._listed(folded), *found_by_shape(folded)]
        found.sort(key=lambda f: (f[0], f[0] - f[1]))
        spans: list[Span] = []
        reached = 0
        for start, end, replacement in found:
            if start >= reached and end > start:
                first, last = folded.span(start, end)
                spans.append(Span(first, last, replacement))
                reached = end
        return _joined(spans, text)

    def redact(self, text: str) -> str:
        out, position = [], 0
        for span in self.spans(text):
            out += [text[position : span.start], span.replacement]
            position = span.end
        return "".join([*out, text[position:]])

    def _listed(self, folded: Folded) -> list[tuple[int, int, str]]:
        found: list[tuple[int, int, str]] = []
        for person in self.people:
            for name in person.names:
                found += _names(folded, name, person.initials)
        searches = [(variants.date_pattern(d), DATE_OF_BIRTH) for d in self.dates_of_birth]
        searches += [(variants.number_pattern(n), UPN) for n in self.numbers if n.strip()]
        searches += [(variants.address_pattern(a), ADDRESS) for a in self.addresses]
        searches += [(variants.number_pattern(p), POSTCODE) for p in self.postcodes]
        searches += [(variants.phone_pattern(p), PHONE) for p in self.phones]
        searches += [(re.compile(re.escape(fold_plain(e))), EMAIL) for e in self.emails]
        for pattern, label in searches:
            found += [(*m.span(), label) for m in pattern.finditer(folded.text)]
        return found


def _joined(spans: list[Span], text: str) -> list[Span]:
    """'Zoe OBRIEN' is one person, not two: neighbouring spans of one person become one."""
    joined: list[Span] = []
    for span in spans:
        last = joined[-1] if joined else None
        between = text[last.end : span.start] if last else "x"
        if last and last.replacement == span.replacement and not between.strip():
            joined[-1] = Span(last.start, span.end, span.replacement)
        else:
            joined.append(span)
    return joined


def _names(folded: Folded, name: str, initials: str) -> list[tuple[int, int, str]]:
    common = fold_plain(name) in COMMON_WORDS
    found = []
    for match in variants.name_pattern(name).finditer(folded.text):
        if common and _ordinary_word(folded, *match.span()):
            continue
        found.append((*match.span(), initials))
    if len(fold_plain(name)) >= GLUED_NAME_LENGTH:
        for match in variants.glued_name_pattern(name).finditer(folded.text):
            if _capital_after_lower(folded, match.start()):
                found.append((*match.span(), initials))
    return found


def _capital_after_lower(folded: Folded, start: int) -> bool:
    first, _ = folded.span(start, start + 1)
    return first > 0 and folded.source[first].isupper() and folded.source[first - 1].islower()


def _ordinary_word(folded: Folded, start: int, end: int) -> bool:
    """A name that is also a word, used here as the word: lower case, or a month in a date."""
    first, last = folded.span(start, end)
    written = folded.source[first:last]
    if written.islower():
        return True
    if fold_plain(written) in variants.MONTHS:
        before, after = folded.source[max(0, first - 6) : first], folded.source[last : last + 3]
        return bool(_NUMBER_BEFORE.search(before) or _NUMBER_AFTER.match(after))
    return False
