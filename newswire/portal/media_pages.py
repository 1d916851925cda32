"""The portal's rendition downloads: a story's pictures, for a signed-in company user.

    GET  /portal/media/{id}                     a picture or video: rights and renditions
    GET  /portal/media/{id}/renditions/{name}   ?version=N (&download=1): the bytes

The handler asks `runtime.portal.pictures` (the API's media access, with the
company's subscriber principal) for the rendition and sends it; a picture the
company may not read, or a killed one, is 404 like its API URL.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from starlette.responses import Response, StreamingResponse

from newswire.identity.signin import SignedIn
from newswire.models.errors import NotFound
from newswire.portal.pictures import rendition_file_name
from newswire.portal.views import PAGES
from newswire.portal.web import PERSON, notice, portal_page, runtime_of

router = APIRouter(prefix="/portal", include_in_schema=False)
# Private (a session's), and revalidated: a kill must stop a rendition being shown.
CACHE = "private, max-age=300, must-revalidate"


@router.get("/media/{key}")
async def picture(request: Request, key: str, signed: SignedIn = PERSON) -> Response:
    """Show a picture or video of the wire with its caption, rights and renditions."""
    runtime = runtime_of(request)
    pictures = runtime.portal.pictures
    try:
        if pictures is None:  # pragma: no cover - the runtime always builds it
            raise NotFound(f"no media item {key}", "id")
        shown = await pictures.item(signed.principal, key)
    except NotFound:
        message = PAGES.interface(request, signed)(
            "No such picture, or not one your company receives."
        )
        return notice(request, signed, 404, "Picture not found", message)
    return portal_page(request, signed, "picture", pictures=[shown])


@router.get("/media/{key}/renditions/{name}")
async def rendition(
    request: Request,
    key: str,
    name: str,
    version: Annotated[int | None, Query(ge=1)] = None,
    download: Annotated[bool, Query()] = False,
    signed: SignedIn = PERSON,
) -> Response:
    """Send one rendition of a picture or video the company may read."""
    runtime = runtime_of(request)
    pictures = runtime.portal.pictures
    if pictures is None:  # pragma: no cover - the runtime always builds it
        return Response("not found", status_code=404, media_type="text/plain")
    try:
        file = await pictures.rendition(
            signed.person, signed.principal, key, name, version, download
        )
    except NotFound as error:
        return Response(error.message, status_code=404, media_type="text/plain")
    etag = f'"{file.rendition.key}"'
    disposition = "attachment" if download else "inline"
    headers = {
        "ETag": etag,
        "Cache-Control": CACHE,
        "Content-Disposition": f'{disposition}; filename="{rendition_file_name(file)}"',
    }
    if etag in request.headers.get("if-none-match", ""):
        return Response(status_code=304, headers=headers)
    headers["Content-Length"] = str(file.rendition.size)
    body = runtime.media_access.bytes_of(file)
    return StreamingResponse(body, media_type=file.rendition.content_type, headers=headers)
