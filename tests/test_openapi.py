"""The OpenAPI document is one a code generator can use: schemas for every answer, one error.

Real answers are checked against the schemas the document gives them, and a
client generated from the document (datamodel-code-generator's pydantic
models over httpx) makes an end-to-end call: file a story, read it back
from the feed.
"""

from __future__ import annotations

import importlib.util
import json
import re
import sys
from pathlib import Path
from typing import Any

import httpx
import jsonschema
import pytest

from newswire.api.openapi import ORDERING
from tests.conftest import ADMIN, story_json

pytestmark = pytest.mark.anyio
DOCS = Path(__file__).resolve().parents[1] / "docs"


async def _document(client: httpx.AsyncClient) -> dict[str, Any]:
    response = await client.get("/openapi.json")
    assert response.status_code == 200
    document: dict[str, Any] = response.json()
    return document


def _operations(document: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (method, path, operation)
        for path, operations in document["paths"].items()
        for method, operation in operations.items()
    ]


async def test_every_success_has_a_schema_and_every_error_the_one_error_schema(
    client: httpx.AsyncClient,
) -> None:
    document = await _document(client)
    assert "HTTPValidationError" not in json.dumps(document)
    for method, path, operation in _operations(document):
        for code, answer in operation["responses"].items():
            where = f"{method.upper()} {path} {code}"
            if code in ("204",):
                assert "content" not in answer, where
            elif code[0] in "123":
                assert answer.get("content"), where
                for media in answer["content"].values():
                    assert media.get("schema") not in (None, {}), where
            else:
                schema = answer["content"]["application/json"]["schema"]
                assert schema == {"$ref": "#/components/schemas/Error"}, where
        websocket = operation.get("x-websocket", False)  # refusals are close codes there
        if (operation.get("parameters") or operation.get("requestBody")) and not websocket:
            assert "422" in operation["responses"], f"{method} {path}"


async def test_the_streams_are_described_and_the_ordering_is_stated_once(
    client: httpx.AsyncClient,
) -> None:
    document = await _document(client)
    websocket = document["paths"]["/v1/ws"]["get"]
    assert "EventEnvelope" in json.dumps(websocket["responses"]["101"])
    assert "close codes" in websocket["description"].lower()
    stream = document["paths"]["/v1/stream"]["get"]["responses"]["200"]
    assert "text/event-stream" in stream["content"]
    assert "Last-Event-ID" in stream["description"]
    assert ORDERING in document["info"]["description"]
    flat = " ".join(ORDERING.split())
    for page in ("api.md", "realtime.md"):
        words = (DOCS / page).read_text("utf-8").split()
        text = " ".join(word for word in words if word != ">")  # quoted in the docs
        assert flat in text, f"docs/{page} must state the ordering rules as api/openapi.py does"
    assert "never repeats" not in (DOCS / "realtime.md").read_text("utf-8")


def _validate(document: dict[str, Any], method: str, path: str, answer: httpx.Response) -> None:
    operation = document["paths"][path][method]
    media = answer.headers["content-type"].split(";")[0]
    content = operation["responses"][str(answer.status_code)]["content"]
    schema = content[media]["schema"]
    body = answer.json() if "json" in media else answer.text
    jsonschema.validate(body, {**schema, "components": document["components"]})


async def test_real_answers_match_the_schemas_the_document_gives_them(
    client: httpx.AsyncClient, editor: dict[str, str], make_subscriber: Any
) -> None:
    document = await _document(client)
    subscriber = await make_subscriber()
    filed = await client.post("/v1/stories", json=story_json(urgency=2), headers=editor)
    _validate(document, "post", "/v1/stories", filed)
    story = filed.json()["id"]
    calls = [
        ("get", "/v1/feed", "/v1/feed?after=0", subscriber),
        ("get", "/v1/stories/{story_id}", f"/v1/stories/{story}", subscriber),
        ("get", "/v1/stories/{story_id}", f"/v1/stories/{story}?format=nitf", subscriber),
        ("get", "/v1/stories/{story_id}/versions", f"/v1/stories/{story}/versions", subscriber),
        ("get", "/v1/search", "/v1/search?q=budget", subscriber),
        ("get", "/v1/account", "/v1/account", subscriber),
        ("get", "/v1/subscribers", "/v1/subscribers", ADMIN),
        ("get", "/v1/editors", "/v1/editors", ADMIN),
        ("get", "/v1/admin/usage", "/v1/admin/usage", ADMIN),
        ("get", "/v1/webhooks", "/v1/webhooks", subscriber),
        ("get", "/v1/stories/{story_id}", "/v1/stories/nothing-here", subscriber),
        ("get", "/v1/feed", "/v1/feed?limit=many", subscriber),
        ("get", "/healthz", "/healthz", {}),
    ]
    for method, path, url, headers in calls:
        answer = await client.request(method, url, headers=headers)
        _validate(document, method, path, answer)
    made = await client.post(
        "/v1/webhooks", json={"url": "http://127.0.0.1:9/in"}, headers=subscriber
    )
    _validate(document, "post", "/v1/webhooks", made)
    endpoint = made.json()["id"]
    path = "/v1/webhooks/{endpoint_id}/deliveries"
    answer = await client.get(f"/v1/webhooks/{endpoint}/deliveries", headers=subscriber)
    _validate(document, "get", path, answer)
    kill = {"reason": "Legal advice"}
    killed = await client.post(f"/v1/stories/{story}/kill", json=kill, headers=editor)
    _validate(document, "post", "/v1/stories/{story_id}/kill", killed)
    feed = await client.get("/v1/feed?after=0", headers=subscriber)
    _validate(document, "get", "/v1/feed", feed)
    assert [event["type"] for event in feed.json()["events"]][-1] == "story.killed"


def _generate_models(document: dict[str, Any], where: Path) -> Any:
    """Generate pydantic models from the document with datamodel-code-generator; import them."""
    from datamodel_code_generator import DataModelType, Formatter, InputFileType, generate

    output = where / "newswire_client_models.py"
    generate(
        json.dumps(document),
        input_file_type=InputFileType.OpenAPI,
        output=output,
        output_model_type=DataModelType.PydanticV2BaseModel,
        formatters=[Formatter.BUILTIN],
    )
    spec = importlib.util.spec_from_file_location("newswire_client_models", output)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    try:
        spec.loader.exec_module(module)
    finally:
        del sys.modules[spec.name]
    return module


async def test_a_client_generated_from_the_document_files_and_reads_a_story(
    client: httpx.AsyncClient, editor: dict[str, str], make_subscriber: Any, tmp_path: Path
) -> None:
    models = _generate_models(await _document(client), tmp_path)
    subscriber = await make_subscriber()
    draft = models.StoryDraft(
        headline="Harbour reopens after storm", body="Ferries resume on Friday.", urgency=2
    )
    body = draft.model_dump(mode="json", exclude_none=True)
    answer = await client.post("/v1/stories", json=body, headers=editor)
    filed = models.StoryRecord.model_validate(answer.json())
    assert filed.version == 1 and filed.event.value == "story.published"
    page = models.FeedPage.model_validate((await client.get("/v1/feed", headers=subscriber)).json())
    assert [event.story_id for event in page.events] == [filed.id]
    assert page.events[0].seq == filed.seq and page.next == str(filed.seq)
    refused = await client.get("/v1/stories/none-such", headers=subscriber)
    error = models.Error.model_validate(refused.json())
    assert error.error.status == 404 and re.search("none-such", error.error.message)
