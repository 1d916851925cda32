"""Topics and alerts: a company's saved searches, and each person's alerts on them.

A topic is a saved search of the company's principal (`search.Searches`),
made from any portal search and followed in the wire view. A person may ask
to hear of new stories on a topic immediately (one e-mail per story) or in a
digest (one e-mail now and then listing them); either way each story also
lands in the portal's notification list. Finding the stories is the alert
job's (`alert_job.py`); this module holds what a person does, and the signed
unsubscribe links that work without signing in.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from dataclasses import dataclass

from newswire.models.clock import Clock
from newswire.models.errors import Invalid, NotFound
from newswire.models.people import Person
from newswire.models.portal import Alert, AlertMode, Notification
from newswire.models.principals import Principal
from newswire.search.beats import SavedSearch
from newswire.search.params import SearchParams
from newswire.search.service import Searches
from newswire.storage.portal_interfaces import PortalStore

SIGNING_KEY = "unsubscribe-key"
NOTIFICATIONS_SHOWN = 100
MAX_TOPIC_NAME = 200


@dataclass(frozen=True)
class TopicAlerts:
    """A company's topics, and the alert the signed-in person keeps on each (if any)."""

    topics: list[SavedSearch]
    alerts: dict[str, Alert]  # by topic id


@dataclass(eq=False)
class Alerts:
    """Topics, people's alerts on them, their notifications, and unsubscribing."""

    store: PortalStore
    searches: Searches
    clock: Clock

    async def save_topic(
        self, principal: Principal, name: str, params: SearchParams
    ) -> SavedSearch:
        """Keep a search as one of the company's topics (checked like the API's saved search)."""
        name = name.strip()
        if not name:
            raise Invalid("give the topic a name", "name")
        if len(name) > MAX_TOPIC_NAME:
            raise Invalid(f"a topic's name has at most {MAX_TOPIC_NAME} characters", "name")
        return await self.searches.save(principal, name, params)

    async def delete_topic(self, principal: Principal, topic_id: str) -> None:
        """Delete one of the company's topics, and every alert on it."""
        await self.searches.delete(principal, topic_id)
        for alert in await self.store.alerts():
            if alert.topic_id == topic_id:
                await self.store.delete_alert(alert.id)

    async def of(self, person: Person, principal: Principal) -> TopicAlerts:
        """Return the company's topics and this person's alerts on them."""
        topics = await self.searches.saved_of(principal)
        alerts = {alert.topic_id: alert for alert in await self.store.alerts(person.id)}
        return TopicAlerts(topics, alerts)

    async def follow(self, person: Person, principal: Principal, topic_id: str, mode: str) -> Alert:
        """Start (or change) a person's alert on one of their company's topics."""
        try:
            chosen = AlertMode(mode)
        except ValueError as error:
            raise Invalid("choose immediately or digest", "mode") from error
        await self.searches.owned(principal, topic_id, "topic")
        return await self.store.set_alert(person.id, principal.id, topic_id, chosen, self.clock())

    async def stop(self, person: Person, alert_id: str) -> None:
        """End one of a person's alerts."""
        alert = await self.store.alert(alert_id)
        if alert is None or alert.person_id != person.id:
            raise NotFound(f"no alert {alert_id} of yours", "alert")
        await self.store.delete_alert(alert_id)

    async def notifications(self, person: Person) -> list[Notification]:
        """Return the stories a person heard of through alerts, newest first."""
        return await self.store.notifications(person.id, NOTIFICATIONS_SHOWN)

    async def _key(self) -> bytes:
        # One random key per database, made the first time it is needed, so every
        # node signs and checks links alike and a restart keeps old links working.
        kept = await self.store.set_state(
            SIGNING_KEY, secrets.token_urlsafe(32), only_if_absent=True
        )
        return kept.encode()

    async def unsubscribe_token(self, alert: Alert) -> str:
        """Return the token of an alert's unsubscribe link: its id, signed."""
        signature = hmac.new(await self._key(), alert.id.encode(), hashlib.sha256).digest()
        return f"{alert.id}.{base64.urlsafe_b64encode(signature[:18]).decode()}"

    async def alert_of_token(self, token: str) -> Alert:
        """Return the alert an unsubscribe token names; NotFound for a forged or spent one."""
        alert_id, _, _signature = token.partition(".")
        alert = await self.store.alert(alert_id)
        if alert is None or not hmac.compare_digest(await self.unsubscribe_token(alert), token):
            raise NotFound("this unsubscribe link is not valid or was already used", "token")
        return alert

    async def unsubscribe(self, token: str) -> Alert:
        """End the alert an unsubscribe link names (no sign-in needed: the link is signed)."""
        alert = await self.alert_of_token(token)
        await self.store.delete_alert(alert.id)
        return alert
