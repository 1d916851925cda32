"""The composition root: every part of one process, built once and handed what it uses.

`Runtime` builds the parts from `Settings` and gives each its collaborators
explicitly (a store, the bus, the clock, another service), never the runtime
itself; nothing else builds parts or keeps them in a module-level registry.
It owns what a process has one of: the clock, the fan-out, the coalescing
view of the log, the background jobs, and the event that says it is stopping.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import secrets
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import httpx

from newswire.accounts.access import AccessWatcher
from newswire.accounts.metering import Metering
from newswire.accounts.quotas import Quotas
from newswire.accounts.ratelimits import RateLimiter
from newswire.accounts.reports import Reports
from newswire.accounts.service import Accounts
from newswire.accounts.usage import UsageRecorder
from newswire.blobs import BlobStore, FilesystemBlobStore, PostgresBlobStore
from newswire.bus import Bus, open_bus
from newswire.bus.announcer import announce_log, needs_announcer
from newswire.delivery.fanout import Fanout
from newswire.delivery.feed import Feed, FeedLimits
from newswire.delivery.feed_urls import FeedUrls
from newswire.delivery.formats import Agency
from newswire.delivery.media_access import MediaAccess
from newswire.delivery.shared_log import SharedLog
from newswire.delivery.story_access import StoryAccess
from newswire.delivery.streams import Streams
from newswire.delivery.webhooks.dispatcher import (
    Dispatcher,
    WebhookParts,
    WebhookPolicy,
    deliver_webhooks,
)
from newswire.delivery.webhooks.registry import WebhookEndpoints
from newswire.desk.columns import SearchColumns
from newswire.desk.desks import DeskBook
from newswire.desk.fields import Limits
from newswire.desk.live import DeskCue
from newswire.desk.pictures import DraftPictures
from newswire.desk.record import StoryRecords
from newswire.desk.service import Desk, DeskPolicy
from newswire.desk.templates_service import Templates
from newswire.identity.housekeeping import Housekeeping
from newswire.identity.keys import PersonalKeys
from newswire.identity.links import PasswordLinks
from newswire.identity.mailer import Mailer, SmtpConfig
from newswire.identity.passwords import HashParameters, Passwords
from newswire.identity.people import People
from newswire.identity.policy import SessionPolicy, ThrottlePolicy
from newswire.identity.sender import MailSender
from newswire.identity.signin import SignIn
from newswire.identity.throttle import SignInThrottle
from newswire.identity.watch import SessionWatcher
from newswire.jobs.supervisor import Job, start_jobs
from newswire.media.library import MediaLibrary
from newswire.media.urls import RenditionUrls
from newswire.models.clock import SystemClock
from newswire.models.principals import Role
from newswire.monitoring.health import JobHealth
from newswire.newsroom.embargoes import EmbargoScheduler
from newswire.newsroom.filing import Newsroom
from newswire.newsroom.idempotency import Idempotency
from newswire.newsroom.sections import SectionBook, Sections
from newswire.portal.alert_job import AlertJob
from newswire.portal.alert_mail import AlertLetters
from newswire.portal.alerts import Alerts
from newswire.portal.company import Company
from newswire.portal.console import Console
from newswire.portal.history import History
from newswire.portal.live import LiveWire
from newswire.portal.picture_wire import PictureWire
from newswire.portal.pictures import StoryPictures
from newswire.portal.service import Portal
from newswire.search.service import Searches
from newswire.settings import Settings
from newswire.storage import Storage, open_storage

log = logging.getLogger("newswire.runtime")


DEFAULT_AGENCY_URI = "https://newswire.example"


def agency_from(settings: Settings) -> Agency:
    """Return the agency the items name as provider and rights holder, from the settings."""
    return Agency(
        name=settings.site_name,
        code=settings.agency_code,
        uri=settings.agency_uri or settings.base_url.rstrip("/") or DEFAULT_AGENCY_URI,
        provider_qcode=settings.agency_provider_qcode,
        copyright_holder=settings.agency_copyright_holder,
        copyright_notice=settings.agency_copyright_notice,
        usage_terms=settings.agency_usage_terms,
        api_url=settings.base_url.rstrip("/"),
    )


def open_blobs(settings: Settings) -> BlobStore:
    """Return the blob store of the media bytes: in PostgreSQL when the database is, else files.

    On PostgreSQL every node serves every rendition from the one database
    (and its backups carry them); on SQLite, one box, the bytes are files
    beside the database (`blob_dir`).
    """
    if settings.db.startswith(("postgresql://", "postgres://", "postgresql+asyncpg://")):
        return PostgresBlobStore(settings.db.replace("postgresql+asyncpg://", "postgresql://"))
    directory = settings.blob_dir or settings.db.removeprefix("sqlite:///") + ".blobs"
    return FilesystemBlobStore(directory)


class Runtime:
    """Storage, bus, clock and every service of one process, wired together."""

    def __init__(
        self,
        settings: Settings,
        storage: Storage,
        bus: Bus,
        agency: Agency,
        admin_token: str,
        clock: SystemClock,
        run_jobs: bool = False,
        blobs: BlobStore | None = None,
    ) -> None:
        self.settings = settings
        self.storage = storage
        self.blobs = blobs or open_blobs(settings)
        self.bus = bus
        self.agency = agency
        self.admin_token = admin_token
        # The one clock: filing, embargoes, quotas, usage, the site and storage
        # all read it, so a test that moves it moves them together.
        self.clock = clock
        self.run_jobs = run_jobs
        # Set when the process shuts down; long-lived loops and streams watch it.
        self.stopping = asyncio.Event()
        self._tasks: list[asyncio.Task[None]] = []
        # This process's jobs that keep failing (/readyz says degraded while any does).
        self.job_health = JobHealth()

        self.newsroom = Newsroom(
            storage.stories,
            bus,
            settings,
            agency.code,
            clock,
            SectionBook(Sections.of(settings.sections), storage.desk_config),
            media=storage.media,
        )
        self.idempotency = Idempotency(storage.idempotency, storage.stories, clock)
        self.usage = UsageRecorder(
            storage.usage, clock, settings.usage_flush_seconds, settings.usage_flush_rows
        )
        self.quotas = Quotas(storage.usage, self.usage, clock, settings.quota_refresh_seconds)
        self.metering = Metering(self.quotas, self.usage)
        self.limiter = RateLimiter(
            {
                Role.SUBSCRIBER: settings.rate_limit_subscriber,
                Role.EDITOR: settings.rate_limit_editor,
                Role.ADMIN: settings.rate_limit_admin,
                Role.REPORTER: settings.rate_limit_editor,
            }
        )
        self.access = AccessWatcher(storage.principals, clock, settings.access_poll_seconds)
        self.accounts = Accounts(storage.principals, self.access, self.quotas, self.usage)
        self.searches = Searches(storage.archive, clock)
        self.reports = Reports(
            storage.usage,
            self.usage,
            self.quotas,
            storage.principals,
            storage.stories,
            storage.webhooks,
            storage.archive,
            clock,
        )
        # Live connections share one coalescing view of the log and one fan-out.
        self.shared_log = SharedLog(storage.log)
        self.fanout = Fanout(self.shared_log.entries_after, bus)
        self.streams = Streams(
            self.shared_log,
            storage.log,
            bus,
            self.fanout,
            self.access,
            self.metering,
            self.searches,
            self.stopping,
            settings.stream_buffer_events,
        )
        self.feed = Feed(
            storage.log,
            bus,
            self.access,
            self.metering,
            self.searches,
            agency,
            FeedLimits(settings.feed_max_limit, float(settings.feed_max_wait)),
        )
        self.feed_urls = FeedUrls(storage.feed_urls, storage.principals, clock)
        self.story_access = StoryAccess(
            storage.stories, storage.log, self.metering, agency, storage.media
        )
        self.webhooks = WebhookEndpoints(
            storage.webhooks,
            storage.log,
            clock,
            settings.webhook_allow_private,
            timedelta(seconds=settings.webhook_secret_grace_seconds),
        )
        self.webhook_parts = WebhookParts(
            storage.log,
            bus,
            storage.principals,
            storage.webhooks,
            self.metering,
            agency,
            clock,
            WebhookPolicy(
                settings.webhook_timeout,
                settings.webhook_retry_schedule,
                settings.webhook_allow_private,
            ),
            self.job_health,
        )
        self.embargo_scheduler = EmbargoScheduler(self.newsroom, storage.embargoes, bus, clock)
        desk_cue = DeskCue()
        self.desk = Desk(
            storage.drafts,
            storage.desk_config,
            DeskBook(storage.desk_config, settings.desk_stages or ("Incoming",), clock, desk_cue),
            storage.stories,
            self.newsroom,
            self.newsroom.sections,
            DeskPolicy(
                settings.desk_stages or ("Incoming",),
                timedelta(seconds=settings.desk_lock_seconds),
                Limits(
                    settings.desk_headline_chars,
                    settings.desk_summary_chars,
                    settings.desk_body_words,
                ),
            ),
            clock,
            desk_cue,
        )
        self.templates = Templates(storage.desk_config, self.desk, clock)
        self.search_columns = SearchColumns(
            storage.desk_config, self.desk.desks, self.searches, clock, desk_cue
        )
        self.story_records = StoryRecords(
            storage.stories, storage.log, storage.story_list, self.reports
        )
        self._build_identity(settings, storage, clock)
        # The subscriber portal reads through the same services, as the company's principal.
        self.portal_history = History(storage.portal, self.reports, clock)
        self.portal = Portal(self.searches, self.story_access, self.portal_history, clock)
        self.company_admin = Company(self.people, self.sign_in)
        self.console = Console(
            self.personal_keys,
            self.accounts,
            self.feed_urls,
            self.webhooks,
            self.reports,
            self.webhook_dispatcher,
            settings.webhook_timeout,
        )
        self.live_wire = LiveWire(self.streams, self.searches)
        self.alerts = Alerts(storage.portal, self.searches, clock)
        self.alert_job = AlertJob(
            storage.portal,
            self.alerts,
            storage.log,
            bus,
            storage.principals,
            storage.people,
            self.mailer,
            AlertLetters(settings.link_base, settings.site_name),
            clock,
            timedelta(minutes=settings.portal_digest_minutes),
        )
        self._build_media(settings, storage, clock)

    def _build_media(self, settings: Settings, storage: Storage, clock: SystemClock) -> None:
        self.media_library = MediaLibrary(
            storage.media, self.blobs, self.bus, clock, self.agency.code
        )
        secret = settings.media_signing_key or f"media-urls:{self.admin_token}"
        self.media_access = MediaAccess(
            storage.media,
            storage.log,
            self.blobs,
            storage.principals,
            RenditionUrls(secret.encode(), timedelta(seconds=settings.media_url_seconds)),
            clock,
            self.agency,
        )
        # The portal shows a story's pictures through the same media access as the API.
        self.portal.pictures = StoryPictures(self.media_access, clock, self.portal_history)
        self.portal.picture_wire = PictureWire(storage.media, self.media_access, clock)
        self.draft_pictures = DraftPictures(self.desk, self.media_library, storage.media)

    def _build_identity(self, settings: Settings, storage: Storage, clock: SystemClock) -> None:
        """Build the people who sign in: passwords, sessions, links, keys, the outbox."""
        if settings.session_cookie_secure not in ("auto", "always", "never"):
            raise ValueError("NEWSWIRE_SESSION_COOKIE_SECURE: expected auto, always or never")
        if settings.smtp_tls not in ("starttls", "tls", "none"):
            raise ValueError("NEWSWIRE_SMTP_TLS: expected starttls, tls or none")
        self.passwords = Passwords(
            HashParameters(
                settings.password_time_cost,
                settings.password_memory_kib,
                settings.password_parallelism,
            ),
            settings.password_min_length,
        )
        self.session_policy = SessionPolicy(
            timedelta(seconds=settings.session_idle_seconds),
            timedelta(seconds=settings.session_max_seconds),
        )
        self.session_watch = SessionWatcher(
            storage.sessions, clock, self.session_policy, settings.access_poll_seconds
        )
        # A principal cut on this node (a suspended company) ends its people's pages too.
        self.access.on_cut(self.session_watch.check_soon)
        self.smtp = SmtpConfig(
            host=settings.smtp_host,
            port=settings.smtp_port,
            username=settings.smtp_user,
            password=settings.smtp_password,
            sender=settings.smtp_from,
            tls=settings.smtp_tls,
            timeout=settings.smtp_timeout,
        )
        self.mailer = Mailer(storage.outbox, clock, enabled=self.smtp.configured)
        self.mail_sender = MailSender(
            storage.outbox,
            self.smtp,
            clock,
            settings.mail_retry_schedule,
            self.mailer.wake,
            settings.mail_poll_seconds,
        )
        self.password_links = PasswordLinks(
            storage.people,
            storage.credentials,
            self.passwords,
            self.mailer,
            self.session_watch,
            clock,
            settings.link_base,
            timedelta(hours=settings.password_link_hours),
            settings.site_name,
        )
        self.people = People(
            storage.people,
            storage.credentials,
            storage.principals,
            self.password_links,
            self.session_watch,
            self.access,
            clock,
            settings.site_languages,
            settings.seat_limit_default,
        )
        throttle_policy = ThrottlePolicy(
            settings.sign_in_account_failures,
            settings.sign_in_address_failures,
            timedelta(seconds=settings.sign_in_window_seconds),
        )
        self.sign_in = SignIn(
            storage.people,
            storage.credentials,
            storage.sessions,
            storage.principals,
            self.passwords,
            SignInThrottle(storage.sign_in_failures, clock, throttle_policy),
            self.session_watch,
            clock,
            self.session_policy,
        )
        self.personal_keys = PersonalKeys(storage.credentials, self.access, clock)
        self.housekeeping = Housekeeping(
            storage.sessions,
            storage.sign_in_failures,
            storage.outbox,
            clock,
            self.session_policy,
            throttle_policy,
            timedelta(days=settings.mail_keep_days),
        )

    @classmethod
    def from_settings(cls, settings: Settings, run_jobs: bool = False) -> Runtime:
        """Open storage and bus as the settings say; generate an admin token when none is set."""
        clock = SystemClock()
        return cls(
            settings=settings,
            storage=open_storage(settings.db, clock),
            bus=open_bus(settings.bus),
            agency=agency_from(settings),
            admin_token=settings.admin_token or "nwa_" + secrets.token_urlsafe(32),
            clock=clock,
            run_jobs=run_jobs,
        )

    @property
    def jobs(self) -> list[Job]:
        """The background jobs: embargoes, webhooks, mail (when SMTP is set), housekeeping."""
        parts = self.webhook_parts
        jobs = [
            Job("embargo-release", self.embargo_scheduler.run),
            Job("media-embargo-release", self.media_library.run_embargoes),
            Job("webhooks", lambda stop: deliver_webhooks(parts, stop)),
            Job("identity-housekeeping", self.housekeeping.run),
            Job("portal-alerts", self.alert_job.run),
            Job("idempotency-keys", self.idempotency.run),
        ]
        if self.smtp.configured:
            jobs.append(Job("mail", self.mail_sender.run))
        return jobs

    def webhook_dispatcher(self, client: httpx.AsyncClient) -> Dispatcher:
        """Return a webhook dispatcher sending through `client` (tests drive one by hand)."""
        return Dispatcher(self.webhook_parts, client)

    async def start(self) -> None:
        """Migrate the database, connect the bus, and start background jobs if asked to."""
        await self.storage.migrate()
        if isinstance(self.blobs, FilesystemBlobStore):
            # What a writer that died mid-upload left: never named by any version.
            await asyncio.to_thread(self.blobs.remove_partial_writes)
        await self.bus.start()
        await self.bus.announce(await self.storage.log.last_seq())
        self.stopping.clear()
        if self.run_jobs:
            self._tasks = start_jobs(self.jobs, self.stopping, self.job_health)
        self._spawn(self.usage.run(self.stopping), "usage-recorder")
        self._spawn(self.access.run(self.stopping), "access-watcher")
        self._spawn(self.session_watch.run(self.stopping), "session-watcher")
        if needs_announcer(self.bus):
            # On a bus shared by several nodes, re-announce what a crash left unannounced.
            self._spawn(announce_log(self.storage.log, self.bus, self.stopping), "log-announcer")

    def _spawn(self, work: Any, name: str) -> None:
        self._tasks.append(asyncio.create_task(work, name=name))

    @contextlib.asynccontextmanager
    async def lifespan(self, _app: Any) -> AsyncIterator[None]:
        """Run the runtime for as long as an ASGI app serves (its lifespan)."""
        await self.start()
        try:
            yield
        finally:
            await self.stop()

    async def stop(self) -> None:
        """Stop background jobs, disconnect the bus and close the database."""
        self.stopping.set()
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        self._tasks = []
        try:
            await self.usage.flush()  # the records of the last interval
        except Exception as error:
            log.warning("usage records lost at shutdown (%d): %r", self.usage.pending, error)
        await self.bus.close()
        await self.blobs.close()
        await self.storage.close()
