"""The register: one SQLite file holding messages, documents, submissions, findings and cases."""

from __future__ import annotations

from pipeline.register.capital import CapitalQueries
from pipeline.register.cases import CaseQueries
from pipeline.register.decisions import DecisionQueries
from pipeline.register.deliveries import DeliveryQueries
from pipeline.register.lifecycle import LifecycleQueries
from pipeline.register.mailstate import MailStateQueries
from pipeline.register.messages import MessageQueries
from pipeline.register.outputs import OutputQueries
from pipeline.register.retention import RetentionQueries
from pipeline.register.state import StateQueries


class Register(
    MessageQueries,
    DeliveryQueries,
    CaseQueries,
    DecisionQueries,
    CapitalQueries,
    LifecycleQueries,
    RetentionQueries,
    StateQueries,
    MailStateQueries,
    OutputQueries,
):
    """Open with ``Register(path)``; use as a context manager to close it."""
