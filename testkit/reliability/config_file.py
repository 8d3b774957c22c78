"""A Config written back out as config.toml, for trials that run ``pipeline`` as a subprocess."""

from __future__ import annotations

import json
from datetime import date, time
from decimal import Decimal
from enum import Enum
from pathlib import Path
from typing import Any

from pipeline.atomic import write_text_atomic
from pipeline.config import Config


def with_paths(config: Config, root: Path) -> Config:
    """The configuration with inbox, outbox, store and register under ``root``, as absolute
    paths: a trial's config file is read by ``pipeline`` subprocesses, which take relative
    paths from the file's folder, not from where the trial was started."""
    (root / "inbox").mkdir(parents=True, exist_ok=True)
    return config.under(root.resolve())


def write_config(config: Config, path: Path) -> Path:
    """Write ``config`` as TOML that :func:`pipeline.config.load_config` reads back equal."""
    write_text_atomic(path, to_toml(config.model_dump()))
    return path


def to_toml(data: dict[str, Any]) -> str:
    lines: list[str] = []
    _table(data, [], lines)
    return "\n".join(lines) + "\n"


def _table(data: dict[str, Any], prefix: list[str], lines: list[str]) -> None:
    tables = {k: v for k, v in data.items() if isinstance(v, dict)}
    arrays = {
        k: v
        for k, v in data.items()
        if isinstance(v, list | tuple) and v and isinstance(v[0], dict)
    }
    for key, value in data.items():
        if key not in tables and key not in arrays and value is not None:
            lines.append(f"{key} = {_value(value)}")
    for key, table in tables.items():
        lines.append(f"\n[{'.'.join([*prefix, key])}]")
        _table(table, [*prefix, key], lines)
    for key, items in arrays.items():
        for item in items:
            lines.append(f"\n[[{'.'.join([*prefix, key])}]]")
            _table(item, [*prefix, key], lines)


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Enum):
        return _value(value.value)
    if isinstance(value, int | float):
        return repr(value) if value != float("inf") else "inf"
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_value(v) for v in value) + "]"
    return json.dumps(str(value))  # a TOML basic string is a JSON string
