"""The desk's pages against the real app: sessions, CSRF, the editor, filing once, locks."""

from __future__ import annotations

import asyncio
import html
import json
import re
from datetime import timedelta
from typing import Any

import httpx
import pytest

from newswire.accounts.keys import hash_key
from newswire.desk.watch import DeskWatch
from newswire.models.drafts import Staff
from newswire.models.people import PersonRole
from newswire.models.webhooks import DeliveryAttempt
from newswire.runtime import Runtime
from newswire.settings import Settings
from tests.conftest import file_story, read_all
from tests.page_clients import STORY_FORM, StaffBrowser
from tests.people import HTMX, PAGE, cheap, meta_csrf

pytestmark = pytest.mark.anyio


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return cheap(settings, sections=("World", "Europe", "Politics", "Sport"))


async def _new_draft(client: httpx.AsyncClient, token: str) -> str:
    created = await client.post("/desk/drafts", data={"csrf_token": token})
    assert created.status_code == 303, created.text
    return str(created.headers["location"]).rsplit("/", 1)[1]


def _version(html: str) -> str:
    found = re.search(r'name="version" value="(\d+)"', html)
    assert found
    return found.group(1)


async def test_the_desk_needs_a_signed_in_person(web: httpx.AsyncClient) -> None:
    page = await web.get("/desk/", headers=PAGE)
    assert page.status_code == 303
    assert page.headers["location"] == "/desk/sign-in?next=%2Fdesk%2F"
    stream = await web.get("/desk/events")
    assert stream.status_code == 401


async def test_every_change_needs_the_sessions_csrf_token(
    runtime: Runtime, staff_browser: StaffBrowser
) -> None:
    client, token = await staff_browser(PersonRole.EDITOR, "ed@newswire.example", "Ed")
    refused = await client.post("/desk/drafts", data={"csrf_token": "forged"})
    assert refused.status_code == 403
    draft_id = await _new_draft(client, token)
    no_header = await client.post(
        f"/desk/drafts/{draft_id}/autosave", json={"version": 1, "fields": {}}
    )
    assert no_header.status_code == 403
    cross_site = await client.post(
        f"/desk/drafts/{draft_id}/autosave",
        json={"version": 1, "fields": {"headline": "x"}},
        headers={"X-CSRF-Token": token, "Origin": "https://evil.example"},
    )
    assert cross_site.status_code == 403


async def test_the_editor_labels_every_field_and_files_through_publish(
    runtime: Runtime, staff_browser: StaffBrowser, client: httpx.AsyncClient, editor: dict[str, str]
) -> None:
    web, token = await staff_browser(PersonRole.EDITOR, "ed@newswire.example", "Ed")
    draft_id = await _new_draft(web, token)
    page = await web.get(f"/desk/drafts/{draft_id}", headers=PAGE)
    assert page.status_code == 200
    for label in ("Headline", "Summary", "Body", "Slugline", "Byline", "Dateline",
                  "Subjects", "Urgency", "Language", "Genre", "Public",
                  "Embargo (UTC)", "Editorial note"):  # fmt: skip
        assert re.search(rf"<label[^>]*>\s*(<input[^>]*>\s*)?{re.escape(label)}\s*</label>",
                         page.text), label  # fmt: skip
    assert "<legend>Sections</legend>" in page.text
    assert re.search(r"<button[^>]*data-publish[^>]*>Publish</button>", page.text)
    saved = await web.post(
        f"/desk/drafts/{draft_id}/autosave",
        json={"version": 1, "fields": {"headline": STORY_FORM["headline"]}},
        headers={"X-CSRF-Token": token},
    )
    assert saved.status_code == 200 and saved.json()["version"] == 2
    form = {**STORY_FORM, "csrf_token": token, "version": "2"}
    published = await web.post(f"/desk/drafts/{draft_id}/publish", data=form)
    assert published.status_code == 303
    assert published.headers["location"].endswith("?notice=published")
    again = await web.post(f"/desk/drafts/{draft_id}/publish", data=form)
    assert again.status_code == 303, "a second click answers, files nothing"
    events, _ = await read_all(client, editor)
    assert [event["type"] for event in events] == ["story.published"]


