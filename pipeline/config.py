"""config.toml, read once into one frozen, validated Config handed down to every stage.

It is a little over 250 lines and stays whole: it is the schema of config.toml section by
section in the file's own order, the one place to read what can be configured.
"""

from __future__ import annotations

import os
import tomllib
from datetime import date, time
from decimal import Decimal
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from pipeline.errors import ConfigError

DEFAULT_CONFIG = Path("config.toml")


class Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Phase(StrEnum):
    nursery = "nursery"
    infant = "infant"
    junior = "junior"
    primary = "primary"
    secondary = "secondary"
    all_through = "all_through"
    special = "special"
    alternative_provision = "alternative_provision"
    further_education = "further_education"

    @property
    def mainstream(self) -> bool:
        return self not in (Phase.special, Phase.alternative_provision, Phase.further_education)


class Cluster(Strict):
    name: str
    mailbox: str
    la_number: Annotated[int, Field(ge=100, le=999)]
    case_prefix: str = "CC"


class Paths(Strict):
    inbox: Path
    outbox: Path
    store: Path
    register_db: Path


class Budget(Strict):
    revenue: Annotated[Decimal, Field(gt=0)]


class CapitalRound(Strict):
    fund_total: Annotated[Decimal, Field(gt=0)]
    per_setting_cap: Annotated[Decimal, Field(gt=0)]
    opens: date
    closes: date
    complete_by: date


class PanelMember(Strict):
    """Who sits on the panel; a member from a setting declares an interest in its cases."""

    name: str
    role: str = "SENCo"
    setting: str | None = None  # a cluster setting's name as `settings` spells it


class Meetings(Strict):
    dates: tuple[date, ...]
    cutoff_working_days: Annotated[int, Field(ge=0, le=60)] = 10
    starts: time = time(9, 30)
    ends: time = time(13, 0)
    venue: str = "Virtual (Microsoft Teams)"


class Senders(Strict):
    accept_domains: tuple[str, ...] = ()
    accept_addresses: tuple[str, ...] = ()
    trust_drop_folder: bool = True
    # The authserv-id our own mail server writes in Authentication-Results; only its verdict
    # counts (a sender can forge the header further down). Empty: trust the topmost header.
    authserv_id: str = ""


def _cores() -> int:
    return os.cpu_count() or 1


class Intake(Strict):
    blocked_extensions: tuple[str, ...]
    max_attachment_mb: Annotated[float, Field(gt=0)] = 25
    max_email_mb: Annotated[float, Field(gt=0)] = 50
    settle_seconds: Annotated[float, Field(ge=0)] = 1.0
    parse_timeout_seconds: Annotated[float, Field(gt=0)] = 60
    parse_memory_mb: Annotated[int, Field(ge=256)] = 1536
    # documents read side by side, each in a worker of its own under the limits above
    parse_workers: Annotated[int, Field(ge=1, le=64)] = Field(default_factory=_cores)
    max_unzipped_mb: Annotated[float, Field(gt=0)] = 200
    max_zip_ratio: Annotated[float, Field(gt=1)] = 200
    ignore_patterns: tuple[str, ...] = ("~$*", "*.part", "*.tmp", ".*")
    max_attempts: Annotated[int, Field(ge=1, le=100)] = 3


class MailboxKind(StrEnum):
    none = "none"
    imap = "imap"
    ews = "ews"
    graph = "graph"


class ImapServer(Strict):
    host: str = ""
    port: Annotated[int, Field(ge=1, le=65535)] = 993
    security: Literal["tls", "starttls", "plain"] = "tls"
    auth: Literal["login", "xoauth2"] = "login"
    verify_tls: bool = True
    # xoauth2 with these set: the pipeline signs in as the app (client credentials) itself;
    # without them it presents the token in CLUSTER_IMAP_OAUTH_TOKEN(_FILE).
    tenant_id: str = ""
    client_id: str = ""
    authority: str = "https://login.microsoftonline.com"


class EwsServer(Strict):
    server_url: str = ""  # https://outlook.office365.com/EWS/Exchange.asmx; "" = autodiscover
    auth: Literal["oauth2", "ntlm", "basic"] = "oauth2"
    tenant_id: str = ""
    client_id: str = ""
    verify_tls: bool = True


class GraphServer(Strict):
    tenant_id: str = ""
    client_id: str = ""
    authority: str = "https://login.microsoftonline.com"
    base_url: str = "https://graph.microsoft.com/v1.0"
    verify_tls: bool = True


