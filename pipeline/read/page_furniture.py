"""A page's running header and footer, told from the form: the lines a PDF repeats at the top
or foot of its pages (the form's title, "OFFICIAL-SENSITIVE", the school's name) and its page
numbers ("Page 2 of 4").

A form's pages are read as one run of lines, so that an answer a page break split (its label
at the foot of one page, its answer at the top of the next) is read whole; the footer of one
page and the header of the next lie between the two halves and would be read into the answer.
Only the lines at the very top and foot of a page are looked at, and a line counts as a
running header or footer when it recurs at that end of every page (or names the page): a label
or an answer that happens to start a page is kept, and so are the lines of an answer that
repeats itself.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

EDGE_LINES = 2  # lines at the top and at the foot of a page that may be its header or footer
_PAGE_NUMBER = re.compile(
    r"(?i)^(?:page\s*\d*(?:\s*(?:of|/)\s*\d*)?|\d+\s*(?:of|/)\s*\d+|-\s*\d+\s*-)$"
)


def furniture(pages: Sequence[Sequence[str]]) -> list[set[int]]:
    """For each page, the indexes of its lines that are its running header, footer or page
    number."""
    tops = Counter(key for page in pages for key in {_key(t) for t in page[:EDGE_LINES]})
    feet = Counter(key for page in pages for key in {_key(t) for t in page[-EDGE_LINES:]})
    recurring = max(2, len(pages))  # on every page: an answer's lines may repeat on a few
    dropped: list[set[int]] = []
    for number, page in enumerate(pages):
        # the first page's header is kept: no answer runs into it, and it may be the title
        top = range(EDGE_LINES) if number else range(0)
        foot = range(max(len(page) - EDGE_LINES, EDGE_LINES if number else 0), len(page))
        dropped.append(
            {n for n in top if n < len(page) and _running(page[n], tops, recurring)}
            | {n for n in foot if _running(page[n], feet, recurring)}
        )
    return dropped


def _running(text: str, seen: Counter[str], recurring: int) -> bool:
    return _page_number(text) or seen[_key(text)] >= recurring


def without_furniture(pages: Sequence[Sequence[str]]) -> list[list[str]]:
    return [
        [text for n, text in enumerate(page) if n not in dropped]
        for page, dropped in zip(pages, furniture(pages), strict=True)
    ]


def _page_number(text: str) -> bool:
    return bool(_PAGE_NUMBER.match(" ".join(text.split())))


def _key(text: str) -> str:
    """The line as it recurs: letters and digits only; in a line naming the page, each number
    the same (the page's). Other numbers tell lines apart ("Answer 3", "Answer 35")."""
    key = "".join(ch for ch in text.lower() if ch.isalnum())
    return re.sub(r"\d+", "#", key) if "page" in key else key
