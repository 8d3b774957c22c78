"""Opt-in: the EWS and Graph sources against a REAL Exchange mailbox (Online or on premises).

Everything here is skipped unless ``CLUSTER_LIVE_EWS=1`` or ``CLUSTER_LIVE_GRAPH=1`` is set; the
everyday suite tests both sources against the loopback fakes in tests/fakes/ instead. How to set
up the tenant, the variables and what a run creates: docs/live-mailbox-tests.md.

Each test works in a throwaway folder of the test mailbox (``CLUSTER_LIVE_FOLDER``) and in
Processed-<run>/Quarantine-<run> folders created under it, uploads fictional sample emails from
the sample generator and drives the real source through the real pipeline. Exchange rewrites the
MIME it stores, so messages are recognised by a unique token in their subject, never by bytes.
What a test created is deleted at teardown, also when the test failed.
"""

from __future__ import annotations

import base64
import json
import os
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import make_msgid
from functools import partial
from pathlib import Path
from typing import Any, Literal, Protocol

import httpx
import pytest
from exchangelib import Account, Folder, Message
from exchangelib.errors import ErrorFolderNotFound, ErrorItemNotFound
from exchangelib.properties import ItemId

from pipeline.config import Config, EwsServer, GraphServer, Mailbox, MailboxKind
from pipeline.errors import SourceError
from pipeline.models import Status, Submission
from pipeline.register import Register
from pipeline.runner import RunSummary, open_context, run_source
from pipeline.sources.ews import EwsSource
from pipeline.sources.graph import GraphSource
from pipeline.sources.retry import Backoff
from testkit.samples import generate

MARKER = "pipeline-live-"  # in the subject of everything these tests put in the mailbox
DEFAULT_FOLDER = "PipelineLiveTest"
AUTHS: dict[str, Literal["oauth2", "ntlm", "basic"]] = {
    "oauth2": "oauth2",
    "ntlm": "ntlm",
    "basic": "basic",
}
ARRIVAL_SECONDS = 120.0  # how long an uploaded message may take to show in a poll or a folder
PATIENT = Backoff(budget=120.0, first=1.0, longest=15.0)  # a real tenant throttles for seconds


def _enabled(variable: str) -> bool:
    return os.environ.get(variable, "").strip() == "1"


BACKENDS = [
    pytest.param(
        MailboxKind.ews,
        id="ews",
        marks=pytest.mark.skipif(
            not _enabled("CLUSTER_LIVE_EWS"),
            reason="live EWS tests: set CLUSTER_LIVE_EWS=1 (docs/live-mailbox-tests.md)",
        ),
    ),
    pytest.param(
        MailboxKind.graph,
        id="graph",
        marks=pytest.mark.skipif(
            not _enabled("CLUSTER_LIVE_GRAPH"),
            reason="live Graph tests: set CLUSTER_LIVE_GRAPH=1 (docs/live-mailbox-tests.md)",
        ),
    ),
]


# --- settings -----------------------------------------------------------------------------


@dataclass(frozen=True)
class LiveSettings:
    """The non-secret settings of the live run; the secrets are read by the sources themselves
    from the usual CLUSTER_EWS_* / CLUSTER_GRAPH_* variables."""

    address: str
    folder: str
    ews_server_url: str
    ews_auth: Literal["oauth2", "ntlm", "basic"]
    tenant_id: str
    client_id: str

    @classmethod
    def from_env(cls, kind: MailboxKind) -> LiveSettings:
        env = {key: value.strip() for key, value in os.environ.items()}
        address = env.get("CLUSTER_LIVE_ADDRESS", "")
        if not address:
            pytest.fail("live tests need CLUSTER_LIVE_ADDRESS (the test mailbox)", pytrace=False)
        folder = env.get("CLUSTER_LIVE_FOLDER", "").strip("/") or DEFAULT_FOLDER
        if folder.upper() in ("INBOX", "DRAFTS"):
            pytest.fail("CLUSTER_LIVE_FOLDER must be a throwaway folder, not " + folder)
        raw_auth = env.get("CLUSTER_LIVE_EWS_AUTH", "") or "oauth2"
        auth = AUTHS.get(raw_auth.lower())
        if auth is None:
            pytest.fail(f"CLUSTER_LIVE_EWS_AUTH must be oauth2, ntlm or basic, not {raw_auth!r}")
        settings = cls(
            address=address,
            folder=folder,
            ews_server_url=env.get("CLUSTER_LIVE_EWS_SERVER_URL", ""),
            ews_auth=auth,
            tenant_id=env.get("CLUSTER_LIVE_TENANT_ID", ""),
            client_id=env.get("CLUSTER_LIVE_CLIENT_ID", ""),
        )
        if kind is MailboxKind.graph or auth == "oauth2":
            missing = [
                name
                for name, value in (
                    ("CLUSTER_LIVE_TENANT_ID", settings.tenant_id),
                    ("CLUSTER_LIVE_CLIENT_ID", settings.client_id),
                )
                if not value
            ]
            if missing:
                pytest.fail(f"live {kind.value} tests need {' and '.join(missing)}", pytrace=False)
        return settings


