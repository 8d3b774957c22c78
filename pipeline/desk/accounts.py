"""Local accounts: argon2-hashed passwords, two roles, failed sign-ins limited."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from pipeline.config import Desk
from pipeline.desk.store import DeskStore, now
from pipeline.errors import PipelineError

MIN_PASSWORD = 12
_hasher = PasswordHasher()
# Verified against when the name is unknown, so a wrong name takes as long as a wrong password.
_DUMMY_HASH = _hasher.hash("not a password anyone has")


class Role(StrEnum):
    admin = "admin"
    panel = "panel"  # a panel member: the panel edition of their meetings, nothing else


@dataclass(frozen=True)
class User:
    name: str
    display: str
    role: Role
    meetings: tuple[str, ...]  # ISO dates a panel member sits on; empty: every meeting

    @property
    def is_admin(self) -> bool:
        return self.role is Role.admin

    def sits_on(self, meeting: str) -> bool:
        return self.is_admin or not self.meetings or meeting in self.meetings


class SignInRefused(PipelineError):
    """A sign-in that did not succeed; the message is safe to show."""


def add_user(
    store: DeskStore,
    name: str,
    password: str,
    *,
    role: Role,
    display: str = "",
    meetings: tuple[str, ...] = (),
) -> User:
    """A new account, or a new password and role for an existing one."""
    name = name.strip().lower()
    if not name:
        raise PipelineError("give the account a name")
    if len(password) < MIN_PASSWORD:
        raise PipelineError(f"the password must have at least {MIN_PASSWORD} characters")
    with store.transaction() as db:
        db.execute(
            "INSERT INTO users VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(name) DO UPDATE SET "
            "display = excluded.display, role = excluded.role, meetings = excluded.meetings, "
            "password_hash = excluded.password_hash",
            (
                name,
                display.strip() or name,
                role.value,
                ",".join(meetings),
                _hasher.hash(password),
                now().isoformat(),
            ),
        )
    return User(name, display.strip() or name, role, meetings)


def ensure_user(store: DeskStore, name: str, display: str, role: Role) -> User:
    """An account for someone signed in elsewhere (Entra ID), created without a password."""
    found = find_user(store, name)
    if found is not None:
        return found
    with store.transaction() as db:
        db.execute(
            "INSERT INTO users VALUES (?, ?, ?, '', NULL, ?)",
            (name, display or name, role.value, now().isoformat()),
        )
    return User(name, display or name, role, ())


def find_user(store: DeskStore, name: str) -> User | None:
    row = store.row("SELECT name, display, role, meetings FROM users WHERE name = ?", (name,))
    if row is None:
        return None
    meetings = tuple(m for m in str(row[3]).split(",") if m)
    return User(str(row[0]), str(row[1]), Role(str(row[2])), meetings)


def users(store: DeskStore) -> list[User]:
    names = store.rows("SELECT name FROM users ORDER BY name")
    return [u for (n,) in names if (u := find_user(store, str(n))) is not None]


def sign_in(store: DeskStore, settings: Desk, name: str, password: str, address: str) -> User:
    """The user, if the password is right and neither the name nor the address has failed too
    often lately; otherwise SignInRefused, and the failure is counted."""
    name = name.strip().lower()
    if _recent_failures(store, settings, name, address) >= settings.max_failed_signins:
        raise SignInRefused(
            f"Too many failed sign-ins. Try again in {settings.lockout_minutes} minutes."
        )
    row = store.row("SELECT password_hash FROM users WHERE name = ?", (name,))
    stored = str(row[0]) if row and row[0] else None
    if not _password_matches(stored, password):
        with store.transaction() as db:
            db.execute(
                "INSERT INTO failed_signins VALUES (?, ?, ?)", (now().isoformat(), name, address)
            )
        raise SignInRefused("The name or password is not right.")
    with store.transaction() as db:
        db.execute("DELETE FROM failed_signins WHERE name = ?", (name,))
    user = find_user(store, name)
    assert user is not None
    return user


def _password_matches(stored: str | None, password: str) -> bool:
    try:
        return _hasher.verify(stored or _DUMMY_HASH, password) and stored is not None
    except (VerificationError, InvalidHashError):
        return False


def _recent_failures(store: DeskStore, settings: Desk, name: str, address: str) -> int:
    """Failures lately for this name, or half those from this address (one address may
    mistype several names, so it is allowed more tries than one name)."""
    since = (now() - timedelta(minutes=settings.lockout_minutes)).isoformat()
    by_name = _count(store, "name", name, since)
    by_address = _count(store, "address", address, since)
    return max(by_name, by_address // 2)


def _count(store: DeskStore, column: str, value: str, since: str) -> int:
    assert column in ("name", "address")
    row = store.row(
        f"SELECT COUNT(*) FROM failed_signins WHERE at > ? AND {column} = ?", (since, value)
    )
    return int(str(row[0])) if row else 0
