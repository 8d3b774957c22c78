"""The configured mailbox as a Source: IMAP here; Exchange (EWS) and Graph from their modules."""

from __future__ import annotations

import importlib
from typing import cast

from pipeline.config import Config, MailboxKind
from pipeline.errors import SourceError
from pipeline.sources.base import Source
from pipeline.sources.imap import ImapSource
from pipeline.sources.retry import StateStore

# Imported only when configured: their client libraries are large and need network set-up.
_OTHER_SOURCES = {
    MailboxKind.ews: ("pipeline.sources.ews", "EwsSource"),
    MailboxKind.graph: ("pipeline.sources.graph", "GraphSource"),
}

__all__ = ["StateStore", "open_mailbox"]


def open_mailbox(config: Config, state: StateStore) -> Source | None:
    """The mailbox source of ``config.mailbox.kind``; None when the kind is "none"."""
    kind = config.mailbox.kind
    if kind is MailboxKind.none:
        return None
    if kind is MailboxKind.imap:
        return ImapSource.from_config(config.mailbox, state)
    module_name, class_name = _OTHER_SOURCES[kind]
    try:
        source_class = getattr(importlib.import_module(module_name), class_name)
    except (ImportError, AttributeError) as exc:
        raise SourceError(
            f"the {kind.value} mailbox source cannot be loaded ({type(exc).__name__}: {exc})"
        ) from None
    return cast(Source, source_class.from_config(config.mailbox, state))
