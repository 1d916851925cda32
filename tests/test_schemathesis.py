"""Schemathesis calls every operation of the OpenAPI document against a running server.

A bounded number of generated examples per operation (`EXAMPLES`), against
`newswire serve --demo` in a child process, each with the key of the role
the operation is for. Every answer must not be a 5xx and must match what the
document says of it (status declared, media type, body schema). The endless
stream and the WebSocket are left out (a stream never ends; a WebSocket is
not HTTP); the feed's long-poll is capped at one second on this server.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, given, settings

from newswire.demo.saved_keys import keys_path, load_keys
from tests.processes import ServerProcess

pytestmark = pytest.mark.slow

EXAMPLES = 12  # per operation: ~45 operations stay within a minute on a quiet 2-core machine
LEFT_OUT = {("GET", "/v1/stream"), ("GET", "/v1/ws")}
ADMIN_TOKEN = "nwa_schemathesis-admin"
EDITOR_WRITES = ("/v1/stories",)


@dataclass(frozen=True)
class Demo:
    url: str
    keys: dict[str, str]

    def key_for(self, method: str, path: str) -> str:
        """Return the key of the role an operation is for."""
        if path.startswith(("/v1/editors", "/v1/subscribers", "/v1/admin", "/v1/keys")):
            return ADMIN_TOKEN
        if path.startswith(EDITOR_WRITES) and (method != "GET" or path.endswith("/diff")):
            return self.keys["editor"]
        return self.keys["subscriber"]


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Demo]:
    tmp = tmp_path_factory.mktemp("schemathesis")
    db = f"sqlite:///{tmp / 'fuzz.db'}"
    env = {
        "NEWSWIRE_ADMIN_TOKEN": ADMIN_TOKEN,
        "NEWSWIRE_FEED_MAX_WAIT": "1",
        "NEWSWIRE_LOG_LEVEL": "warning",
    }
    server = ServerProcess(db, tmp / "server.log", "--demo", env=env)
    server.wait_ready()
    try:
        yield Demo(server.url, load_keys(keys_path(db)))
    finally:
        server.stop()


def _checks() -> list[Any]:
    from schemathesis.checks import not_a_server_error
    from schemathesis.specs.openapi.checks import (
        content_type_conformance,
        response_schema_conformance,
        status_code_conformance,
    )

    return [
        not_a_server_error,
        status_code_conformance,
        content_type_conformance,
        response_schema_conformance,
    ]


def _run_operation(operation: Any, demo: Demo, checks: list[Any]) -> None:
    headers = {"Authorization": f"Bearer {demo.key_for(operation.method.upper(), operation.path)}"}

    @given(case=operation.as_strategy())
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,  # the same examples every run: a failure here is reproducible
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def check(case: Any) -> None:
        response = case.call(base_url=demo.url, headers=headers, timeout=30)
        case.validate_response(response, checks=checks, headers=headers)

    check()


def test_every_operation_answers_without_a_5xx_and_as_its_schema_says(demo: Demo) -> None:
    import schemathesis

    schema = schemathesis.openapi.from_url(f"{demo.url}/openapi.json")
    checks = _checks()
    failures: list[str] = []
    tried = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        if (operation.method.upper(), operation.path) in LEFT_OUT:
            continue
        tried += 1
        try:
            _run_operation(operation, demo, checks)
        except (Exception, BaseExceptionGroup) as error:  # each operation's failures are shown
            where = (operation.method.upper(), operation.path)
            found = f"{where[0]} {where[1]}: {error}"
            failures.append(found)
    assert tried >= 40
    assert not failures, "\n\n".join(failures)


def test_the_document_leaves_nothing_out_of_the_fuzzing_but_the_streams(demo: Demo) -> None:
    import schemathesis

    schema = schemathesis.openapi.from_url(f"{demo.url}/openapi.json")
    operations = {(r.ok().method.upper(), r.ok().path) for r in schema.get_all_operations()}
    assert operations >= LEFT_OUT and len(operations - LEFT_OUT) >= 40
    assert Path(__file__).exists()
