"""Setting names as schools write them -> the cluster's canonical names; who may send mail."""

from __future__ import annotations

import re
from functools import lru_cache

from rapidfuzz import fuzz, process

from pipeline.config import Config, Setting
from pipeline.models import ExtractedDocument, Finding
from pipeline.rules.base import finding
from schemas import ProjectReferral
from schemas.about import with_settings
from schemas.codes import RuleCode
from schemas.fieldref import field_ref

PARTNER_SETTINGS = field_ref(ProjectReferral, lambda f: f.partner_settings)
# Every form names its setting by this one field id (tests/test_field_names.py).
SETTING_NAME = field_ref(ProjectReferral, lambda f: f.setting_name)

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
    """Replace setting names as written with the canonical ones, or report them unknown.

    The document's ``setting_name`` and, on a project referral, each of its partner settings.
    """
    form = document.form
    if form is None:
        return document, []
    findings: list[Finding] = []
    setting_name, partner_names = form.setting_name, None
    if form.setting_name is not None:
        setting = match_setting(form.setting_name, config)
        if setting is None:
            findings.append(
                finding(
                    RuleCode.unknown_setting,
                    name=form.setting_name,
                    cluster=config.cluster.name,
                    field=SETTING_NAME.id,
                    document=document.filename,
                )
            )
        else:
            setting_name = setting.name
    partners = form.partner_settings if isinstance(form, ProjectReferral) else None
    if partners is not None:
        partner_names, unknown = _partners(partners, config)
        findings += [
            finding(
                RuleCode.unknown_setting,
                "partner",
                name=name,
                cluster=config.cluster.name,
                field=PARTNER_SETTINGS.id,
                document=document.filename,
            )
            for name in unknown
        ]
    named = with_settings(form, setting_name, partner_names)
    if named is form:
        return document, findings
    return document.model_copy(update={"form": named}), findings


def _partners(written: tuple[str, ...], config: Config) -> tuple[tuple[str, ...], list[str]]:
    """The partners' canonical names (each once, in order; an unknown one as written), and
    the names that match no setting.

    A name that matches no setting is tried as several joined by 'and' or '&'
    ('Grove Academy and Hamilton Academy'); names with 'and' in them match whole first.
    """
    names: list[str] = []
    unknown: list[str] = []
    for name in written:
        setting = match_setting(name, config)
        pieces = [p.strip() for p in re.split(r"\s+(?:and|&)\s+", name) if p.strip()]
        matched = [match_setting(p, config) for p in pieces]
        if setting is not None:
            names.append(setting.name)
        elif len(pieces) > 1 and all(matched):
            names += [m.name for m in matched if m is not None]
        else:
            names.append(name)
            unknown.append(name)
    return tuple(dict.fromkeys(names)), unknown