class Mailbox(Strict):
    """Where mail is polled from; credentials come from the environment, never from here."""

    kind: MailboxKind = MailboxKind.none
    address: str = ""  # the mailbox polled; defaults to cluster.mailbox
    folder: str = "INBOX"
    processed_folder: str = "Processed"
    quarantine_folder: str = "Quarantine"
    drafts_folder: str = "Drafts"
    poll_seconds: Annotated[float, Field(gt=0)] = 60
    timeout_seconds: Annotated[float, Field(gt=0)] = 60
    imap: ImapServer = ImapServer()
    ews: EwsServer = EwsServer()
    graph: GraphServer = GraphServer()


class Privacy(Strict):
    retention_years: Annotated[int, Field(ge=1, le=50)] = 6
    quarantine_days: Annotated[int, Field(ge=1, le=3650)] = 90


class Desk(Strict):
    """The admin's desk, the web application (`pipeline desk`; inside `pipeline serve` when
    ``in_serve``). It listens on loopback: the council's reverse proxy adds TLS."""

    host: str = "127.0.0.1"
    port: Annotated[int, Field(ge=1, le=65535)] = 8765
    in_serve: bool = False
    session_minutes: Annotated[int, Field(ge=1, le=24 * 60)] = 30  # idle time before sign-out
    session_max_hours: Annotated[int, Field(ge=1, le=24)] = 8  # however busy the session
    max_failed_signins: Annotated[int, Field(ge=1, le=100)] = 5
    lockout_minutes: Annotated[int, Field(ge=1, le=24 * 60)] = 15
    secure_cookies: bool = False  # true behind the TLS proxy: cookies go over HTTPS only
    queue_page_size: Annotated[int, Field(ge=1, le=500)] = 50  # the queue's rows per page
    # Microsoft Entra ID sign-in (OpenID Connect, authorisation code flow); empty: local only.
    entra_tenant_id: str = ""
    entra_client_id: str = ""
    entra_authority: str = "https://login.microsoftonline.com"
    entra_redirect_uri: str = ""  # e.g. https://desk.stoke.gov.uk/signin/entra/callback


class Setting(Strict):
    name: str
    aliases: tuple[str, ...] = ()
    phase: Phase
    domains: tuple[str, ...] = ()


class Config(Strict):
    cluster: Cluster
    paths: Paths
    budget: Budget
    capital: CapitalRound
    meetings: Meetings
    senders: Senders
    intake: Intake
    settings: tuple[Setting, ...]
    mailbox: Mailbox = Mailbox()
    privacy: Privacy = Privacy()
    desk: Desk = Desk()
    panel: tuple[PanelMember, ...] = ()

    @model_validator(mode="after")
    def _panel_settings_are_known(self) -> Config:
        known = {s.name for s in self.settings}
        for member in self.panel:
            if member.setting is not None and member.setting not in known:
                raise ValueError(f"panel member {member.name}: no setting '{member.setting}'")
        return self

    @model_validator(mode="after")
    def _settings_are_distinct(self) -> Config:
        names = [s.name.lower() for s in self.settings]
        if len(set(names)) != len(names):
            raise ValueError("two settings share a name")
        return self

    def setting(self, name: str) -> Setting | None:
        return next((s for s in self.settings if s.name == name), None)

    def under(self, root: Path, inbox: Path | None = None) -> Config:
        """This configuration with the outbox, store and register in ``root`` and the inbox at
        ``inbox`` (default ``root/inbox``): for tests, trials, benchmarks and the demo."""
        paths = Paths(
            inbox=inbox or root / "inbox",
            outbox=root / "outbox",
            store=root / "var" / "store",
            register_db=root / "var" / "register.sqlite",
        )
        return self.model_copy(update={"paths": paths})

    def setting_of_domain(self, domain: str) -> Setting | None:
        domain = domain.lower()
        return next((s for s in self.settings if domain in (d.lower() for d in s.domains)), None)


def load_config(path: Path = DEFAULT_CONFIG) -> Config:
    """Read and validate config.toml; relative paths are taken from the file's folder."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"configuration file {path} not found") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path} is not valid TOML: {exc}") from None
    base = path.resolve().parent
    paths = data.get("paths")
    if isinstance(paths, dict):
        data["paths"] = {key: str(base / str(value)) for key, value in paths.items()}
    try:
        return Config.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(_describe(path, exc)) from None


def _describe(path: Path, exc: ValidationError) -> str:
    first = exc.errors()[0]
    key = ".".join(str(part) for part in first["loc"]) or "(top level)"
    more = f" (and {exc.error_count() - 1} more)" if exc.error_count() > 1 else ""
    return f"{path}: key '{key}': {first['msg']}{more}"
