"""A loopback Microsoft identity platform and Graph: the OpenID discovery document and token
endpoint msal uses, and the mail REST calls of the pipeline's source (delta with paging,
$value, move, folders, MIME drafts), answered from a FakeMailbox.
"""

from __future__ import annotations

import base64
import json
import re
from dataclasses import dataclass, field
from email.parser import BytesHeaderParser
from urllib.parse import parse_qs, unquote, urlsplit

from fakes import FakeMailbox, Folder, LoopbackServer, Reply, Tls

WELL_KNOWN = {"inbox", "drafts", "msgfolderroot", "sentitems"}
USER = r"/v1\.0/users/(?P<user>[^/]+)"


@dataclass
class Faults:
    """Switched on by a test; each counter is used up one request at a time."""

    reject_credentials: bool = False
    throttle: int = 0  # answer this many Graph requests with 429 / 503 and Retry-After
    retry_after: str = "1"
    drop_fetches: int = 0  # hang up half-way through this many $value answers
    down_at_move: bool = False  # stop the server when a move arrives
    delta_tokens_expired: bool = False  # a delta link with a token: 410 syncStateNotFound


@dataclass
class FakeGraph:
    tls: Tls
    tenant: str = "tenant"
    client_id: str = "client-id"
    client_secret: str = "right-secret"
    page_size: int = 2  # small, so that delta paging is exercised
    mailbox: FakeMailbox = field(default_factory=FakeMailbox)
    faults: Faults = field(default_factory=Faults)
    requests: list[str] = field(default_factory=list)
    tokens: set[str] = field(default_factory=set)
    server: LoopbackServer = field(init=False)

    def __post_init__(self) -> None:
        self.server = LoopbackServer(self.handle, self.tls)

    @property
    def authority(self) -> str:
        return self.server.origin

    @property
    def base_url(self) -> str:
        return f"{self.server.origin}/v1.0"

    def count(self, pattern: str) -> int:
        return sum(1 for line in self.requests if re.search(pattern, line))

    # --- HTTP ----------------------------------------------------------------------------

    def handle(self, method: str, path: str, headers: dict[str, str], body: bytes) -> Reply:
        url = urlsplit(path)
        query = {k: v[0] for k, v in parse_qs(url.query).items()}
        if url.path == f"/{self.tenant}/v2.0/.well-known/openid-configuration":
            return self._discovery()
        if url.path == f"/{self.tenant}/oauth2/v2.0/token":
            return self._token(body)
        if headers.get("authorization", "").removeprefix("Bearer ") not in self.tokens:
            return _error(401, "InvalidAuthenticationToken")
        self.requests.append(f"{method} {unquote(url.path)}")
        if self.faults.throttle:
            self.faults.throttle -= 1
            status = 429 if self.faults.throttle % 2 == 0 else 503
            reply = _error(status, "TooManyRequests" if status == 429 else "ServiceUnavailable")
            reply.headers["Retry-After"] = self.faults.retry_after
            return reply
        for pattern, route_method, handler in ROUTES:
            found = re.fullmatch(USER + pattern, url.path)
            if found and method == route_method:
                return handler(self, {**found.groupdict(), **query}, headers, body)
        return _error(400, "BadRequest")

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

    def _token(self, body: bytes) -> Reply:
        form = {k: v[0] for k, v in parse_qs(body.decode()).items()}
        ok = form.get("client_id") == self.client_id
        ok = ok and form.get("client_secret") == self.client_secret
        if not ok or self.faults.reject_credentials:
            return _json(
                401,
                {
                    "error": "invalid_client",
                    "error_description": "AADSTS7000215: Invalid client secret.\nTrace ID: x",
                },
            )
        token = f"token-{len(self.tokens) + 1}"
        self.tokens.add(token)
        return _json(200, {"access_token": token, "token_type": "Bearer", "expires_in": 3599})

    # --- routes -------------------------------------------------------------------------

    def delta(self, args: dict[str, str], headers: dict[str, str], body: bytes) -> Reply:
        folder = self._folder_id(args["folder"])
        if "$deltatoken" in args and self.faults.delta_tokens_expired:
            return _error(410, "syncStateNotFound")
        since = int(args.get("$deltatoken") or args.get("$skiptoken") or 0)
        changes, state, last = self.mailbox.changes(folder, since, self.page_size)
        value = [
            {"id": i, "receivedDateTime": f"{item.received:%Y-%m-%dT%H:%M:%SZ}"}
            if item is not None
            else {"id": i, "@removed": {"reason": "deleted"}}
            for _, i, item in changes
        ]
        link = f"{self.base_url}/users/{args['user']}/mailFolders/{args['folder']}/messages/delta"
        key = "@odata.deltaLink" if last else "@odata.nextLink"
        token = "$deltatoken" if last else "$skiptoken"
        return _json(200, {"value": value, key: f"{link}?{token}={state}"})

    def list_messages(self, args: dict[str, str], headers: dict[str, str], body: bytes) -> Reply:
        """The folder's messages, filtered by ``internetMessageId eq '...'`` if asked."""
        found = self.mailbox.in_folder(self._folder_id(args["folder"]))
        wanted = re.fullmatch(r"internetMessageId eq '(.*)'", args.get("$filter", ""))
        if wanted:
            found = [i for i in found if _message_id(i.mime) == wanted.group(1).replace("''", "'")]
        return _json(200, {"value": [{"id": item.id} for item in found]})

    def value(self, args: dict[str, str], headers: dict[str, str], body: bytes) -> Reply:
        item = self.mailbox.fetch(args["id"])
        if item is None:
            return _error(404, "ErrorItemNotFound")
        drop = self.faults.drop_fetches > 0
        self.faults.drop_fetches -= drop
        return Reply(200, item.mime, {"Content-Type": "text/plain"}, drop=drop)

    def move(self, args: dict[str, str], headers: dict[str, str], body: bytes) -> Reply:
        if self.faults.down_at_move:
            self.faults.down_at_move = False
            self.server.stop()
            return Reply(500, b"", drop=True)
        destination = self._folder_id(json.loads(body)["destinationId"])
        moved = self.mailbox.move(args["id"], destination)
        if moved is None:
            return _error(404, "ErrorItemNotFound")
        return _json(201, {"id": moved.id, "parentFolderId": destination})

    def child_folders(self, args: dict[str, str], headers: dict[str, str], body: bytes) -> Reply:
        parent = self._folder_id(args["folder"])
        wanted = re.fullmatch(r"displayName eq '(.*)'", args.get("$filter", ""))
        found = [
            _folder_json(f)
            for f in self.mailbox.folders.values()
            if f.parent == parent and (not wanted or f.name == wanted[1].replace("''", "'"))
        ]
        return _json(200, {"value": found})

    def create_folder(self, args: dict[str, str], headers: dict[str, str], body: bytes) -> Reply:
        parent = self._folder_id(args["folder"])
        folder = self.mailbox.add_folder(json.loads(body)["displayName"], parent)
        return _json(201, _folder_json(folder))

    def create_message(self, args: dict[str, str], headers: dict[str, str], body: bytes) -> Reply:
        if not headers.get("content-type", "").startswith("text/plain"):
            return _error(415, "UnsupportedMediaType")
        folder = self._folder_id(args.get("folder", "drafts"))
        item = self.mailbox.deliver(base64.b64decode(body), folder, is_draft=True)
        return _json(201, {"id": item.id, "isDraft": True})

    def _folder_id(self, name: str) -> str:
        lowered = name.lower()
        return lowered if lowered in WELL_KNOWN else name


