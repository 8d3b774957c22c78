"""Microsoft sign-in for an app (client credentials, msal): the token Graph and IMAP present.

msal keeps the token and asks for a new one when it is about to expire, so a long-running
poller signs in again by itself.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import msal
import requests

from pipeline.credentials import CredentialRefused


class ClientCredentials:
    """Tokens for one app registration in one tenant, for one resource (``scope``)."""

    def __init__(
        self,
        *,
        authority: str,
        tenant_id: str,
        client_id: str,
        secret: str,
        scope: str,
        verify: bool | Path = True,
        timeout: float = 60,
        what: str = "client credentials",
    ) -> None:
        self._authority = f"{authority.rstrip('/')}/{tenant_id}"
        self._client_id = client_id
        self._secret = secret
        self._scope = scope
        self._http = _Session(verify, timeout)
        self._what = what
        self._app: msal.ConfidentialClientApplication | None = None

    def token(self) -> str:
        """A current access token; a refusal is a CredentialError naming the reason."""
        result = self._application().acquire_token_for_client(scopes=[self._scope])
        if "access_token" not in result:
            description = str(result.get("error_description", "")).splitlines()[:1]
            raise CredentialRefused(
                f"Microsoft sign-in refused the {self._what} "
                f"({result.get('error')}: {''.join(description)})"
            )
        return str(result["access_token"])

    def _application(self) -> msal.ConfidentialClientApplication:
        if self._app is None:
            try:
                self._app = msal.ConfidentialClientApplication(
                    self._client_id,
                    client_credential=self._secret,
                    authority=self._authority,
                    http_client=self._http,
                    instance_discovery=False,
                )
            except ValueError as exc:  # the authority's discovery failed: no such tenant
                raise CredentialRefused(f"Microsoft sign-in: {str(exc).splitlines()[0]}") from None
        return self._app


class _Session(requests.Session):
    """msal's HTTP client: the CA file wins over REQUESTS_CA_BUNDLE, and requests time out."""

    def __init__(self, verify: bool | Path, timeout: float) -> None:
        super().__init__()
        self._verify_with = str(verify) if isinstance(verify, Path) else verify
        self._timeout = timeout

    def request(self, method: Any, url: Any, *args: Any, **kwargs: Any) -> Any:
        kwargs.setdefault("verify", self._verify_with)
        kwargs.setdefault("timeout", self._timeout)
        return super().request(method, url, *args, **kwargs)