async def test_a_refused_publish_keeps_the_text_and_names_the_field(
    runtime: Runtime, staff_browser: StaffBrowser
) -> None:
    web, token = await staff_browser(PersonRole.EDITOR, "ed@newswire.example", "Ed")
    draft_id = await _new_draft(web, token)
    form = {**STORY_FORM, "categories": "Wrold", "csrf_token": token, "version": "1"}
    refused = await web.post(f"/desk/drafts/{draft_id}/publish", data=form)
    assert refused.status_code == 422
    assert STORY_FORM["headline"] in refused.text
    assert re.search(r'id="f-categories-error">[^<]*World', refused.text)


async def test_a_second_editor_sees_the_lock_and_cannot_save(
    runtime: Runtime, staff_browser: StaffBrowser
) -> None:
    first, token = await staff_browser(PersonRole.EDITOR, "a@newswire.example", "Ayşe")
    second, token2 = await staff_browser(PersonRole.EDITOR, "b@newswire.example", "Bora")
    chief, token3 = await staff_browser(PersonRole.CHIEF, "c@newswire.example", "Cem")
    draft_id = await _new_draft(first, token)
    page = await second.get(f"/desk/drafts/{draft_id}", headers=PAGE)
    assert "Ayşe is editing this story" in page.text
    assert "Force unlock" not in page.text
    refused = await second.post(
        f"/desk/drafts/{draft_id}/autosave",
        json={"version": 1, "fields": {"headline": "mine"}},
        headers={"X-CSRF-Token": token2},
    )
    assert refused.status_code == 409 and "Ayşe" in refused.json()["error"]["message"]
    board = await second.get("/desk/board", headers=HTMX)
    assert board.status_code == 200
    chief_page = await chief.get(f"/desk/drafts/{draft_id}", headers=PAGE)
    assert "Force unlock" in chief_page.text
    unlocked = await chief.post(f"/desk/drafts/{draft_id}/unlock", data={"csrf_token": token3})
    assert unlocked.status_code == 303
    history = await runtime.desk.history(draft_id)
    assert [(e.action, e.person_name) for e in history][-1] == ("unlocked", "Cem")


async def test_a_reporter_submits_and_the_board_shows_it_in_the_first_stage(
    runtime: Runtime, staff_browser: StaffBrowser
) -> None:
    reporter, token = await staff_browser(PersonRole.REPORTER, "r@newswire.example", "Rita")
    draft_id = await _new_draft(reporter, token)
    form = {**STORY_FORM, "csrf_token": token, "version": "1"}
    page = await reporter.get(f"/desk/drafts/{draft_id}", headers=PAGE)
    assert "data-publish" not in page.text, "a reporter has no Publish button"
    refused = await reporter.post(f"/desk/drafts/{draft_id}/publish", data=form)
    assert refused.status_code == 403
    submitted = await reporter.post(f"/desk/drafts/{draft_id}/submit", data=form)
    assert submitted.status_code == 303
    board = await reporter.get("/desk/", headers=PAGE)
    incoming = board.text.split('id="column-1"')[1].split("</section>")[0]
    assert STORY_FORM["headline"] in incoming


async def test_a_live_page_is_told_to_look_again_when_a_draft_or_the_wire_changes(
    runtime: Runtime, client: httpx.AsyncClient, editor: dict[str, str]
) -> None:
    watch = DeskWatch(runtime.bus, runtime.desk, runtime.clock)
    assert not await watch.changed(0.05), "nothing happened"
    rita = Staff("p-rita", "Rita", may_publish=False)
    waiting = asyncio.create_task(watch.changed(10))
    await asyncio.sleep(0.05)
    draft = await runtime.desk.create(rita, {"headline": "Ferries"})
    assert await asyncio.wait_for(waiting, 10), "the desk's cue woke it"
    assert not await watch.changed(0.05), "seen once, not again"
    waiting = asyncio.create_task(watch.changed(10))
    await asyncio.sleep(0.05)
    await file_story(client, editor)
    assert await asyncio.wait_for(waiting, 10), "the bus woke it"
    assert draft.id


