"""Yes/No answers and tick boxes: 'Y', 'agreed', '☒ Yes ☐ No', 'Yes ☒  No ☐', a lone 'X'."""

from __future__ import annotations

import re

from schemas.text import clean_text

TICKED = "☒☑✓✔✗✘■"
UNTICKED = "☐□"

_YES = {"yes", "y", "true", "ticked", "x", "agreed", "given"}
_NO = {"no", "n", "false", "unticked", "not given"}
_TICK_TOKEN = re.compile(rf"[{TICKED}{UNTICKED}]|\[\s*x?\s*\]|\bx\b|\byes\b|\bno\b", re.IGNORECASE)


def parse_yesno(raw: object) -> bool:
    """Yes/No, Y/N, or ticked boxes: '☒ Yes ☐ No', 'Yes ☒  No ☐', a lone '☒' or 'X'."""
    if isinstance(raw, bool):
        return raw
    text = clean_text(str(raw))
    lowered = text.lower().rstrip(".")
    if lowered in _YES or lowered in set(TICKED):
        return True
    if lowered in _NO or lowered in set(UNTICKED):
        return False
    ticked_words = _ticked_words(text)
    if len(ticked_words) == 1:
        return ticked_words.pop() == "yes"
    if lowered.startswith("yes"):
        return True
    if lowered.startswith("no"):
        return False
    raise ValueError(f"'{text}' is not Yes or No")


def _box_token(token: str) -> str:
    if token in ("yes", "no"):
        return token
    return "☒" if token in TICKED or "x" in token else "☐"


def _ticked_words(text: str) -> set[str]:
    """Words of 'Yes'/'No' options whose box is ticked, reading a box before or after its word."""
    tokens = [_box_token(t.lower()) for t in _TICK_TOKEN.findall(text)]
    boxes_first = bool(tokens) and tokens[0] not in ("yes", "no")
    ticked: set[str] = set()
    for i, token in enumerate(tokens):
        if token not in ("yes", "no"):
            continue
        neighbour = i - 1 if boxes_first else i + 1
        if 0 <= neighbour < len(tokens) and tokens[neighbour] in TICKED:
            ticked.add(token)
    return ticked
