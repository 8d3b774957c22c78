"""A loopback Microsoft Entra ID for signing people in: the OpenID discovery document, the
authorise endpoint (the person "signs in" at once as the account the test chose) and the
token endpoint of the authorisation-code grant, checking the client secret and PKCE and
answering with an ID token carrying the nonce, the tenant and the account's app roles."""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

from fakes import LoopbackServer, Reply, Tls


@dataclass
class Account:
    username: str = "jo.smith@stoke.gov.uk"
    name: str = "Jo Smith"
    roles: tuple[str, ...] = ("Desk.Admin",)
    tenant: str = ""  # "" = the fake's own tenant


@dataclass
class FakeEntra:
    tls: Tls
    tenant: str = "council-tenant"
    client_id: str = "desk-client"
    client_secret: str = "right-secret"
    account: Account = field(default_factory=Account)
    codes: dict[str, dict[str, str]] = field(default_factory=dict)
    server: LoopbackServer = field(init=False)

    def __post_init__(self) -> None:
        self.server = LoopbackServer(self.handle, self.tls)

    @property
    def authority(self) -> str:
        return self.server.origin

    def handle(self, method: str, path: str, headers: dict[str, str], body: bytes) -> Reply:
        url = urlsplit(path)
        query = {k: v[0] for k, v in parse_qs(url.query).items()}
        if url.path == f"/{self.tenant}/v2.0/.well-known/openid-configuration":
            return self._discovery()
        if url.path == f"/{self.tenant}/oauth2/v2.0/authorize":
            return self._authorize(query)
        if url.path == f"/{self.tenant}/oauth2/v2.0/token" and method == "POST":
            return self._token({k: v[0] for k, v in parse_qs(body.decode()).items()})
        return _json(404, {"error": "not_found"})

    def _discovery(self) -> Reply:
        base = f"{self.server.origin}/{self.tenant}"
        return _json(
            200,
            {
                "issuer": f"{base}/v2.0",
                "authorization_endpoint": f"{base}/oauth2/v2.0/authorize",
                "token_endpoint": f"{base}/oauth2/v2.0/token",
            },
        )

    def _authorize(self, query: dict[str, str]) -> Reply:
        if query.get("client_id") != self.client_id or query.get("response_type") != "code":
            return _json(400, {"error": "invalid_request"})
        code = secrets.token_urlsafe(16)
        self.codes[code] = query
        answer = urlencode({"code": code, "state": query.get("state", "")})
        return Reply(302, b"", {"Location": f"{query['redirect_uri']}?{answer}"})

    def _token(self, form: dict[str, str]) -> Reply:
        if form.get("client_id") != self.client_id or form.get("client_secret") != (
            self.client_secret
        ):
            return _json(401, {"error": "invalid_client", "error_description": "AADSTS7000215"})
        asked = self.codes.pop(form.get("code", ""), None)
        if asked is None or asked["redirect_uri"] != form.get("redirect_uri"):
            return _json(400, {"error": "invalid_grant", "error_description": "AADSTS70000"})
        challenge = base64.urlsafe_b64encode(
            hashlib.sha256(form.get("code_verifier", "").encode()).digest()
        ).rstrip(b"=")
        if challenge.decode() != asked.get("code_challenge"):
            return _json(400, {"error": "invalid_grant", "error_description": "PKCE"})
        return _json(
            200,
            {
                "token_type": "Bearer",
                "access_token": secrets.token_urlsafe(16),
                "expires_in": 3599,
                "scope": "openid profile",
                "id_token": self._id_token(asked.get("nonce", "")),
            },
        )

    def _id_token(self, nonce: str) -> str:
        now = int(time.time())
        claims: dict[str, Any] = {
            "iss": f"{self.server.origin}/{self.tenant}/v2.0",
            "aud": self.client_id,
            "tid": self.account.tenant or self.tenant,
            "oid": "00000000-0000-0000-0000-000000000001",
            "sub": "subject-of-" + self.account.username,
            "preferred_username": self.account.username,
            "name": self.account.name,
            "roles": list(self.account.roles),
            "nonce": nonce,
            "iat": now,
            "nbf": now,
            "exp": now + 3600,
        }
        parts = [{"alg": "RS256", "typ": "JWT"}, claims]
        encoded = [base64.urlsafe_b64encode(json.dumps(p).encode()).rstrip(b"=") for p in parts]
        return b".".join([*encoded, b"signature-not-checked-by-msal"]).decode()


def _json(status: int, data: object) -> Reply:
    return Reply(status, json.dumps(data).encode(), {"Content-Type": "application/json"})
