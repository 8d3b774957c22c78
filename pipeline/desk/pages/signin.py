"""Signing in and out. The sign-in form carries a token of its own (there is no session yet),
matched against a cookie set with the form."""

from __future__ import annotations

import secrets

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from pipeline.desk.accounts import SignInRefused, User, sign_in
from pipeline.desk.entra import FLOW_MINUTES, STATE_COOKIE
from pipeline.desk.sessions import COOKIE, end_session, start_session
from pipeline.desk.web import PRE_SESSION_COOKIE, Call, Desk, forbidden, safe_next, see_other
from pipeline.errors import PipelineError
from pipeline.register import Register


def signin_form(desk: Desk, request: Request, error: str = "", status: int = 200) -> Response:
    token = secrets.token_urlsafe(32)
    html = desk.templates.get_template("signin.html").render(
        user=None,
        csrf=token,
        error=error,
        next=safe_next(request.query_params.get("next")),
        entra=desk.entra.enabled,
    )
    response = HTMLResponse(html, status_code=status)
    _cookie(desk, response, PRE_SESSION_COOKIE, token, max_age=3600)
    return response


async def signin_page(desk: Desk, request: Request) -> Response:
    if request.method == "GET":
        return signin_form(desk, request)
    async with request.form(max_files=0, max_fields=10) as sent:
        form = {k: v for k, v in sent.items() if isinstance(v, str)}
    expected = request.cookies.get(PRE_SESSION_COOKIE, "")
    if not expected or not secrets.compare_digest(form.get("csrf", ""), expected):
        return forbidden(desk, "The sign-in form was out of date. Go back and try again.")
    address = request.client.host if request.client else "unknown"
    name, password = form.get("name", ""), form.get("password", "")
    try:
        user = await run_in_threadpool(
            sign_in, desk.store, desk.config.desk, name, password, address
        )
    except SignInRefused as refused:
        await run_in_threadpool(
            _audit, desk, name.strip().lower() or "(no name)", "signin_refused", address
        )
        return signin_form(desk, request, str(refused), status=401)
    return await run_in_threadpool(signed_in, desk, user, form.get("next"), address)


def signed_in(desk: Desk, user: User, target: str | None, address: str) -> Response:
    session = start_session(desk.store, user)
    _audit(desk, user.name, "signin", address)
    landing = safe_next(target)
    if landing == "/":
        landing = "/queue" if user.is_admin else "/panel"
    response = RedirectResponse(landing, status_code=303)
    _cookie(desk, response, COOKIE, session.token, max_age=None)
    response.delete_cookie(PRE_SESSION_COOKIE, path="/")
    return response


def signout(call: Call) -> Response:
    end_session(call.desk.store, call.session.token)
    _audit(call.desk, call.user.name, "signout", "")
    response = see_other("/signin", "You are signed out.")
    response.delete_cookie(COOKIE, path="/")
    return response


def _audit(desk: Desk, who: str, action: str, detail: str) -> None:
    with Register(desk.config.paths.register_db) as register:
        register.audit(who, action, detail)


def _cookie(desk: Desk, response: Response, name: str, value: str, max_age: int | None) -> None:
    response.set_cookie(
        name,
        value,
        max_age=max_age,
        path="/",
        httponly=True,
        samesite="strict",
        secure=desk.config.desk.secure_cookies,
    )


async def entra_start(desk: Desk, request: Request) -> Response:
    """Off to Microsoft, with a state bound to this browser by a cookie."""
    if not desk.entra.enabled:
        return forbidden(desk, "Sign-in with a council account is not set up.")
    redirect = desk.config.desk.entra_redirect_uri or f"{request.base_url}signin/entra/callback"
    try:
        target, state = await run_in_threadpool(desk.entra.start, desk.store, redirect)
    except PipelineError as problem:
        return signin_form(desk, request, f"Microsoft sign-in is not available: {problem}", 503)
    response = RedirectResponse(target, status_code=303)
    # Lax, not Strict: the browser comes back from Microsoft's site with a top-level GET.
    response.set_cookie(
        STATE_COOKIE,
        state,
        max_age=FLOW_MINUTES * 60,
        path="/signin/entra",
        httponly=True,
        samesite="lax",
        secure=desk.config.desk.secure_cookies,
    )
    return response


async def entra_callback(desk: Desk, request: Request) -> Response:
    state = request.cookies.get(STATE_COOKIE, "")
    answer = dict(request.query_params)
    address = request.client.host if request.client else "unknown"
    try:
        user = await run_in_threadpool(desk.entra.finish, desk.store, state, answer)
    except (SignInRefused, PipelineError) as refused:
        await run_in_threadpool(_audit, desk, "(council account)", "signin_refused", address)
        return signin_form(desk, request, str(refused), status=401)
    response = await run_in_threadpool(signed_in, desk, user, "/", address)
    response.delete_cookie(STATE_COOKIE, path="/signin/entra")
    return response
