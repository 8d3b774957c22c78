"""What every page shares: the signed-in session, the role it needs, the CSRF check on every
form, the security headers, the templates (autoescaped) and the register opened per request."""

from __future__ import annotations

import secrets
import threading
from collections.abc import Awaitable, Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import quote

from jinja2 import Environment, PackageLoader, select_autoescape
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from pipeline.config import Config
from pipeline.context import Context
from pipeline.desk.accounts import User
from pipeline.desk.entra import Entra
from pipeline.desk.sessions import COOKIE, Session, current_session
from pipeline.desk.store import DeskStore
from pipeline.intake.store import BlobStore
from pipeline.register import Register
from pipeline.reports import wording
from pipeline.sandbox import ParserPool

PRE_SESSION_COOKIE = "desk_presession"  # the CSRF token of the sign-in form
SECURITY_HEADERS: tuple[tuple[bytes, bytes], ...] = (
    (
        b"content-security-policy",
        b"default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
        b"frame-ancestors 'none'; base-uri 'none'",
    ),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"cache-control", b"no-store"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
    (b"cross-origin-opener-policy", b"same-origin"),
)


@dataclass
class Desk:
    """The application's state: configuration, the desk's database, and one lock so that
    only one action changes the register at a time."""

    config: Config
    store: DeskStore
    templates: Environment
    entra: Entra
    actions: threading.Lock = field(default_factory=threading.Lock)
    today: date | None = None  # the day meetings are judged past from; None: the real today

    def day(self) -> date:
        return self.today or date.today()

    @contextmanager
    def context(self) -> Iterator[Context]:
        """The pipeline's context with a register connection of this thread's own, and a
        parser pool closed with it (its worker starts only if the request reads a document)."""
        parsers = ParserPool.of(self.config.intake)
        try:
            with Register(self.config.paths.register_db) as register:
                yield Context(
                    config=self.config,
                    store=BlobStore(self.config.paths.store),
                    register=register,
                    parsers=parsers,
                )
        finally:
            parsers.close()


def templates() -> Environment:
    env = Environment(
        loader=PackageLoader("pipeline.desk", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["uk_date"] = lambda d: wording.format_date(d) if d else ""
    env.filters["moment"] = lambda m: wording.format_moment(m) if m else ""
    env.filters["money"] = lambda v: "" if v is None else f"£{float(v):,.2f}"
    env.filters["request_type"] = wording.request_type
    return env


@dataclass(frozen=True)
class Call:
    """One request as a page handler sees it: who, what was sent, and the desk."""

    request: Request
    session: Session
    form: Mapping[str, str]
    files: Mapping[str, tuple[str, bytes]]
    desk: Desk

    @property
    def user(self) -> User:
        return self.session.user

    def query(self) -> dict[str, str]:
        return dict(self.request.query_params)

    def page(self, template: str, status: int = 200, **values: Any) -> HTMLResponse:
        html = self.desk.templates.get_template(template).render(
            user=self.user, csrf=self.session.csrf, path=self.request.url.path, **values
        )
        return HTMLResponse(html, status_code=status)


Handler = Callable[[Call], Response]


def guarded(
    desk: Desk, handler: Handler, *, admin: bool = True
) -> Callable[[Request], Awaitable[Response]]:
    """The endpoint for ``handler``: signed in (else to the sign-in page), the role it needs
    (else 403), a POST carrying the session's CSRF token (else 403); the handler then runs on
    a worker thread, since the register is SQLite."""

    async def endpoint(request: Request) -> Response:
        session = current_session(desk.store, desk.config.desk, request.cookies.get(COOKIE))
        if session is None:
            target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
            return RedirectResponse(f"/signin?next={quote(target)}", status_code=303)
        if admin and not session.user.is_admin:
            return forbidden(desk, "This page is for the cluster's admin.")
        form: dict[str, str] = {}
        files: dict[str, tuple[str, bytes]] = {}
        if request.method == "POST":
            async with request.form(max_files=2, max_fields=4000) as sent:
                for key, value in sent.multi_items():
                    if isinstance(value, UploadFile):
                        files[key] = (value.filename or "", await value.read())
                    else:
                        form[key] = value
            if not secrets.compare_digest(form.get("csrf", ""), session.csrf):
                return forbidden(desk, "The form was out of date or not from the desk. Try again.")
        call = Call(request, session, form, files, desk)
        return await run_in_threadpool(handler, call)

    return endpoint


def forbidden(desk: Desk, reason: str) -> HTMLResponse:
    html = desk.templates.get_template("refused.html").render(reason=reason, user=None)
    return HTMLResponse(html, status_code=403)


def see_other(path: str, note: str = "", *, error: str = "") -> RedirectResponse:
    """Back to a page after a form, with a line saying what happened (or what was wrong)."""
    key, text = ("error", error) if error else ("note", note)
    suffix = f"{'&' if '?' in path else '?'}{key}={quote(text)}" if text else ""
    return RedirectResponse(path + suffix, status_code=303)


def safe_next(target: str | None) -> str:
    """Only a path on this site: never an address elsewhere (an open redirect)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target


class SecurityHeaders:
    """Adds the security headers to every response, including errors and static files."""

    def __init__(self, app: ASGIApp, *, hsts: bool) -> None:
        self.app = app
        self.headers = SECURITY_HEADERS + (
            ((b"strict-transport-security", b"max-age=31536000"),) if hsts else ()
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message.setdefault("headers", [])
                message["headers"] = [
                    *[h for h in message["headers"] if h[0].lower() != b"cache-control"],
                    *self.headers,
                ]
            await send(message)

        await self.app(scope, receive, with_headers)


def static_dir() -> Path:
    return Path(__file__).resolve().parent / "static"
