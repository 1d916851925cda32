"""Load the demo stories and people (once) and the demo keys (kept across restarts)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from newswire.accounts.keys import hash_key, new_key
from newswire.demo.desk import prepare_demo_desk
from newswire.demo.people import STAFF, DemoLogin, prepare_demo_people
from newswire.demo.pictures import file_demo_pictures
from newswire.demo.saved_keys import keys_path, load_keys, save_keys
from newswire.models.principals import Entitlements, Role
from newswire.newsroom.drafts import MediaUse, StoryDraft
from newswire.runtime import Runtime
from newswire.settings import Settings
from newswire.storage.interfaces import PrincipalStore

# The demo subscriber buys every medium, so the demo pictures reach it too.
_EVERY_MEDIUM = Entitlements(media=["text", "pictures", "video"])
# (name in the keys file, role, principal's name, entitlements): the demo's API callers.
DEMO_PRINCIPALS = (
    ("editor", Role.EDITOR, "Demo editor", Entitlements()),
    ("subscriber", Role.SUBSCRIBER, "Demo subscriber", _EVERY_MEDIUM),
    ("turkish_subscriber", Role.SUBSCRIBER, "Demo Turkish portal", Entitlements(languages=["tr"])),
)


@dataclass(frozen=True)
class DemoKeys:
    """Keys of a demo run, printed at every start: the same ones while the database lives."""

    admin_token: str
    editor: str
    subscriber: str
    turkish_subscriber: str
    logins: list[DemoLogin] = field(default_factory=list)  # the demo people's sign-ins
    saved_in: Path | None = None  # the file that keeps them across restarts, if any


def demo_drafts() -> list[StoryDraft]:
    """Return the shipped demo stories as validated drafts."""
    text = resources.files("newswire.demo").joinpath("stories.json").read_text("utf-8")
    return [StoryDraft.model_validate(item) for item in json.loads(text)]


async def _demo_key(
    principals: PrincipalStore, saved: str | None, role: Role, name: str, rights: Entitlements
) -> str:
    """Return the demo principal's working key: the saved one, else a new one for it.

    The principal is found by its name, so a lost keys file gives the same
    principal a new key rather than a second principal.
    """
    if saved and await principals.with_key_hash(hash_key(saved)) is not None:
        return saved
    key = new_key(role)
    existing = [p for p in await principals.of_role(role) if p.name == name]
    if existing:
        await principals.replace_key(existing[0].id, hash_key(key))
    else:
        await principals.create(role, name, hash_key(key), rights, "ninjs2")
    return key


async def prepare_demo(settings: Settings) -> DemoKeys:
    """Migrate; file the demo stories into an empty database; make or reuse keys and people.

    Running it again on the same database adds nothing and returns the same
    keys and admin token (kept in `saved_keys`), unless NEWSWIRE_ADMIN_TOKEN
    says otherwise.
    """
    path = keys_path(settings.db)
    saved = load_keys(path)
    runtime = Runtime.from_settings(settings)
    await runtime.start()
    try:
        if await runtime.storage.log.last_seq() == 0:
            featured = await file_demo_pictures(runtime.media_library, settings.site_name)
            for index, draft in enumerate(demo_drafts()):
                if index in featured:
                    draft = draft.model_copy(update={"media": [MediaUse(id=featured[index])]})
                await runtime.newsroom.file_story(draft)
        keys = {"admin": settings.admin_token or saved.get("admin") or new_key(Role.ADMIN)}
        for name, role, display, rights in DEMO_PRINCIPALS:
            principals = runtime.storage.principals
            keys[name] = await _demo_key(principals, saved.get(name), role, display, rights)
        logins = await prepare_demo_people(runtime)
        reporter = await runtime.people.by_email(STAFF[0][1])
        await prepare_demo_desk(runtime, reporter.principal_id)
    finally:
        await runtime.stop()
    # A token given in NEWSWIRE_ADMIN_TOKEN is the operator's: never written to the file.
    kept = {**keys, "admin": saved.get("admin", "")} if settings.admin_token else keys
    save_keys(path, {name: value for name, value in kept.items() if value})
    return DemoKeys(
        keys["admin"], keys["editor"], keys["subscriber"], keys["turkish_subscriber"], logins, path
    )
