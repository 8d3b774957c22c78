"""The desk's routes: every page behind sign-in, the admin's pages behind the admin role."""

from __future__ import annotations

from datetime import date
from functools import partial
from pathlib import Path

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from pipeline.config import Config
from pipeline.desk.entra import Entra
from pipeline.desk.pages import case_page, meetings_page, quarantine_page, queue_page, signin
from pipeline.desk.sessions import COOKIE, current_session
from pipeline.desk.store import DeskStore
from pipeline.desk.web import Desk, Handler, SecurityHeaders, guarded, static_dir, templates

GET, POST = ["GET"], ["POST"]


def create_app(
    config: Config,
    store: DeskStore | None = None,
    *,
    entra_verify: bool | Path = True,
    today: date | None = None,
) -> SecurityHeaders:
    """The desk; ``entra_verify`` is the CA file Microsoft's sign-in is checked with, and
    ``today`` the day meetings count as past from (both for tests)."""
    desk = Desk(
        config=config,
        store=store or DeskStore.of(config),
        templates=templates(),
        entra=Entra(config.desk, entra_verify),
        today=today,
    )

    def admin(path: str, handler: Handler, methods: list[str] = GET) -> Route:
        return Route(path, guarded(desk, handler), methods=methods)

    def anyone(path: str, handler: Handler, methods: list[str] = GET) -> Route:
        return Route(path, guarded(desk, handler, admin=False), methods=methods)

    routes = [
        Route("/", partial(_home, desk), methods=GET),
        Route("/signin", partial(signin.signin_page, desk), methods=["GET", "POST"]),
        Route("/signin/entra", partial(signin.entra_start, desk), methods=GET),
        Route("/signin/entra/callback", partial(signin.entra_callback, desk), methods=GET),
        anyone("/signout", signin.signout, POST),
        admin("/queue", queue_page.queue),
        admin("/case/{case_ref}", case_page.show_case),
        admin("/case/{case_ref}/document/{sha256}", case_page.show_document),
        admin("/case/{case_ref}/document/{sha256}/page.png", case_page.show_page_picture),
        admin("/case/{case_ref}/accept", case_page.accept_finding, POST),
        admin("/case/{case_ref}/move", case_page.move_case, POST),
        admin("/case/{case_ref}/note", case_page.add_case_note, POST),
        admin("/case/{case_ref}/draft", case_page.save_draft, POST),
        admin("/case/{case_ref}/draft/sent", case_page.draft_sent, POST),
        admin("/quarantine", quarantine_page.show_quarantine),
        admin("/quarantine/{message_id}/release", quarantine_page.release, POST),
        admin("/quarantine/{message_id}/reject", quarantine_page.reject, POST),
        admin("/meetings", meetings_page.list_meetings),
        admin("/meetings/{day}", meetings_page.show_meeting),
        admin("/meetings/{day}/bundle", meetings_page.build_bundle, POST),
        admin("/meetings/{day}/decisions", meetings_page.enter_decisions, POST),
        anyone("/meetings/{day}/download/{edition}", meetings_page.download),
        anyone("/panel", meetings_page.panel_home),
        Mount("/static", StaticFiles(directory=static_dir()), name="static"),
    ]
    app = Starlette(routes=routes)
    app.state.desk = desk
    return SecurityHeaders(app, hsts=config.desk.secure_cookies)


async def _home(desk: Desk, request: Request) -> Response:
    session = current_session(desk.store, desk.config.desk, request.cookies.get(COOKIE))
    if session is None:
        return RedirectResponse("/signin", status_code=303)
    return RedirectResponse("/queue" if session.user.is_admin else "/panel", status_code=303)
