"""A loopback Exchange Web Services server: the SOAP operations exchangelib sends to poll a
folder, fetch MIME, move messages, create folders and save drafts, plus an OAuth2 token
endpoint. Enough of EWS for the pipeline's source, answered from a FakeMailbox.
"""

from __future__ import annotations

import base64
import json
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass, field
from email.parser import BytesHeaderParser
from urllib.parse import parse_qs
from xml.sax.saxutils import escape

from fakes import FakeMailbox, Folder, Item, LoopbackServer, Reply, Tls

S = "http://schemas.xmlsoap.org/soap/envelope/"
M = "http://schemas.microsoft.com/exchange/services/2006/messages"
T = "http://schemas.microsoft.com/exchange/services/2006/types"
VERSION = (
    f'<h:ServerVersionInfo xmlns:h="{T}" MajorVersion="15" MinorVersion="20" '
    'MajorBuildNumber="8000" MinorBuildNumber="0" Version="V2018_01_08"/>'
)
TOKEN_PATH = "/oauth2/v2.0/token"


@dataclass
class Faults:
    """Switched on by a test; each counter is used up one request at a time."""

    reject_credentials: bool = False
    busy: int = 0  # answer this many requests with ErrorServerBusy
    busy_ms: int = 300
    drop_fetches: int = 0  # hang up half-way through this many GetItem answers
    down_at_move: bool = False  # stop the server when a MoveItem arrives
    busy_operation: str = ""  # with ``busy``: only this operation is answered busy
    sync_states_expired: bool = False  # SyncFolderItems from a saved state: invalid state
    unconvertible: set[bytes] = field(default_factory=set)  # GetItem cannot convert these
    failed_fetches: int = 0  # answer this many GetItem with ErrorInternalServerError


