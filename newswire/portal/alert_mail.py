"""The alert mails: one story on a topic, or a digest of several, in the person's language."""

from __future__ import annotations

from dataclasses import dataclass

from newswire.delivery.reader import Delivery
from newswire.models.mail import OutgoingMail
from newswire.models.people import Person
from newswire.models.portal import Notification
from newswire.portal.i18n import PORTAL_STRINGS
from newswire.search.beats import SavedSearch
from newswire.web.i18n import PEOPLE, Interface

STRINGS = PEOPLE.merged(PORTAL_STRINGS)
FOLLOWING = "You follow the topic {topic} on {site}."


@dataclass(frozen=True)
class AlertLetters:
    """Writes alert mails with links back to the portal and signed unsubscribe links."""

    base_url: str
    site_name: str

    def _links(self, story_id: str) -> str:
        return f"{self.base_url.rstrip('/')}/portal/stories/{story_id}"

    def unsubscribe_url(self, token: str) -> str:
        """Return the address of an unsubscribe link (it works without signing in)."""
        return f"{self.base_url.rstrip('/')}/portal/unsubscribe/{token}"

    def story(
        self, person: Person, topic: SavedSearch, delivery: Delivery, token: str
    ) -> OutgoingMail:
        """Return the mail telling a person of one new story on a topic."""
        ui = Interface(person.language, STRINGS)
        story = delivery.entry.story
        text = "\n\n".join(
            part
            for part in (
                story.headline,
                story.summary,
                f"{ui('Read it')}: {self._links(story.story_id)}",
                ui(FOLLOWING, topic=topic.name, site=self.site_name),
                f"{ui('Stop these alerts')}: {self.unsubscribe_url(token)}",
            )
            if part
        )
        return OutgoingMail(
            to=person.email,
            subject=f"[{topic.name}] {story.headline}",
            text=text + "\n",
            key=f"alert:{story.story_id}",
        )

    def digest(
        self,
        person: Person,
        notifications: list[Notification],
        tokens: dict[str, str],
        key: str,
    ) -> OutgoingMail:
        """Return the digest mail listing the stories a person's digest alerts found."""
        ui = Interface(person.language, STRINGS)
        lines = [ui("New stories on your topics:"), ""]
        for each in notifications:
            lines += [f"* {each.headline}", f"  {self._links(each.story_id)}"]
        lines.append("")
        for _alert_id, token in sorted(tokens.items()):
            lines.append(f"{ui('Stop these alerts')}: {self.unsubscribe_url(token)}")
        return OutgoingMail(
            to=person.email,
            subject=ui("{count} new stories on your topics", count=len(notifications)),
            text="\n".join(lines) + "\n",
            key=key,
        )
