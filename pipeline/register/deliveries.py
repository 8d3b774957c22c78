"""A second delivery of an email already processed: the same sender and the same attachments.

Mail systems deliver the same email twice with different Message-IDs (a resend, a retried
relay, a copy from another folder); its bytes differ, so its hash is new. Within
DUPLICATE_WINDOW of the first, the same sender sending the same set of attachments is taken as
the same email: recorded (status ``duplicate``), moved like any processed message, never
processed again.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from pipeline.models import Message
from pipeline.register.base import Connection
from pipeline.register.messages import save_message

DUPLICATE_WINDOW = timedelta(days=30)
DUPLICATE = "duplicate"
# Mail quarantined before is not matched: a second copy is quarantined again, unopened.
_NOT_ORIGINALS = (DUPLICATE, "quarantined")


class DeliveryQueries(Connection):
    def delivered_before(self, message: Message) -> str | None:
        """The id of an earlier message this one is a second delivery of, if any."""
        hashes = {a.sha256 for a in message.attachments}
        if message.sender is None or not hashes:
            return None
        rows = self._db.execute(
            "SELECT DISTINCT m.id, m.received_at FROM messages m JOIN documents d "
            "ON d.message = m.id WHERE lower(m.sender) = ? AND d.sha256 = ? "
            "AND m.status NOT IN (?, ?) AND m.id != ? ORDER BY m.rowid",
            (message.sender.lower(), min(hashes), *_NOT_ORIGINALS, message.id),
        ).fetchall()
        for message_id, received_at in rows:
            apart = abs(datetime.fromisoformat(received_at) - message.received_at)
            if apart <= DUPLICATE_WINDOW and self._attachments(message_id) == hashes:
                return str(message_id)
        return None

    def record_duplicate(self, message: Message, source_ref: str) -> None:
        """The second delivery, recorded so that it is recognised (and moved) from now on."""
        with self._transaction():
            save_message(self._db, message, source_ref, DUPLICATE)

    def _attachments(self, message_id: str) -> set[str]:
        rows = self._db.execute("SELECT sha256 FROM documents WHERE message = ?", (message_id,))
        return {str(sha) for (sha,) in rows}
