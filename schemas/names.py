"""People's names compared as the same person: accents, case and the way a surname's prefix
is joined (O'Neill, ONeill, O Neill, Ó Neill; Mac Giolla, MacGiolla) make no difference, as
OCR and English keyboards drop or change them."""

from __future__ import annotations

import re
import unicodedata

_APOSTROPHES = re.compile(r"['\u2018\u2019\u02bc`\u00b4]")
_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015.,]+")
# Gaelic and Scottish surname prefixes, written joined, spaced, hyphenated or with an apostrophe.
_PREFIX = re.compile(r"\b(o|mc|mac|ni|nic|ua|d) (?=\w)")


def fold_name(name: str) -> str:
    """The name lower-cased, without accents, apostrophes or hyphens, its prefixes joined."""
    decomposed = unicodedata.normalize("NFKD", name)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    spaced = _SEPARATORS.sub(" ", _APOSTROPHES.sub(" ", plain)).strip()
    return _PREFIX.sub(r"\1", spaced)
