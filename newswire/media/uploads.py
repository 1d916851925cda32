"""Decide what uploaded bytes are: a picture or a video newswire accepts, or a refusal.

`inspect_upload(data)` returns an `Upload` (kind, content type, pixel size,
sha256, and the decoded picture or video poster frame for the renditions) or
raises `MediaRejected` naming the problem. Nothing is stored by this module;
the caller stores only what it returns.

Accepted: JPEG, PNG, WebP and HEIC (through pillow-heif) pictures, MP4 video.
Refused, each with its own message:

* too many bytes (413) — checked first, before anything parses the bytes;
* too many pixels (413) — a decompression bomb: a small file that decodes to
  gigapixels. Our own check compares the header's width x height with
  `Limits.max_pixels` *before* decoding; Pillow's `DecompressionBombError`
  (twice `PIL.Image.MAX_IMAGE_PIXELS`) backs it up for headers we do not see;
* not an image at all, or a format we do not take (GIF, TIFF, BMP, ...) (415);
* SVG (415): an SVG is a program, not pixels — it can carry scripts, event
  handlers, external references and entity expansion, and a sanitizer would
  have to understand every renderer's dialect. The wire carries raster
  pictures; an agency graphic is filed as PNG;
* a truncated or damaged file (422): the whole stream is decoded
  (`Image.load()`), not just the header;
* animated pictures (422): the wire's moving pictures are MP4;
* polyglots (422): see `signatures.py`;
* an "MP4" that is not one, or is truncated (see `video.py`).
"""

from __future__ import annotations

import hashlib
import io

import pillow_heif
from lxml import etree
from PIL import Image, UnidentifiedImageError

from newswire.media.errors import TOO_LARGE, UNSUPPORTED, UNUSABLE, MediaRejected
from newswire.media.limits import PICTURE_FORMATS, Limits, Upload
from newswire.media.signatures import refuse_polyglot

# HEIC (iPhone photos) through libheif; registering adds the "HEIF" format to
# Pillow's registry, nothing else.
pillow_heif.register_heif_opener()


def inspect_upload(data: bytes, limits: Limits = Limits(), longest_needed: int = 2048) -> Upload:
    """Return the verified upload, or raise MediaRejected saying why it is refused.

    A JPEG is decoded at the smallest DCT scale that still leaves
    `longest_needed` pixels on its longest side (libjpeg's draft mode: every
    byte of the stream is still read and checked, only fewer pixels come out);
    other formats are decoded at full size.
    """
    if not data:
        raise MediaRejected("file", "the file is empty", UNUSABLE)
    if _looks_like_mp4(data):
        from newswire.media.video import inspect_video  # PyAV loads only for video

        return inspect_video(data, limits)
    if len(data) > limits.max_picture_bytes:
        raise MediaRejected(
            "file",
            f"the picture is {len(data):,} bytes; at most {limits.max_picture_bytes:,} are taken",
            TOO_LARGE,
        )
    image = _open_picture(data)
    image_format = image.format or ""
    _refuse_bomb(image.width, image.height, limits)
    if getattr(image, "n_frames", 1) > 1:
        raise MediaRejected(
            "file", "animated pictures are not accepted; file moving pictures as MP4", UNUSABLE
        )
    width, height = image.size
    if image_format == "JPEG" and longest_needed > 0:
        scale = longest_needed / max(width, height)
        if scale < 1:
            image.draft("RGB", (max(1, round(width * scale)), max(1, round(height * scale))))
    _decode_fully(image, image_format)
    # After decoding: a truncated file also "ends early", and truncation is
    # the more useful thing to say.
    refuse_polyglot(data, image_format)
    content_type, extension = PICTURE_FORMATS[image_format]
    return Upload(
        kind="picture",
        format=image_format,
        content_type=content_type,
        extension=extension,
        width=width,
        height=height,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        data=data,
        image=image,
    )


def _looks_like_mp4(data: bytes) -> bool:
    # ISO BMFF starts with a box whose type is `ftyp`; HEIC shares it, with
    # image brands, and goes to Pillow instead.
    if data[4:8] != b"ftyp":
        return False
    brand = data[8:12]
    return brand not in {b"heic", b"heix", b"hevc", b"hevx", b"mif1", b"msf1", b"avif", b"avis"}


def _open_picture(data: bytes) -> Image.Image:
    try:
        # BytesIO over bytes shares the buffer: no copy of a 60 MB upload.
        return Image.open(io.BytesIO(data), formats=list(PICTURE_FORMATS))
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        # The warning is an exception only where warnings are errors (tests);
        # elsewhere Pillow warns and our own pixel check refuses the picture.
        raise MediaRejected(
            "file", f"the picture has too many pixels to decode safely ({error})", TOO_LARGE
        ) from error
    except UnidentifiedImageError:
        pass
    except (OSError, SyntaxError, ValueError, EOFError) as error:
        # A known format whose header is damaged.
        raise MediaRejected("file", f"the picture is damaged: {error}", UNUSABLE) from error
    raise _not_media(data)


def _not_media(data: bytes) -> MediaRejected:
    if _is_svg(data):
        return MediaRejected(
            "file",
            "SVG is not accepted: it is a program (scripts, external references), not pixels; "
            "file graphics as PNG",
            UNSUPPORTED,
        )
    try:
        with Image.open(io.BytesIO(data)) as other:
            found = other.format or "an unknown format"
    except Exception:  # Pillow does not know it either: text, a document, random bytes
        return MediaRejected(
            "file",
            "the file is not a picture or video newswire accepts (JPEG, PNG, WebP, HEIC, MP4)",
            UNSUPPORTED,
        )
    return MediaRejected(
        "file",
        f"{found} pictures are not accepted; file JPEG, PNG, WebP, HEIC or MP4",
        UNSUPPORTED,
    )


def _is_svg(data: bytes) -> bool:
    # A parser that fetches nothing and expands no entities: the document is
    # hostile until proven otherwise.
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, recover=True
    )
    try:
        root = etree.fromstring(data.lstrip(b"\xef\xbb\xbf \t\r\n"), parser)
    except etree.XMLSyntaxError:
        return False
    return root is not None and etree.QName(root).localname.lower() == "svg"


def _refuse_bomb(width: int, height: int, limits: Limits) -> None:
    pixels = width * height
    if pixels > limits.max_pixels:
        raise MediaRejected(
            "file",
            f"the picture claims {width} x {height} = {pixels:,} pixels; at most "
            f"{limits.max_pixels:,} are accepted (decompression bomb limit)",
            TOO_LARGE,
        )


def _decode_fully(image: Image.Image, image_format: str) -> None:
    label = {"WEBP": "WebP", "HEIF": "HEIC"}.get(image_format, image_format)
    try:
        image.load()
    except Image.DecompressionBombError as error:
        raise MediaRejected(
            "file", f"the picture has too many pixels ({error})", TOO_LARGE
        ) from error
    except (OSError, SyntaxError, ValueError, EOFError) as error:
        raise MediaRejected(
            "file", f"the {label} file is truncated or damaged: {error}", UNUSABLE
        ) from error
