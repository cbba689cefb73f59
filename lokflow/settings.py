"""All configuration in one validated object, read from the environment or a
`.env` file only when an entrypoint asks for it (never at import time).

A setting lokflow cannot run with is a SettingsError whose text is one line
per problem, naming the variable and what it may be; every entrypoint prints
that line and exits (a secret's value is never shown)."""

from __future__ import annotations

import ipaddress
import re
from importlib import metadata
from importlib.util import find_spec
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import annotated_types
from pydantic import AliasChoices, Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

REPO_ROOT = Path(__file__).resolve().parent.parent
INSTALLED_PLANS = "share/lokflow/plans"  # where a wheel puts the bundled plans
SECRET_FIELDS = frozenset({"secret_key", "database_url", "smtp_url", "inbound_imap_url"})
MIN_KEY_BYTES = 32
PLACEHOLDERS = ("change_me", "changeme", "change-me", "replace_me", "replaceme", "your_secret",
                "your-secret", "placeholder", "secret_key", "example")
KEY_ADVICE = ("a random value of at least 32 characters, e.g. from "
              "python3 -c 'import secrets; print(secrets.token_urlsafe(48))'")


class SettingsError(ValueError):
    """A setting lokflow cannot run with; the text names the variable, never a secret."""


def weak_key_reason(key: bytes) -> str | None:
    """Why `key` may not sign forms and sessions, or None."""
    key = key.strip()
    if not key:
        return "is empty"
    if any(word.encode() in key.lower() for word in PLACEHOLDERS):
        return "is a placeholder"
    if len(key) < MIN_KEY_BYTES:
        return f"is {len(key)} bytes; at least {MIN_KEY_BYTES} are needed"
    if len(set(key)) < 8:
        return "has fewer than 8 different characters"
    return None


def _default_home() -> Path:
    return Path.home() / ".lokflow"


def bundled_plans_dir() -> Path:
    """The bundled `plans/`: beside the package in a source checkout, else where
    the installed wheel put them (`<prefix>/share/lokflow/plans`)."""
    checkout = REPO_ROOT / "plans"
    if checkout.is_dir():
        return checkout
    try:
        files = metadata.distribution("lokflow").files or []
    except metadata.PackageNotFoundError:
        return checkout
    for file in files:
        if file.as_posix().endswith(f"{INSTALLED_PLANS}/tierp.yaml"):
            return Path(str(file.locate())).resolve().parent
    return checkout


def flows_parent_dir() -> Path:
    """The folder that holds `flows/`, where workers run flows from: the
    checkout, or site-packages when installed from a wheel. Found without
    importing the flows (they import Prefect)."""
    spec = find_spec("flows")
    if spec is not None and spec.origin:
        return Path(spec.origin).resolve().parent.parent
    return REPO_ROOT