def _message_id(mime: bytes) -> str:
    return str(BytesHeaderParser().parsebytes(mime).get("Message-ID", "")).strip()


ROUTES = [
    (r"/mailFolders/(?P<folder>[^/]+)/messages/delta", "GET", FakeGraph.delta),
    (r"/mailFolders/(?P<folder>[^/]+)/messages", "GET", FakeGraph.list_messages),
    (r"/messages/(?P<id>[^/]+)/\$value", "GET", FakeGraph.value),
    (r"/messages/(?P<id>[^/]+)/move", "POST", FakeGraph.move),
    (r"/mailFolders/(?P<folder>[^/]+)/childFolders", "GET", FakeGraph.child_folders),
    (r"/mailFolders/(?P<folder>[^/]+)/childFolders", "POST", FakeGraph.create_folder),
    (r"/messages", "POST", FakeGraph.create_message),
    (r"/mailFolders/(?P<folder>[^/]+)/messages", "POST", FakeGraph.create_message),
]


def _folder_json(folder: Folder) -> dict[str, str]:
    return {"id": folder.id, "displayName": folder.name, "parentFolderId": folder.parent or ""}


def _json(status: int, data: object) -> Reply:
    return Reply(status, json.dumps(data).encode(), {"Content-Type": "application/json"})


def _error(status: int, code: str) -> Reply:
    return _json(status, {"error": {"code": code, "message": code}})