@dataclass
class FakeEws:
    tls: Tls | None = None
    username: str = "cluster\\svc-referrals"
    password: str = "right-password"
    client_id: str = "client-id"
    client_secret: str = "right-secret"
    mailbox: FakeMailbox = field(default_factory=FakeMailbox)
    faults: Faults = field(default_factory=Faults)
    operations: list[str] = field(default_factory=list)
    tokens: set[str] = field(default_factory=set)
    server: LoopbackServer = field(init=False)

    def __post_init__(self) -> None:
        self.server = LoopbackServer(self.handle, self.tls)

    @property
    def url(self) -> str:
        return f"{self.server.origin}/EWS/Exchange.asmx"

    @property
    def authority(self) -> str:
        return self.server.origin

    def count(self, operation: str) -> int:
        return self.operations.count(operation)

    # --- HTTP ----------------------------------------------------------------------------

    def handle(self, method: str, path: str, headers: dict[str, str], body: bytes) -> Reply:
        if path.endswith(TOKEN_PATH):
            return self._token(body)
        if not self._authorised(headers.get("authorization", "")):
            return Reply(401, b"", {"WWW-Authenticate": 'Basic realm="ews"'})
        request = ET.fromstring(body)
        operation = request.find(f"{{{S}}}Body")[0]  # type: ignore[index]
        name = operation.tag.split("}")[1]
        self.operations.append(name)
        if self.faults.busy and self.faults.busy_operation in ("", name):
            self.faults.busy -= 1
            return _busy(self.faults.busy_ms)
        if name == "MoveItem" and self.faults.down_at_move:
            self.faults.down_at_move = False
            self.server.stop()  # refuses new connections before this one is dropped
            return Reply(500, b"", drop=True)
        handler = OPERATIONS.get(name)
        if handler is None:
            return _fault(f"ErrorInvalidRequest: {name} is not faked")
        reply = handler(self, operation)
        if name == "GetItem" and self.faults.drop_fetches:
            self.faults.drop_fetches -= 1
            reply.drop = True
        return reply

    def _authorised(self, header: str) -> bool:
        if self.faults.reject_credentials:
            return False
        scheme, _, value = header.partition(" ")
        if scheme == "Bearer":
            return value in self.tokens
        if scheme == "Basic":
            expected = f"{self.username}:{self.password}".encode()
            return base64.b64decode(value) == expected
        return False

    def _token(self, body: bytes) -> Reply:
        form = {k: v[0] for k, v in parse_qs(body.decode()).items()}
        ok = form.get("client_id") == self.client_id
        ok = ok and form.get("client_secret") == self.client_secret
        if not ok or self.faults.reject_credentials:
            error = {
                "error": "invalid_client",
                "error_description": "AADSTS7000215: Invalid client",
            }
            return _json(401, error)
        token = f"token-{len(self.tokens) + 1}"
        self.tokens.add(token)
        return _json(200, {"access_token": token, "token_type": "Bearer", "expires_in": 3599})

    # --- operations -------------------------------------------------------------------

    def convert_id(self, request: ET.Element) -> Reply:
        return _response("ConvertId", _error("ErrorInvalidIdMalformed"))

    def get_folder(self, request: ET.Element) -> Reply:
        messages = []
        for folder_id in _ids(request, "FolderIds"):
            folder = self.mailbox.folders.get(folder_id)
            messages.append(
                _success(f"<m:Folders>{self._folder_xml(folder)}</m:Folders>")
                if folder
                else _error("ErrorFolderNotFound")
            )
        return _response("GetFolder", *messages)

    def find_folder(self, request: ET.Element) -> Reply:
        deep = request.get("Traversal") == "Deep"
        parents = _ids(request, "ParentFolderIds")
        found = [f for f in self.mailbox.folders.values() if self._under(f, parents[0], deep)]
        folders = "".join(self._folder_xml(f) for f in found)
        root = (
            f'<m:RootFolder IndexedPagingOffset="{len(found)}" TotalItemsInView="{len(found)}" '
            f'IncludesLastItemInRange="true"><t:Folders>{folders}</t:Folders></m:RootFolder>'
        )
        return _response("FindFolder", _success(root))

    def create_folder(self, request: ET.Element) -> Reply:
        parent = _ids(request, "ParentFolderId")[0]
        names = [e.text or "" for e in request.iter(f"{{{T}}}DisplayName")]
        created = [self.mailbox.add_folder(name, parent) for name in names]
        folders = "".join(f"<t:Folder>{_folder_id(f)}</t:Folder>" for f in created)
        return _response("CreateFolder", _success(f"<m:Folders>{folders}</m:Folders>"))

    def sync_folder_items(self, request: ET.Element) -> Reply:
        folder = _ids(request, "SyncFolderId")[0]
        state = request.findtext(f"{{{M}}}SyncState") or "0"
        if state != "0" and self.faults.sync_states_expired:
            # As Exchange answers: the error, with an empty state and no changes.
            error = _error("ErrorInvalidSyncStateData").replace(
                "</m:@>",
                "<m:SyncState/><m:IncludesLastItemInRange>true</m:IncludesLastItemInRange></m:@>",
            )
            return _response("SyncFolderItems", error)
        limit = int(request.findtext(f"{{{M}}}MaxChangesReturned") or 100)
        changes, new_state, last = self.mailbox.changes(folder, int(state), limit)
        parts = [
            f"<t:Create><t:Message>{_item_id(i)}{_received(item)}</t:Message></t:Create>"
            if kind == "add" and item is not None
            else f"<t:Delete>{_item_id(i)}</t:Delete>"
            for kind, i, item in changes
        ]
        body = (
            f"<m:SyncState>{new_state}</m:SyncState>"
            f"<m:IncludesLastItemInRange>{str(last).lower()}</m:IncludesLastItemInRange>"
            f"<m:Changes>{''.join(parts)}</m:Changes>"
        )
        return _response("SyncFolderItems", _success(body))

    def get_item(self, request: ET.Element) -> Reply:
        messages = []
        for item_id in _ids(request, "ItemIds"):
            item = self.mailbox.fetch(item_id)
            if item is None:
                messages.append(_error("ErrorItemNotFound"))
                continue
            if item.mime in self.faults.unconvertible:
                messages.append(_error("ErrorMimeContentConversionFailed"))
                continue
            if self.faults.failed_fetches:
                self.faults.failed_fetches -= 1
                messages.append(_error("ErrorInternalServerError"))
                continue
            mime = base64.b64encode(item.mime).decode()
            xml = (
                f'<t:Message>{_item_id(item.id)}<t:MimeContent CharacterSet="UTF-8">{mime}'
                f"</t:MimeContent>{_received(item)}<t:InternetMessageId>"
                f"{escape(_message_id(item.mime))}</t:InternetMessageId></t:Message>"
            )
            messages.append(_success(f"<m:Items>{xml}</m:Items>"))
        return _response("GetItem", *messages)

    def find_item(self, request: ET.Element) -> Reply:
        """Every item of the folder with its Message-ID (restrictions are not faked)."""
        folder = _ids(request, "ParentFolderIds")[0]
        found = self.mailbox.in_folder(folder)
        items = "".join(
            f"<t:Message>{_item_id(item.id)}<t:InternetMessageId>"
            f"{escape(_message_id(item.mime))}</t:InternetMessageId></t:Message>"
            for item in found
        )
        root = (
            f'<m:RootFolder IndexedPagingOffset="{len(found)}" TotalItemsInView="{len(found)}" '
            f'IncludesLastItemInRange="true"><t:Items>{items}</t:Items></m:RootFolder>'
        )
        return _response("FindItem", _success(root))

    def move_item(self, request: ET.Element) -> Reply:
        destination = _ids(request, "ToFolderId")[0]
        messages = []
        for item_id in _ids(request, "ItemIds"):
            moved = self.mailbox.move(item_id, destination)
            messages.append(
                _success(f"<m:Items><t:Message>{_item_id(moved.id)}</t:Message></m:Items>")
                if moved
                else _error("ErrorItemNotFound")
            )
        return _response("MoveItem", *messages)

    def create_item(self, request: ET.Element) -> Reply:
        folder = (_ids(request, "SavedItemFolderId") or ["drafts"])[0]
        messages = []
        for content in request.iter(f"{{{T}}}MimeContent"):
            mime = base64.b64decode(content.text or "")
            item = self.mailbox.deliver(mime, folder, is_draft=True)
            messages.append(
                _success(f"<m:Items><t:Message>{_item_id(item.id)}</t:Message></m:Items>")
            )
        return _response("CreateItem", *messages)

    # --- folders ----------------------------------------------------------------------

    def _under(self, folder: Folder, parent: str, deep: bool) -> bool:
        while folder.parent is not None:
            if folder.parent == parent:
                return True
            if not deep:
                return False
            folder = self.mailbox.folders[folder.parent]
        return False

    def _folder_xml(self, folder: Folder) -> str:
        children = sum(1 for f in self.mailbox.folders.values() if f.parent == folder.id)
        parent = f'<t:ParentFolderId Id="{folder.parent}" ChangeKey="ck"/>' if folder.parent else ""
        total = len(self.mailbox.in_folder(folder.id))
        return (
            f"<t:Folder>{_folder_id(folder)}{parent}<t:FolderClass>IPF.Note</t:FolderClass>"
            f"<t:DisplayName>{escape(folder.name)}</t:DisplayName>"
            f"<t:TotalCount>{total}</t:TotalCount><t:ChildFolderCount>{children}"
            "</t:ChildFolderCount><t:UnreadCount>0</t:UnreadCount></t:Folder>"
        )


