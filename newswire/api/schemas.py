"""The shapes of the API's answers, for the OpenAPI document (and so for generated clients).

Handlers build their JSON with small functions (`principal_json`,
`endpoint_json`, the envelopes' cached text); these models *describe* that
JSON, they do not produce it. `tests/test_openapi.py` checks real answers
against them (and schemathesis checks every operation), so a description
that drifts from its answer fails. Every model allows fields it does not
name: an answer may gain a field without breaking a generated client.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

EventType = Literal[
    "story.published",
    "story.updated",
    "story.corrected",
    "story.killed",
    "story.embargo_changed",
    "story.released",
    "picture.published",
    "picture.updated",
    "picture.killed",
    "video.published",
    "video.updated",
    "video.killed",
]


class _Shape(BaseModel):
    model_config = ConfigDict(extra="allow")


class FieldProblem(_Shape):
    """One input that was refused, and why."""

    field: str | None = None
    message: str


class ErrorDetail(_Shape):
    """What went wrong: the HTTP status again, a message for people, the input at fault."""

    status: int = Field(description="The HTTP status of the answer")
    message: str = Field(description="What went wrong, for a person to read")
    field: str | None = Field(None, description="The input at fault (dotted path), when one is")
    details: list[FieldProblem] | None = Field(
        None, description="Every refused input, on a 422 with several"
    )
    retry_after: int | None = Field(None, description="Seconds to wait, on a 429")
    resets_at: str | None = Field(None, description="When the daily quota resets, on its 429")


class Error(_Shape):
    """The body of every 4xx and 5xx answer."""

    error: ErrorDetail


class NinjsItem(_Shape):
    """A story version in IPTC ninjs (2.1 or 3.1 keys, as the format asks); see docs/formats.md."""

    uri: str
    version: str | None = None


class StoryRecord(_Shape):
    """A story version as filed, as the newsroom answers a filing, update, correction or kill."""

    id: str
    version: int
    guid: str
    slug: str
    headline: str
    summary: str
    body: str = Field(description="The body as HTML paragraphs")
    byline: str
    dateline: str
    categories: list[str]
    subjects: list[str]
    urgency: int
    language: str
    public: bool
    pubstatus: str = Field(description="usable, withheld (embargoed) or canceled (killed)")
    embargoed_until: str | None
    ednote: str
    first_created: str
    version_created: str
    seq: int = Field(description="The event's position in the log")
    event: EventType


class EventEnvelope(_Shape):
    """One event of the log as every channel delivers it (feed, SSE data, WebSocket frame)."""

    seq: int = Field(description="Position in the log: gapless, increasing; drop a seen seq")
    cursor: str = Field(description="Resume from here to miss nothing (see the ordering rules)")
    type: EventType
    story_id: str | None = Field(None, description="The story's id (story events)")
    media_id: str | None = Field(None, description="The picture's or video's id (media events)")
    kind: Literal["picture", "video"] | None = Field(None, description="On media events")
    version: int
    guid: str
    created_at: str
    urgency: int
    pubstatus: str
    categories: list[str]
    format: str = Field(description="The format of `item`: ninjs2, ninjs3, newsml-g2, nitf, text")
    item: dict[str, Any] | str = Field(
        description="The story version: an object for ninjs, the XML or text otherwise"
    )
    reason: str | None = Field(None, description="Why a story was withdrawn (story.killed)")


class FeedPage(_Shape):
    """One page of the feed and the cursor of the next request."""

    events: list[EventEnvelope]
    next: str = Field(description="Ask again with after=next: following it never skips or repeats")


class SearchHit(_Shape):
    """One story that matched a search: its current version's fields, highlighted."""

    id: str
    version: int
    headline: str
    headline_html: str
    summary: str
    snippet_html: str
    byline: str
    dateline: str
    language: str
    urgency: int
    categories: list[str]
    subjects: list[str]
    first_created: str


class SearchPage(_Shape):
    """One page of search results."""

    total: int
    sort: str
    hits: list[SearchHit]
    next: str | None = Field(description="Cursor of the next page (as `cursor`); null at the end")


class SavedSearch(_Shape):
    """A search kept under a name, and where to follow it."""

    id: str
    name: str
    q: str | None = Field(None, description="The query; absent when the search only filters")
    created_at: str
    links: dict[str, str]


class SavedSearches(_Shape):
    searches: list[SavedSearch]


class Principal(_Shape):
    """An admin, editor or subscriber as the admin sees it (never its key)."""

    id: str
    role: str
    name: str
    status: str = Field(description="active, suspended, revoked or deleted")
    entitlements: dict[str, Any] | None = None
    format: str | None = None
    daily_quota: int | None = None


class Editors(_Shape):
    editors: list[Principal]


class Subscribers(_Shape):
    subscribers: list[Principal]


class Account(_Shape):
    """What a key may do and what it used: see docs/api.md, "Your account"."""

    id: str
    role: str
    name: str
    status: str


class WebhookEndpoint(_Shape):
    """A subscriber's webhook endpoint; `secret` only in the answer that made it."""

    id: str
    url: str
    description: str
    status: str = Field(description="active, failing or disabled")
    status_reason: str
    cursor: str
    failed_attempts: int
    next_attempt_at: str | None
    previous_secret_valid_until: str | None
    created_at: str
    secret: str | None = Field(None, description="Shown once: on creation and on rotation")


