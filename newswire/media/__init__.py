"""Pictures and video: inspect an upload, read and write its metadata, make its renditions.

Pure functions over bytes (no HTTP, no database), in the order the API uses them::

    upload = inspect_upload(data, limits)          # or MediaRejected(field, message, status)
    found = read_metadata(upload.data, limits)     # pictures: pre-fills the filing form
    rights = check_rights(Rights(...), limits)     # the fields filed with it
    renditions = make_renditions(upload, rights, FocusPoint(x, y))

Video (MP4) goes through the same calls: `inspect_upload` hands it to
`video.inspect_video`, and the renditions are the MP4 plus its poster frame's.
"""

from newswire.media.errors import MediaRejected
from newswire.media.limits import Limits, Upload, VideoInfo
from newswire.media.metadata import (
    EmbeddedMetadata,
    Rights,
    check_rights,
    read_metadata,
    strip_private,
    write_rights,
)
from newswire.media.renditions import (
    DEFAULT_RENDITIONS,
    FocusPoint,
    Rendition,
    RenditionSpec,
    make_renditions,
)
from newswire.media.uploads import inspect_upload

__all__ = [
    "DEFAULT_RENDITIONS",
    "EmbeddedMetadata",
    "FocusPoint",
    "Limits",
    "MediaRejected",
    "Rendition",
    "RenditionSpec",
    "Rights",
    "Upload",
    "VideoInfo",
    "check_rights",
    "inspect_upload",
    "make_renditions",
    "read_metadata",
    "strip_private",
    "write_rights",
]
