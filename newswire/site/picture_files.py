"""The public renditions of the pictures the site shows: preview and thumbnail, nothing else.

Served only while the picture is usable and public (`MediaAccess.public_rendition`);
anything else, the original and the base above all, is 404.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response, StreamingResponse

from newswire.site.common import runtime_of
from newswire.site.pictures import public_path

router = APIRouter(include_in_schema=False)
# Renditions never change under their URL (the version is in it), but a kill must
# stop them: a short shared lifetime, revalidated by ETag.
PUBLIC_CACHE = "public, max-age=300, must-revalidate"


@router.api_route("/media/{media_id}/v{version}/{name}", methods=["GET", "HEAD"])
async def public_rendition(media_id: str, version: int, name: str, request: Request) -> Response:
    """Serve a public rendition of a picture the site shows (404 for anything else)."""
    access = runtime_of(request).media_access
    file = await access.public_rendition(media_id, name)
    rendition = file.rendition
    etag = f'"{rendition.key}"'
    headers = {"ETag": etag, "Cache-Control": PUBLIC_CACHE}
    if file.media.version != version:
        # An older version's URL: the current rendition is what may be shown.
        headers["Location"] = public_path(file.media, name)
        return Response(status_code=301, headers=headers)
    if etag in request.headers.get("if-none-match", ""):
        return Response(status_code=304, headers=headers)
    headers["Content-Length"] = str(rendition.size)
    return StreamingResponse(
        access.bytes_of(file), media_type=rendition.content_type, headers=headers
    )
