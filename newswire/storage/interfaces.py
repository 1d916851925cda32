"""The storage contract: small interfaces, one concept each, every consumer typed by what it uses.

Like httpx's transports, each interface is small enough to read in one go.
One SQL implementation per dialect satisfies them all over one set of
connections (`sql.py`); `Storage` is the bundle the runtime holds, and it
hands each part only the store it needs (the log reader gets a `LogStore`,
the daily quota a `UsageStore`). Storage imports only `models/` and the pure
text helpers of `search/`, never a service.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from newswire.models.idempotency import Remembered
from newswire.models.principals import Entitlements, Principal, Role, SubscriberChange
from newswire.models.public import PublicQuery, PublicStory
from newswire.models.stories import Event, EventType, LogEntry, StoryVersion
from newswire.models.usage import Channel, ServedCursor, UsageQuery, UsageRecord, UsageRow
from newswire.models.webhooks import DeliveryAttempt, EndpointStatus, WebhookEndpoint
from newswire.search.beats import SavedSearch
from newswire.search.params import SearchParams
from newswire.search.request import SearchPage, SearchRequest
from newswire.storage.desk_interfaces import DeskConfigStore, DraftStore, StoryListing
from newswire.storage.identity_interfaces import (
    CredentialStore,
    OutboxStore,
    PeopleStore,
    SessionStore,
    SignInFailureStore,
)
from newswire.storage.media_interfaces import MediaStore
from newswire.storage.portal_interfaces import PortalStore


class LogReads(Protocol):
    """The reads every channel makes of the log (`SharedLog` offers the same, coalesced)."""

    async def entries_after(self, seq: int, limit: int) -> list[LogEntry]:
        """Return up to limit log entries with seq greater than the given one, in order."""
        ...

    async def entries_for_story(self, story_id: str, before_seq: int) -> list[LogEntry]:
        """Return a story's log entries before a sequence number, in order."""
        ...

    async def entries_for_stories(
        self, story_ids: Sequence[str], before_seq: int
    ) -> list[LogEntry]:
        """Return the log entries of several stories before a sequence number, in log order."""
        ...


class LogStore(LogReads, Protocol):
    """The ordered log: its reads, and where its head is."""

    async def last_seq(self) -> int:
        """Return the highest sequence number in the log (0 when empty)."""
        ...


class StoryStore(Protocol):
    """Story versions, and the one write that appends a version to the log."""

    async def save_version(
        self, story: StoryVersion, event_type: EventType, public: PublicStory | None
    ) -> Event:
        """Store a version, append its event and update the public portion, atomically.

        Raises VersionConflict unless story.version is greater than the stored
        current version (the newsroom files current + 1; ingest may skip numbers).
        """
        ...

    async def append_event(self, story_id: str, version: int, event_type: EventType) -> Event:
        """Append an event about an existing version."""
        ...

    async def current(self, story_id: str) -> StoryVersion | None:
        """Return the current version of a story."""
        ...

    async def id_for(self, id_slug_or_guid: str) -> str | None:
        """Resolve a story id, slug or guid to the story id."""
        ...

    async def versions(self, story_id: str) -> list[StoryVersion]:
        """Return every version of a story, oldest first."""
        ...

    async def version(self, story_id: str, version: int) -> StoryVersion | None:
        """Return one version of a story."""
        ...

    async def ids(self) -> list[str]:
        """Return the id of every story, oldest first."""
        ...

    async def replace_public_projection(self, story_id: str, public: PublicStory | None) -> None:
        """Rewrite one story's public projection (after the site's rules changed)."""
        ...


