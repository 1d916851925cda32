"""Media items in newswire's own JSON: what editors get back and subscribers read by id.

Rendition links are paths under the API (`/v1/media/{id}/renditions/{name}`);
a subscriber's copy of an item also carries, per rendition, a signed,
expiring URL that a CMS can fetch without headers.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from newswire.delivery.envelopes import iso
from newswire.models.media import MediaRendition, MediaVersion


def rendition_path(media: MediaVersion, rendition: MediaRendition) -> str:
    """Return the API path of one rendition of one version."""
    return f"/v1/media/{media.media_id}/renditions/{rendition.name}?version={media.version}"


def media_json(
    media: MediaVersion, signed: Callable[[MediaRendition], str] | None = None
) -> dict[str, Any]:
    """Return a media version as JSON; `signed` gives each rendition's signed URL if asked."""
    renditions = []
    for rendition in media.renditions:
        body = rendition.as_json()
        del body["key"]
        body["href"] = rendition_path(media, rendition)
        body["etag"] = f'"{rendition.key}"'
        if signed is not None:
            body["signed_href"] = signed(rendition)
        renditions.append(body)
    return {
        "id": media.media_id,
        "version": media.version,
        "kind": media.kind.value,
        "guid": media.guid,
        "pubstatus": media.pubstatus.value,
        **media.details.as_json(),
        "language": media.language,
        "categories": list(media.categories),
        "urgency": media.urgency,
        "public": media.public,
        "focus": {"x": media.focus_x, "y": media.focus_y},
        "embargoed_until": iso(media.embargoed_until) if media.embargoed_until else None,
        "ednote": media.ednote,
        "first_created": iso(media.first_created),
        "version_created": iso(media.version_created),
        "renditions": renditions,
    }