def live_config(config: Config, kind: MailboxKind, live: LiveSettings, run_id: str) -> Config:
    """The test's config with the live mailbox; Processed and Quarantine are this run's own
    folders under the throwaway folder, so runs never see each other's results."""
    mailbox = Mailbox(
        kind=kind,
        address=live.address,
        folder=live.folder,
        processed_folder=f"{live.folder}/Processed-{run_id}",
        quarantine_folder=f"{live.folder}/Quarantine-{run_id}",
        drafts_folder="Drafts",
        timeout_seconds=120,
        ews=EwsServer(
            server_url=live.ews_server_url,
            auth=live.ews_auth,
            tenant_id=live.tenant_id,
            client_id=live.client_id,
        ),
        graph=GraphServer(tenant_id=live.tenant_id, client_id=live.client_id),
    )
    return config.model_copy(update={"mailbox": mailbox})


# --- the mailbox, seen from the test ------------------------------------------------------


@dataclass(frozen=True)
class Found:
    id: str
    subject: str
    is_draft: bool


class LiveMailbox(Protocol):
    """What the tests do in the mailbox besides what the source does: upload, look, clean up."""

    def ensure_folder(self, path: str) -> bool:
        """Make sure the folder exists; whether it had to be created."""
        ...

    def upload(self, path: str, mime: bytes) -> None: ...

    def messages(self, path: str) -> list[Found]:
        """The messages in the folder; none if there is no such folder."""
        ...

    def drafts(self, token: str) -> list[Found]:
        """The messages in Drafts whose subject holds ``token``."""
        ...

    def delete_message(self, found: Found) -> None: ...

    def delete_folder(self, path: str) -> None:
        """Delete the folder and what is in it, if it exists."""
        ...


class EwsMailbox:
    """Through the source's own exchangelib account (its credentials, impersonation, TLS)."""

    def __init__(self, source: EwsSource) -> None:
        self.source = source

    @property
    def account(self) -> Account:
        return self.source._connect()

    def _call(self, what: str, action: Callable[[], Any]) -> Any:
        return self.source._call(what, action)

    def _find(self, path: str) -> Folder | None:
        folder = self.account.msg_folder_root
        for part in path.strip("/").split("/"):
            try:
                folder = folder / part
            except ErrorFolderNotFound:
                return None
        return folder

    def ensure_folder(self, path: str) -> bool:
        if self._call("look for the test folder", lambda: self._find(path)) is not None:
            return False
        self._call("create the test folder", lambda: self.source._folder(path, create=True))
        return True

    def upload(self, path: str, mime: bytes) -> None:
        def save() -> None:
            folder = self.source._folder(path, create=False)
            Message(account=self.account, folder=folder, mime_content=mime).save()

        self._call("upload a sample email", save)

    def messages(self, path: str) -> list[Found]:
        def look() -> list[Found]:
            folder = self._find(path)
            if folder is None:
                return []
            return [_ews_found(item) for item in folder.all().only("subject", "is_draft")]

        result: list[Found] = self._call("list a folder", look)
        return result

    def drafts(self, token: str) -> list[Found]:
        def look() -> list[Found]:
            items = self.account.drafts.filter(subject__contains=token)
            return [_ews_found(item) for item in items.only("subject", "is_draft")]

        result: list[Found] = self._call("list the drafts", look)
        return result

    def delete_message(self, found: Found) -> None:
        def delete() -> None:
            [result] = self.account.bulk_delete(ids=[ItemId(id=found.id)])  # a hard delete
            if isinstance(result, Exception) and not isinstance(result, ErrorItemNotFound):
                raise result

        self._call("delete a test message", delete)

    def delete_folder(self, path: str) -> None:
        def delete() -> None:
            folder = self._find(path)
            if folder is not None:
                folder.delete()  # a hard delete, with the messages in it
            self.source._folders.pop(path, None)

        self._call("delete a test folder", delete)