OPERATIONS: dict[str, Callable[[FakeEws, ET.Element], Reply]] = {
    "ConvertId": FakeEws.convert_id,
    "GetFolder": FakeEws.get_folder,
    "FindFolder": FakeEws.find_folder,
    "CreateFolder": FakeEws.create_folder,
    "SyncFolderItems": FakeEws.sync_folder_items,
    "GetItem": FakeEws.get_item,
    "MoveItem": FakeEws.move_item,
    "FindItem": FakeEws.find_item,
    "CreateItem": FakeEws.create_item,
}


def _ids(request: ET.Element, container: str) -> list[str]:
    """The folder or item ids inside the element ``container`` (distinguished ones by name)."""
    found = request.find(f".//{{{M}}}{container}")
    if found is None:
        return []
    return [e.get("Id", "") for e in found if e.tag.split("}")[1].endswith("Id")]


def _message_id(mime: bytes) -> str:
    return str(BytesHeaderParser().parsebytes(mime).get("Message-ID", "")).strip()


def _folder_id(folder: Folder) -> str:
    return f'<t:FolderId Id="{folder.id}" ChangeKey="ck"/>'


def _item_id(item_id: str) -> str:
    return f'<t:ItemId Id="{item_id}" ChangeKey="ck"/>'


def _received(item: Item) -> str:
    return f"<t:DateTimeReceived>{item.received:%Y-%m-%dT%H:%M:%SZ}</t:DateTimeReceived>"