class PrincipalStore(Protocol):
    """Principals and their keys (stored as hashes): the lifecycle of who may call."""

    async def create(
        self,
        role: Role,
        name: str,
        key_hash: str,
        entitlements: Entitlements,
        format: str,
        daily_quota: int | None = None,
    ) -> Principal:
        """Store a new admin, editor or subscriber with the hash of its key."""
        ...

    async def with_key_hash(self, key_hash: str) -> Principal | None:
        """Return the active (not revoked, suspended or deleted) principal of a key hash."""
        ...

    async def by_id(self, principal_id: str) -> Principal | None:
        """Return a principal by id, whatever its status."""
        ...

    async def of_role(self, role: Role) -> list[Principal]:
        """Return the unrevoked, undeleted principals of a role (suspended too), oldest first."""
        ...

    async def update(self, principal_id: str, change: SubscriberChange) -> Principal | None:
        """Change a subscriber's entitlements, format or daily quota, in one transaction."""
        ...

    async def revoke(self, principal_id: str) -> bool:
        """Revoke a principal's key; return whether it existed and was active."""
        ...

    async def suspend(self, principal_id: str) -> bool:
        """Suspend an active principal's key; return whether it was active."""
        ...

    async def resume(self, principal_id: str) -> bool:
        """Make a suspended principal's key work again; return whether it was suspended."""
        ...

    async def replace_key(self, principal_id: str, key_hash: str) -> bool:
        """Give a principal a new key (by its hash); the old key stops working at once."""
        ...

    async def delete_subscriber(self, principal_id: str) -> bool:
        """Delete a subscriber's key, webhooks, cursors and saved searches; keep its usage."""
        ...

    async def changed_since(self, since: datetime) -> list[Principal]:
        """Return the principals whose access changed at or after a time (any status)."""
        ...


class DeliveryCounts(Protocol):
    """What the daily quota reads: a subscriber's deliveries on a day, on every node."""

    async def deliveries_on(self, principal_id: str, day: str) -> int:
        """Return how many story versions a subscriber was delivered on a UTC day (YYYY-MM-DD)."""
        ...


class UsageStore(DeliveryCounts, Protocol):
    """Usage records, the per-day counters and the cursors served per channel."""

    async def record(self, records: Sequence[UsageRecord], cursors: Sequence[ServedCursor]) -> None:
        """Store a batch of usage records and served cursors, in one transaction."""
        ...

    async def deliveries_by_day(
        self, principal_id: str, first_day: str
    ) -> list[tuple[str, Channel, int]]:
        """Return (day, channel, deliveries) for a subscriber from a UTC day on."""
        ...

    async def records(self, query: UsageQuery) -> list[UsageRow]:
        """Return one page of usage records matching the query, oldest first (by id)."""
        ...

    async def served_cursors(self, principal_id: str) -> list[ServedCursor]:
        """Return the last cursor served to a subscriber on each channel, and when."""
        ...


class PublicStore(Protocol):
    """The public portion (no body, by construction): listings, counts, indexes, one story."""

    async def stories(self, query: PublicQuery) -> Sequence[PublicStory]:
        """Return visible, unkilled public stories matching the query, newest first."""
        ...

    async def count(self, query: PublicQuery) -> int:
        """Count what `stories` would return without limit and offset."""
        ...

    async def story(self, id_or_slug: str) -> PublicStory | None:
        """Return a public story or its tombstone, whatever its visibility time."""
        ...

    async def sections(self, now: datetime) -> list[tuple[str, int]]:
        """Return each section path with its number of visible public stories."""
        ...

    async def count_by_section(self, query: PublicQuery) -> list[tuple[str, int]]:
        """Return each section path with its number of public stories matching the query."""
        ...

    async def count_by_subject(self, query: PublicQuery) -> list[tuple[str, int]]:
        """Return each subject code with its number of public stories matching the query."""
        ...

    async def count_by_author(self, query: PublicQuery) -> list[tuple[str, int]]:
        """Return each byline with its number of public stories matching the query."""
        ...

    async def languages(self, now: datetime) -> list[tuple[str, int]]:
        """Return each language with its number of visible public stories."""
        ...


