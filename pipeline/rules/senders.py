"""Who may send mail to the cluster: configured domains, and the receiving server's verdict."""

from __future__ import annotations

import re

from pipeline.config import Config
from pipeline.models import ExtractedDocument, Finding, Message
from pipeline.rules.base import finding
from schemas.about import setting_of
from schemas.codes import RuleCode

_DMARC = re.compile(r"\bdmarc\s*=\s*([a-z]+)", re.IGNORECASE)


def sender_domain(sender: str | None) -> str:
    return sender.rsplit("@", 1)[-1].lower() if sender and "@" in sender else ""


def sender_accepted(message: Message, config: Config) -> bool:
    if message.sender is None:
        return message.source == "folder" and config.senders.trust_drop_folder
    domain = sender_domain(message.sender)
    return (
        message.sender.lower() in (a.lower() for a in config.senders.accept_addresses)
        or domain in (d.lower() for d in config.senders.accept_domains)
        or config.setting_of_domain(domain) is not None
    )


def check_sender(message: Message, config: Config) -> list[Finding]:
    """Quarantine findings for mail from outside the cluster or that failed DMARC."""
    if dmarc_failed(message, config):
        return [
            finding(
                RuleCode.dmarc_failed,
                sender=message.sender,
                submission=message.id,
            )
        ]
    if sender_accepted(message, config):
        return []
    who = f"'{message.sender}'" if message.sender else "an unknown sender"
    return [
        finding(
            RuleCode.unknown_sender,
            who=who,
            submission=message.id,
        )
    ]


def check_sender_setting(
    message: Message, form: ExtractedDocument, config: Config
) -> list[Finding]:
    named = setting_of(form.form)
    sender_setting = config.setting_of_domain(sender_domain(message.sender))
    if (
        named is None
        or config.setting(named) is None
        or sender_setting is None
        or sender_setting.name == named
    ):
        return []
    return [
        finding(
            RuleCode.sender_setting_mismatch,
            named=named,
            sender_setting=sender_setting.name,
            field="setting_name",
            document=form.filename,
        )
    ]


def dmarc_failed(message: Message, config: Config) -> bool:
    """The DMARC verdict of our own server: its Authentication-Results header, the topmost
    one unless an authserv-id is configured (lower headers may be forged by the sender)."""
    for header in message.authentication:
        authserv_id = header.split(";", 1)[0].strip().lower()
        if config.senders.authserv_id and authserv_id != config.senders.authserv_id.lower():
            continue
        verdict = _DMARC.search(header)
        return verdict is not None and verdict.group(1).lower() == "fail"
    return False
