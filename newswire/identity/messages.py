"""The mail people get from newswire's identity system, in their interface language."""

from __future__ import annotations

from datetime import datetime

from newswire.models.mail import OutgoingMail
from newswire.models.people import Audience, Person

_TEXTS: dict[str, dict[str, str]] = {
    "en": {
        "subject": "Set your password for {site}",
        "body": (
            "Hello {name},\n\n"
            "An account on {site} ({place}) is waiting for you. Set your password here:\n\n"
            "{link}\n\n"
            "The link works once, until {expires} (UTC). If you did not expect this message,\n"
            "ignore it: nothing happens until the link is used.\n"
        ),
        "desk": "the newsroom desk",
        "portal": "the subscriber portal",
    },
    "tr": {
        "subject": "{site} için parolanızı belirleyin",
        "body": (
            "Merhaba {name},\n\n"
            "{site} ({place}) üzerinde sizin için bir hesap açıldı. Parolanızı buradan "
            "belirleyin:\n\n"
            "{link}\n\n"
            "Bağlantı bir kez ve {expires} (UTC) saatine kadar çalışır. Bu iletiyi "
            "beklemiyorsanız\nyok sayın: bağlantı kullanılmadıkça hiçbir şey olmaz.\n"
        ),
        "desk": "haber masası",
        "portal": "abone portalı",
    },
}


def password_link_mail(
    person: Person, link: str, expires_at: datetime, site: str, key: str
) -> OutgoingMail:
    """Return the message that carries a person's one-time set-password link."""
    texts = _TEXTS.get(person.language.split("-")[0].lower(), _TEXTS["en"])
    place = texts["desk"] if person.audience is Audience.STAFF else texts["portal"]
    values = {
        "name": person.name,
        "site": site,
        "place": place,
        "link": link,
        "expires": expires_at.strftime("%d.%m.%Y %H:%M"),
    }
    return OutgoingMail(
        to=person.email,
        subject=texts["subject"].format(**values),
        text=texts["body"].format(**values),
        key=key,
    )
