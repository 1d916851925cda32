"""Pictures in the story editor: upload, pick, feature, thumbnails; they go out with the story."""

from __future__ import annotations

import re

import httpx
import pytest

from newswire.models.people import PersonRole
from newswire.runtime import Runtime
from newswire.settings import Settings
from tests.media_files import press_photo
from tests.page_clients import STORY_FORM, StaffBrowser
from tests.people import PAGE, cheap

pytestmark = pytest.mark.anyio


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return cheap(settings, sections=("World",))


@pytest.fixture
async def editor_web(staff_browser: StaffBrowser) -> tuple[httpx.AsyncClient, str]:
    return await staff_browser(PersonRole.EDITOR, "ed@newswire.example")


async def _draft(web: httpx.AsyncClient, token: str) -> str:
    created = await web.post("/desk/drafts", data={"csrf_token": token})
    draft_id = str(created.headers["location"]).rsplit("/", 1)[1]
    saved = await web.post(
        f"/desk/drafts/{draft_id}/save", data={**STORY_FORM, "csrf_token": token, "version": "1"}
    )
    assert saved.status_code == 303, saved.text
    return draft_id


def _version(html: str) -> str:
    found = re.search(r'name="version" value="(\d+)"', html)
    assert found
    return found.group(1)


async def _upload(
    web: httpx.AsyncClient, token: str, draft_id: str, version: str, caption: str
) -> httpx.Response:
    return await web.post(
        f"/desk/drafts/{draft_id}/pictures/upload",
        data={"csrf_token": token, "version": version, "caption": caption, "alt_text": "A ferry"},
        files={"file": ("ferry.jpg", press_photo((800, 600)), "image/jpeg")},
    )


async def _draft_with_a_picture(web: httpx.AsyncClient, token: str, caption: str) -> str:
    """Make a draft and upload a picture to it, which files the picture; return the draft's id."""
    draft_id = await _draft(web, token)
    page = await web.get(f"/desk/drafts/{draft_id}", headers=PAGE)
    uploaded = await _upload(web, token, draft_id, _version(page.text), caption)
    assert uploaded.status_code == 303, uploaded.text
    return draft_id


async def _on_picture(
    web: httpx.AsyncClient, token: str, draft_id: str, action: str, media_id: str
) -> httpx.Response:
    """Press a picture's button (feature, pick, remove) in the draft's editor as it is now."""
    page = await web.get(f"/desk/drafts/{draft_id}", headers=PAGE)
    return await web.post(
        f"/desk/drafts/{draft_id}/pictures/{action}",
        data={"csrf_token": token, "version": _version(page.text), "media_id": media_id},
    )


async def test_an_editor_uploads_pictures_features_one_and_they_go_out_with_the_story(
    runtime: Runtime, editor_web: tuple[httpx.AsyncClient, str]
) -> None:
    web, token = editor_web
    draft_id = await _draft_with_a_picture(web, token, "The ferry at dawn")
    draft = await runtime.desk.get(draft_id)
    (first,) = draft.fields["media"]
    assert first["rel"] == "featuremedia"

    page = await web.get(f"/desk/drafts/{draft_id}?notice=picture", headers=PAGE)
    assert f'src="/desk/media/{first["id"]}/preview"' in page.text
    assert 'alt="A ferry"' in page.text and "The story&#39;s pictures are saved." in page.text
    thumbnail = await web.get(f"/desk/media/{first['id']}/preview")
    assert thumbnail.status_code == 200
    assert thumbnail.headers["content-type"].startswith("image/")
    assert thumbnail.content[:2] == b"\xff\xd8" or thumbnail.content[:4] == b"RIFF"

    second = await _upload(web, token, draft_id, _version(page.text), "Passengers board")
    assert second.status_code == 303, second.text
    uses = (await runtime.desk.get(draft_id)).fields["media"]
    assert [use["rel"] for use in uses] == ["featuremedia", "inline"]
    featured = await _on_picture(web, token, draft_id, "feature", uses[1]["id"])
    assert featured.status_code == 303
    uses = (await runtime.desk.get(draft_id)).fields["media"]
    assert [use["rel"] for use in uses] == ["inline", "featuremedia"]

    page = await web.get(f"/desk/drafts/{draft_id}", headers=PAGE)
    published = await web.post(
        f"/desk/drafts/{draft_id}/publish",
        data={**STORY_FORM, "csrf_token": token, "version": _version(page.text)},
    )
    assert published.status_code == 303, published.text
    story_id = (await runtime.desk.get(draft_id)).story_id
    assert story_id is not None
    story = await runtime.storage.stories.current(story_id)
    assert story is not None
    assert [(ref.id, ref.rel) for ref in story.media] == [
        (uses[0]["id"], "inline"),
        (uses[1]["id"], "featuremedia"),
    ]


async def test_an_editor_picks_a_picture_already_filed_and_removes_it(
    runtime: Runtime, editor_web: tuple[httpx.AsyncClient, str]
) -> None:
    web, token = editor_web
    other = await _draft_with_a_picture(web, token, "Harbour")
    (filed,) = (await runtime.desk.get(other)).fields["media"]

    draft_id = await _draft(web, token)
    page = await web.get(f"/desk/drafts/{draft_id}", headers=PAGE)
    assert f'name="media_id" value="{filed["id"]}"' in page.text
    picked = await _on_picture(web, token, draft_id, "pick", filed["id"])
    assert picked.status_code == 303
    assert (await runtime.desk.get(draft_id)).fields["media"] == [
        {"id": filed["id"], "rel": "featuremedia"}
    ]
    removed = await _on_picture(web, token, draft_id, "remove", filed["id"])
    assert removed.status_code == 303
    assert (await runtime.desk.get(draft_id)).fields["media"] == []


async def test_a_stale_editor_or_a_missing_token_files_no_picture(
    runtime: Runtime, editor_web: tuple[httpx.AsyncClient, str]
) -> None:
    web, token = editor_web
    draft_id = await _draft(web, token)
    stale = await _upload(web, token, draft_id, "1", "Old")
    assert stale.status_code == 409
    no_token = await web.post(
        f"/desk/drafts/{draft_id}/pictures/upload",
        data={"version": "2"},
        files={"file": ("ferry.jpg", press_photo((800, 600)), "image/jpeg")},
    )
    assert no_token.status_code == 403
    assert await runtime.draft_pictures.recent() == []


async def test_a_reporter_picks_a_filed_picture_but_may_not_upload_one_to_the_wire(
    runtime: Runtime, staff_browser: StaffBrowser, editor_web: tuple[httpx.AsyncClient, str]
) -> None:
    editor, editor_token = editor_web
    await _draft_with_a_picture(editor, editor_token, "Harbour")
    (filed,) = await runtime.draft_pictures.recent()

    web, token = await staff_browser(PersonRole.REPORTER, "rita@newswire.example")
    draft_id = await _draft(web, token)
    page = await web.get(f"/desk/drafts/{draft_id}", headers=PAGE)
    assert "pictures/upload" not in page.text
    refused = await _upload(web, token, draft_id, _version(page.text), "Mine")
    assert refused.status_code == 403
    picked = await _on_picture(web, token, draft_id, "pick", filed.media_id)
    assert picked.status_code == 303
    thumbnail = await web.get(f"/desk/media/{filed.media_id}/preview")
    assert thumbnail.status_code == 200
    assert [media.media_id for media in await runtime.draft_pictures.recent()] == [filed.media_id]