async def test_previews_render_the_draft_in_every_format_without_filing(
    runtime: Runtime, staff_browser: StaffBrowser, client: httpx.AsyncClient, editor: dict[str, str]
) -> None:
    web, token = await staff_browser(PersonRole.EDITOR, "ed@newswire.example", "Ed")
    draft_id = await _new_draft(web, token)
    fields: dict[str, Any] = {**STORY_FORM, "categories": ["World"], "public": True}
    await web.post(
        f"/desk/drafts/{draft_id}/autosave",
        json={"version": 1, "fields": fields},
        headers={"X-CSRF-Token": token},
    )
    summary = await web.get(f"/desk/drafts/{draft_id}/preview?format=summary", headers=PAGE)
    assert "Ferries sail again across the strait." in summary.text
    for name, mark in (("ninjs2", "&#34;uri&#34;"), ("newsml-g2", "newsItem"),
                       ("nitf", "&lt;nitf"), ("text", "Ferries resumed")):  # fmt: skip
        shown = await web.get(
            f"/desk/drafts/{draft_id}/preview?format={name}",
            headers={"X-Desk-Fragment": "1"},
        )
        assert shown.status_code == 200 and mark in shown.text, name
        assert STORY_FORM["headline"] in shown.text, name
    events, _ = await read_all(client, editor)
    assert events == []


async def test_an_editor_kills_a_story_from_the_desk_with_the_reason(
    runtime: Runtime, staff_browser: StaffBrowser, client: httpx.AsyncClient, editor: dict[str, str]
) -> None:
    web, token = await staff_browser(PersonRole.EDITOR, "ed@newswire.example", "Ed")
    draft_id = await _new_draft(web, token)
    form = {**STORY_FORM, "csrf_token": token, "version": "1"}
    await web.post(f"/desk/drafts/{draft_id}/publish", data=form)
    draft = await runtime.desk.get(draft_id)
    page = await web.get(f"/desk/drafts/{draft_id}", headers=PAGE)
    assert "Kill story" in page.text and meta_csrf(page.text) == token
    killed = await web.post(
        f"/desk/stories/{draft.story_id}/kill",
        data={"csrf_token": token, "reason": "The ferry company retracted its statement."},
    )
    assert killed.status_code == 303
    events, _ = await read_all(client, editor)
    assert [event["type"] for event in events] == ["story.published", "story.killed"]


async def test_editors_see_who_made_each_version_a_diff_and_what_went_out_to_whom(
    runtime: Runtime,
    staff_browser: StaffBrowser,
    client: httpx.AsyncClient,
    editor: dict[str, str],
    make_subscriber: Any,
) -> None:
    web, token = await staff_browser(PersonRole.EDITOR, "ed@newswire.example", "Ed")
    draft_id = await _new_draft(web, token)
    form = {**STORY_FORM, "csrf_token": token, "version": "1"}
    await web.post(f"/desk/drafts/{draft_id}/publish", data=form)
    story_id = (await runtime.desk.get(draft_id)).story_id
    assert story_id
    subscriber = await make_subscriber("Harbour Daily")
    assert (await client.get(f"/v1/stories/{story_id}", headers=subscriber)).status_code == 200
    edited = {**form, "version": str((await runtime.desk.get(draft_id)).version)}
    edited["body"] = STORY_FORM["body"].replace("Tuesday", "Wednesday")
    await web.post(f"/desk/drafts/{draft_id}/publish", data=edited)
    # The subscriber's webhook was refused version 2: the desk shows the receiver's answer.
    key = subscriber["Authorization"].removeprefix("Bearer ")
    principal = await runtime.access.principal_for(hash_key(key))
    assert principal is not None
    hook = await runtime.webhooks.register(principal, "http://127.0.0.1:9/hook", "")
    seq = await runtime.storage.log.last_seq()
    await runtime.storage.webhooks.add_attempt(
        DeliveryAttempt(
            hook.endpoint.id, seq, "story.updated", "w1", 3, 500, 12, "", runtime.clock()
        )
    )
    page = await web.get(f"/desk/stories/{story_id}/history", headers=PAGE)
    assert page.status_code == 200
    versions = page.text.split('id="versions-title"')[1].split("</table>")[0]
    assert versions.count("<td>Ed</td>") == 2
    assert "<del>-Ferries resumed on Tuesday.</del>\n" in page.text
    assert "<ins>+Ferries resumed on Wednesday.</ins>\n" in page.text
    deliveries = page.text.split('id="deliveries-title"')[1]
    assert "<td>Harbour Daily</td><td>story</td><td>ninjs2</td><td>1</td>" in deliveries
    assert re.search(r"<td>Harbour Daily</td><td>webhook</td><td></td><td>2</td>.*"
                     r"failed: 500 · attempt 3", deliveries, re.S)  # fmt: skip
    history = page.text.split('id="history-title"')[1].split("</section>")[0]
    assert "published · Ed" in history and "updated · Ed" in history


