"""Who may send mail to the cluster: configured domains, and the receiving server's verdict."""

from __future__ import annotations

from collections.abc import Sequence

from pipeline.config import Config
from pipeline.models import ExtractedDocument, Finding, Message
from pipeline.rules import authresults
from pipeline.rules.base import finding
from pipeline.rules.settings import SETTING_NAME
from schemas.about import setting_of
from schemas.codes import RuleCode


def sender_domain(sender: str | None) -> str:
    return sender.rsplit("@", 1)[-1].lower() if sender and "@" in sender else ""


def sender_accepted(message: Message, config: Config) -> bool:
    if message.sender is None:  # only a file that is no email has no sender to check
        return message.loose and message.source == "folder" and config.senders.trust_drop_folder
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
    who = f"'{message.sender}'" if message.sender else "a sender whose address cannot be read"
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
            field=SETTING_NAME.id,
            document=form.filename,
        )
    ]


def may_quote_case(
    message: Message, config: Config, case_setting: str | None, case_senders: Sequence[str]
) -> bool:
    """Whether the sender may join the case by quoting its reference: the council (or an
    address the admin vouched for), the case's own setting by its domain, or, before any form
    named the setting, a domain that has sent to the case before."""
    if message.sender is None or _council(message.sender, config):
        return sender_accepted(message, config)
    domain = sender_domain(message.sender)
    if case_setting is None:
        return domain in {sender_domain(s) for s in case_senders}
    own = config.setting_of_domain(domain)
    return own is not None and own.name == case_setting


def _council(sender: str, config: Config) -> bool:
    return sender.lower() in (a.lower() for a in config.senders.accept_addresses) or (
        sender_domain(sender) in (d.lower() for d in config.senders.accept_domains)
    )


def dmarc_failed(message: Message, config: Config) -> bool:
    """Our own server found the mail failed DMARC (see rules/authresults.py)."""
    return authresults.dmarc_failed(message.authentication, config.senders.authserv_id)