class WebhookEndpoints(_Shape):
    webhooks: list[WebhookEndpoint]


class DeliveryAttempt(_Shape):
    """One attempt to deliver one event to a webhook endpoint."""

    event: str = Field(description="The webhook-id header sent: evt_<seq>")
    seq: int
    cursor: str
    type: str
    attempt: int
    status_code: int | None
    succeeded: bool
    latency_ms: float | int | None
    error: str | None
    created_at: str


class DeliveryAttempts(_Shape):
    deliveries: list[DeliveryAttempt]


class UsageRow(_Shape):
    """Who received which story version, through which channel, in which format, and when."""

    id: str
    delivered_at: str
    subscriber_id: str
    subscriber_name: str
    channel: str = Field(description="feed, atom, story, sse, websocket or webhook")
    format: str
    story_id: str
    version: int
    seq: int | None = Field(description="The event's log position; null for a direct download")
    deliveries: int


class UsagePage(_Shape):
    usage: list[UsageRow]
    next: str | None = Field(description="Pass as `after` for the next page; null at the end")


class VersionSummary(_Shape):
    version: int
    change: EventType
    pubstatus: str
    version_created: str
    headline: str
    ednote: str


class Versions(_Shape):
    story_id: str
    versions: list[VersionSummary]


class FieldChange(_Shape):
    from_: Any = Field(alias="from")
    to: Any


class VersionDiff(_Shape):
    from_: int = Field(alias="from")
    to: int
    fields: dict[str, FieldChange]
    body_diff: list[str]


class FeedUrl(_Shape):
    """A new secret Atom feed URL, shown only this once."""

    url: str
    created_at: str
    shown_once: bool


class FeedUrlInfo(_Shape):
    created_at: str
    path: str


class Health(_Shape):
    status: str
    checks: dict[str, str] | None = None
    log_seq: int | None = None


class MediaRendition(_Shape):
    """One rendition of a picture or video: its size, type and where to fetch it."""

    name: str = Field(description="original, base, preview, thumbnail, poster")
    content_type: str
    width: int
    height: int
    size: int = Field(description="Bytes")
    duration: float | None = Field(None, description="Seconds, for video")
    href: str = Field(description="Download with a key")
    etag: str
    signed_href: str | None = Field(None, description="Fetch without headers until it expires")


class MediaItem(_Shape):
    """A picture or video version with its metadata and renditions (see docs/media.md)."""

    id: str
    version: int
    kind: Literal["picture", "video"]
    guid: str
    pubstatus: str
    language: str
    categories: list[str]
    urgency: int
    public: bool
    embargoed_until: str | None
    ednote: str
    first_created: str
    version_created: str
    renditions: list[MediaRendition]


class FiledMedia(MediaItem):
    """A media version as the library answers a filing, update or kill."""

    seq: int = Field(description="The event's position in the log")
    event: EventType


class Person(_Shape):
    """Who did something: a principal's id and display name."""

    id: str
    name: str


class DraftLock(_Shape):
    """Who holds a draft open, and until when unless they keep typing."""

    holder: str
    until: str


class Draft(_Shape):
    """A draft on the desk: not on the wire until it is published (see docs/desk.md)."""

    id: str
    story_id: str | None = Field(description="The story it revises, once published")
    desk: str
    stage: str | None
    status: str = Field(description="draft, submitted, published, spiked")
    version: int = Field(description="Send it back with the next save; a stale one is 409")
    fields: dict[str, Any] = Field(description="The editor's fields: headline, body, ...")
    author: Person
    saved_by: Person
    created_at: str
    updated_at: str
    lock: DraftLock | None


class DraftHistoryEntry(_Shape):
    """One thing that happened to a draft."""

    at: str
    action: str = Field(description="created, saved, submitted, moved, published, ...")
    by: Person
    detail: str


class DraftHistory(_Shape):
    """What happened to a draft, oldest first."""

    draft_id: str
    history: list[DraftHistoryEntry]


class PublishedDraft(StoryRecord):
    """The story a draft was filed as; `event` null when this draft version was filed before."""

    seq: int | None = Field(description="The event's position in the log; null on a repeat")  # type: ignore[assignment]
    event: EventType | None  # type: ignore[assignment]


class StoryListItem(_Shape):
    """A story's current version in the editors' list."""

    id: str
    version: int
    headline: str
    pubstatus: str
    change: str
    urgency: int
    categories: list[str]
    language: str
    version_created: str
    author: Person | None


class StoryList(_Shape):
    """Stories, most recently changed first; `next_before` pages on."""

    stories: list[StoryListItem]
    next_before: str | None


class WebhookAnswer(_Shape):
    """A webhook receiver's last answer to a delivery."""

    status: int | None
    succeeded: bool
    attempt: int
    error: str | None


class StoryDelivery(_Shape):
    """What went out to one subscriber on one channel."""

    subscriber: str
    channel: str
    format: str | None
    version: int
    delivered_at: str
    deliveries: int
    webhook: WebhookAnswer | None


class StoryDeliveries(_Shape):
    """What went out to whom, for editors."""

    story_id: str
    deliveries: list[StoryDelivery]
