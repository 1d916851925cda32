"""Media endpoints: editors file, update and kill pictures and video; readers get them.

    POST /v1/media                           multipart: `file` + metadata fields -> 201
    PUT  /v1/media/{id}                      a new version: new file and/or fields
    POST /v1/media/{id}/kill                 {"reason": "..."}
    GET  /v1/media/{id}                      the current version, with its renditions
    GET  /v1/media/{id}/renditions/{name}    the bytes: key, or a signed expiring URL

Handlers decode the form, call the media library or the media access, and
respond; the rules live in `media/library.py` and `delivery/media_access.py`.
"""

from __future__ import annotations

import re
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi.responses import JSONResponse, StreamingResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.datastructures import UploadFile

from newswire.api.deps import AUTH_ERRORS, EditorDep, ReaderDep, RuntimeDep, resolve_key
from newswire.api.errors import APIError
from newswire.api.params import FormatParam
from newswire.api.shapes import filed_answer
from newswire.delivery.media_access import RenditionFile
from newswire.delivery.media_json import media_json, rendition_path
from newswire.media.forms import media_form
from newswire.media.library import FiledMedia, MediaForm
from newswire.models.errors import Invalid, Unsupported
from newswire.models.media import MediaRendition
from newswire.models.principals import Principal, Role
from newswire.newsroom.drafts import KillRequest
from newswire.runtime import Runtime

router = APIRouter(prefix="/v1", tags=["media"], responses=AUTH_ERRORS)

_UPLOAD_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["file"],
                    "properties": {
                        "file": {"type": "string", "format": "binary"},
                        "caption": {"type": "string"},
                        "alt_text": {"type": "string"},
                        "headline": {"type": "string"},
                        "creator": {"type": "string"},
                        "credit_line": {"type": "string"},
                        "copyright_notice": {"type": "string"},
                        "copyright_holder": {"type": "string"},
                        "usage_terms": {"type": "string"},
                        "digital_source_type": {"type": "string"},
                        "keywords": {"type": "string", "description": "comma-separated"},
                        "categories": {"type": "string", "description": "comma-separated"},
                        "focus_x": {"type": "number"},
                        "focus_y": {"type": "number"},
                        "embargoed_until": {"type": "string", "format": "date-time"},
                    },
                }
            }
        },
    }
}
_UPLOAD_ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"description": "Not a readable multipart form"},
    413: {"description": "File over the byte or pixel limits (a decompression bomb)"},
    415: {"description": "Not a picture or MP4 video (SVG, GIF, a document...)"},
    422: {"description": "Truncated, damaged, polyglot, or a field is invalid; `error.field`"},
}
_NOT_FOUND: dict[int | str, dict[str, Any]] = {
    404: {"description": "No such media item (or not one the caller may receive)"}
}
_RANGE = re.compile(r"bytes=(\d*)-(\d*)")
# Renditions are content-addressed (the ETag is their sha256), but a kill must stop
# them being served: caches may keep one briefly, and revalidate with the ETag.
RENDITION_CACHE = "private, max-age=300, must-revalidate"
_optional_bearer = HTTPBearer(auto_error=False)


async def _read_form(request: Request, file_required: bool) -> tuple[bytes | None, MediaForm]:
    if not request.headers.get("content-type", "").lower().startswith("multipart/form-data"):
        raise Unsupported("send multipart/form-data with the file in `file`", "body")
    form = await request.form(max_files=1, max_fields=64)
    upload = form.get("file")
    data = None
    if isinstance(upload, UploadFile):
        data = await upload.read()
    elif upload is not None:
        raise Invalid("`file` must be a file part, not a text field", "file")
    if data is None and file_required:
        raise Invalid("the picture or video is missing: send it in `file`", "file")
    fields: dict[str, list[str]] = {}
    for name, value in form.multi_items():
        if name != "file" and isinstance(value, str):
            fields.setdefault(name, []).append(value)
    return data, media_form(fields)


def _filed(filed: FiledMedia, status: int) -> JSONResponse:
    location = f"/v1/media/{filed.media.media_id}"
    return filed_answer(media_json(filed.media), filed.event, location, status)


@router.post("/media", status_code=201, openapi_extra=_UPLOAD_BODY, responses=_UPLOAD_ERRORS)
async def file_media(request: Request, runtime: RuntimeDep, _editor: EditorDep) -> JSONResponse:
    """File a picture (JPEG, PNG, WebP, HEIC) or video (MP4): version 1 with its renditions.

    Metadata embedded in the file (IPTC, XMP, EXIF) pre-fills the fields; the
    fields sent win. Nothing is stored unless everything passed.
    """
    data, form = await _read_form(request, file_required=True)
    assert data is not None
    filed = await runtime.media_library.file(data, form)
    return _filed(filed, 201)


