"""Identifiers found by their shape, for what the case does not list.

A narrative may give a sibling's mobile, a previous address or a social worker's personal
address that no form field holds. These are found by pattern: UK postcodes (written in capitals,
as postcodes are), street addresses (a house number, capitalised words and a street word:
"12 Leek Road"; a street named without its number is left, as "Hill Road" may be anyone's),
UK phone numbers, email addresses other than a setting's role addresses, 13-character UPNs and
NHS numbers (ten digits whose check digit is right, so that other ten-digit numbers are left
alone).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from pipeline.meetings.redaction.fold import Folded

POSTCODE = "[postcode]"
ADDRESS = "[address]"
PHONE = "[phone number]"
EMAIL = "[email address]"
UPN = "[pupil number]"
NHS = "[NHS number]"

# Mailboxes that belong to a role, not a person: kept, so the panel knows whom to ask.
ROLE_MAILBOXES = frozenset(
    {
        "admin", "office", "enquiries", "enquiry", "info", "senco", "sendco", "inclusion",
        "sen", "send", "head", "headteacher", "bursar", "finance", "reception", "school",
        "contact", "centralcluster", "cluster", "safeguarding", "dsl", "attendance", "pastoral",
        "business", "businessmanager", "hr", "accounts", "principal", "noreply", "no-reply",
    }
)  # fmt: skip
_POSTCODE = re.compile(r"(?<![\w])[a-z]{1,2}\d[a-z\d]?\s*\d[abd-hjlnp-uw-z]{2}(?!\w)")
_STREET_WORDS = (
    "road", "rd", "street", "st", "avenue", "ave", "lane", "ln", "close", "cl", "drive", "dr",
    "crescent", "cres", "grove", "gr", "place", "pl", "terrace", "ter", "gardens", "gdns",
    "court", "ct", "square", "sq", "way", "walk", "mews", "rise", "row", "parade", "vale",
)  # fmt: skip
_STREET_ADDRESS = re.compile(
    r"(?<![\w£$.,/])\d{1,4}[a-z]?,?\s+(?:[a-z][a-z'.\-]*\s+){1,3}"
    rf"(?:{'|'.join(_STREET_WORDS)})\b\.?"
)
_PHONE = re.compile(r"(?<![\w+])(?:\+\s*44\s*(?:\(0\)\s*)?|\(?0)\d{2,4}\)?(?:[\s\-]?\d){6,8}(?!\d)")
_EMAIL = re.compile(r"[\w.+'\-]+\s?@\s?[\w\-]+(?:\.[\w\-]+)+")
_UPN = re.compile(r"(?<!\w)[a-z]\d{11}[a-z\d](?!\w)")
_NHS = re.compile(r"(?<![\w])\d{3}[\s\-]?\d{3}[\s\-]?\d{4}(?!\d)")


def found_by_shape(folded: Folded) -> Iterator[tuple[int, int, str]]:
    """(start, end, label) in the folded text of every identifier found by its shape."""
    text = folded.text
    for match in _POSTCODE.finditer(text):
        first, last = folded.span(*match.span())
        if folded.source[first:last].isupper():
            yield (*match.span(), POSTCODE)
    for match in _STREET_ADDRESS.finditer(text):
        if _capitalised_words(folded, *match.span()):
            yield (*match.span(), ADDRESS)
    for match in _EMAIL.finditer(text):
        local = match.group().split("@")[0].strip()
        if local not in ROLE_MAILBOXES:
            yield (*match.span(), EMAIL)
    for match in _PHONE.finditer(text):
        if 10 <= len(re.sub(r"\D", "", match.group())) <= 12:
            yield (*match.span(), PHONE)
    for match in _UPN.finditer(text):
        yield (*match.span(), UPN)
    for match in _NHS.finditer(text):
        if nhs_check(re.sub(r"\D", "", match.group())):
            yield (*match.span(), NHS)


def _capitalised_words(folded: Folded, start: int, end: int) -> bool:
    """A street as an address writes it: every word after the number capitalised."""
    first, last = folded.span(start, end)
    words = folded.source[first:last].split()[1:]  # after the house number
    return bool(words) and all(word[0].isupper() for word in words)


def nhs_check(digits: str) -> bool:
    """The NHS number's modulus 11 check digit."""
    if len(digits) != 10:
        return False
    total = sum(int(d) * (10 - i) for i, d in enumerate(digits[:9]))
    check = 11 - total % 11
    check = 0 if check == 11 else check
    return check != 10 and check == int(digits[9])
