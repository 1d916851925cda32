"""The story editor's pictures: upload, pick, feature, remove; and their thumbnails.

POST /desk/drafts/{id}/pictures/upload     multipart: `file`, caption, alt_text (editors)
POST /desk/drafts/{id}/pictures/pick       use a picture already filed (`media_id`)
POST /desk/drafts/{id}/pictures/feature    make one the featured picture
POST /desk/drafts/{id}/pictures/remove     stop using one
GET  /desk/media/{id}/preview              a picture's preview rendition (signed-in staff)

Each form names the draft `version` it was made on, and carries the session's
CSRF token like every desk form; the rules are in `pictures.py`.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse
from starlette.datastructures import UploadFile
from starlette.responses import Response

from newswire.desk.web import PERSON, runtime_of, staff_of
from newswire.identity.signin import SignedIn
from newswire.media.forms import media_form
from newswire.models.errors import Invalid

router = APIRouter(prefix="/desk", include_in_schema=False)

UPLOAD_FIELDS = ("caption", "alt_text", "headline", "creator", "credit_line")
PREVIEW_CACHE = "private, max-age=300, must-revalidate"


def _version(value: object) -> int:
    text = value if isinstance(value, str) else ""
    if not text.isdigit():
        raise Invalid("the form has no draft version; reload the page", "version")
    return int(text)


def _back(draft_id: str, notice: str) -> RedirectResponse:
    return RedirectResponse(f"/desk/drafts/{draft_id}?notice={notice}", status_code=303)


@router.post("/drafts/{draft_id}/pictures/upload")
async def upload(request: Request, draft_id: str, signed: SignedIn = PERSON) -> Response:
    """File a picture from the editor (as POST /v1/media does) and use it in the story."""
    form = await request.form(max_files=1, max_fields=16)
    upload_part = form.get("file")
    if not isinstance(upload_part, UploadFile):
        raise Invalid("choose a picture to upload", "file")
    fields = {
        name: [value]
        for name in UPLOAD_FIELDS
        if isinstance(value := form.get(name), str) and value.strip()
    }
    await runtime_of(request).draft_pictures.upload(
        draft_id,
        _version(form.get("version")),
        await upload_part.read(),
        media_form(fields),
        staff_of(signed),
    )
    return _back(draft_id, "picture")


@router.post("/drafts/{draft_id}/pictures/{change}")
async def change(
    request: Request, draft_id: str, change: str, signed: SignedIn = PERSON
) -> Response:
    """Pick, feature or remove one of the pictures the story uses."""
    form = await request.form()
    pictures = runtime_of(request).draft_pictures
    operations = {"pick": pictures.pick, "feature": pictures.feature, "remove": pictures.remove}
    if change not in operations:
        raise Invalid(f"no picture change {change!r}", "change")
    media_id = form.get("media_id")
    if not isinstance(media_id, str) or not media_id:
        raise Invalid("choose a picture", "media")
    await operations[change](draft_id, _version(form.get("version")), media_id, staff_of(signed))
    return _back(draft_id, "picture")


@router.get("/media/{media_id}/preview")
async def preview(request: Request, media_id: str, signed: SignedIn = PERSON) -> Response:
    """Return a picture's preview rendition, for the editor's thumbnails."""
    runtime = runtime_of(request)
    file = await runtime.media_access.rendition(signed.principal, media_id, "preview")
    body = b"".join([chunk async for chunk in runtime.media_access.bytes_of(file)])
    return Response(
        body,
        media_type=file.rendition.content_type,
        headers={"Cache-Control": PREVIEW_CACHE, "ETag": f'"{file.rendition.key}"'},
    )
