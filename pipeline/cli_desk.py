"""`pipeline desk` and `pipeline desk-user ...`: the admin's web desk and its accounts."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from pipeline import logs
from pipeline.config import DEFAULT_CONFIG, Config, load_config
from pipeline.register import Register

user_app = typer.Typer(help="Accounts of the desk: add one, list them.", no_args_is_help=True)

ConfigOption = Annotated[Path, typer.Option("--config", "-c", help="The configuration file.")]


def _settings(config: Path) -> Config:
    logs.configure("text")
    return load_config(config)


def desk(config: ConfigOption = DEFAULT_CONFIG) -> None:
    """Serve the admin's desk (web pages for every admin action) until Ctrl-C or SIGTERM."""
    from pipeline.desk.server import serve_desk

    settings = _settings(config)
    typer.echo(f"Desk on http://{settings.desk.host}:{settings.desk.port}/ (Ctrl-C to stop)")
    serve_desk(settings)


@user_app.command("add")
def add(
    name: Annotated[str, typer.Argument(help="The sign-in name, e.g. j.smith.")],
    role: Annotated[str, typer.Option(help="'admin' or 'panel' (a panel member).")] = "admin",
    display: Annotated[str, typer.Option(help="The name shown on the pages.")] = "",
    meeting: Annotated[
        list[str] | None,
        typer.Option(help="A panel member's meeting (YYYY-MM-DD; repeat; none: all)."),
    ] = None,
    password_file: Annotated[
        Path | None, typer.Option(help="Read the password from this file instead of asking.")
    ] = None,
    config: ConfigOption = DEFAULT_CONFIG,
) -> None:
    """Add an account (or set a new password and role for one): the first admin comes so."""
    from pipeline.desk.accounts import Role, add_user
    from pipeline.desk.store import DeskStore

    settings = _settings(config)
    if role not in ("admin", "panel"):
        raise typer.BadParameter("the role is 'admin' or 'panel'", param_hint="--role")
    password = (
        password_file.read_text(encoding="utf-8").strip()
        if password_file
        else typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    )
    store = DeskStore.of(settings)
    try:
        user = add_user(
            store, name, password, role=Role(role), display=display, meetings=tuple(meeting or ())
        )
    finally:
        store.close()
    with Register(settings.paths.register_db) as register:
        register.audit("command line", "add_desk_user", f"{user.name} ({user.role.value})")
    typer.echo(f"{user.name} can sign in to the desk as {user.role.value}.")


@user_app.command("list")
def list_users(config: ConfigOption = DEFAULT_CONFIG) -> None:
    """The desk's accounts and their roles."""
    from pipeline.desk.accounts import users
    from pipeline.desk.store import DeskStore

    store = DeskStore.of(_settings(config))
    try:
        for user in users(store):
            meetings = ", ".join(user.meetings) or "all meetings"
            typer.echo(f"{user.name}\t{user.role.value}\t{user.display}\t{meetings}")
    finally:
        store.close()
