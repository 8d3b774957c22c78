"""`pipeline meeting scores`, `pipeline capital record` and `pipeline impact count`: the capital
round's scores, each recommended bid's steps to payment, and the counts no form carries."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from pipeline import runner
from pipeline.cli_meetings import (
    By,
    ConfigOption,
    MeetingDate,
    _day,
    _locked,
    _settings,
    _who,
    meeting_app,
)
from pipeline.config import DEFAULT_CONFIG
from pipeline.meetings.capital.progress import record_step
from pipeline.meetings.capital.scores import import_scores
from pipeline.round_records import CapitalStep, ClusterCount, ClusterMeasure

capital_app = typer.Typer(
    help="A recommended capital bid's steps: completion, QA visit, invoices, release, evaluation.",
    no_args_is_help=True,
)
impact_app = typer.Typer(
    help="The impact measures no form carries: ISP moves, special school moves, EHCNA requests.",
    no_args_is_help=True,
)
OnDate = Annotated[str, typer.Option("--on", help="The day it happened, YYYY-MM-DD.")]
Note = Annotated[str, typer.Option("--note", help="A note (the evaluation's findings).")]


@meeting_app.command("scores")
def scores(
    day: MeetingDate,
    sheet: Annotated[Path, typer.Argument(help="The filled scoring sheet (.xlsx).", exists=True)],
    config: ConfigOption = DEFAULT_CONFIG,
    by: By = "",
) -> None:
    """Import the capital round's scoring sheet: every bid scored 0-5 on each criterion, or
    every problem reported and nothing imported. Then make the bundle again to rank them."""
    settings = _settings(config)
    with _locked(settings, f"pipeline meeting scores {day}") as ctx:
        read, changed = import_scores(ctx, sheet, _day(day), _who(by))
    typer.echo(f"{len(read)} bid(s) scored, {changed} changed.")


@capital_app.command("record")
def record(
    case_ref: Annotated[str, typer.Argument(help="The bid's case reference.")],
    step: Annotated[CapitalStep, typer.Option("--step", help="What happened.")],
    on: OnDate,
    note: Note = "",
    config: ConfigOption = DEFAULT_CONFIG,
    by: By = "",
) -> None:
    """Record a step of a recommended bid; funds are released only after the other three."""
    settings = _settings(config)
    with _locked(settings, "pipeline capital record") as ctx:
        entry = record_step(ctx, case_ref.upper(), step, _day(on), note, _who(by))
        runner.write_reports(ctx)
    typer.echo(f"{entry.case_ref}: {entry.step.label} on {entry.on.isoformat()} recorded.")


@impact_app.command("count")
def count(
    measure: Annotated[ClusterMeasure, typer.Argument(help="Which measure.")],
    number: Annotated[int, typer.Argument(help="How many children.", min=0)],
    on: OnDate,
    note: Note = "",
    config: ConfigOption = DEFAULT_CONFIG,
    by: By = "",
) -> None:
    """Add to a measure the forms do not carry, dated; bundles and the tracker count it."""
    settings = _settings(config)
    entry = ClusterCount(measure=measure, count=number, on=_day(on), note=note, by=_who(by))
    with _locked(settings, "pipeline impact count") as ctx:
        ctx.register.record_count(entry)
        runner.write_reports(ctx)
    typer.echo(f"{measure.label}: {number} on {on} recorded.")
