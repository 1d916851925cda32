"""Demo drafts for `make run`: a few stories on the desk's stages, by the demo reporter."""

from __future__ import annotations

from newswire.models.drafts import DraftStatus, Staff
from newswire.runtime import Runtime

DEMO_DRAFTS = (
    {
        "headline": "City council votes to extend night buses to the airport",
        "summary": "The new lines start in March and run every 20 minutes.",
        "body": "The city council voted on Thursday to extend two night bus lines to the "
        "airport.\n\nThe lines will run every 20 minutes from March, the transport office said.",
        "dateline": "ANKARA",
        "categories": ["Turkey"],
        "urgency": 4,
        "language": "en",
    },
    {
        "headline": "Storm warning issued for the northern coast",
        "summary": "Forecasters expect gusts of up to 110 km/h overnight.",
        "body": "The weather office issued a storm warning for the northern coast on "
        "Thursday.\n\nGusts of up to 110 km/h are expected overnight, it said.",
        "dateline": "SAMSUN",
        "categories": ["Turkey", "Environment"],
        "urgency": 2,
        "language": "en",
    },
    {
        "headline": "Museum reopens its restored Ottoman wing",
        "body": "The museum reopened its Ottoman wing after three years of restoration.",
        "categories": ["Culture"],
        "urgency": 5,
        "language": "en",
    },
)


async def prepare_demo_desk(runtime: Runtime, reporter_principal: str) -> None:
    """Put the demo drafts on the desk once: two submitted, one in the reporter's own drafts."""
    drafts = runtime.storage.drafts
    if await drafts.with_status(DraftStatus.SUBMITTED, 1) or await drafts.with_status(
        DraftStatus.DRAFT, 1
    ):
        return
    reporter = Staff(reporter_principal, "Demo Reporter", may_publish=False)
    for number, fields in enumerate(DEMO_DRAFTS):
        draft = await runtime.desk.create(reporter, dict(fields))
        if number < 2:
            await runtime.desk.submit(draft.id, draft.version, reporter)
        else:
            await runtime.desk.unlock(draft.id, reporter)
    editing = (await drafts.with_status(DraftStatus.SUBMITTED, 5))[-1]
    await runtime.desk.move(editing.id, (await runtime.desk.stages())[-1], reporter)
