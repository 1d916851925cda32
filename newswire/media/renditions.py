"""Renditions of a picture (or a video's poster frame), made once per version.

`make_renditions(upload, rights, focus)` returns, in order:

* `original` — the file as filed: pixels never re-encoded. A JPEG or WebP
  original gets the wire's caption and rights written into its metadata
  (exiv2 rewrites only the metadata segments); PNG, HEIC and MP4 originals
  are kept byte for byte. It keeps the photographer's GPS and camera data,
  so it goes only to entitled subscribers, never to the public site.
* `base` (`poster` for a video) — longest side 2,048 px, for subscribers.
* `preview` — 640 px, public: the one the public site shows.
* `thumbnail` — 240 x 240, public, cropped around the point of interest.

Every derived rendition is re-encoded (JPEG, or WebP for a picture whose
alpha channel is used), has the EXIF orientation applied (so it needs none),
is never larger than the original, carries the rights fields, and has GPS,
serial numbers, owner, maker notes, thumbnail and edit history stripped —
the public ones because they are public, `base` because a subscriber's CMS
republishes it.

Each smaller rendition is scaled from the smallest one made before it that
still has the pixels it needs (the preview from the base), which is most of
why this is faster than scaling the full picture three times; see
bench/media.py.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Callable
from dataclasses import dataclass, field

from PIL import Image, ImageOps

from newswire.media.errors import UNUSABLE, MediaRejected
from newswire.media.limits import Upload
from newswire.media.metadata import Rights, write_rights

JPEG_QUALITY = 85
WEBP_QUALITY = 85
EXIF_ORIENTATION = 0x0112
QUARTER_TURNS = (5, 6, 7, 8)


@dataclass(frozen=True)
class RenditionSpec:
    """One derived size: its name, the longest side in pixels, public or not, square or not."""

    name: str
    longest: int
    public: bool
    square: bool = False


DEFAULT_RENDITIONS = (
    RenditionSpec("base", 2048, public=False),
    RenditionSpec("preview", 640, public=True),
    RenditionSpec("thumbnail", 240, public=True, square=True),
)
VIDEO_NAMES = {"base": "poster"}


@dataclass(frozen=True)
class FocusPoint:
    """The point of interest as fractions of the shown picture's width and height (0-1)."""

    x: float = 0.5
    y: float = 0.5

    def __post_init__(self) -> None:
        for name, value in (("x", self.x), ("y", self.y)):
            if not 0.0 <= value <= 1.0:
                raise MediaRejected(
                    "focus",
                    f"the point of interest's {name} is {value}; give a fraction from 0 to 1",
                    UNUSABLE,
                )


@dataclass(frozen=True)
class Rendition:
    """One stored file of a media item: what a subscriber downloads."""

    name: str
    content_type: str
    width: int
    height: int
    size: int
    sha256: str
    public: bool
    data: bytes = field(repr=False, compare=False)
    duration: float | None = None  # seconds, for the video itself


def make_renditions(
    upload: Upload,
    rights: Rights,
    focus: FocusPoint = FocusPoint(),
    specs: tuple[RenditionSpec, ...] = DEFAULT_RENDITIONS,
) -> tuple[Rendition, ...]:
    """Return the original and every derived rendition, each with its size and sha256."""
    shown = _shown(upload.image)
    renditions = [_original(upload, rights, shown.size)]
    has_alpha = _uses_alpha(shown)
    exif = shown.getexif()
    # Each size is scaled from the smallest picture made so far that still has
    # the pixels it needs (a 2,048 px base holds all a 640 px preview needs).
    sources = [_normalized(shown, has_alpha)]
    for spec in sorted(specs, key=lambda spec: -spec.longest):
        if spec.square:
            source = _smallest_with(sources, spec.longest, min)
            scaled = _square(source, spec.longest, focus)
        else:
            source = _smallest_with(sources, spec.longest, max)
            scaled = _fit(source, spec.longest)
            sources.append(scaled)
        icc = sources[0].info.get("icc_profile")
        encoded, content_type = _encode(scaled, has_alpha, exif, icc)
        name = VIDEO_NAMES.get(spec.name, spec.name) if upload.kind == "video" else spec.name
        renditions.append(
            _rendition(name, content_type, scaled.size, write_rights(encoded, rights, strip=True),
                       spec.public)
        )  # fmt: skip
    return tuple(renditions)