def _ews_found(item: Any) -> Found:
    return Found(id=str(item.id), subject=str(item.subject or ""), is_draft=bool(item.is_draft))


class GraphMailbox:
    """Through the source's own httpx client and msal token (its retries and error handling)."""

    def __init__(self, source: GraphSource) -> None:
        self.source = source
        self.user = source._user

    def _request(self, what: str, method: str, url: str, **kwargs: Any) -> httpx.Response:
        return self.source._call(what, lambda: self.source._api.request(method, url, **kwargs))

    def _find(self, path: str) -> str | None:
        parent = "msgfolderroot"
        for part in path.strip("/").split("/"):
            quoted = part.replace("'", "''")
            params = {"$filter": f"displayName eq '{quoted}'", "$select": "id"}
            url = f"{self.user}/mailFolders/{parent}/childFolders"
            found = self._request("look for a folder", "GET", url, params=params).json()["value"]
            if not found:
                return None
            parent = str(found[0]["id"])
        return parent

    def ensure_folder(self, path: str) -> bool:
        if self._find(path) is not None:
            return False
        self.source._call("create the test folder", lambda: self.source._folder(path))
        return True

    def upload(self, path: str, mime: bytes) -> None:
        folder = self.source._call("find the test folder", lambda: self.source._folder(path))
        url = f"{self.user}/mailFolders/{folder}/messages"
        headers = {"Content-Type": "text/plain"}
        mime64 = base64.b64encode(mime)
        self._request("upload a sample email", "POST", url, content=mime64, headers=headers)

    def _list(self, url: str, params: dict[str, str] | None) -> list[Found]:
        found: list[Found] = []
        next_url: str | None = url
        while next_url:
            page = self._request("list a folder", "GET", next_url, params=params).json()
            found += [
                Found(id=m["id"], subject=m.get("subject") or "", is_draft=bool(m.get("isDraft")))
                for m in page["value"]
            ]
            next_url, params = page.get("@odata.nextLink"), None
        return found

    def messages(self, path: str) -> list[Found]:
        folder = self._find(path)
        if folder is None:
            return []
        params = {"$select": "id,subject,isDraft", "$top": "50"}
        return self._list(f"{self.user}/mailFolders/{folder}/messages", params)

    def drafts(self, token: str) -> list[Found]:
        """Among the newest 100 drafts (a draft saved seconds ago is among them)."""
        params = {
            "$select": "id,subject,isDraft",
            "$orderby": "receivedDateTime desc",
            "$top": "100",
        }
        page = self._request(
            "list the drafts", "GET", f"{self.user}/mailFolders/drafts/messages", params=params
        ).json()
        return [
            Found(id=m["id"], subject=m.get("subject") or "", is_draft=bool(m.get("isDraft")))
            for m in page["value"]
            if token in (m.get("subject") or "")
        ]

    def _delete(self, url: str) -> None:
        """Permanently if the cloud offers it (not the national clouds), else to Deleted Items."""
        try:
            self._request("delete", "POST", f"{url}/permanentDelete", missing_ok=True)
        except SourceError:
            self._request("delete", "DELETE", url, missing_ok=True)

    def delete_message(self, found: Found) -> None:
        self._delete(f"{self.user}/messages/{found.id}")

    def delete_folder(self, path: str) -> None:
        folder = self._find(path)
        if folder is not None:
            self._delete(f"{self.user}/mailFolders/{folder}")
        self.source._folders.pop(path, None)


