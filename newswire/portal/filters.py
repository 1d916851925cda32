"""What a portal page asks for: the wire's and the search page's filters, as a search.

The portal finds stories with the archive search (`search.Searches`), whose
query holds the company's entitlements, so the wire, the search page and the
topics ask the one question the API asks. The filters a person picks
(section, subject, language, urgency, a time range) become `SearchParams`;
the media type picks what is listed: stories, or pictures or video
(`picture_wire.py`, the same filters read on each item).
A relative range ("the last 24 hours") is turned into an absolute `from` when
the page is first asked for, and the links to older pages carry that time, so
paging never shifts while news arrives.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from urllib.parse import urlencode

from newswire.models.errors import Invalid
from newswire.search.params import SearchParams

# The time ranges the filter offers, by the value the form sends.
RANGES = {
    "1h": timedelta(hours=1),
    "6h": timedelta(hours=6),
    "24h": timedelta(hours=24),
    "7d": timedelta(days=7),
    "30d": timedelta(days=30),
}
URGENCIES = ("", "1", "1-2", "1-3", "4-9")
# The media type filter: stories (the default), pictures or video.
MEDIA_TYPES = ("", "pictures", "video")
MAX_QUERY_CHARS = 1000


@dataclass(frozen=True)
class WireFilters:
    """The filters of a wire or search page, as the form sent them."""

    q: str = ""
    section: str = ""
    subject: str = ""
    language: str = ""
    urgency: str = ""
    since: str = ""  # one of RANGES, turned into `published_from` by `pinned`
    published_from: str = ""
    published_to: str = ""
    topic: str = ""  # a saved search of the company followed in the wire view
    media: str = ""  # one of MEDIA_TYPES: "" lists stories

    def pinned(self, now: datetime) -> WireFilters:
        """Return these filters with a relative range turned into an absolute `from`."""
        if not self.since:
            return self
        if self.since not in RANGES:
            raise Invalid(f"time range {self.since!r} is not one of {', '.join(RANGES)}", "since")
        start = (now - RANGES[self.since]).replace(second=0, microsecond=0)
        return replace(self, since="", published_from=start.isoformat().replace("+00:00", "Z"))

    def checked(self) -> WireFilters:
        """Return the filters if each is well-formed; Invalid naming the field otherwise."""
        if len(self.q) > MAX_QUERY_CHARS:
            raise Invalid(f"the query is longer than {MAX_QUERY_CHARS} characters", "q")
        if self.urgency and self.urgency not in URGENCIES:
            raise Invalid(f"urgency {self.urgency!r} is not one the filter offers", "urgency")
        if self.media not in MEDIA_TYPES:
            raise Invalid(f"media type {self.media!r} is not text, pictures or video", "media")
        return self

    def params(self) -> SearchParams:
        """Return the search these filters ask for."""
        return SearchParams(
            q=self.q.strip(),
            category=(self.section,) if self.section.strip() else (),
            subject=(self.subject,) if self.subject.strip() else (),
            language=(self.language,) if self.language.strip() else (),
            urgency=self.urgency,
            published_from=self.published_from,
            published_to=self.published_to,
        )

    def query_string(self, **extra: str) -> str:
        """Return the filters as a URL query (only those given), with extra values."""
        values = {
            "q": self.q,
            "section": self.section,
            "subject": self.subject,
            "language": self.language,
            "urgency": self.urgency,
            "since": self.since,
            "from": self.published_from,
            "to": self.published_to,
            "topic": self.topic,
            "media": self.media,
            **extra,
        }
        return urlencode({name: value for name, value in values.items() if value})

    @property
    def active(self) -> bool:
        """Tell whether any filter narrows the page."""
        return any(
            (
                self.q,
                self.section,
                self.subject,
                self.language,
                self.urgency,
                self.since,
                self.published_from,
                self.published_to,
                self.topic,
                self.media,
            )
        )
