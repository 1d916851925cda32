"""The Idempotency-Key header on filings: a retry gets the original answer, never a second story.

`IdempotentDep` goes on POST /v1/stories and the revision endpoints. Without
the header nothing changes. With it, a request whose key already filed
something is answered from that record (same request: the original answer,
with `Idempotent-Replayed: true`; different request: 422), and otherwise the
request runs with its key marked so that the filing's own transaction records
it (`models/idempotency.py`). Keys belong to the caller (its principal).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import Depends, FastAPI, Request
from fastapi.responses import JSONResponse

from newswire.api.deps import EditorDep, RuntimeDep
from newswire.api.shapes import filed_response
from newswire.models.idempotency import filing_under
from newswire.models.stories import EventType
from newswire.newsroom.filing import Filed
from newswire.newsroom.idempotency import HEADER, request_key


class Replayed(Exception):
    """An earlier request with the same key filed this: answer it again."""

    def __init__(self, filed: Filed, status: int) -> None:
        super().__init__(f"replayed {filed.event.seq}")
        self.filed = filed
        self.status = status


async def idempotent(
    request: Request, runtime: RuntimeDep, editor: EditorDep
) -> AsyncIterator[None]:
    """Answer a retried filing from its key's record, or mark the key for the filing."""
    sent = request.headers.get(HEADER)
    if sent is None:
        yield
        return
    parts = (
        request.method.encode(),
        request.url.path.encode(),
        str(request.url.query).encode(),
        request.headers.get("content-type", "").encode(),
        await request.body(),
    )
    key = request_key(editor.id, sent, parts)
    filed = await runtime.idempotency.replay(key)
    if filed is not None:
        # As the endpoint answered: 201 for a new story, 200 for every other filing.
        created = request.url.path.rstrip("/") == "/v1/stories" and request.method == "POST"
        raise Replayed(filed, 201 if created and filed.event.type is EventType.PUBLISHED else 200)
    with filing_under(key):
        yield


IdempotentDep = Annotated[None, Depends(idempotent)]


def install_idempotency(app: FastAPI) -> None:
    """Answer a replayed filing exactly as the original was answered."""

    @app.exception_handler(Replayed)
    async def _replayed(_request: Request, replayed: Replayed) -> JSONResponse:
        response = filed_response(replayed.filed, replayed.status)
        response.headers["Idempotent-Replayed"] = "true"
        return response