# --- the fixture ------------------------------------------------------------------------


@dataclass
class Live:
    config: Config
    source: EwsSource | GraphSource
    mailbox: LiveMailbox
    token: str  # in the subject of everything this test puts in the mailbox
    samples: Path
    created_folder: bool = False
    subjects: dict[str, str] = field(default_factory=dict)

    @property
    def folder(self) -> str:
        return self.config.mailbox.folder

    def tag(self, label: str) -> str:
        return f"{self.token}-{label}"


@pytest.fixture(params=BACKENDS)
def live(request: pytest.FixtureRequest, config: Config, tmp_path: Path) -> Iterator[Live]:
    kind: MailboxKind = request.param
    settings = LiveSettings.from_env(kind)
    run_id = f"{time.strftime('%Y%m%d%H%M%S')}-{uuid.uuid4().hex[:6]}"
    cfg = live_config(config, kind, settings, run_id)
    with Register(cfg.paths.register_db) as state:
        source: EwsSource | GraphSource
        mailbox: LiveMailbox
        if kind is MailboxKind.ews:
            source = EwsSource.from_config(cfg.mailbox, state, backoff=PATIENT)
            mailbox = EwsMailbox(source)
        else:
            source = GraphSource.from_config(cfg.mailbox, state, backoff=PATIENT)
            mailbox = GraphMailbox(source)
        live = Live(cfg, source, mailbox, f"{MARKER}{run_id}", tmp_path / "samples")
        try:
            live.created_folder = mailbox.ensure_folder(live.folder)
            clear_leftovers(live)
            yield live
        finally:
            try:
                clean_up(live)
            finally:
                source.close()


def clear_leftovers(live: Live) -> None:
    """Delete what an earlier, interrupted run left in the throwaway folder; refuse to run in a
    folder that holds anything else, since the source would process and move it."""
    others = []
    for found in live.mailbox.messages(live.folder):
        if MARKER in found.subject:
            live.mailbox.delete_message(found)
        else:
            others.append(found.subject)
    if others:
        pytest.fail(
            f"the throwaway folder {live.folder!r} holds {len(others)} message(s) these tests "
            "did not put there; empty it or choose another CLUSTER_LIVE_FOLDER",
            pytrace=False,
        )


def clean_up(live: Live) -> None:
    """Delete this run's messages, drafts (also reply drafts the pipeline saved) and folders."""
    failures: list[str] = []

    def attempt(what: str, action: Callable[[], None]) -> None:
        try:
            action()
        except Exception as exc:
            failures.append(f"{what}: {type(exc).__name__}: {exc}")

    box, mailbox = live.mailbox, live.config.mailbox

    def messages_left() -> None:
        for found in box.messages(live.folder):
            if live.token in found.subject:
                box.delete_message(found)

    def drafts_left() -> None:
        for found in box.drafts(live.token):
            box.delete_message(found)

    attempt("this run's messages in the throwaway folder", messages_left)
    attempt("this run's drafts", drafts_left)
    for path in (mailbox.processed_folder, mailbox.quarantine_folder):
        attempt(path, partial(box.delete_folder, path))
    if live.created_folder:
        attempt(live.folder, lambda: box.delete_folder(live.folder))
    if failures:
        pytest.fail("live test clean-up incomplete:\n" + "\n".join(failures), pytrace=False)


# --- helpers ------------------------------------------------------------------------------


def tagged(mime: bytes, tag: str) -> bytes:
    """The email with ``[tag]`` added to its subject and a Message-ID of its own."""
    message = BytesParser(policy=policy.default).parsebytes(mime)
    message.replace_header("Subject", f"{message['Subject']} [{tag}]")
    message.replace_header("Message-ID", make_msgid("live", domain="pipeline-live.invalid"))
    return message.as_bytes(policy=policy.SMTP)


def upload_samples(live: Live) -> dict[str, bytes]:
    """A clean referral and one from an unknown sender, uploaded; their emails by label."""
    paths = generate(live.samples, live.config, clean=1, defects=("unknown_sender",))
    emails = {
        label: tagged(path.read_bytes(), live.tag(label))
        for label, path in zip(("clean", "stranger"), paths, strict=True)
    }
    for mime in emails.values():
        live.mailbox.upload(live.folder, mime)
    return emails


