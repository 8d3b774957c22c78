"""Setting names as schools write them -> the cluster's canonical names; who may send mail."""

from __future__ import annotations

import re
from functools import lru_cache

from rapidfuzz import fuzz, process

from pipeline.config import Config, Setting
from pipeline.models import ExtractedDocument, FieldValue, Finding, Message
from pipeline.rules.base import finding

GENERIC_WORDS = {
    "school",
    "academy",
    "primary",
    "infant",
    "infants",
    "junior",
    "catholic",
    "cofe",
    "ce",
    "c",
    "e",
    "of",
    "england",
    "aided",
    "a",
    "the",
    "church",
    "voluntary",
    "va",
    "mat",
}
MIN_SCORE = 88


def _core(name: str) -> str:
    """The distinctive words of a setting's name: 'St Peters' of 'St Peter's Catholic Academy'."""
    text = name.lower().replace("’", "'").replace("'", "").replace("&", " and ")
    text = re.sub(r"\bsaint\b", "st", text)
    words = re.findall(r"[a-z0-9]+", text)
    core = [w for w in words if w not in GENERIC_WORDS]
    return " ".join(core or words)


@lru_cache(maxsize=8)
def _choices(config: Config) -> dict[str, Setting]:
    choices: dict[str, Setting] = {}
    for setting in config.settings:
        for spelling in (setting.name, *setting.aliases):
            choices.setdefault(_core(spelling), setting)
    return choices


def match_setting(name: str, config: Config) -> Setting | None:
    choices = _choices(config)
    core = _core(name)
    if core in choices:
        return choices[core]
    best = process.extractOne(core, list(choices), scorer=fuzz.ratio)
    return choices[best[0]] if best and best[1] >= MIN_SCORE else None


def canonical_setting(
    document: ExtractedDocument, config: Config
) -> tuple[ExtractedDocument, list[Finding]]:
    """Replace the setting name as written with the canonical one, or report it unknown."""
    found = document.fields.get("setting_name")
    if found is None or not found.has_value:
        return document, []
    setting = match_setting(str(found.value), config)
    if setting is None:
        return document, [
            finding(
                "unknown_setting",
                f"'{found.value}' is not a school or setting of the "
                f"{config.cluster.name}. Please write the setting's full name as the "
                "cluster lists it.",
                field="setting_name",
                document=document.filename,
            )
        ]
    fields = {
        **document.fields,
        "setting_name": FieldValue(
            field="setting_name", raw=found.raw, value=setting.name, source=found.source
        ),
    }
    return document.model_copy(update={"fields": fields}), []


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
    if sender_accepted(message, config):
        return []
    who = f"'{message.sender}'" if message.sender else "an unknown sender"
    return [
        finding(
            "unknown_sender",
            f"This email came from {who}, which is not a cluster "
            "school's or the council's address, so it has been quarantined unread. If "
            "it is genuine, the admin can add the address to config.toml and run "
            f"'pipeline reprocess {message.id}'.",
        )
    ]


def check_sender_setting(
    message: Message, form: ExtractedDocument, config: Config
) -> list[Finding]:
    named = form.value("setting_name")
    sender_setting = config.setting_of_domain(sender_domain(message.sender))
    if config.setting(str(named)) is None or sender_setting is None or sender_setting.name == named:
        return []
    return [
        finding(
            "sender_setting_mismatch",
            f"The form is for {named}, but it was sent from "
            f"an address of {sender_setting.name}. Please confirm which setting is "
            "making the request.",
            field="setting_name",
            document=form.filename,
        )
    ]