class ArchiveStore(Protocol):
    """The archive search index, and the searches principals keep under a name."""

    async def search(self, request: SearchRequest) -> SearchPage:
        """Return one page of current, unkilled stories matching a search, for its caller."""
        ...

    async def save_search(self, principal_id: str, name: str, params: SearchParams) -> SavedSearch:
        """Keep a search under a name for a principal."""
        ...

    async def saved_searches_of(self, principal_id: str) -> list[SavedSearch]:
        """Return a principal's saved searches, oldest first."""
        ...

    async def saved_search(self, search_id: str) -> SavedSearch | None:
        """Return a saved search by id, whoever owns it."""
        ...

    async def delete_saved_search(self, search_id: str) -> bool:
        """Delete a saved search; return whether it existed."""
        ...


class EmbargoStore(Protocol):
    """What the embargo scheduler asks: which stories are due, and when the next one is."""

    async def due_for_release(self, now: datetime) -> list[str]:
        """Return the ids of withheld stories whose embargo time is at or before now."""
        ...

    async def next_release(self) -> datetime | None:
        """Return the earliest embargo time among withheld stories, or None."""
        ...


class WebhookEndpointStore(Protocol):
    """Webhook endpoints as subscribers manage them, and their delivery attempts."""

    async def create_endpoint(
        self, principal_id: str, url: str, description: str, secret: str, cursor: int
    ) -> WebhookEndpoint:
        """Store a new active endpoint that starts delivering after `cursor`."""
        ...

    async def endpoint(self, endpoint_id: str) -> WebhookEndpoint | None:
        """Return an endpoint by id."""
        ...

    async def endpoints_of(self, principal_id: str) -> list[WebhookEndpoint]:
        """Return a principal's endpoints, oldest first."""
        ...

    async def delete_endpoint(self, endpoint_id: str) -> bool:
        """Delete an endpoint and its attempts; return whether it existed."""
        ...

    async def rotate_secret(
        self, endpoint_id: str, secret: str, previous_until: datetime
    ) -> WebhookEndpoint | None:
        """Make `secret` the signing secret; the old one keeps signing until previous_until."""
        ...

    async def restart_endpoint(
        self, endpoint_id: str, cursor: int | None
    ) -> WebhookEndpoint | None:
        """Make an endpoint active and due now, optionally from a new cursor; break any lease."""
        ...

    async def add_attempt(self, attempt: DeliveryAttempt) -> None:
        """Record one delivery attempt."""
        ...

    async def attempts(self, endpoint_id: str, limit: int) -> list[DeliveryAttempt]:
        """Return an endpoint's latest attempts, newest first."""
        ...

    async def delivery_cursors(self) -> dict[str, int]:
        """Return each subscriber's webhook delivery cursor (its slowest endpoint's), by id."""
        ...


class WebhookLeaseStore(Protocol):
    """The dispatcher's side: leases on due endpoints, cursors moved under the lease."""

    async def lease_due(
        self, worker: str, now: datetime, until: datetime, limit: int
    ) -> list[WebhookEndpoint]:
        """Take the lease on up to `limit` active endpoints that are due and have news."""
        ...

    async def advance_cursor(
        self,
        endpoint_id: str,
        worker: str,
        cursor: int,
        lease_until: datetime,
        attempt: DeliveryAttempt | None = None,
    ) -> bool:
        """Record that everything up to `cursor` is done; extend the lease. False: lease lost."""
        ...

    async def renew_lease(self, endpoint_id: str, worker: str, until: datetime) -> bool:
        """Extend a lease this worker holds. False: the lease was lost (or the endpoint is gone)."""
        ...

    async def holds_lease(self, endpoint_id: str, worker: str, now: datetime) -> bool:
        """Tell, without writing, whether this worker still holds an unexpired lease."""
        ...

    async def schedule_retry(
        self, endpoint_id: str, worker: str, attempt: int, at: datetime, lease_until: datetime
    ) -> bool:
        """Record a failed attempt count and when to try again. False: lease lost."""
        ...

    async def pause_endpoint(
        self, endpoint_id: str, worker: str, status: EndpointStatus, reason: str
    ) -> bool:
        """Mark an endpoint failing or disabled and release it. False: lease lost."""
        ...

    async def release_endpoint(self, endpoint_id: str, worker: str) -> None:
        """Give up the lease on an endpoint (if still held)."""
        ...

    async def disable_endpoint(self, endpoint_id: str, reason: str) -> bool:
        """Stop delivering to an endpoint (whoever holds it) until it is enabled; False: none."""
        ...