def poll(live: Live) -> RunSummary:
    with open_context(live.config) as ctx:
        return run_source(live.source, ctx)


def submissions_of(live: Live, label: str) -> list[Submission]:
    with Register(live.config.paths.register_db) as register:
        return [s for s in register.submissions() if f"[{live.tag(label)}]" in s.subject]


def eventually(check: Callable[[], bool], what: str, seconds: float = ARRIVAL_SECONDS) -> None:
    """Wait for ``check``: a real mailbox shows uploads and moves after a moment, not at once."""
    deadline = time.monotonic() + seconds
    while not check():
        if time.monotonic() > deadline:
            pytest.fail(f"after {seconds:.0f} s, still not: {what}", pytrace=False)
        time.sleep(3)


def has(live: Live, path: str, label: str) -> bool:
    return any(f"[{live.tag(label)}]" in m.subject for m in live.mailbox.messages(path))


def submission_json(live: Live, submission: Submission) -> dict[str, Any]:
    path = live.config.paths.outbox / "submissions" / f"{submission.submission_id}.json"
    assert path.is_file(), f"no submission JSON {path.name}"
    record: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return record


# --- the tests ----------------------------------------------------------------------------


def test_live_poll_files_clean_mail_under_processed_and_strangers_under_quarantine(
    live: Live,
) -> None:
    upload_samples(live)
    eventually(
        lambda: has(live, live.folder, "clean") and has(live, live.folder, "stranger"),
        "both uploaded samples are in the throwaway folder",
    )

    summaries: list[RunSummary] = []

    def both_processed() -> bool:
        summaries.append(poll(live))
        return bool(submissions_of(live, "clean") and submissions_of(live, "stranger"))

    eventually(both_processed, "a poll has processed both samples")

    assert sum(s.processed for s in summaries) == 2, "each sample is processed exactly once"
    [clean] = submissions_of(live, "clean")
    [stranger] = submissions_of(live, "stranger")
    assert clean.status is not Status.quarantined
    assert stranger.status is Status.quarantined
    for submission in (clean, stranger):
        record = submission_json(live, submission)
        assert (record["status"], record["sender"]) == (
            submission.status.value,
            submission.sender,
        )

    mailbox = live.config.mailbox
    eventually(lambda: has(live, mailbox.processed_folder, "clean"), "the clean one is Processed")
    eventually(
        lambda: has(live, mailbox.quarantine_folder, "stranger"), "the stranger is in Quarantine"
    )
    assert not has(live, mailbox.processed_folder, "stranger")
    assert not has(live, mailbox.quarantine_folder, "clean")
    left = [m.subject for m in live.mailbox.messages(live.folder) if live.token in m.subject]
    assert left == [], "nothing of this run is left in the polled folder"

    again = poll(live)
    assert (again.processed, again.skipped) == (0, 0), "a second poll fetches nothing new"


def test_live_save_draft_puts_a_draft_in_drafts(live: Live) -> None:
    subject = f"Central Cluster live test draft [{live.tag('draft')}]"
    draft = EmailMessage(policy=policy.SMTP)
    draft["From"] = live.config.mailbox.address
    draft["To"] = "referrer@example.invalid"  # never sent: a draft only
    draft["Subject"] = subject
    draft["Message-ID"] = make_msgid("live", domain="pipeline-live.invalid")
    draft.set_content("A reply draft saved by the pipeline's live mailbox test. Delete me.\n")

    live.source.save_draft(draft.as_bytes())

    found: list[Found] = []

    def in_drafts() -> bool:
        found[:] = live.mailbox.drafts(live.tag("draft"))
        return bool(found)

    eventually(in_drafts, "the draft is in Drafts")
    [saved] = found
    assert " ".join(saved.subject.split()) == subject  # header folding may add white space
    assert saved.is_draft, "saved as a draft, not as a sent message"

    live.mailbox.delete_message(saved)
    eventually(lambda: not live.mailbox.drafts(live.tag("draft")), "the draft is deleted")