@router.put(
    "/media/{media_id}", openapi_extra=_UPLOAD_BODY, responses={**_UPLOAD_ERRORS, **_NOT_FOUND}
)
async def update_media(
    media_id: str, request: Request, runtime: RuntimeDep, _editor: EditorDep
) -> JSONResponse:
    """File a new version: a new file, a new caption or rights, a new point of interest."""
    data, form = await _read_form(request, file_required=False)
    filed = await runtime.media_library.update(media_id, data, form)
    return _filed(filed, 200)


@router.post("/media/{media_id}/kill", responses=_NOT_FOUND)
async def kill_media(
    media_id: str, kill: KillRequest, runtime: RuntimeDep, _editor: EditorDep
) -> JSONResponse:
    """Withdraw a picture or video: subscribers get the kill, its renditions are gone."""
    return _filed(await runtime.media_library.kill(media_id, kill.reason), 200)


@router.get(
    "/media/{media_id}",
    response_model=None,
    responses={**_NOT_FOUND, 406: {"description": "Unknown format"}},
)
async def get_media(
    media_id: str, runtime: RuntimeDep, principal: ReaderDep, format: FormatParam = None
) -> Response:
    """Return the current version of a media item the caller may read (404 otherwise).

    Without `format`, newswire's JSON with signed rendition URLs; with it, the
    item in that format (a NewsML-G2 subscriber follows a story's links here).
    """
    if format is not None:
        body, media_type = await runtime.media_access.rendered(principal, media_id, format)
        return Response(body, media_type=media_type)
    media = await runtime.media_access.item(principal, media_id)
    access = runtime.media_access

    def signed(rendition: MediaRendition) -> str:
        query = access.signed_query(principal, media, rendition.name)
        return f"{rendition_path(media, rendition)}&{query}"

    return JSONResponse(media_json(media, signed if principal.role is Role.SUBSCRIBER else None))


async def _caller(
    request: Request,
    runtime: RuntimeDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_optional_bearer)],
) -> Principal | None:
    return await resolve_key(runtime, credentials.credentials if credentials else None)


@router.get(
    "/media/{media_id}/renditions/{name}",
    response_class=Response,
    responses=_NOT_FOUND,
)
async def get_rendition(
    media_id: str,
    name: str,
    request: Request,
    runtime: RuntimeDep,
    caller: Annotated[Principal | None, Depends(_caller)],
    version: Annotated[int | None, Query(ge=1)] = None,
    sub: str | None = None,
    expires: int | None = None,
    sig: str | None = None,
) -> Response:
    """Download a rendition with a key, or through a signed URL; `Range` works, ETags too."""
    access = runtime.media_access
    if sig is not None and sub is not None and expires is not None and version is not None:
        _, file = await access.signed_rendition(media_id, name, version, sub, expires, sig)
    elif caller is not None:
        file = await access.rendition(caller, media_id, name, version)
    else:
        raise APIError(401, "send a key (Authorization: Bearer ...) or use a signed URL")
    return _send(request, runtime, file)


def _send(request: Request, runtime: Runtime, file: RenditionFile) -> Response:
    rendition = file.rendition
    etag = f'"{rendition.key}"'
    headers = {
        "ETag": etag,
        "Cache-Control": RENDITION_CACHE,
        "Accept-Ranges": "bytes",
        "Last-Modified": file.modified.strftime("%a, %d %b %Y %H:%M:%S GMT"),
        "Content-Disposition": f'inline; filename="{file.media.media_id}-{rendition.name}"',
    }
    if etag in request.headers.get("if-none-match", ""):
        return Response(status_code=304, headers=headers)
    size = rendition.size
    wanted = _range(request.headers.get("range"), size)
    if wanted is None:
        headers["Content-Length"] = str(size)
        body = runtime.media_access.bytes_of(file)
        return StreamingResponse(body, media_type=rendition.content_type, headers=headers)
    start, end = wanted
    if start >= size or start > end:
        headers["Content-Range"] = f"bytes */{size}"
        return Response(status_code=416, headers=headers)
    headers["Content-Range"] = f"bytes {start}-{end}/{size}"
    headers["Content-Length"] = str(end - start + 1)
    body = runtime.media_access.bytes_of(file, start, end - start + 1)
    return StreamingResponse(
        body, status_code=206, media_type=rendition.content_type, headers=headers
    )


def _range(header: str | None, size: int) -> tuple[int, int] | None:
    """Return the (first, last) byte of a single `bytes=` range, or None to send all."""
    if not header:
        return None
    match = _RANGE.fullmatch(header.strip())
    if match is None or match.group(1) == match.group(2) == "":
        return None  # several ranges, or another unit: the whole file is a valid answer
    first, last = match.group(1), match.group(2)
    if first == "":
        suffix = min(int(last), size)
        return size - suffix, size - 1
    end = min(int(last), size - 1) if last else size - 1
    return int(first), end
