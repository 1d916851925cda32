"""The webhook dispatcher: a background job that delivers the log to every active endpoint.

Each due endpoint is served by its own task (up to MAX_ENDPOINTS at once),
so a slow or dead receiver delays nobody else. A task owns its endpoint
through a lease in storage, reads the log after the endpoint's cursor with a
`LogReader` for the endpoint's subscriber (the one entitlement check), and
sends one event at a time: the cursor moves past an event only after a 2xx.
All state (cursor, attempt count, next attempt time) is in the database, so
a restart carries on where the last process stopped: at least once, in order.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import secrets
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import httpx

from newswire.accounts.metering import Metering
from newswire.bus import Bus
from newswire.delivery.envelopes import Unrenderable, envelope_json
from newswire.delivery.formats import Agency
from newswire.delivery.reader import POLL_SECONDS, Delivery, LogReader, usage_items
from newswire.delivery.webhooks.endpoints import Unresolvable, UnsafeURL, check_url, pin
from newswire.delivery.webhooks.retries import Action, Outcome, next_step, parse_retry_after
from newswire.delivery.webhooks.signing import signed_headers, webhook_id
from newswire.jobs.supervisor import pause
from newswire.models.clock import Clock
from newswire.models.principals import PrincipalStatus
from newswire.models.usage import Channel
from newswire.models.webhooks import DeliveryAttempt, EndpointStatus, WebhookEndpoint
from newswire.monitoring.health import JobHealth
from newswire.monitoring.metrics import record_delivery
from newswire.storage.interfaces import LogReads, PrincipalStore, WebhookStore

log = logging.getLogger("newswire.delivery.webhooks")

# Endpoints served at the same time by one process.
MAX_ENDPOINTS = 64
# Events read from the log per query for one endpoint.
PAGE = 20
# A lease outlives the request it covers by this much.
LEASE_MARGIN_SECONDS = 5.0
# How often a 2xx that could not be recorded (the database went away) is retried.
RECORD_RETRY_SECONDS = (0.1, 0.2, 0.5, 1.0)


@dataclass(frozen=True)
class WebhookPolicy:
    """How webhooks are sent: the request timeout, the retry schedule, private addresses."""

    timeout: float = 15.0
    retry_schedule: tuple[float, ...] = (0.0, 5.0, 300.0)
    allow_private: bool = False


@dataclass(frozen=True)
class WebhookParts:
    """What the dispatcher works with: the log, the subscribers, webhook state, the meter."""

    log: LogReads
    bus: Bus
    principals: PrincipalStore
    webhooks: WebhookStore
    metering: Metering
    agency: Agency
    clock: Clock
    policy: WebhookPolicy
    health: JobHealth = field(default_factory=JobHealth)


class Dispatcher:
    """Leases due endpoints and serves each in its own task."""

    def __init__(self, parts: WebhookParts, client: httpx.AsyncClient) -> None:
        self.parts = parts
        self.webhooks = parts.webhooks
        self.policy = parts.policy
        self.client = client
        self.worker = f"{os.uname().nodename}:{os.getpid()}:{secrets.token_hex(4)}"
        self.lease_seconds = self.policy.timeout + LEASE_MARGIN_SECONDS
        # Endpoints whose last 2xx is not recorded yet: nothing is leased (so nothing
        # is resent) until every one of them is (see _record_delivered).
        self.unrecorded: set[str] = set()
        # Leases a task could not give back (the database was away): given back as
        # soon as it answers, so delivery resumes then, not when the lease runs out.
        self.unreleased: dict[str, str] = {}

    def _now(self) -> datetime:
        return self.parts.clock()

    async def run(self, stop: asyncio.Event) -> None:
        """Serve due endpoints until stop is set; wake on new events, finished tasks and a poll."""
        tasks: set[asyncio.Task[None]] = set()
        woken = asyncio.Event()

        def finished(task: asyncio.Task[None]) -> None:
            tasks.discard(task)
            woken.set()

        try:
            while not stop.is_set():
                woken.clear()
                seen = self.parts.bus.latest
                await self._release_leftovers()
                free = 0 if self.unrecorded else MAX_ENDPOINTS - len(tasks)
                for endpoint, holder in await self.lease_due(free):
                    task = asyncio.create_task(
                        self.serve(endpoint, holder, stop), name=f"webhook:{endpoint.id}"
                    )
                    tasks.add(task)
                    task.add_done_callback(finished)
                await _first_of(
                    self.parts.bus.wait_beyond(seen, POLL_SECONDS), woken.wait(), stop.wait()
                )
        finally:
            for task in list(tasks):
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)

    async def lease_due(self, free: int) -> list[tuple[WebhookEndpoint, str]]:
        """Take the lease on due endpoints, one per free task slot, each under its own holder.

        The holder names one task, not this process: a task that finishes and
        releases its lease can then never release the lease of the task that
        serves the same endpoint after it.
        """
        leased: list[tuple[WebhookEndpoint, str]] = []
        while len(leased) < free:
            holder = f"{self.worker}:{secrets.token_hex(4)}"
            now = self._now()
            until = now + timedelta(seconds=self.lease_seconds)
            taken = await self.webhooks.lease_due(holder, now, until, 1)
            if not taken:
                break
            leased.append((taken[0], holder))
        return leased

    async def serve(self, endpoint: WebhookEndpoint, holder: str, stop: asyncio.Event) -> None:
        """Deliver an endpoint's backlog in order until it is caught up, paused, or must wait."""
        try:
            await self._serve(endpoint, holder, stop)
        except asyncio.CancelledError:
            raise
        except Exception as error:
            log.exception("webhook endpoint %s: delivery loop failed; will retry", endpoint.id)
            self.parts.health.failed("webhooks", f"endpoint {endpoint.id}: {error!r}")
        finally:
            try:
                await asyncio.shield(self.webhooks.release_endpoint(endpoint.id, holder))
            except Exception:
                self.unreleased[endpoint.id] = holder

    async def _release_leftovers(self) -> None:
        """Give back the leases tasks could not release; keep those that still fail."""
        for endpoint_id, holder in list(self.unreleased.items()):
            try:
                await self.webhooks.release_endpoint(endpoint_id, holder)
            except Exception:
                return  # still away: try again on the next round
            del self.unreleased[endpoint_id]

    async def _serve(self, endpoint: WebhookEndpoint, holder: str, stop: asyncio.Event) -> None:
        principal = await self.parts.principals.by_id(endpoint.principal_id)
        if principal is None:
            await self.webhooks.pause_endpoint(
                endpoint.id, holder, EndpointStatus.DISABLED, "the subscriber no longer exists"
            )
            return
        if principal.status is not PrincipalStatus.ACTIVE:
            return  # suspended: not leased again until resumed (webhook_store)
        reader = LogReader(self.parts.log, self.parts.bus, principal)
        meter = self.parts.metering.meter(principal, Channel.WEBHOOK, principal.format)
        cursor, attempts = endpoint.cursor, endpoint.attempt
        lease_until = self._now()  # unknown until the first renewal: renew first
        while not stop.is_set():
            page = await reader.read(cursor, PAGE)
            if not page.deliveries:
                if page.next != cursor:  # events none of which were for this subscriber
                    await self.webhooks.advance_cursor(endpoint.id, holder, page.next, self._now())
                return
            for delivery in page.deliveries:
                while True:
                    held, lease_until = await self._keep_lease(endpoint.id, holder, lease_until)
                    if not held:
                        return  # re-enabled, replayed, deleted or suspended meanwhile
                    if not await meter.grant(1):
                        # Daily quota used up: wait for the reset. Neither a failure
                        # (the attempt count stays) nor a skip (the cursor stays).
                        await self.webhooks.schedule_retry(
                            endpoint.id, holder, attempts, meter.quotas.resets_at(), self._now()
                        )
                        return
                    attempts += 1
                    try:
                        outcome, record = await self._send(
                            endpoint, principal.format, delivery, attempts
                        )
                    except BaseException:
                        meter.give_back(1)
                        raise
                    if outcome.succeeded:
                        meter.delivered(usage_items([delivery]), delivery.resume_cursor)
                    else:
                        meter.give_back(1)
                    step = next_step(outcome, attempts, self.policy.retry_schedule)
                    if step.action is Action.DONE:
                        # resume_cursor, not seq: a flash item sent ahead of
                        # routine ones must not move the cursor past them.
                        cursor, attempts = delivery.resume_cursor, 0
                        # The attempt, the cursor and a fresh lease in one commit.
                        held, lease_until = await self._record_delivered(
                            endpoint.id, holder, cursor, record, stop
                        )
                        if not held:
                            return
                        break
                    await self.webhooks.add_attempt(record)
                    if step.action is Action.PAUSE:
                        assert step.status is not None
                        log.warning("webhook endpoint %s paused: %s", endpoint.id, step.reason)
                        await self.webhooks.pause_endpoint(
                            endpoint.id, holder, step.status, step.reason
                        )
                        return
                    at = self._now() + timedelta(seconds=step.delay)
                    # The lease runs out when the retry is due: if we die, another
                    # worker (or the restarted process) takes over on time.
                    held = await self.webhooks.schedule_retry(
                        endpoint.id, holder, attempts, at, lease_until=at
                    )
                    if not held or step.delay > POLL_SECONDS * 5:
                        return  # a long wait: the dispatcher picks it up when due
                    await pause(stop, step.delay)
                    if stop.is_set():
                        return
            # Caught up to the last delivery of this page; read on from there.

    async def _record_delivered(
        self,
        endpoint_id: str,
        holder: str,
        cursor: int,
        record: DeliveryAttempt,
        stop: asyncio.Event,
    ) -> tuple[bool, datetime]:
        """Record a 2xx and move the cursor past it, retrying until the database answers.

        The receiver has the event: sending it again would be a duplicate. So a
        failed write is retried (quickly, so delivery resumes as soon as the
        database is back) before anything else happens, and meanwhile this
        dispatcher leases nothing. Returns (lease still held, lease end).
        """
        delays = iter(RECORD_RETRY_SECONDS)
        delay = 0.0
        while True:
            lease_until = self._lease_end()
            try:
                held = await self.webhooks.advance_cursor(
                    endpoint_id, holder, cursor, lease_until, record
                )
            except Exception as error:
                if endpoint_id not in self.unrecorded:
                    log.warning(
                        "webhook endpoint %s: delivered seq %s but could not record it (%r); "
                        "retrying before anything is resent",
                        endpoint_id,
                        record.seq,
                        error,
                    )
                self.unrecorded.add(endpoint_id)
                delay = next(delays, delay)
                if stop.is_set():
                    raise
                await pause(stop, delay)
                continue
            self.unrecorded.discard(endpoint_id)
            return held, lease_until

    def _lease_end(self) -> datetime:
        return self._now() + timedelta(seconds=self.lease_seconds)

    async def _keep_lease(
        self, endpoint_id: str, holder: str, lease_until: datetime
    ) -> tuple[bool, datetime]:
        """Make sure the lease covers one more attempt; return (still held, lease end).

        While the lease runs long enough for a whole attempt (the cursor's last
        commit extended it), no other worker can take it, so a read tells
        whether it was broken or the subscriber suspended; only a lease about to
        run out costs a write. That is one commit fewer per delivery.
        """
        now = self._now()
        attempt_time = timedelta(seconds=self.policy.timeout + 1)
        if lease_until - now > attempt_time:
            return await self.webhooks.holds_lease(endpoint_id, holder, now), lease_until
        until = self._lease_end()
        return await self.webhooks.renew_lease(endpoint_id, holder, until), until

    async def attempt(
        self, endpoint: WebhookEndpoint, format_name: str, delivery: Delivery, attempt: int
    ) -> Outcome:
        """Send one event to an endpoint, record the attempt, and return how it went."""
        outcome, record = await self._send(endpoint, format_name, delivery, attempt)
        await self.webhooks.add_attempt(record)
        return outcome

    async def _send(
        self, endpoint: WebhookEndpoint, format_name: str, delivery: Delivery, attempt: int
    ) -> tuple[Outcome, DeliveryAttempt]:
        """Send one event to an endpoint; return how it went and the attempt to record."""
        body = envelope_json(delivery, format_name, self.parts.agency)
        message_id = webhook_id(delivery.seq)
        now = self._now()
        started = time.monotonic()
        outcome = await self._post(endpoint, body, message_id, now)
        record_delivery(outcome.label)
        record = DeliveryAttempt(
            endpoint_id=endpoint.id,
            seq=delivery.seq,
            event_type=delivery.type.value,
            webhook_id=message_id,
            attempt=attempt,
            status_code=outcome.status_code,
            latency_ms=round((time.monotonic() - started) * 1000),
            error=outcome.error or _render_problem(body),
            created_at=now,
        )
        return outcome, record

    async def test_send(self, endpoint: WebhookEndpoint) -> DeliveryAttempt:
        """Send an endpoint one signed `webhook.test` event and record the attempt (seq 0).

        The same request as a delivery (SSRF guard, pinned address, Standard
        Webhooks signature), carrying no story: it moves no cursor and counts
        against no quota.
        """
        now = self._now()
        message_id = f"evt_test_{secrets.token_hex(6)}"
        body = json.dumps(
            {"type": "webhook.test", "endpoint_id": endpoint.id, "sent_at": now.isoformat()},
            separators=(",", ":"),
        )
        started = time.monotonic()
        outcome = await self._post(endpoint, body, message_id, now)
        attempt = DeliveryAttempt(
            endpoint_id=endpoint.id,
            seq=0,
            event_type="webhook.test",
            webhook_id=message_id,
            attempt=1,
            status_code=outcome.status_code,
            latency_ms=round((time.monotonic() - started) * 1000),
            error=outcome.error,
            created_at=now,
        )
        await self.webhooks.add_attempt(attempt)
        return attempt

    async def _post(
        self, endpoint: WebhookEndpoint, body: str, message_id: str, now: datetime
    ) -> Outcome:
        try:
            address = await check_url(endpoint.url, self.policy.allow_private)
        except Unresolvable as error:
            return Outcome(None, str(error))
        except UnsafeURL as error:
            return Outcome(None, f"refused: {error}", refused=True)
        target = pin(endpoint.url, address)
        headers = {
            **signed_headers(message_id, body, endpoint.secrets_at(now), now),
            **target.headers,
        }
        try:
            # Streamed and closed unread: a receiver's answer body is not ours to hold.
            async with self.client.stream(
                "POST",
                target.url,
                content=body.encode(),
                headers=headers,
                extensions=target.extensions,
            ) as response:
                code = response.status_code
                retry_after = parse_retry_after(response.headers.get("retry-after"), self._now())
        except httpx.TimeoutException:
            return Outcome(None, f"timed out after {self.policy.timeout:g} s")
        except httpx.HTTPError as error:
            return Outcome(None, f"{type(error).__name__}: {error}"[:500])
        return Outcome(code, "" if 200 <= code < 300 else f"HTTP {code}", retry_after)


def _render_problem(body: str) -> str:
    """Say on the attempt when the receiver got an error notice instead of the item."""
    if isinstance(body, Unrenderable):
        return f"sent without its item, which failed to render: {body.problem}"[:500]
    return ""


async def _first_of(*waits: object) -> None:
    tasks = [asyncio.ensure_future(wait) for wait in waits]  # type: ignore[call-overload]
    try:
        await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)


async def deliver_webhooks(parts: WebhookParts, stop: asyncio.Event) -> None:
    """Deliver the wire to every active webhook endpoint until stop is set (a background job)."""
    async with httpx.AsyncClient(timeout=parts.policy.timeout, follow_redirects=False) as client:
        await Dispatcher(parts, client).run(stop)