class Settings(BaseSettings):
    """lokflow's settings; every field is documented in README.md (a test checks)."""

    model_config = SettingsConfigDict(
        env_prefix="LOKFLOW_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    home: Path = Field(default_factory=_default_home, description="Data directory.")
    database_url: str = Field(default="", description="SQLAlchemy URL; default SQLite in home.")
    timezone: str = Field(default="Europe/Stockholm", description="Time zone of all dates.")
    plans_dir: Path = Field(default_factory=bundled_plans_dir, description="Default plan folder.")
    language: str = Field(default="sv", description="Default language of user-facing text.")
    base_url: str = Field(
        default="http://127.0.0.1:8000", description="Public address of the web app (links)."
    )
    smtp_url: str = Field(default="", description="SMTP server; empty: write to the maildir.")
    mail_from: str = Field(default="lokflow@localhost", description="Sender address of mail.")
    report_link_days: int = Field(default=60, ge=1, le=365, description="Report link lifetime.")
    feed_days_back: int = Field(default=365, ge=0, le=3660, description="Feed window, past.")
    feed_days_ahead: int = Field(default=1095, ge=30, le=3660, description="Feed window, ahead.")
    feed_refresh_hours: int = Field(default=12, ge=1, le=168, description="Feed refresh hint.")
    feed_alarm_days: int = Field(default=7, ge=0, le=60, description="Feed alarm; 0: none.")
    catch_up_days: int = Field(default=7, ge=0, le=60, description="How late a missed notice goes.")
    send_concurrency: int = Field(default=4, ge=1, le=32, description="SMTP connections at once.")
    secret_key: str = Field(default="", description="Signs forms; default: a file in home.")
    web_host: str = Field(default="127.0.0.1", description="Address `lokflow serve` binds.")
    web_port: int = Field(default=8000, ge=1, le=65535, description="Port `lokflow serve` binds.")
    web_trusted_proxies: str = Field(default="127.0.0.1", description="Proxies to trust.")
    send_time: str = Field(default="07:30", description="Local time activity runs fire.")
    sweep_time: str = Field(default="11:00", description="Local time of the daily sweep.")
    work_pool: str = Field(default="lokflow", description="Prefect work pool name.")
    schedule_horizon_days: int = Field(default=100, ge=7, le=400, description="Days ahead.")
    code_dir: Path = Field(default_factory=flows_parent_dir,
                           description="Where workers find flows/.")
    prefect_api_url: str = Field(
        default="", validation_alias=AliasChoices("LOKFLOW_PREFECT_API_URL", "PREFECT_API_URL"),
        description="A Prefect server to use; empty: `lokflow run` starts a local one.")
    prefect_port: int = Field(default=4200, ge=1, le=65535, description="Local Prefect port.")
    task_runs_max: int = Field(default=200, ge=0, description="Per-activity task runs per run.")
    activity_events_max: int = Field(
        default=2000, ge=0, description="Per-activity Prefect events per run; above: per plan.")
    plans_per_deployment: int = Field(default=1, ge=1, le=500, description="Plans per run.")
    send_lease_seconds: int = Field(
        default=600, ge=1, le=86400, description="How long a claimed batch is a sender's own.")
    send_max_attempts: int = Field(default=8, ge=1, le=50, description="Tries before failing.")
    auth_header: str = Field(
        default="", description="Header with a coordinator's username, set by a trusted proxy.")
    session_hours: int = Field(default=12, ge=1, le=720, description="Coordinator login lifetime.")
    inbound_address: str = Field(
        default="", description="Address owners reply to (an IMAP mailbox); empty: no replies.")
    inbound_imap_url: str = Field(
        default="", description="imap(s)://user:password@host:port/MAILBOX of the replies.")
    inbound_poll_minutes: int = Field(default=5, ge=1, le=1440,
                                      description="How often the reply mailbox is read.")
    prefect_ui_url: str = Field(
        default="", description="The Prefect UI for links from the coordinator pages; empty: "
                                "the API URL without /api, else the local server.")
    round_recent_days: int = Field(
        default=14, ge=0, le=90,
        description="A report this many days before a round opens answers the round.")

    def __init__(self, **values: Any) -> None:
        try:
            super().__init__(**values)
        except ValidationError as error:
            raise SettingsError(_describe(error)) from None

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (KeyError, ValueError, OSError):  # ZoneInfoNotFoundError is a KeyError
            raise ValueError("unknown time zone; use e.g. Europe/Stockholm") from None
        return value

    @field_validator("web_trusted_proxies")
    @classmethod
    def _proxy_addresses(cls, value: str) -> str:
        """Only addresses or networks: with `*` any client could name its own
        address in X-Forwarded-For and so dodge the login limit."""
        for entry in (e.strip() for e in value.split(",") if e.strip()):
            if entry == "*":
                raise ValueError("must not be '*' (every client "
                                 "could choose its own address): list the reverse proxy's "
                                 "address or network, e.g. 127.0.0.1 or 172.31.250.2")
            try:
                ipaddress.ip_network(entry, strict=False)
            except ValueError:
                raise ValueError(f"{entry!r} is not an IP address "
                                 "or network") from None
        return value

    @field_validator("language")
    @classmethod
    def _known_language(cls, value: str) -> str:
        if value not in ("sv", "en"):
            raise ValueError("must be 'sv' or 'en'")
        return value

    @field_validator("send_time", "sweep_time")
    @classmethod
    def _time_of_day(cls, value: str) -> str:
        if not re.fullmatch(r"([01]?\d|2[0-3]):[0-5]\d", value.strip()):
            raise ValueError("must be a time of day written HH:MM, e.g. 07:30")
        return value.strip()

    @field_validator("inbound_address")
    @classmethod
    def _reply_address(cls, value: str) -> str:
        value = value.strip()
        if value and not re.fullmatch(r"[^@\s+]{1,40}@[^@\s]{1,200}", value):
            raise ValueError("must be a plain address without '+', e.g. lok-svar@kommun.se")
        return value

    @field_validator("inbound_imap_url")
    @classmethod
    def _imap_url(cls, value: str) -> str:
        value = value.strip()
        if value and not re.match(r"imaps?://[^/\s]+", value):
            raise ValueError("must look like imaps://user:password@host:993/INBOX")
        return value

    @field_validator("secret_key")
    @classmethod
    def _strong_key(cls, value: str) -> str:
        reason = weak_key_reason(value.encode()) if value else None
        if reason:
            raise ValueError(f"the secret key {reason}; set {KEY_ADVICE}")
        return value

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.home / 'lokflow.db'}"

    @property
    def maildir(self) -> Path:
        return self.home / "maildir"

    @property
    def prefect_ui(self) -> str:
        """Where people open the Prefect UI (the coordinator pages link to it)."""
        if self.prefect_ui_url:
            return self.prefect_ui_url.rstrip("/")
        if self.prefect_api_url:
            return self.prefect_api_url.rstrip("/").removesuffix("/api")
        return f"http://127.0.0.1:{self.prefect_port}"


def _describe(error: ValidationError) -> str:
    """pydantic's errors as one line: 'LOKFLOW_X=value: what it may be; ...'."""
    problems = []
    for item in error.errors(include_url=False):
        name = str(item["loc"][0]) if item["loc"] else ""
        variable = f"LOKFLOW_{name.upper()}"
        shown = variable if name in SECRET_FIELDS else f"{variable}={item.get('input')}"
        problems.append(f"{shown}: {_rule(name, item)}")
    return "; ".join(problems)


def _rule(name: str, item: Any) -> str:
    kind = item["type"]
    if kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        field = Settings.model_fields[name]
        low = next((m.ge for m in field.metadata if isinstance(m, annotated_types.Ge)), None)
        high = next((m.le for m in field.metadata if isinstance(m, annotated_types.Le)), None)
        if low is not None and high is not None:
            return f"must be between {low} and {high}"
        return f"must be at least {low}" if low is not None else f"must be at most {high}"
    if kind in ("int_parsing", "int_from_float", "int_type"):
        return "must be a whole number"
    if kind in ("bool_parsing", "bool_type"):
        return "must be true or false"
    return str(item["msg"]).removeprefix("Value error, ")
