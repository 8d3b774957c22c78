"""`pipeline accuracy` and `pipeline reliability`: the measurements the README quotes."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Annotated

import typer

from pipeline import logs
from pipeline.config import DEFAULT_CONFIG, load_config

ConfigOption = Annotated[Path, typer.Option("--config", "-c", help="The configuration file.")]


def accuracy(
    config: ConfigOption = DEFAULT_CONFIG,
    out: Annotated[
        Path | None, typer.Option(help="Keep the generated corpus in this folder.")
    ] = None,
    per_layout: Annotated[int, typer.Option(help="Documents per form kind and layout.")] = 3,
    scanned: Annotated[int, typer.Option(help="Scanned (OCR) documents in the corpus.")] = 4,
) -> None:
    """Field accuracy of the readers over a generated corpus of every form kind and layout."""
    from pipeline.corpus import accuracy_table, generate_corpus, measure_accuracy

    logs.configure("text", "WARNING")
    settings = load_config(config)
    with tempfile.TemporaryDirectory(prefix="corpus-") as temporary:
        folder = out or Path(temporary)
        generate_corpus(folder, settings, per_layout=per_layout, scanned_documents=scanned)
        typer.echo(accuracy_table(measure_accuracy(folder)))


def reliability(
    config: ConfigOption = DEFAULT_CONFIG,
    out: Annotated[Path, typer.Option(help="Where the trials work.")] = Path("var/reliability"),
    quick: Annotated[bool, typer.Option(help="150 emails, 12 kills, no over-size file.")] = False,
) -> None:
    """Hostile files and SIGKILL trials against the real pipeline: the README's table."""
    from pipeline.reliability.trials import main

    logs.configure("text", "WARNING")
    typer.echo(main(out, quick, config))
