"""Signing in with a council account: Microsoft Entra ID, OpenID Connect authorisation-code
flow with PKCE through msal. The app registration gives its users an app role, Desk.Admin or
Desk.Panel; a council account without one is refused."""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import msal

from pipeline.config import Desk as DeskSettings
from pipeline.credentials import require
from pipeline.desk.accounts import Role, SignInRefused, User, find_user
from pipeline.desk.store import DeskStore, now
from pipeline.sources.signin import _Session

STATE_COOKIE = "desk_entra_state"
FLOW_MINUTES = 10  # time to sign in at Microsoft before the flow is forgotten
ROLES = {"Desk.Admin": Role.admin, "Desk.Panel": Role.panel}


@dataclass(frozen=True)
class Entra:
    settings: DeskSettings
    verify: bool | Path = True

    @property
    def enabled(self) -> bool:
        return bool(self.settings.entra_client_id and self.settings.entra_tenant_id)

    def _application(self) -> msal.ConfidentialClientApplication:
        authority = f"{self.settings.entra_authority.rstrip('/')}/{self.settings.entra_tenant_id}"
        return msal.ConfidentialClientApplication(
            self.settings.entra_client_id,
            client_credential=require("DESK_ENTRA_CLIENT_SECRET", "the desk's Microsoft sign-in"),
            authority=authority,
            http_client=_Session(self.verify, 30),
            instance_discovery=False,
        )

    def start(self, store: DeskStore, redirect_uri: str) -> tuple[str, str]:
        """The Microsoft address to send the browser to, and the state to bind to it."""
        flow = self._application().initiate_auth_code_flow(
            scopes=[], redirect_uri=redirect_uri, state=secrets.token_urlsafe(24)
        )
        with store.transaction() as db:
            db.execute(
                "DELETE FROM entra_flows WHERE created_at < ?",
                ((now() - timedelta(minutes=FLOW_MINUTES)).isoformat(),),
            )
            db.execute(
                "INSERT INTO entra_flows VALUES (?, ?, ?)",
                (flow["state"], json.dumps(flow), now().isoformat()),
            )
        return str(flow["auth_uri"]), str(flow["state"])

    def finish(self, store: DeskStore, state: str, answer: dict[str, str]) -> User:
        """The desk user for Microsoft's answer, once its code is exchanged and checked."""
        flow = _take_flow(store, state)
        if flow is None or answer.get("state") != state:
            raise SignInRefused("The Microsoft sign-in was out of date. Try again.")
        result = self._application().acquire_token_by_auth_code_flow(flow, answer)
        if "error" in result or "id_token_claims" not in result:
            raise SignInRefused("Microsoft did not sign you in. Try again.")
        return self._user(store, result["id_token_claims"])

    def _user(self, store: DeskStore, claims: dict[str, Any]) -> User:
        if str(claims.get("tid", "")) != self.settings.entra_tenant_id:
            raise SignInRefused("That account is not from the council's tenant.")
        roles = [ROLES[r] for r in claims.get("roles", ()) if r in ROLES]
        if not roles:
            raise SignInRefused("Your council account has no role in the desk: ask the admin.")
        role = Role.admin if Role.admin in roles else Role.panel
        name = str(claims.get("preferred_username") or claims.get("oid") or "").lower()
        if not name:
            raise SignInRefused("Microsoft did not say who you are.")
        display = str(claims.get("name") or name)
        with store.transaction() as db:
            db.execute(
                "INSERT INTO users VALUES (?, ?, ?, '', NULL, ?) ON CONFLICT(name) DO UPDATE "
                "SET display = excluded.display, role = excluded.role",
                (name, display, role.value, now().isoformat()),
            )
        user = find_user(store, name)
        assert user is not None
        return user


def _take_flow(store: DeskStore, state: str) -> dict[str, Any] | None:
    """The flow started with this state, used once."""
    since = (now() - timedelta(minutes=FLOW_MINUTES)).isoformat()
    with store.transaction() as db:
        row = db.execute(
            "SELECT flow FROM entra_flows WHERE state = ? AND created_at > ?", (state, since)
        ).fetchone()
        db.execute("DELETE FROM entra_flows WHERE state = ?", (state,))
    return json.loads(row[0]) if row else None
