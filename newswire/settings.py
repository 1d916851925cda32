"""Every setting newswire has, declared once: name, default, type and help.

A setting is read from, in order of precedence: a command-line option, the
`NEWSWIRE_<NAME>` environment variable, then the default below. The table is
the single source for the CLI help, `docs/settings.md` and the test that
fails when a setting is undocumented.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

ENV_PREFIX = "NEWSWIRE_"


@dataclass(frozen=True)
class Setting:
    """One setting: its name, default, help line and how to parse it from text."""

    name: str
    default: Any
    help: str
    kind: str = "str"  # str | int | float | bool | list | intlist | floatlist

    @property
    def env_var(self) -> str:
        """Return the environment variable that sets this setting."""
        return ENV_PREFIX + self.name.upper()

    def parse(self, text: str) -> Any:
        """Turn the text of an environment variable or option into a value."""
        text = text.strip()
        if self.kind == "int":
            return int(text)
        if self.kind == "float":
            return float(text)
        if self.kind == "bool":
            if text.lower() in {"1", "true", "yes", "on"}:
                return True
            if text.lower() in {"0", "false", "no", "off", ""}:
                return False
            raise ValueError(f"{self.env_var}: expected true or false, got {text!r}")
        if self.kind == "list":
            return tuple(part.strip() for part in text.split(",") if part.strip())
        if self.kind == "intlist":
            return tuple(int(part) for part in text.split(",") if part.strip())
        if self.kind == "floatlist":
            return tuple(float(part) for part in text.split(",") if part.strip())
        return text


SETTINGS: tuple[Setting, ...] = (
    Setting("db", "sqlite:///./newswire.db", "Database URL: sqlite:///PATH or postgresql://..."),
    Setting("bus", "memory://", "Event bus URL: memory:// (in-process) or nats://HOST:PORT"),
    Setting("host", "127.0.0.1", "Interface the HTTP server listens on"),
    Setting("port", 8000, "TCP port the HTTP server listens on", "int"),
    Setting(
        "admin_token",
        "",
        "Bearer token of the admin role; when empty one is generated and printed at start-up",
    ),
    Setting(
        "base_url", "", "Public base URL used in links, feeds and sitemaps (default: from request)"
    ),
    Setting("max_request_bytes", 1_048_576, "Largest request body accepted, in bytes", "int"),
    Setting(
        "feed_max_wait", 30, "Longest long-poll wait a feed request may ask for, in seconds", "int"
    ),
    Setting("feed_max_limit", 500, "Most events one feed page may return", "int"),
    Setting(
        "public_sections",
        (),
        "Sections whose stories are always public, comma-separated (e.g. World,Sport)",
        "list",
    ),
    Setting(
        "public_delay_seconds",
        0,
        "Seconds after first publication before a story appears on the public site",
        "int",
    ),
    Setting(
        "public_hidden_urgencies",
        (),
        "Urgency levels never shown on the public site, comma-separated (e.g. 1,2)",
        "intlist",
    ),
    Setting("summary_max_words", 60, "Word cap of the public extractive summary", "int"),
    Setting("site_name", "Newswire", "Name of the agency shown on the public site"),
    Setting(
        "site_notice",
        "This website carries only a portion of the stories offered to subscribers, "
        "and in summarized form. Subscribers receive the full service.",
        "Subscription notice shown under every public story",
    ),
    Setting(
        "site_contact_url",
        "mailto:sales@newswire.example",
        "Where the notice's contact link points",
    ),
    Setting(
        "site_languages",
        ("en", "tr"),
        "Interface languages of the public site, comma-separated; the first is the default",
        "list",
    ),
    Setting(
        "site_max_age",
        60,
        "Seconds a browser or CDN may reuse a public page before revalidating it",
        "int",
    ),
    Setting(
        "site_stale_seconds",
        600,
        "Seconds a CDN may serve a stale public page while it revalidates (stale-while-revalidate)",
        "int",
    ),
    Setting("demo", False, "Load the demo content and print demo keys at start-up", "bool"),
    Setting(
        "webhook_retry_schedule",
        (0.0, 5.0, 300.0, 1800.0, 7200.0, 18000.0, 36000.0, 36000.0),
        "Webhook retry delays in seconds, comma-separated (Svix's schedule by default)",
        "floatlist",
    ),
    Setting("webhook_timeout", 15.0, "Seconds before a webhook request is abandoned", "float"),
    Setting(
        "webhook_allow_private",
        False,
        "Allow webhook URLs that resolve to loopback, private or link-local addresses",
        "bool",
    ),
    Setting(
        "webhook_secret_grace_seconds",
        86_400,
        "How long a rotated-out webhook secret still signs deliveries",
        "int",
    ),
    Setting("stream_heartbeat_seconds", 15.0, "Seconds between SSE comment heartbeats", "float"),
    Setting(
        "stream_buffer_events",
        256,
        "Events buffered per streaming connection before a slow client is cut off",
        "int",
    ),
    Setting(
        "rate_limit_subscriber",
        0,
        "Requests per minute per subscriber key, enforced per node (0: unlimited)",
        "int",
    ),
    Setting(
        "rate_limit_editor",
        0,
        "Requests per minute per editor key, enforced per node (0: unlimited)",
        "int",
    ),
    Setting(
        "rate_limit_admin",
        0,
        "Requests per minute for the admin token, enforced per node (0: unlimited)",
        "int",
    ),
    Setting(
        "usage_flush_seconds",
        1.0,
        "Seconds between writes of buffered usage records (what a crash can lose)",
        "float",
    ),
    Setting(
        "usage_flush_rows",
        1000,
        "Buffered usage records that trigger a write before the interval ends",
        "int",
    ),
    Setting(
        "quota_refresh_seconds",
        1.0,
        "Seconds a node trusts its copy of a subscriber's usage today before re-reading it",
        "float",
    ),
    Setting(
        "access_poll_seconds",
        0.5,
        "Seconds between checks for suspended, deleted or rotated keys, to cut their streams",
        "float",
    ),
    Setting("log_level", "info", "Log level: debug, info, warning, error"),
)

_BY_NAME = {setting.name: setting for setting in SETTINGS}


@dataclass(frozen=True)
class Settings:
    """The values of every setting for one running instance; passed explicitly, never global."""

    values: Mapping[str, Any] = field(default_factory=dict)

    def __getattr__(self, name: str) -> Any:
        if name in _BY_NAME:
            return self.values.get(name, _BY_NAME[name].default)
        raise AttributeError(name)

    @classmethod
    def load(cls, environ: Mapping[str, str] | None = None, **overrides: Any) -> Settings:
        """Build settings from defaults, then the environment, then explicit overrides."""
        environ = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        for setting in SETTINGS:
            if setting.env_var in environ:
                values[setting.name] = setting.parse(environ[setting.env_var])
        for name, value in overrides.items():
            if name not in _BY_NAME:
                raise KeyError(f"unknown setting {name!r}")
            if value is not None:
                values[name] = value
        return cls(values)

    def replace(self, **overrides: Any) -> Settings:
        """Return a copy with some settings changed."""
        for name in overrides:
            if name not in _BY_NAME:
                raise KeyError(f"unknown setting {name!r}")
        return Settings({**self.values, **overrides})


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
