"""How the EWS source signs in: OAuth2 client credentials for Exchange Online (the token from
``authority``: Microsoft's, or a test's), or NTLM or Basic for Exchange on premises, the
secrets from CLUSTER_EWS_* environment variables; and exchangelib's Configuration built on them.

Nothing here contacts a server: a missing secret or setting is a ConfigError or CredentialError
at start-up, a refused one is reported by the source at its first call.
"""

from __future__ import annotations

import logging
from typing import Any

from exchangelib import (
    BASIC,
    NTLM,
    OAUTH2,
    Configuration,
    Credentials,
    FailFast,
    Identity,
    OAuth2Credentials,
)
from exchangelib.protocol import BaseProtocol, NoVerifyHTTPAdapter

from pipeline.config import Mailbox
from pipeline.credentials import require
from pipeline.errors import ConfigError

log = logging.getLogger(__name__)

MICROSOFT_LOGIN = "https://login.microsoftonline.com"


class TenantCredentials(OAuth2Credentials):  # type: ignore[misc]
    """Client credentials whose token comes from ``authority`` (Microsoft's, or a test's)."""

    def __init__(self, *, authority: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.authority = authority.rstrip("/")

    @property
    def token_url(self) -> str:
        return f"{self.authority}/{self.tenant_id}/oauth2/v2.0/token"


def ews_configuration(mailbox: Mailbox, authority: str = MICROSOFT_LOGIN) -> Configuration:
    """exchangelib's configuration for ``[mailbox]``: its endpoint (autodiscover when empty),
    its credentials, and no retries of exchangelib's own (the source retries, within budget)."""
    if not mailbox.ews.verify_tls:
        log.warning("EWS: TLS certificates are not verified (mailbox.ews.verify_tls = false)")
        BaseProtocol.HTTP_ADAPTER_CLS = NoVerifyHTTPAdapter
    credentials, auth_type = _credentials(mailbox, authority)
    return Configuration(
        service_endpoint=mailbox.ews.server_url or None,
        credentials=credentials,
        auth_type=auth_type,
        retry_policy=FailFast(),
    )


def _credentials(mailbox: Mailbox, authority: str) -> tuple[Credentials | TenantCredentials, str]:
    ews = mailbox.ews
    if ews.auth == "oauth2":
        for key in ("tenant_id", "client_id"):
            if not getattr(ews, key):
                raise ConfigError(f"key 'mailbox.ews.{key}': needed for OAuth2 (Exchange Online)")
        secret = require("EWS_CLIENT_SECRET", "the EWS mailbox (OAuth2)")
        credentials = TenantCredentials(
            authority=authority,
            client_id=ews.client_id,
            client_secret=secret,
            tenant_id=ews.tenant_id,
            identity=Identity(primary_smtp_address=mailbox.address),
        )
        return credentials, OAUTH2
    username = require("EWS_USERNAME", f"the EWS mailbox ({ews.auth})")
    password = require("EWS_PASSWORD", f"the EWS mailbox ({ews.auth})")
    return Credentials(username, password), NTLM if ews.auth == "ntlm" else BASIC
