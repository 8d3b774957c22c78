"""Sessions kept on the server: the browser holds a random token, the desk its hash, the
user, a CSRF token and when it was last used. Idle or old sessions are over."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from pipeline.config import Desk
from pipeline.desk.accounts import User, find_user
from pipeline.desk.store import DeskStore, now

COOKIE = "desk_session"


@dataclass(frozen=True)
class Session:
    token: str
    user: User
    csrf: str


def _hashed(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start_session(store: DeskStore, user: User) -> Session:
    token, csrf, moment = secrets.token_urlsafe(32), secrets.token_urlsafe(32), now().isoformat()
    with store.transaction() as db:
        db.execute(
            "INSERT INTO sessions VALUES (?, ?, ?, ?, ?)",
            (_hashed(token), user.name, csrf, moment, moment),
        )
    return Session(token, user, csrf)


def current_session(store: DeskStore, settings: Desk, token: str | None) -> Session | None:
    """The session of this token if it is still alive (and marked as used now)."""
    if not token:
        return None
    row = store.row(
        "SELECT user, csrf, created_at, seen_at FROM sessions WHERE token_hash = ?",
        (_hashed(token),),
    )
    if row is None:
        return None
    user = find_user(store, str(row[0]))
    moment = now()
    idle = moment - datetime.fromisoformat(str(row[3]))
    age = moment - datetime.fromisoformat(str(row[2]))
    if (
        user is None
        or idle > timedelta(minutes=settings.session_minutes)
        or age > timedelta(hours=settings.session_max_hours)
    ):
        end_session(store, token)
        return None
    with store.transaction() as db:
        db.execute(
            "UPDATE sessions SET seen_at = ? WHERE token_hash = ?",
            (moment.isoformat(), _hashed(token)),
        )
    return Session(token, user, str(row[1]))


def end_session(store: DeskStore, token: str) -> None:
    with store.transaction() as db:
        db.execute("DELETE FROM sessions WHERE token_hash = ?", (_hashed(token),))