class WebhookStore(WebhookEndpointStore, WebhookLeaseStore, Protocol):
    """Both sides of webhook storage, as one implementation offers them."""


class FeedUrlStore(Protocol):
    """Secret feed URLs: at most one per subscriber, kept as the hash of its secret."""

    async def replace(self, principal_id: str, secret_hash: str, created_at: datetime) -> None:
        """Give a subscriber a feed URL (by its secret's hash); an earlier one stops working."""
        ...

    async def remove(self, principal_id: str) -> bool:
        """Remove a subscriber's feed URL; return whether there was one."""
        ...

    async def created_at(self, principal_id: str) -> datetime | None:
        """Return when a subscriber's feed URL was made, or None when it has none."""
        ...

    async def owner(self, secret_hash: str) -> str | None:
        """Return the id of the subscriber whose feed URL has this secret hash, or None."""
        ...


class IdempotencyStore(Protocol):
    """What each Idempotency-Key filed (recorded by the filing's own transaction)."""

    async def recall(self, scope: str, key: str) -> Remembered | None:
        """Return what a caller's key filed, or None when it filed nothing."""
        ...

    async def forget_before(self, moment: datetime) -> int:
        """Delete keys recorded before a time; return how many."""
        ...


class Storage(Protocol):
    """One database: its role stores, and its lifecycle."""

    @property
    def dialect(self) -> str:
        """The SQL dialect: "sqlite" or "postgresql"."""
        ...

    @property
    def log(self) -> LogStore:
        """The ordered log."""
        ...

    @property
    def stories(self) -> StoryStore:
        """Story versions."""
        ...

    @property
    def principals(self) -> PrincipalStore:
        """Principals and their keys."""
        ...

    @property
    def usage(self) -> UsageStore:
        """Usage records and counters."""
        ...

    @property
    def public(self) -> PublicStore:
        """The public portion."""
        ...

    @property
    def archive(self) -> ArchiveStore:
        """The archive search and saved searches."""
        ...

    @property
    def embargoes(self) -> EmbargoStore:
        """Embargoed stories."""
        ...

    @property
    def webhooks(self) -> WebhookStore:
        """Webhook endpoints and leases."""
        ...

    @property
    def people(self) -> PeopleStore:
        """People who sign in, and companies' seats."""
        ...

    @property
    def credentials(self) -> CredentialStore:
        """Password hashes, set-password links, personal keys."""
        ...

    @property
    def sessions(self) -> SessionStore:
        """Sessions and sign-in history."""
        ...

    @property
    def sign_in_failures(self) -> SignInFailureStore:
        """Failed sign-ins per account and address."""
        ...

    @property
    def outbox(self) -> OutboxStore:
        """The mail outbox."""
        ...

    @property
    def portal(self) -> PortalStore:
        """The subscriber portal's alerts, notifications and activity."""
        ...

    @property
    def feed_urls(self) -> FeedUrlStore:
        """Secret feed URLs."""
        ...

    @property
    def drafts(self) -> DraftStore:
        """The desk's drafts and their history."""
        ...

    @property
    def desk_config(self) -> DeskConfigStore:
        """The desk's templates and stages."""
        ...

    @property
    def story_list(self) -> StoryListing:
        """The editors' list of stories."""
        ...

    @property
    def media(self) -> MediaStore:
        """Pictures and video: their versions, in the log."""
        ...

    @property
    def idempotency(self) -> IdempotencyStore:
        """Idempotency keys of filings."""
        ...

    async def migrate(self) -> list[int]:
        """Apply pending migrations; return the versions applied."""
        ...

    async def ping(self) -> None:
        """Raise Unavailable when the database does not answer."""
        ...

    async def close(self) -> None:
        """Release connections."""
        ...
