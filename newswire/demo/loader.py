"""Load the demo stories and people (once) and make fresh demo keys."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from importlib import resources

from newswire.accounts.keys import hash_key, new_key
from newswire.demo.desk import prepare_demo_desk
from newswire.demo.people import STAFF, DemoLogin, prepare_demo_people
from newswire.models.principals import Entitlements, Role
from newswire.newsroom.drafts import StoryDraft
from newswire.runtime import Runtime
from newswire.settings import Settings


@dataclass(frozen=True)
class DemoKeys:
    """Keys made for a demo run; printed once at start-up."""

    editor: str
    subscriber: str
    turkish_subscriber: str
    logins: list[DemoLogin] = field(default_factory=list)  # the demo people's sign-ins


def demo_drafts() -> list[StoryDraft]:
    """Return the shipped demo stories as validated drafts."""
    text = resources.files("newswire.demo").joinpath("stories.json").read_text("utf-8")
    return [StoryDraft.model_validate(item) for item in json.loads(text)]


async def prepare_demo(settings: Settings) -> DemoKeys:
    """Migrate, file the demo stories into an empty database, create demo keys and people."""
    runtime = Runtime.from_settings(settings)
    await runtime.start()
    try:
        if await runtime.storage.log.last_seq() == 0:
            for draft in demo_drafts():
                await runtime.newsroom.file_story(draft)
        keys = DemoKeys(
            new_key(Role.EDITOR),
            new_key(Role.SUBSCRIBER),
            new_key(Role.SUBSCRIBER),
            await prepare_demo_people(runtime),
        )
        storage = runtime.storage
        await storage.principals.create(
            Role.EDITOR, "Demo editor", hash_key(keys.editor), Entitlements(), "ninjs2"
        )
        await storage.principals.create(
            Role.SUBSCRIBER, "Demo subscriber", hash_key(keys.subscriber), Entitlements(), "ninjs2"
        )
        await storage.principals.create(
            Role.SUBSCRIBER,
            "Demo Turkish portal",
            hash_key(keys.turkish_subscriber),
            Entitlements(languages=["tr"]),
            "ninjs2",
        )
        reporter = await runtime.people.by_email(STAFF[0][1])
        await prepare_demo_desk(runtime, reporter.principal_id)
        return keys
    finally:
        await runtime.stop()
