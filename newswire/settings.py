"""Every setting newswire has, declared once: name, type, default and help.

`Settings` is that declaration: one typed field per setting, its help in the
field's metadata, so `mypy --strict` sees every use. A setting is read from,
in order of precedence: a command-line option, the `NEWSWIRE_<NAME>`
environment variable, then the default below. The fields are the single
source for the CLI help, `docs/settings.md` and the test that fails when a
setting is undocumented.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

ENV_PREFIX = "NEWSWIRE_"


def _setting(default: Any, help: str) -> Any:
    return field(default=default, metadata={"help": help})


def _boolean(text: str) -> bool:
    if text.lower() in {"1", "true", "yes", "on"}:
        return True
    if text.lower() in {"0", "false", "no", "off", ""}:
        return False
    raise ValueError(f"expected true or false, got {text!r}")


# How each declared type is read from the text of an environment variable or option.
_PARSERS: dict[str, Callable[[str], Any]] = {
    "str": str,
    "int": int,
    "float": float,
    "bool": _boolean,
    "tuple[str, ...]": lambda text: tuple(p.strip() for p in text.split(",") if p.strip()),
    "tuple[int, ...]": lambda text: tuple(int(p) for p in text.split(",") if p.strip()),
    "tuple[float, ...]": lambda text: tuple(float(p) for p in text.split(",") if p.strip()),
}


@dataclass(frozen=True)
class Setting:
    """One setting as the CLI and the docs show it: name, type, default and help line."""

    name: str
    default: Any
    help: str
    type: str

    @property
    def env_var(self) -> str:
        """Return the environment variable that sets this setting."""
        return ENV_PREFIX + self.name.upper()

    def parse(self, text: str) -> Any:
        """Turn the text of an environment variable or option into a value."""
        try:
            return _PARSERS[self.type](text.strip())
        except ValueError as error:
            raise ValueError(f"{self.env_var}: {error}") from error


@dataclass(frozen=True)
class Settings:
    """The values of every setting for one running instance; passed explicitly, never global."""

    db: str = _setting(
        "sqlite:///./newswire.db",
        "Database URL: sqlite:///PATH or postgresql://...",
    )
    bus: str = _setting(
        "memory://",
        "Event bus URL: memory:// (in-process) or nats://HOST:PORT",
    )
    host: str = _setting(
        "127.0.0.1",
        "Interface the HTTP server listens on",
    )
    port: int = _setting(
        8000,
        "TCP port the HTTP server listens on",
    )
    admin_token: str = _setting(
        "",
        "Bearer token of the admin role; when empty one is generated and printed at start-up",
    )
    base_url: str = _setting(
        "",
        "Public base URL used in links, feeds and sitemaps (default: from request)",
    )
    max_request_bytes: int = _setting(
        1_048_576,
        "Largest request body accepted, in bytes",
    )
    feed_max_wait: int = _setting(
        30,
        "Longest long-poll wait a feed request may ask for, in seconds",
    )
    feed_max_limit: int = _setting(
        500,
        "Most events one feed page may return",
    )
    public_sections: tuple[str, ...] = _setting(
        (),
        "Sections whose stories are always public, comma-separated (e.g. World,Sport)",
    )
    public_delay_seconds: int = _setting(
        0,
        "Seconds after first publication before a story appears on the public site",
    )
    public_hidden_urgencies: tuple[int, ...] = _setting(
        (),
        "Urgency levels never shown on the public site, comma-separated (e.g. 1,2)",
    )
    summary_max_words: int = _setting(
        60,
        "Word cap of the public extractive summary",
    )
    site_name: str = _setting(
        "Newswire",
        "Name of the agency shown on the public site",
    )
    agency_code: str = _setting(
        "newswire",
        "Short code of the agency: NITF doc-id source, guids of its stories (urn:newsml:CODE:...)",
    )
    agency_uri: str = _setting(
        "",
        "The agency's home URI: NewsML-G2 provider and copyright holder (default: base_url)",
    )
    agency_provider_qcode: str = _setting(
        "",
        "The agency's registered IPTC provider qcode (nprov:...); empty: provider@uri",
    )
    agency_copyright_holder: str = _setting(
        "",
        "Copyright holder of the agency's own stories (default: site_name)",
    )
    agency_copyright_notice: str = _setting(
        "Copyright {year} {holder}. All rights reserved.",
        "Copyright notice of the agency's own stories; {year} and {holder} are filled in",
    )
    agency_usage_terms: str = _setting(
        "",
        "Usage terms sent with every story whose source states none (IPTC usageTerms)",
    )
    site_logo_url: str = _setting(
        "",
        "URL of the agency's logo for search engines (a 600x60 PNG); empty: the built-in /logo.png",
    )
    site_notice: str = _setting(
        "This website carries only a portion of the stories offered to subscribers, "
        "and in summarized form. Subscribers receive the full service.",
        "Subscription notice shown under every public story",
    )
    site_contact_url: str = _setting(
        "mailto:sales@newswire.example",
        "Where the notice's contact link points",
    )
    site_languages: tuple[str, ...] = _setting(
        ("en", "tr"),
        "Interface languages of the public site, comma-separated; the first is the default",
    )
    site_max_age: int = _setting(
        60,
        "Seconds a browser or CDN may reuse a public page before revalidating it",
    )
    site_stale_seconds: int = _setting(
        600,
        "Seconds a CDN may serve a stale public page while it revalidates (stale-while-revalidate)",
    )
    demo: bool = _setting(
        False,
        "Load the demo content and print demo keys at start-up",
    )
    webhook_retry_schedule: tuple[float, ...] = _setting(
        (0.0, 5.0, 300.0, 1800.0, 7200.0, 18000.0, 36000.0, 36000.0),
        "Webhook retry delays in seconds, comma-separated (Svix's schedule by default)",
    )
    webhook_timeout: float = _setting(
        15.0,
        "Seconds before a webhook request is abandoned",
    )
    webhook_allow_private: bool = _setting(
        False,
        "Allow webhook URLs that resolve to loopback, private or link-local addresses",
    )
    webhook_secret_grace_seconds: int = _setting(
        86_400,
        "How long a rotated-out webhook secret still signs deliveries",
    )
    stream_heartbeat_seconds: float = _setting(
        15.0,
        "Seconds between SSE comment heartbeats",
    )
    stream_buffer_events: int = _setting(
        256,
        "Events buffered per streaming connection before a slow client is cut off",
    )
    rate_limit_subscriber: int = _setting(
        0,
        "Requests per minute per subscriber key, enforced per node (0: unlimited)",
    )
    rate_limit_editor: int = _setting(
        0,
        "Requests per minute per editor key, enforced per node (0: unlimited)",
    )
    rate_limit_admin: int = _setting(
        0,
        "Requests per minute for the admin token, enforced per node (0: unlimited)",
    )
    rate_limit_unknown_key: int = _setting(
        30,
        "Requests per minute per client address with an unknown or missing key (0: unlimited)",
    )
    metrics_token: str = _setting(
        "",
        "Bearer token for /metrics; when empty /metrics answers loopback clients only",
    )
    metrics_subscriber_labels: bool = _setting(
        False,
        "Label /metrics lag gauges with each subscriber's id (off: one aggregate gauge)",
    )
    usage_flush_seconds: float = _setting(
        1.0,
        "Seconds between writes of buffered usage records (what a crash can lose)",
    )
    usage_flush_rows: int = _setting(
        1000,
        "Buffered usage records that trigger a write before the interval ends",
    )
    quota_refresh_seconds: float = _setting(
        1.0,
        "Seconds a node trusts its copy of a subscriber's usage today before re-reading it",
    )
    access_poll_seconds: float = _setting(
        0.5,
        "Seconds between checks for suspended, deleted or rotated keys, to cut their streams",
    )
    session_idle_seconds: int = _setting(
        14_400,
        "Seconds without a request after which a desk or portal session ends",
    )
    session_max_seconds: int = _setting(
        43_200,
        "Seconds after signing in after which a session ends however much it is used",
    )
    session_cookie_secure: str = _setting(
        "auto",
        "Secure flag of session cookies: auto (when the request is https), always, never",
    )
    sign_in_account_failures: int = _setting(
        5,
        "Failed sign-ins per email address within the window before it must wait",
    )
    sign_in_address_failures: int = _setting(
        50,
        "Failed sign-ins per client address (IPv6: per /64) within the window before it must wait",
    )
    sign_in_window_seconds: int = _setting(
        900,
        "Length of the window failed sign-ins are counted in, in seconds",
    )
    password_min_length: int = _setting(
        10,
        "Fewest characters a password may have",
    )
    password_time_cost: int = _setting(
        3,
        "argon2id passes per password hash (a change rehashes each password at its next sign-in)",
    )
    password_memory_kib: int = _setting(
        65_536,
        "argon2id memory per password hash, in KiB",
    )
    password_parallelism: int = _setting(
        4,
        "argon2id lanes per password hash",
    )
    password_link_hours: int = _setting(
        72,
        "Hours a one-time set-password link works",
    )
    seat_limit_default: int = _setting(
        5,
        "Users a subscriber company may have until an admin sets its seat limit",
    )
    sections: tuple[str, ...] = _setting(
        (),
        "The agency's sections, comma-separated (e.g. World,Europe,Politics,Sport); when set, "
        "stories may be filed only under these (unknown ones refused with the closest names)",
    )
    desk_stages: tuple[str, ...] = _setting(
        ("Incoming", "Editing", "Ready"),
        "The desk's stages, in order, comma-separated: submitted drafts start at the first",
    )
    desk_lock_seconds: int = _setting(
        300,
        "Seconds a draft stays locked to its editor after their last save or opening",
    )
    desk_headline_chars: int = _setting(120, "Longest headline the desk publishes, in characters")
    desk_summary_chars: int = _setting(
        300, "Longest summary line the desk publishes, in characters"
    )
    desk_body_words: int = _setting(3_000, "Longest body the desk publishes, in words")
    smtp_host: str = _setting(
        "",
        "SMTP server that sends mail (set-password links, alerts); empty: no mail is sent",
    )
    smtp_port: int = _setting(
        587,
        "SMTP server port (587 with STARTTLS, 465 with implicit TLS)",
    )
    smtp_user: str = _setting(
        "",
        "SMTP login name (empty: no login)",
    )
    smtp_password: str = _setting(
        "",
        "SMTP password",
    )
    smtp_from: str = _setting(
        "newswire@localhost",
        "From address of the mail newswire sends",
    )
    smtp_tls: str = _setting(
        "starttls",
        "How the SMTP connection is secured: starttls (required), tls (implicit), none",
    )
    smtp_timeout: float = _setting(
        30.0,
        "Seconds before an SMTP connection or command is abandoned",
    )
    mail_retry_schedule: tuple[float, ...] = _setting(
        (10.0, 30.0, 120.0, 600.0, 1800.0, 3600.0),
        "Delays in seconds between attempts at a message the server did not take; the last repeats",
    )
    mail_poll_seconds: float = _setting(
        5.0,
        "Seconds between looks at the outbox for mail that is due",
    )
    mail_keep_days: int = _setting(
        30,
        "Days sent mail is kept; within them the same message is never sent twice to one address",
    )
    portal_digest_minutes: int = _setting(
        60, "Minutes between the portal's alert digest mails (for people who chose a digest)"
    )
    log_level: str = _setting(
        "info",
        "Log level: debug, info, warning, error",
    )
    blob_dir: str = _setting(
        "",
        "Directory of media bytes on SQLite (empty: beside the database file, NAME.blobs); "
        "on PostgreSQL the bytes are in the database",
    )
    media_max_upload_bytes: int = _setting(
        513 * 1024 * 1024,
        "Largest media upload (POST/PUT /v1/media), in bytes, form fields included",
    )
    media_signing_key: str = _setting(
        "",
        "Secret that signs expiring rendition URLs; set the same on every node "
        "(empty: derived from the admin token)",
    )
    media_url_seconds: int = _setting(
        3600,
        "Seconds a signed rendition URL stays valid",
    )

    @classmethod
    def load(cls, environ: Mapping[str, str] | None = None, **overrides: Any) -> Settings:
        """Build settings from defaults, then the environment, then explicit overrides."""
        environ = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        for setting in SETTINGS:
            if setting.env_var in environ:
                values[setting.name] = setting.parse(environ[setting.env_var])
        for name, value in overrides.items():
            if name not in _NAMES:
                raise KeyError(f"unknown setting {name!r}")
            if value is not None:
                values[name] = value
        return cls(**values)

    def replace(self, **overrides: Any) -> Settings:
        """Return a copy with some settings changed."""
        for name in overrides:
            if name not in _NAMES:
                raise KeyError(f"unknown setting {name!r}")
        return dataclasses.replace(self, **overrides)

    @property
    def link_base(self) -> str:
        """Return the base of links sent away from a request (mail): base_url, else host:port."""
        return self.base_url or f"http://{self.host}:{self.port}"

    def as_dict(self) -> dict[str, Any]:
        """Return every setting's value by name."""
        return {setting.name: getattr(self, setting.name) for setting in SETTINGS}


SETTINGS: tuple[Setting, ...] = tuple(
    Setting(item.name, item.default, item.metadata["help"], str(item.type))
    for item in dataclasses.fields(Settings)
)
_NAMES = frozenset(setting.name for setting in SETTINGS)


def settings_markdown() -> str:
    """Return the settings reference as Markdown (docs/settings.md is this text)."""
    lines = [
        "# Settings",
        "",
        "Generated from `newswire/settings.py` by `newswire settings --markdown`; do not edit.",
        "Each setting is read from a command-line option where `serve` has one, then from its",
        "environment variable, then from the default.",
        "",
        "| setting | environment variable | default | meaning |",
        "| --- | --- | --- | --- |",
    ]
    for setting in SETTINGS:
        default = setting.default
        if isinstance(default, tuple):
            default = ",".join(str(value) for value in default)
        shown = f"`{default}`" if default not in ("", ()) else "(empty)"
        lines.append(f"| {setting.name} | `{setting.env_var}` | {shown} | {setting.help} |")
    return "\n".join(lines) + "\n"


__all__ = ["SETTINGS", "Setting", "Settings", "settings_markdown"]
