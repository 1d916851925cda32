"""`GET /v1/admin/usage`: who received which story version, how, in which format, and when.

Filters: subscriber, channel, from, to, story. JSON pages follow `next`
(an opaque record cursor); `?format=csv` or `Accept: text/csv` streams every
matching record as CSV with a header row, read from the database page by
page, so an export of millions of rows holds one page in memory.
"""

from __future__ import annotations

import csv
import io
from collections.abc import AsyncIterator, Callable
from dataclasses import replace
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import StreamingResponse

from newswire.api.deps import AUTH_ERRORS, AdminDep, RuntimeDep
from newswire.api.errors import APIError
from newswire.delivery.cursors import parse_cursor
from newswire.delivery.envelopes import iso
from newswire.models.usage import Channel, UsageQuery, UsageRow

router = APIRouter(prefix="/v1/admin", tags=["admin"], responses=AUTH_ERRORS)

# A usage record's fields, declared once: the JSON keys, and the CSV columns in this order.
_FIELDS: dict[str, Callable[[UsageRow], Any]] = {
    "id": lambda row: str(row.id),
    "delivered_at": lambda row: iso(row.record.delivered_at),
    "subscriber_id": lambda row: row.record.principal_id,
    "subscriber_name": lambda row: row.subscriber_name,
    "channel": lambda row: row.record.channel.value,
    "format": lambda row: row.record.format,
    "story_id": lambda row: row.record.story_id,
    "version": lambda row: row.record.version,
    "seq": lambda row: row.record.seq,
    "deliveries": lambda row: row.record.deliveries,
}
CSV_COLUMNS = tuple(_FIELDS)
CSV_PAGE = 1000


def usage_json(row: UsageRow) -> dict[str, Any]:
    """Return one usage record as JSON."""
    return {name: value(row) for name, value in _FIELDS.items()}


def _csv_lines(rows: list[UsageRow], header: bool) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    if header:
        writer.writerow(CSV_COLUMNS)
    for row in rows:
        item = usage_json(row)
        writer.writerow(["" if item[column] is None else item[column] for column in CSV_COLUMNS])
    return out.getvalue()


async def _csv_stream(pages: AsyncIterator[list[UsageRow]]) -> AsyncIterator[str]:
    yield _csv_lines([], header=True)
    async for rows in pages:
        yield _csv_lines(rows, header=False)


def _utc(value: datetime | None) -> datetime | None:
    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=UTC)  # a time without a zone is taken as UTC


def _wants_csv(request: Request, output: str | None) -> bool:
    if output is not None:
        if output.lower() not in ("csv", "json"):
            raise APIError(422, f"format must be csv or json, not {output!r}", "format")
        return output.lower() == "csv"
    return "text/csv" in request.headers.get("accept", "")


@router.get(
    "/usage",
    responses={
        200: {"content": {"text/csv": {}}, "description": "A page of usage records, or CSV"},
        404: {"description": "No such subscriber"},
        422: {"description": "A filter is invalid; `error.field` names it"},
    },
)
async def list_usage(
    request: Request,
    runtime: RuntimeDep,
    _admin: AdminDep,
    subscriber: Annotated[str | None, Query(description="A subscriber's id")] = None,
    channel: Annotated[Channel | None, Query(description="feed, atom, story, sse, ...")] = None,
    start: Annotated[
        datetime | None, Query(alias="from", description="Delivered at or after (UTC)")
    ] = None,
    end: Annotated[datetime | None, Query(alias="to", description="Delivered before (UTC)")] = None,
    story: Annotated[str | None, Query(description="A story's id, slug or guid")] = None,
    after: Annotated[str | None, Query(description="The `next` of the previous page")] = None,
    limit: Annotated[int, Query(ge=1, le=1000, description="Most records per page")] = 100,
    output: Annotated[
        str | None, Query(alias="format", description="json (default) or csv (all pages)")
    ] = None,
) -> Any:
    """List who received which story version through which channel, in which format, and when.

    The record an agency bills and answers complaints from. JSON pages in
    delivery order (follow `next`); `?format=csv` or `Accept: text/csv`
    streams every matching record as CSV with a header row.
    """
    as_csv = _wants_csv(request, output)
    query = UsageQuery(
        subscriber, channel, _utc(start), _utc(end), story, parse_cursor(after), limit
    )
    query = await runtime.reports.usage_query(query)
    if as_csv:
        pages = runtime.reports.usage_pages(replace(query, limit=CSV_PAGE))
        return StreamingResponse(
            _csv_stream(pages),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": 'attachment; filename="newswire-usage.csv"'},
        )
    rows = await runtime.reports.usage_page(query)
    more = len(rows) == limit
    return {
        "usage": [usage_json(row) for row in rows],
        "next": str(rows[-1].id) if more else None,
    }