def _smallest_with(
    sources: list[Image.Image], pixels: int, side: Callable[[tuple[int, int]], int]
) -> Image.Image:
    """Return the last (smallest) picture whose chosen side has the pixels, else the full one."""
    for source in reversed(sources):
        if side(source.size) >= pixels:
            return source
    return sources[0]


def _original(upload: Upload, rights: Rights, shown_size: tuple[int, int]) -> Rendition:
    if upload.kind == "video":
        assert upload.video is not None
        return _rendition(
            "original", upload.content_type, (upload.width, upload.height), upload.data, False,
            duration=upload.video.duration,
        )  # fmt: skip
    data = upload.data
    if upload.format in ("JPEG", "WEBP"):
        data = write_rights(data, rights)
    width, height = upload.width, upload.height
    if _orientation(upload.image) in QUARTER_TURNS:
        width, height = height, width
    return _rendition("original", upload.content_type, (width, height), data, False)


def _rendition(
    name: str,
    content_type: str,
    size: tuple[int, int],
    data: bytes,
    public: bool,
    duration: float | None = None,
) -> Rendition:
    return Rendition(
        name=name,
        content_type=content_type,
        width=size[0],
        height=size[1],
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        public=public,
        data=data,
        duration=duration,
    )


def _orientation(image: Image.Image) -> int:
    value = image.getexif().get(EXIF_ORIENTATION, 1)
    return value if isinstance(value, int) else 1


def _shown(image: Image.Image) -> Image.Image:
    """Return the picture turned the way EXIF says it is shown (orientation tag removed)."""
    turned = ImageOps.exif_transpose(image)
    return turned if turned is not None else image


def _uses_alpha(image: Image.Image) -> bool:
    if image.mode in ("RGBA", "LA", "PA", "La", "RGBa"):
        extrema = image.getchannel("A").getextrema()
        return (
            isinstance(extrema[0], int | float) and extrema[0] < 255
        )  # an alpha channel that is opaque everywhere is no alpha
    return image.mode == "P" and "transparency" in image.info


def _normalized(image: Image.Image, has_alpha: bool) -> Image.Image:
    if has_alpha:
        return image if image.mode == "RGBA" else image.convert("RGBA")
    if image.mode in ("RGB", "L"):
        return image
    converted = image.convert("RGB")
    if image.mode == "CMYK":
        converted.info.pop("icc_profile", None)  # a CMYK profile does not describe RGB
    return converted


def _fit(image: Image.Image, longest: int) -> Image.Image:
    """Return the picture scaled so its longest side is `longest` px, never enlarged."""
    width, height = image.size
    scale = longest / max(width, height)
    if scale >= 1:
        return image
    size = (max(1, round(width * scale)), max(1, round(height * scale)))
    # reducing_gap: shrink by an integer factor with a box filter first, then
    # Lanczos over the last factor of 3 or less; indistinguishable at these
    # ratios and several times faster than Lanczos over the whole range.
    return image.resize(size, Image.Resampling.LANCZOS, reducing_gap=3.0)


def _square(image: Image.Image, longest: int, focus: FocusPoint) -> Image.Image:
    """Return the largest square around the point of interest, scaled to at most `longest`."""
    width, height = image.size
    side = min(width, height)
    left = min(max(focus.x * width - side / 2, 0), width - side)
    top = min(max(focus.y * height - side / 2, 0), height - side)
    out = min(longest, side)
    box = (left, top, left + side, top + side)
    return image.resize((out, out), Image.Resampling.LANCZOS, box=box, reducing_gap=3.0)


def _encode(
    image: Image.Image, has_alpha: bool, exif: Image.Exif, icc: bytes | None
) -> tuple[bytes, str]:
    out = io.BytesIO()
    extra: dict[str, object] = {"exif": exif.tobytes()} if len(exif) else {}
    if icc:
        extra["icc_profile"] = icc
    if has_alpha:
        image.save(out, "WEBP", quality=WEBP_QUALITY, **extra)
        return out.getvalue(), "image/webp"
    image.save(out, "JPEG", quality=JPEG_QUALITY, **extra)
    return out.getvalue(), "image/jpeg"
