"""The documentation stays true: every setting documented, every endpoint described."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from newswire.settings import SETTINGS, settings_markdown

ROOT = Path(__file__).resolve().parents[1]


def test_docs_settings_md_is_generated_from_the_settings_table() -> None:
    text = (ROOT / "docs" / "settings.md").read_text(encoding="utf-8")
    assert text == settings_markdown(), "run: newswire settings --markdown > docs/settings.md"
    for setting in SETTINGS:
        assert setting.env_var in text and setting.help


def test_every_setting_has_a_help_line_and_parses_its_own_default() -> None:
    for setting in SETTINGS:
        assert setting.help.strip(), setting.name
        if isinstance(setting.default, tuple):
            text = ",".join(str(v) for v in setting.default)
        else:
            text = (
                str(setting.default).lower()
                if isinstance(setting.default, bool)
                else str(setting.default)
            )
        assert setting.parse(text) == setting.default, setting.name


@pytest.mark.anyio
async def test_openapi_describes_every_v1_endpoint_with_bearer_auth_and_errors(
    client: httpx.AsyncClient,
) -> None:
    document = (await client.get("/openapi.json")).json()
    assert document["components"]["securitySchemes"]["HTTPBearer"]["scheme"] == "bearer"
    operations = [
        (path, method, operation)
        for path, methods in document["paths"].items()
        for method, operation in methods.items()
        if path.startswith("/v1/")
    ]
    assert len(operations) >= 8
    # The secret feed URL is its own credential (for clients that cannot send a header).
    operations = [op for op in operations if op[0] != "/v1/feeds/{secret}.atom"]
    for path, method, operation in operations:
        where = f"{method.upper()} {path}"
        assert operation.get("summary") and operation.get("description"), where
        assert {"HTTPBearer": []} in operation.get("security", []), where
        if not operation.get("x-websocket"):  # a WebSocket refuses with close codes
            assert {"401", "403"} <= set(operation["responses"]), where
    story_body = document["paths"]["/v1/stories"]["post"]["requestBody"]["content"]
    assert {"application/json", "text/plain"} <= set(story_body)
