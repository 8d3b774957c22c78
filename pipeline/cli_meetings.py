"""`pipeline meeting ...` and `pipeline case ...`: the admin's commands around panel meetings."""

from __future__ import annotations

import getpass
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from pipeline import admin, logs, runner
from pipeline.config import DEFAULT_CONFIG, Config, load_config
from pipeline.context import Context
from pipeline.meetings.record_decisions import import_decisions
from pipeline.run_lock import holding

meeting_app = typer.Typer(
    help="Prepare a panel meeting and bring its decisions back.", no_args_is_help=True
)
case_app = typer.Typer(
    help="Change a case: hear it at another meeting, accept a finding.", no_args_is_help=True
)

ConfigOption = Annotated[Path, typer.Option("--config", "-c", help="The configuration file.")]
MeetingDate = Annotated[str, typer.Argument(help="The meeting's date, YYYY-MM-DD.")]
By = Annotated[
    str, typer.Option("--by", help="Who is doing this, for the audit log (default: your login).")
]


def _settings(config: Path) -> Config:
    logs.configure("text")
    return load_config(config)


@contextmanager
def _locked(settings: Config, command: str) -> Iterator[Context]:
    """The context of a command that changes the register, holding the register's lock."""
    with holding(settings.paths.register_db, command), runner.open_context(settings) as ctx:
        yield ctx


def _who(by: str) -> str:
    return by.strip() or getpass.getuser()


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise typer.BadParameter(f"'{text}' is not a date like 2025-10-16") from None


@meeting_app.command("bundle")
def bundle(
    day: MeetingDate,
    config: ConfigOption = DEFAULT_CONFIG,
    by: By = "",
    fresh: Annotated[
        bool,
        typer.Option(
            "--fresh",
            help="Make version 1 again from the start (renumbering every page): only for a "
            "bundle not yet sent. Without it, a bundle made before keeps its pages and adds "
            "what arrived since under Late additions.",
        ),
    ] = False,
) -> None:
    """Build the meeting's bundle (panel and full editions) and its decision log."""
    settings = _settings(config)
    with _locked(settings, f"pipeline meeting bundle {day}") as ctx:
        paths = admin.make_bundle(ctx, _day(day), _who(by), fresh=fresh)
    for path in paths:
        typer.echo(str(path))


@meeting_app.command("decisions")
def decisions(
    day: MeetingDate,
    log: Annotated[Path, typer.Argument(help="The filled decision log (.xlsx).", exists=True)],
    config: ConfigOption = DEFAULT_CONFIG,
    by: By = "",
) -> None:
    """Import the filled decision log: every row is checked first; a bad row imports nothing."""
    settings = _settings(config)
    with _locked(settings, f"pipeline meeting decisions {day}") as ctx:
        imported = import_decisions(ctx, log, _day(day), _who(by))
        runner.write_reports(ctx)  # the tracker's decision columns
    typer.echo(
        f"{len(imported.decisions)} decision(s) read, {imported.changed} changed; "
        f"{len(imported.drafts)} outcome email draft(s) written."
    )
    if imported.undecided:
        typer.echo(f"No decision recorded for: {', '.join(imported.undecided)}")


@case_app.command("move")
def move(
    case_ref: Annotated[str, typer.Argument(help="The case reference, e.g. CC-2526-0007.")],
    to: Annotated[str, typer.Option("--to", help="The meeting date, YYYY-MM-DD.")],
    config: ConfigOption = DEFAULT_CONFIG,
    by: By = "",
    today: Annotated[
        str | None, typer.Option(help="Count past meetings from this date (YYYY-MM-DD).")
    ] = None,
) -> None:
    """Hear a case at another meeting: not a case already decided, not a past meeting, not a
    capital bid off the round's meeting."""
    settings = _settings(config)
    with _locked(settings, "pipeline case move") as ctx:
        admin.move_case(
            ctx, case_ref.upper(), _day(to), _who(by), today=_day(today) if today else None
        )
        runner.write_reports(ctx)
    typer.echo(f"{case_ref.upper()} will be heard on {to}.")


@case_app.command("accept")
def accept(
    case_ref: Annotated[str, typer.Argument(help="The case reference, e.g. CC-2526-0007.")],
    code: Annotated[str, typer.Option("--code", help="The finding's rule code.")],
    reason: Annotated[str, typer.Option("--reason", help="Why the finding may stand.")],
    field: Annotated[
        str | None, typer.Option("--field", help="Only the finding on this field.")
    ] = None,
    config: ConfigOption = DEFAULT_CONFIG,
    by: By = "",
) -> None:
    """Accept a finding with a reason: it stays listed, recorded with who and when."""
    settings = _settings(config)
    with _locked(settings, "pipeline case accept") as ctx:
        submissions = admin.accept_finding(
            ctx, case_ref.upper(), code, field=field, reason=reason, by=_who(by)
        )
        runner.write_reports(ctx)
    typer.echo(
        f"{case_ref.upper()}: {code} accepted; the case is now {submissions[-1].status.value}."
    )