async def test_a_reporter_may_not_see_what_went_out_to_whom(
    runtime: Runtime, staff_browser: StaffBrowser, client: httpx.AsyncClient, editor: dict[str, str]
) -> None:
    filed = await file_story(client, editor, categories=["World"])
    reporter, _ = await staff_browser(PersonRole.REPORTER, "r@newswire.example", "Rita")
    page = await reporter.get(f"/desk/stories/{filed['id']}/history", headers=PAGE)
    assert page.status_code == 403


async def test_a_chief_sets_the_stages_and_makes_a_template_others_start_from(
    runtime: Runtime, staff_browser: StaffBrowser
) -> None:
    chief, token = await staff_browser(PersonRole.CHIEF, "c@newswire.example", "Cem")
    editor_web, token2 = await staff_browser(PersonRole.EDITOR, "e@newswire.example", "Ed")
    refused = await editor_web.post(
        "/desk/setup/stages", data={"csrf_token": token2, "stages": "A\nB"}
    )
    assert refused.status_code == 403
    saved = await chief.post(
        "/desk/setup/stages", data={"csrf_token": token, "stages": "Inbox\n\nChecked\nOut"}
    )
    assert saved.status_code == 303
    assert await runtime.desk.stages() == ("Inbox", "Checked", "Out")
    board = await editor_web.get("/desk/", headers=PAGE)
    assert ">Inbox <span" in board.text and ">Checked <span" in board.text

    draft_id = await _new_draft(chief, token)
    form = {**STORY_FORM, "csrf_token": token, "version": "1"}
    await chief.post(f"/desk/drafts/{draft_id}/save", data=form)
    made = await chief.post(
        f"/desk/drafts/{draft_id}/template", data={"csrf_token": token, "name": "Weather"}
    )
    assert made.status_code == 303
    (template,) = await runtime.templates.all()
    page = await editor_web.get("/desk/mine", headers=PAGE)
    assert f'<option value="{template.id}">Weather</option>' in page.text
    started = await editor_web.post(
        "/desk/drafts", data={"csrf_token": token2, "template": template.id}
    )
    new_id = started.headers["location"].rsplit("/", 1)[1]
    draft = await runtime.desk.get(new_id)
    assert draft.author_name == "Ed" and draft.fields["dateline"] == ""
    assert draft.fields["summary"] == STORY_FORM["summary"] and draft.fields["headline"] == ""
    assert draft.fields["categories"] == ["World"]
    submitted = await runtime.desk.submit_edited(
        new_id, draft.version, {"headline": "Storm", "body": "Wind."}, staff_of_ed(draft)
    )
    assert submitted.stage == "Inbox"


def staff_of_ed(draft: Any) -> Staff:
    return Staff(draft.author_id, "Ed", may_publish=True)


async def test_an_autosave_after_the_session_ended_says_so_and_where_to_sign_in(
    runtime: Runtime, staff_browser: StaffBrowser
) -> None:
    web, token = await staff_browser(PersonRole.EDITOR, "ed@newswire.example", "Ed")
    draft_id = await _new_draft(web, token)
    signed_out = await web.post("/desk/sign-out", data={"csrf_token": token})
    assert signed_out.status_code == 303
    answer = await web.post(
        f"/desk/drafts/{draft_id}/autosave",
        json={"version": 1, "fields": {"headline": "typed while away"}},
        headers={"X-CSRF-Token": token},
    )
    assert answer.status_code == 401
    assert answer.json()["error"]["sign_in"] == "/desk/sign-in"
    assert (await runtime.desk.get(draft_id)).headline == ""


