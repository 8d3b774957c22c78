"""Authentication-Results headers (RFC 8601), read by authres, and which of them are ours.

Only our own server's verdicts count: the topmost header (the last server to receive the mail
adds its header on top) and, when ``senders.authserv_id`` is set, every header carrying that
id; when it is not set, every header carrying the topmost header's id. Headers lower down can
be written by the sender and say anything. A DMARC fail in any of ours is a fail, whatever
else the header holds: a pass never outweighs it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import authres

# Exchange Online writes its header with no authserv-id ("spf=pass ...; dmarc=fail ...");
# RFC 8601 requires one, so such a header is read as if it had this one.
UNNAMED = "unnamed.invalid"


@dataclass(frozen=True)
class AuthResults:
    authserv_id: str  # lower case; UNNAMED when the server gave none
    verdicts: tuple[tuple[str, str], ...]  # (method, result), lower case, in header order

    def result(self, method: str) -> set[str]:
        return {result for m, result in self.verdicts if m == method}


def parse_header(value: str) -> AuthResults | None:
    """One header's value read per RFC 8601; None when it cannot be read."""
    text = " ".join(value.split())
    first = text.split(";", 1)[0]
    if "=" in first:  # no authserv-id: the header starts with a result
        text = f"{UNNAMED}; {text}"
    try:
        parsed = authres.AuthenticationResultsHeader.parse_value(text)
    except Exception:  # authres raises its own SyntaxError and others on malformed input
        return None
    verdicts = tuple((str(r.method).lower(), str(r.result).lower()) for r in parsed.results)
    return AuthResults(str(parsed.authserv_id).lower(), verdicts)


def ours(headers: Sequence[str], authserv_id: str) -> list[AuthResults]:
    """The headers our own server added (``headers`` topmost first)."""
    parsed = [parse_header(h) for h in headers]
    if not parsed:
        return []
    top = parsed[0]
    wanted = authserv_id.lower() or (top.authserv_id if top else "")
    return [
        p
        for i, p in enumerate(parsed)
        if p is not None and (i == 0 or (wanted and p.authserv_id == wanted))
    ]


def dmarc_failed(headers: Sequence[str], authserv_id: str) -> bool:
    return any("fail" in header.result("dmarc") for header in ours(headers, authserv_id))
