"""Reply drafts in the IMAP mailbox's drafts folder: saved flagged \\Draft (never sent), looked
for by Message-ID so none is saved twice, and withdrawn when superseded.

Looking in the drafts folder selects it, so the mail folder is selected again before its next
use. Logs carry a hash of the draft, never its addressee or subject.
"""

from __future__ import annotations

import hashlib
import imaplib
import logging
import time

from pipeline.intake.message_id import original_message_id
from pipeline.sources.imap_client import check, parse_uids, quote
from pipeline.sources.imap_session import ImapSession

log = logging.getLogger(__name__)


class ImapDrafts(ImapSession):
    def save_draft(self, message: bytes) -> None:
        """APPEND the draft to the drafts folder, flagged \\Draft; it is never sent."""
        folder = self.mailbox.drafts_folder
        with self._guard("saving a reply draft"):
            conn = self._connection()
            self._ensure_folder(conn, folder)
            when = imaplib.Time2Internaldate(time.time())
            check(conn.append(quote(folder), r"(\Draft)", when, message), "APPEND")
        log.info("imap: reply draft %s saved", hashlib.sha256(message).hexdigest()[:12])

    def has_draft(self, message: bytes) -> bool:
        """Whether the drafts folder holds a message with this draft's Message-ID."""
        message_id = original_message_id(message)
        if not message_id:
            return False
        folder = self.mailbox.drafts_folder
        with self._guard("looking for a reply draft"):
            conn = self._connection()
            self._ensure_folder(conn, folder)
            self._uidvalidity = None  # the mail folder must be selected again after this
            check(conn.select(quote(folder), readonly=True), "EXAMINE")
            found = check(conn.uid("SEARCH", "HEADER", "Message-ID", quote(message_id)), "SEARCH")
        return bool(parse_uids(found))

    def withdraw_draft(self, message_id: str) -> bool:
        """Delete the draft with this Message-ID from the drafts folder (and expunge it)."""
        folder = self.mailbox.drafts_folder
        with self._guard("withdrawing a superseded reply draft"):
            conn = self._connection()
            self._ensure_folder(conn, folder)
            self._uidvalidity = None  # the inbox is selected again before its next use
            check(conn.select(quote(folder)), f"SELECT {folder}")
            search = conn.uid("SEARCH", "HEADER", "Message-ID", quote(message_id))
            uids = b" ".join(u for u in check(search, "SEARCH") if u).split()
            for uid in uids:
                check(conn.uid("STORE", uid.decode(), "+FLAGS.SILENT", r"(\Deleted)"), "STORE")
            if uids:
                check(conn.expunge(), "EXPUNGE")
        log.info("imap: %d superseded reply draft(s) withdrawn", len(uids))
        return bool(uids)