async def test_a_reporter_reading_anothers_draft_locks_nobody_out(
    runtime: Runtime, staff_browser: StaffBrowser
) -> None:
    rita, token = await staff_browser(PersonRole.REPORTER, "r@newswire.example", "Rita")
    sami, _ = await staff_browser(PersonRole.REPORTER, "s@newswire.example", "Sami")
    ed, _ = await staff_browser(PersonRole.EDITOR, "e@newswire.example", "Ed")
    draft_id = await _new_draft(rita, token)
    form = {**STORY_FORM, "csrf_token": token, "version": "1"}
    await rita.post(f"/desk/drafts/{draft_id}/submit", data=form)
    read = await sami.get(f"/desk/drafts/{draft_id}", headers=PAGE)
    assert "only its author or an editor may change it" in read.text
    opened = await ed.get(f"/desk/drafts/{draft_id}", headers=PAGE)
    assert "is editing this story" not in opened.text


async def test_a_spiked_draft_leaves_the_desk_until_a_chief_restores_it(
    runtime: Runtime, staff_browser: StaffBrowser
) -> None:
    ed, token = await staff_browser(PersonRole.EDITOR, "e@newswire.example", "Ed")
    chief, token2 = await staff_browser(PersonRole.CHIEF, "c@newswire.example", "Cem")
    draft_id = await _new_draft(ed, token)
    form = {**STORY_FORM, "csrf_token": token, "version": "1"}
    await ed.post(f"/desk/drafts/{draft_id}/submit", data=form)
    assert (
        await ed.post(f"/desk/drafts/{draft_id}/spike", data={"csrf_token": token})
    ).status_code == 303
    board = await ed.get("/desk/", headers=PAGE)
    assert STORY_FORM["headline"] not in board.text
    assert STORY_FORM["headline"] in (await ed.get("/desk/spiked", headers=PAGE)).text
    refused = await ed.post(f"/desk/drafts/{draft_id}/unspike", data={"csrf_token": token})
    assert refused.status_code == 403
    restored = await chief.post(f"/desk/drafts/{draft_id}/unspike", data={"csrf_token": token2})
    assert restored.status_code == 303
    draft = await runtime.desk.get(draft_id)
    assert draft.status.value == "submitted" and draft.stage == "Incoming"


async def test_a_lock_lapses_after_the_editor_goes_quiet(
    runtime: Runtime, staff_browser: StaffBrowser
) -> None:
    first, token = await staff_browser(PersonRole.EDITOR, "a@newswire.example", "Ayşe")
    second, _ = await staff_browser(PersonRole.EDITOR, "b@newswire.example", "Bora")
    draft_id = await _new_draft(first, token)
    assert "Ayşe is editing" in (await second.get(f"/desk/drafts/{draft_id}", headers=PAGE)).text
    runtime.clock.advance(timedelta(seconds=runtime.settings.desk_lock_seconds + 1))
    page = await second.get(f"/desk/drafts/{draft_id}", headers=PAGE)
    assert "is editing this story" not in page.text
    assert (await runtime.desk.get(draft_id)).lock.holder_name == "Bora"  # type: ignore[union-attr]


async def test_the_desk_speaks_turkish_to_a_turkish_editor(
    runtime: Runtime, staff_browser: StaffBrowser
) -> None:
    web, token = await staff_browser(PersonRole.EDITOR, "e@newswire.example", "Emre")
    changed = await web.post("/desk/account/language", data={"csrf_token": token, "language": "tr"})
    assert changed.status_code == 303
    draft_id = await _new_draft(web, token)
    page = await web.get(f"/desk/drafts/{draft_id}", headers=PAGE)
    assert '<html lang="tr" dir="ltr">' in page.text
    for label in ("Başlık", "Özet", "Metin", "Bölümler", "Konular", "Öncelik"):
        assert label in page.text, label
    assert re.search(r"<button[^>]*data-publish[^>]*>Yayımla</button>", page.text)
    # What the editor's JavaScript writes (autosave status...) comes translated too.
    meta = re.search(r"<meta name=\"desk-strings\" content='([^']*)'>", page.text)
    assert meta is not None
    script_strings = json.loads(html.unescape(meta.group(1)))
    assert script_strings["Saving…"] == "Kaydediliyor…"
    assert script_strings["Saved: version {version}, {time} UTC"].startswith("Kaydedildi")
    board = await web.get("/desk/", headers=PAGE)
    assert ">Gelen <span" in board.text and "İzleme" in board.text
