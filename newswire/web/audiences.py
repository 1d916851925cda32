"""The two people-facing areas and what differs between them: path, cookie, audience, title."""

from __future__ import annotations

from dataclasses import dataclass

from newswire.identity.links import SET_PASSWORD_PATHS
from newswire.models.people import Audience


@dataclass(frozen=True)
class WebAudience:
    """One area of the site people sign in to: the desk (staff) or the portal (company users).

    Each has its own session cookie, scoped to its path, so a browser can be
    signed in to both with different accounts and a portal page never
    receives the desk's cookie.
    """

    audience: Audience
    prefix: str  # "/desk"
    cookie: str  # the session cookie's name
    title: str  # the area's name in the interface (English; translated by the catalog)
    home: str  # where signing in leads when no page asked for it

    @property
    def sign_in_path(self) -> str:
        """Return the path of this area's sign-in page."""
        return f"{self.prefix}/sign-in"

    @property
    def set_password_path(self) -> str:
        """Return the path prefix of this area's set-password links (the token follows)."""
        return SET_PASSWORD_PATHS[self.audience]

    def is_own_path(self, path: str) -> bool:
        """Tell whether a path is in this area (where `next` may lead after signing in)."""
        return (path == self.prefix or path.startswith(self.prefix + "/")) and not path.startswith(
            "//"
        )


# Each audience's `home` is where signing in lands: the desk's board, the portal's wire.
DESK = WebAudience(Audience.STAFF, "/desk", "nw_desk_session", "Newsroom desk", "/desk/")
PORTAL = WebAudience(
    Audience.SUBSCRIBER, "/portal", "nw_portal_session", "Subscriber portal", "/portal/"
)
AUDIENCES = (DESK, PORTAL)


def web_audience(audience: Audience) -> WebAudience:
    """Return the area an audience signs in to."""
    return DESK if audience is Audience.STAFF else PORTAL
