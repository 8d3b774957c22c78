"""How far the IMAP source has got with a folder, kept in the register between polls.

For the folder's UIDVALIDITY: the UIDs moved away (a server that copied but did not remove
lists them still), and the copies begun without MOVE: a UID whose copy was begun may already
be in the target folder, and may be flagged \\Deleted in this one, when the run was killed
between COPY and EXPUNGE. When UIDVALIDITY changes, everything is forgotten and the folder
is read from the beginning (the register recognises, by their bytes, the emails it has seen).
"""

from __future__ import annotations

import json
import logging
from typing import Any

from pipeline.sources.retry import StateStore

log = logging.getLogger(__name__)


class ImapProgress:
    def __init__(self, state: StateStore, key: str) -> None:
        self.state = state
        self.key = key

    def waiting(self, uidvalidity: int, listed: list[int], deleted: set[int]) -> list[int]:
        """The UIDs to hand over: listed (not \\Deleted) and not moved yet, and those whose
        copy was begun, \\Deleted or not, so that the move is finished; oldest first."""
        saved = self._load()
        if saved.get("uidvalidity") != uidvalidity:
            if saved:
                log.warning("imap: UIDVALIDITY changed; reading the folder from the beginning")
            self._save({"uidvalidity": uidvalidity, "done": [], "copying": {}})
            return listed
        present = set(listed) | deleted
        done = set(saved.get("done", ())) & present
        copying = {u: c for u, c in saved.get("copying", {}).items() if int(u) in present}
        if done != set(saved.get("done", ())) or copying != saved.get("copying", {}):
            self._save({"uidvalidity": uidvalidity, "done": sorted(done), "copying": copying})
        resumed = {int(u) for u in copying} & deleted
        return sorted((set(listed) - done) | resumed)

    def copies_begun(self) -> bool:
        return bool(self._load().get("copying"))

    def begin_copy(self, uidvalidity: int, uid: int, target: str) -> bool:
        """Record that UID is being copied to ``target``; whether a copy had been begun before."""
        saved = self._current(uidvalidity)
        before = str(uid) in saved["copying"]
        saved["copying"][str(uid)] = target
        self._save(saved)
        return before

    def done(self, uidvalidity: int, uid: int) -> None:
        saved = self._current(uidvalidity)
        saved["done"] = sorted(set(saved["done"]) | {uid})
        saved["copying"].pop(str(uid), None)
        self._save(saved)

    def _current(self, uidvalidity: int) -> dict[str, Any]:
        saved = self._load()
        if saved.get("uidvalidity") != uidvalidity:
            return {"uidvalidity": uidvalidity, "done": [], "copying": {}}
        return {
            "uidvalidity": uidvalidity,
            "done": saved.get("done", []),
            "copying": saved.get("copying", {}),
        }

    def _load(self) -> dict[str, Any]:
        loaded = json.loads(self.state.source_state(self.key) or "{}")
        return loaded if isinstance(loaded, dict) else {}

    def _save(self, saved: dict[str, Any]) -> None:
        self.state.save_source_state(self.key, json.dumps(saved, sort_keys=True))