def _success(inner: str) -> str:
    return f'<m:@ ResponseClass="Success"><m:ResponseCode>NoError</m:ResponseCode>{inner}</m:@>'


def _error(code: str) -> str:
    return (
        f'<m:@ ResponseClass="Error"><m:MessageText>{code}</m:MessageText>'
        f"<m:ResponseCode>{code}</m:ResponseCode><m:DescriptiveLinkKey>0</m:DescriptiveLinkKey></m:@>"
    )


def _response(operation: str, *messages: str) -> Reply:
    inner = "".join(messages).replace("m:@", f"m:{operation}ResponseMessage")
    body = (
        f'<m:{operation}Response xmlns:m="{M}" xmlns:t="{T}">'
        f"<m:ResponseMessages>{inner}</m:ResponseMessages></m:{operation}Response>"
    )
    return _soap(200, f"<s:Header>{VERSION}</s:Header><s:Body>{body}</s:Body>")


def _busy(milliseconds: int) -> Reply:
    detail = (
        '<e:ResponseCode xmlns:e="http://schemas.microsoft.com/exchange/services/2006/errors">'
        "ErrorServerBusy</e:ResponseCode>"
        '<e:Message xmlns:e="http://schemas.microsoft.com/exchange/services/2006/errors">'
        "The server cannot service this request right now. Try again later.</e:Message>"
        f'<t:MessageXml xmlns:t="{T}"><t:Value Name="BackOffMilliseconds">{milliseconds}'
        "</t:Value></t:MessageXml>"
    )
    fault = (
        f'<s:Fault><faultcode xmlns:a="{T}">a:ErrorServerBusy</faultcode>'
        "<faultstring>The server cannot service this request right now.</faultstring>"
        f"<detail>{detail}</detail></s:Fault>"
    )
    return _soap(500, f"<s:Body>{fault}</s:Body>")


def _fault(text: str) -> Reply:
    fault = (
        f"<s:Fault><faultcode>s:Client</faultcode><faultstring>{escape(text)}</faultstring>"
        "</s:Fault>"
    )
    return _soap(500, f"<s:Body>{fault}</s:Body>")


def _soap(status: int, inner: str) -> Reply:
    xml = f'<?xml version="1.0" encoding="utf-8"?><s:Envelope xmlns:s="{S}">{inner}</s:Envelope>'
    return Reply(status, xml.encode(), {"Content-Type": "text/xml; charset=utf-8"})


def _json(status: int, data: dict[str, object]) -> Reply:
    return Reply(status, json.dumps(data).encode(), {"Content-Type": "application/json"})
