"""What an EWS failure means for the poll: exchangelib's and the network's exceptions sorted
into a refused credential (the run stops with its one line), an untrusted certificate or any
other error (this poll stops), or a Transient the source tries again after dropping its
connection (a busy or restarting server, a lost connection).

The wording names the exception's type and the first line of its text, never a message's
content.
"""

from __future__ import annotations

import requests
from exchangelib.errors import (
    ErrorInternalServerTransientError,
    ErrorServerBusy,
    ErrorTimeoutExpired,
    ErrorTooManyObjectsOpened,
    EWSError,
    UnauthorizedError,
)
from oauthlib.oauth2 import OAuth2Error

from pipeline.credentials import CredentialRefused
from pipeline.errors import SourceError
from pipeline.sources.retry import Transient

BUSY = (
    ErrorServerBusy,
    ErrorTimeoutExpired,
    ErrorInternalServerTransientError,
    ErrorTooManyObjectsOpened,
    requests.ConnectionError,
    ConnectionError,
)
# What an EWS call may raise that ews_failure sorts; anything else is a bug and propagates.
FAILURES = (EWSError, OAuth2Error, requests.RequestException, ConnectionError)


def ews_failure(what: str, exc: Exception, address: str) -> Exception:
    """A Transient to try again after, or the error to raise for ``exc``."""
    if isinstance(exc, UnauthorizedError | OAuth2Error):
        return CredentialRefused(
            f"the Exchange server refused the EWS credentials for {address} ({reason(exc)})"
        )
    if "CERTIFICATE_VERIFY_FAILED" in str(exc):
        return SourceError(f"EWS: the server's certificate is not trusted: {reason(exc)}")
    busy = exc if isinstance(exc, BUSY) else exc.__context__  # version guessing wraps it
    if isinstance(busy, BUSY) or isinstance(exc, requests.exceptions.SSLError):
        cause = busy or exc
        return Transient(reason(cause), getattr(cause, "back_off", None))
    return SourceError(f"EWS: could not {what}: {reason(exc)}")


def reason(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0]}" if text else type(exc).__name__
