"""Keep secrets out of the logs: the secret of a feed URL never reaches a log line.

Uvicorn's access log prints every request's path, and a secret feed URL
(`/v1/feeds/<secret>.atom`) carries its credential in the path. The filter
rewrites the secret to `***` in each record before any handler formats it.
"""

from __future__ import annotations

import logging
import re

FEED_SECRET = re.compile(r"(/v1/feeds/)[^/?#\s\"]+(\.atom)")
MASK = r"\1***\2"
ACCESS_LOGGERS = ("uvicorn.access", "uvicorn.error", "uvicorn")


def mask_secrets(text: str) -> str:
    """Return a text with every feed URL's secret masked."""
    return FEED_SECRET.sub(MASK, text)


class SecretRedaction(logging.Filter):
    """A logging filter that masks feed URL secrets in a record's message and arguments."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Mask the record in place; never drop it."""
        if isinstance(record.msg, str):
            record.msg = mask_secrets(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(
                mask_secrets(arg) if isinstance(arg, str) else arg for arg in record.args
            )
        return True


def install_redaction() -> None:
    """Put the filter on uvicorn's loggers (once; its logging config keeps logger filters)."""
    for name in ACCESS_LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(existing, SecretRedaction) for existing in logger.filters):
            logger.addFilter(SecretRedaction())
