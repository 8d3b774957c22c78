"""The `pipeline` command: thin wrappers that parse arguments, call the library and print."""

from __future__ import annotations

import getpass
import signal
import sqlite3
import sys
import threading
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from pipeline import cli_checkout, cli_desk, logs, runner
from pipeline import retention as retention_policy
from pipeline.cli_capital import capital_app, impact_app
from pipeline.cli_meetings import case_app, meeting_app
from pipeline.config import DEFAULT_CONFIG, Config, load_config
from pipeline.errors import PipelineError, disk_error
from pipeline.run_lock import RunLock, holding

app = typer.Typer(
    help="Central Cluster referral pipeline: read referral emails, check them against the "
    "cluster's rules, keep the register of cases and write the admin's reports.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

app.add_typer(meeting_app, name="meeting")
app.add_typer(case_app, name="case")
app.add_typer(capital_app, name="capital")
app.add_typer(impact_app, name="impact")
app.add_typer(cli_desk.user_app, name="desk-user")
app.command()(cli_desk.desk)

ConfigOption = Annotated[
    Path, typer.Option("--config", "-c", help="The configuration file.", show_default=True)
]
LogFormat = Annotated[
    str, typer.Option("--log-format", help="'text' for people, 'json' for a log collector.")
]
TimingsOption = Annotated[
    bool,
    typer.Option(
        "--timings",
        help="Also print how long each stage took (store, parse, OCR, rules, register, reports).",
    ),
]


def _setup(config_path: Path, log_format: str) -> Config:
    logs.configure(log_format)
    return load_config(config_path)


def _stopped_by_signals() -> threading.Event:
    """An event set by Ctrl-C or SIGTERM (systemd's stop), for the long-running commands."""
    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop.set())
    return stop


def _statuses(counts: Mapping[str, int]) -> str:
    return ", ".join(f"{n} {status}" for status, n in sorted(counts.items())) or "nothing new"


@app.command()
def run(
    config: ConfigOption = DEFAULT_CONFIG,
    log_format: LogFormat = "text",
    timings: TimingsOption = False,
) -> None:
    """Process every email and document waiting in the inbox folder, then write the reports."""
    settings = _setup(config, log_format)
    with holding(settings.paths.register_db, "pipeline run"), runner.open_context(settings) as ctx:
        summary = runner.run_inbox(ctx)
    statuses = _statuses(summary.statuses)
    typer.echo(
        f"Processed {summary.processed} message(s) ({statuses}); {summary.skipped} already seen."
        + (f" {summary.failed} could not be processed: see the log." if summary.failed else "")
    )
    typer.echo(f"Report:  {settings.paths.outbox / runner.REPORT_NAME}")
    typer.echo(f"Tracker: {settings.paths.outbox / runner.TRACKER_NAME}")
    typer.echo(f"JSON:    {settings.paths.outbox / 'submissions'}")
    _print_timings(summary, timings)
    if summary.failed:
        raise typer.Exit(1)


@app.command()
def watch(config: ConfigOption = DEFAULT_CONFIG, log_format: LogFormat = "text") -> None:
    """Watch the inbox folder and process each file as it arrives, until Ctrl-C or SIGTERM."""
    settings = _setup(config, log_format)
    stop = _stopped_by_signals()
    typer.echo(f"Watching {settings.paths.inbox} (Ctrl-C to stop)")
    lock = RunLock(settings.paths.register_db, "pipeline watch")
    with runner.open_context(settings, lock=lock) as ctx:
        runner.watch_inbox(ctx, stop, lock)


@app.command()
def serve(config: ConfigOption = DEFAULT_CONFIG, log_format: LogFormat = "text") -> None:
    """Service mode: poll the mailbox and watch the inbox folder until Ctrl-C or SIGTERM."""
    from pipeline import service

    settings = _setup(config, log_format)
    stop = _stopped_by_signals()
    typer.echo(
        f"Serving: mailbox {settings.mailbox.kind.value}, drop folder {settings.paths.inbox}; "
        f"health in {settings.paths.outbox / service.STATUS_NAME} (Ctrl-C to stop)"
    )
    lock = RunLock(settings.paths.register_db, "pipeline serve")
    with runner.open_context(settings, lock=lock) as ctx:
        service.serve(ctx, stop, lock=lock)


