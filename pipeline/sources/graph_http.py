"""Microsoft Graph's REST calls for the Graph source: a client-credentials token (asked for
when needed), one httpx client, and each response's status sorted into what the source does
with it: accepted, tried again (429 and 5xx, honouring Retry-After), a refused credential
(401, 403) or an error that stops the poll.

Failures are worded by Graph's error code, never its message, which may quote mail.
"""

from __future__ import annotations

import ssl
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx

from pipeline.config import Mailbox
from pipeline.credentials import CredentialRefused
from pipeline.errors import SourceError
from pipeline.sources.retry import Transient, retry_after
from pipeline.sources.signin import ClientCredentials

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})


class GraphHttp:
    def __init__(self, mailbox: Mailbox, *, secret: str, verify: bool | Path) -> None:
        self.address = mailbox.address
        graph = mailbox.graph
        self._signin = ClientCredentials(
            authority=graph.authority,
            tenant_id=graph.tenant_id,
            client_id=graph.client_id,
            secret=secret,
            scope="{0.scheme}://{0.netloc}/.default".format(urlsplit(graph.base_url)),
            verify=verify,
            timeout=mailbox.timeout_seconds,
            what="Graph client credentials",
        )
        context = (
            ssl.create_default_context(cafile=str(verify)) if isinstance(verify, Path) else verify
        )
        self._http = httpx.Client(verify=context, timeout=mailbox.timeout_seconds)

    def request(
        self, method: str, url: str, *, accept: frozenset[int] = frozenset(), **kwargs: Any
    ) -> httpx.Response:
        """The response, raising for failures other than the statuses in ``accept``."""
        headers = {"Authorization": f"Bearer {self._signin.token()}", **kwargs.pop("headers", {})}
        response = self._http.request(method, url, headers=headers, **kwargs)
        if response.status_code in accept:
            return response
        if response.status_code in RETRY_STATUSES:
            wait = retry_after(response.headers.get("Retry-After"))
            raise Transient(f"HTTP {response.status_code} {error_code(response)}", wait)
        if response.status_code in (401, 403):
            raise CredentialRefused(
                f"Microsoft Graph refused access to {self.address} "
                f"(HTTP {response.status_code} {error_code(response)})"
            )
        if response.is_error:
            raise SourceError(
                f"Microsoft Graph: HTTP {response.status_code} {error_code(response)}"
            )
        return response

    def close(self) -> None:
        self._http.close()


def error_code(response: httpx.Response) -> str:
    """The Graph error code of a response (never its message, which may quote mail)."""
    try:
        return str(response.json()["error"]["code"])
    except (ValueError, KeyError, TypeError):
        return response.reason_phrase
