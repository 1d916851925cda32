"""The company's history and usage: what its users viewed and downloaded, against the quota.

Every story page a company user opens and every file they download is kept
as an `Activity` (who, what, when, in which format). The usage page puts it
beside the company's deliveries today on every channel and its daily quota
(`accounts.Reports`, the API's own account report); the CSV export is the
same list, for the company's own records.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import datetime, timedelta

from newswire.accounts.reports import AccountReport, Reports
from newswire.models.clock import Clock
from newswire.models.people import Person
from newswire.models.portal import Activity, ActivityKind
from newswire.models.principals import Principal
from newswire.models.stories import StoryVersion
from newswire.storage.portal_interfaces import PortalStore

SHOWN = 200
EXPORTED = 100_000
CSV_COLUMNS = ("time", "user", "action", "story", "version", "headline", "format")


@dataclass(frozen=True)
class UsageView:
    """The usage page: the account report (quota, today's deliveries) and recent activity."""

    account: AccountReport
    activity: list[Activity]


@dataclass(eq=False)
class History:
    """Keeps and reports what a company's users took from the portal."""

    store: PortalStore
    reports: Reports
    clock: Clock

    async def took(
        self, person: Person, kind: ActivityKind, stories: list[StoryVersion], format_name: str
    ) -> None:
        """Keep that a person viewed or downloaded stories."""
        now = self.clock()
        await self.store.record(
            [
                Activity(
                    person.principal_id,
                    person.id,
                    person.name,
                    kind,
                    story.story_id,
                    story.version,
                    story.headline,
                    format_name,
                    now,
                )
                for story in stories
            ]
        )

    async def usage(self, principal: Principal) -> UsageView:
        """Return the company's quota and deliveries today, and its users' recent activity."""
        account = await self.reports.account(principal)
        return UsageView(account, await self.store.activity(principal.id, None, SHOWN))

    async def csv(self, principal: Principal, days: int = 31) -> str:
        """Return the company's users' activity of the last days as CSV, newest first."""
        since: datetime = self.clock() - timedelta(days=days)
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(CSV_COLUMNS)
        for each in await self.store.activity(principal.id, since, EXPORTED):
            writer.writerow(
                (
                    each.at.isoformat(),
                    each.person_name,
                    each.kind.value,
                    each.story_id,
                    each.version,
                    each.headline,
                    each.format,
                )
            )
        return out.getvalue()