@app.command()
def poll(
    config: ConfigOption = DEFAULT_CONFIG,
    log_format: LogFormat = "text",
    timings: TimingsOption = False,
) -> None:
    """Poll the configured mailbox once, process what is waiting, then write the reports."""
    settings = _setup(config, log_format)
    with holding(settings.paths.register_db, "pipeline poll"), runner.open_context(settings) as ctx:
        summary = runner.poll_mailbox(ctx)
    statuses = _statuses(summary.statuses)
    typer.echo(
        f"Polled the {settings.mailbox.kind.value} mailbox: processed {summary.processed} "
        f"message(s) ({statuses}); {summary.skipped} already seen."
    )
    typer.echo(f"Report:  {settings.paths.outbox / runner.REPORT_NAME}")
    typer.echo(f"Replies: {settings.paths.outbox / runner.REPLIES_DIR}")
    _print_timings(summary, timings)


def _print_timings(summary: runner.RunSummary, wanted: bool) -> None:
    if wanted and summary.timings is not None:
        typer.echo("\n".join(summary.timings.lines()))


@app.command()
def report(config: ConfigOption = DEFAULT_CONFIG, log_format: LogFormat = "text") -> None:
    """Write the admin report and the Excel tracker again from the register (and any
    submission's JSON or reply draft an interrupted run left unwritten)."""
    settings = _setup(config, log_format)
    with runner.open_context(settings) as ctx:
        runner.write_outputs(ctx)
    typer.echo(f"Report: {settings.paths.outbox / runner.REPORT_NAME}")


@app.command()
def reprocess(
    submission_id: Annotated[
        str, typer.Argument(help="The submission id, e.g. S-1a2b3c4d5e6f7a8b.")
    ],
    config: ConfigOption = DEFAULT_CONFIG,
    log_format: LogFormat = "text",
) -> None:
    """Process a stored email again: after adding a sender to config.toml, or after an upgrade."""
    settings = _setup(config, log_format)
    with (
        holding(settings.paths.register_db, f"pipeline reprocess {submission_id}"),
        runner.open_context(settings) as ctx,
    ):
        submissions = runner.reprocess(ctx, submission_id)
    for submission in submissions:
        typer.echo(
            f"{submission.submission_id}: {submission.status.value}, "
            f"{len(submission.findings)} finding(s)"
        )


@app.command()
def retention(
    config: ConfigOption = DEFAULT_CONFIG,
    apply: Annotated[
        bool, typer.Option("--apply", help="Remove the data (default: only list).")
    ] = False,
    today: Annotated[str | None, typer.Option(help="Count from this date (YYYY-MM-DD).")] = None,
) -> None:
    """Remove the personal data of cases closed more than privacy.retention_years ago and of
    quarantined emails older than privacy.quarantine_days, keeping the anonymous figures.
    Without --apply, only lists what it would remove."""
    settings = _setup(config, "text")
    day = date.fromisoformat(today) if today else date.today()
    if not apply:
        with runner.open_context(settings) as ctx:
            typer.echo(retention_policy.describe(ctx, day))
        return
    with (
        holding(settings.paths.register_db, "pipeline retention"),
        runner.open_context(settings) as ctx,
    ):
        result = retention_policy.apply_retention(ctx, day, by=getpass.getuser())
    typer.echo(
        f"Personal data removed from {len(result.cases)} case(s) and "
        f"{result.quarantined} quarantined email(s); {result.blobs_removed} stored file(s) and "
        f"{result.files_removed} other file(s) deleted."
    )


@app.command()
def audit(config: ConfigOption = DEFAULT_CONFIG) -> None:
    """The audit log: bundles made, decisions imported, cases moved, findings accepted."""
    settings = _setup(config, "text")
    with runner.open_context(settings) as ctx:
        entries = ctx.register.audit_log()
    for entry in entries:
        typer.echo(f"{entry.at}\t{entry.actor}\t{entry.action}\t{entry.detail}")
    if not entries:
        typer.echo("The audit log is empty.")


app.command()(cli_checkout.samples)
app.command()(cli_checkout.accuracy)
app.command()(cli_checkout.reliability)


@app.command("check-config")
def check_config(config: ConfigOption = DEFAULT_CONFIG) -> None:
    """Read the configuration file and say whether it is valid."""
    settings = load_config(config)
    typer.echo(
        f"{config}: valid ({len(settings.settings)} settings, "
        f"{len(settings.meetings.dates)} meetings)"
    )


def main() -> None:
    try:
        app()
    except PipelineError as exc:
        typer.echo(f"error: {exc}", err=True)
        sys.exit(exc.exit_code)
    except (OSError, sqlite3.Error) as exc:
        stop = disk_error(exc)
        if stop is None:
            raise
        typer.echo(f"error: {stop}", err=True)
        sys.exit(stop.exit_code)


if __name__ == "__main__":
    main()
