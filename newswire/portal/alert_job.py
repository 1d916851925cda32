"""The alert job: follows the log, tells people of new stories on their topics, sends digests.

It reads the log from its own cursor (kept in the database, so a restart or
a second worker carries on where it stopped) and asks, for each topic people
follow, the same `LogReader` every channel uses, with the topic's beat and
the company's principal: so an alert only ever names a story the company
receives, decided by the one entitlement check. A new story (`published`)
on a topic becomes a notification per person (once per person and story,
however many topics match) and, for immediate alerts, a mail in the outbox
keyed `alert:<story>`: queued again after a crash it is still sent once to
each address, and the outbox retries it for as long as SMTP is down.
Digests gather the waiting notifications of each person every
`digest_every` and go out as one mail whose key names what it lists.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import secrets
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from newswire.bus import Bus
from newswire.delivery.reader import Delivery, LogReader
from newswire.identity.mailer import Mailer
from newswire.models.clock import Clock
from newswire.models.errors import NotFound
from newswire.models.people import Person, PersonStatus
from newswire.models.portal import Alert, AlertMode, Notification
from newswire.models.principals import Principal, PrincipalStatus
from newswire.models.stories import EventType
from newswire.portal.alert_mail import AlertLetters
from newswire.portal.alerts import Alerts
from newswire.search.beats import Beat, SavedSearch
from newswire.storage.identity_interfaces import PeopleStore
from newswire.storage.interfaces import LogStore, PrincipalStore
from newswire.storage.portal_interfaces import PortalStore

log = logging.getLogger("newswire.portal.alerts")

CURSOR = "alerts-cursor"
DIGEST_DUE = "digest-due"
BATCH = 500
POLL_SECONDS = 1.0


@dataclass(eq=False)
class AlertJob:
    """Turns new stories on followed topics into notifications and mail."""

    store: PortalStore
    alerts: Alerts
    log: LogStore
    bus: Bus
    principals: PrincipalStore
    people: PeopleStore
    mailer: Mailer
    letters: AlertLetters
    clock: Clock
    digest_every: timedelta

    async def run(self, stop: asyncio.Event) -> None:
        """Scan and send digests until stop is set (a supervised job)."""
        while not stop.is_set():
            await self.scan()
            await self.send_digests()
            cursor = int(await self.store.state(CURSOR) or 0)
            waiting = asyncio.create_task(self.bus.wait_beyond(cursor, POLL_SECONDS))
            stopping = asyncio.create_task(stop.wait())
            await asyncio.wait({waiting, stopping}, return_when=asyncio.FIRST_COMPLETED)
            for task in (waiting, stopping):
                task.cancel()

    async def _cursor(self) -> int:
        # The first run starts at the head: alerts are for what is filed from now on.
        head = await self.log.last_seq()
        return int(await self.store.set_state(CURSOR, str(head), only_if_absent=True))

    async def scan(self) -> int:
        """Read the log once past the cursor; return how many notifications were new."""
        cursor = await self._cursor()
        entries = await self.log.entries_after(cursor, BATCH)
        if not entries:
            return 0
        by_topic: dict[tuple[str, str], list[Alert]] = defaultdict(list)
        for alert in await self.store.alerts():
            by_topic[(alert.principal_id, alert.topic_id)].append(alert)
        people: dict[str, Person | None] = {}
        candidates: list[tuple[Notification, Alert, Person, Delivery, SavedSearch]] = []
        for (principal_id, topic_id), alerts in by_topic.items():
            found = await self._topic(principal_id, topic_id)
            if found is None:
                continue
            principal, topic = found
            reader = LogReader(
                self.log, self.bus, principal, beat=Beat(topic, self.log.entries_for_story)
            )
            for delivery in await reader.decide(entries):
                if delivery.type is not EventType.PUBLISHED:
                    continue
                for alert in alerts:
                    person = await self._person(alert.person_id, people)
                    if person is not None:
                        candidates.append(
                            (self._notification(alert, delivery), alert, person, delivery, topic)
                        )
        added = await self.store.add_notifications([each[0] for each in candidates])
        for _notification, alert, person, delivery, topic in candidates:
            if alert.mode is AlertMode.IMMEDIATE:
                # Queued again after a crash, the outbox still sends it once per address.
                token = await self.alerts.unsubscribe_token(alert)
                await self.mailer.enqueue(self.letters.story(person, topic, delivery, token))
        await self.store.set_state(CURSOR, str(entries[-1].event.seq))
        return len(added)

    async def _topic(
        self, principal_id: str, topic_id: str
    ) -> tuple[Principal, SavedSearch] | None:
        principal = await self.principals.by_id(principal_id)
        if principal is None or principal.status is not PrincipalStatus.ACTIVE:
            return None  # a suspended company hears nothing, as its streams hear nothing
        try:
            return principal, await self.alerts.searches.owned(principal, topic_id, "topic")
        except NotFound:
            return None

    async def _person(self, person_id: str, seen: dict[str, Person | None]) -> Person | None:
        if person_id not in seen:
            person = await self.people.person(person_id)
            seen[person_id] = person if person and person.status is PersonStatus.ACTIVE else None
        return seen[person_id]

    def _notification(self, alert: Alert, delivery: Delivery) -> Notification:
        story = delivery.entry.story
        return Notification(
            id=secrets.token_hex(10),
            person_id=alert.person_id,
            alert_id=alert.id,
            topic_id=alert.topic_id,
            story_id=story.story_id,
            version=story.version,
            headline=story.headline,
            created_at=self.clock(),
            digest_pending=alert.mode is AlertMode.DIGEST,
        )

    async def _digest_due(self, now: datetime) -> bool:
        due = await self.store.set_state(
            DIGEST_DUE, (now + self.digest_every).isoformat(), only_if_absent=True
        )
        return now >= datetime.fromisoformat(due)

    async def send_digests(self, force: bool = False) -> int:
        """Send each person their waiting notifications as one mail, when due; return how many."""
        now = self.clock()
        if not force and not await self._digest_due(now):
            return 0
        waiting: dict[str, list[Notification]] = defaultdict(list)
        for notification in await self.store.pending_digests():
            waiting[notification.person_id].append(notification)
        sent = 0
        for person_id, notifications in waiting.items():
            person = await self.people.person(person_id)
            if person is not None and person.status is PersonStatus.ACTIVE:
                ids = sorted(each.id for each in notifications)
                key = "digest:" + hashlib.sha256(",".join(ids).encode()).hexdigest()[:24]
                tokens = {}
                for alert_id in {each.alert_id for each in notifications}:
                    alert = await self.store.alert(alert_id)
                    if alert is not None:
                        tokens[alert_id] = await self.alerts.unsubscribe_token(alert)
                mail = self.letters.digest(person, notifications, tokens, key)
                await self.mailer.enqueue(mail)
                sent += 1
            await self.store.digested([each.id for each in notifications])
        await self.store.set_state(DIGEST_DUE, (now + self.digest_every).isoformat())
        return sent
