"""What an upload may be and how large, and what an accepted upload is."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from PIL import Image

MiB = 1024 * 1024
PICTURE_FORMATS = {
    "JPEG": ("image/jpeg", ".jpg"),
    "PNG": ("image/png", ".png"),
    "WEBP": ("image/webp", ".webp"),
    "HEIF": ("image/heic", ".heic"),
}
MP4 = ("video/mp4", ".mp4")


@dataclass(frozen=True)
class Limits:
    """How much newswire accepts in one upload and in each metadata field."""

    max_picture_bytes: int = 64 * MiB
    max_video_bytes: int = 512 * MiB
    # 80 MP covers the largest press cameras (61 MP) and stays under Pillow's
    # own warning threshold (PIL.Image.MAX_IMAGE_PIXELS, 89.5 MP).
    max_pixels: int = 80_000_000
    # Short fields (headline, creator, credit, copyright, city, keyword, ...).
    max_text_chars: int = 1_000
    # Caption, alt text and usage terms.
    max_long_text_chars: int = 10_000
    max_keywords: int = 200

    def __post_init__(self) -> None:
        pillow_limit = Image.MAX_IMAGE_PIXELS
        if pillow_limit is not None and self.max_pixels > pillow_limit:
            # Above Pillow's threshold every accepted picture would raise its
            # DecompressionBombWarning; raise PIL.Image.MAX_IMAGE_PIXELS first.
            raise ValueError(
                f"max_pixels {self.max_pixels} is above PIL.Image.MAX_IMAGE_PIXELS {pillow_limit}"
            )


@dataclass(frozen=True)
class VideoInfo:
    """What a verified MP4 holds: its length, picture size and codecs."""

    duration: float
    width: int
    height: int
    video_codec: str
    audio_codec: str | None
    frame_rate: float | None


@dataclass(frozen=True)
class Upload:
    """An accepted upload: what it is, and its decoded picture (a video's poster frame).

    `width`/`height` are the original's pixels as stored (a video's and a
    HEIC's as shown: their decoders apply the rotation); `image` is decoded
    for the renditions and may be smaller for a JPEG (see `inspect_upload`).
    """

    kind: Literal["picture", "video"]
    format: str  # JPEG, PNG, WEBP, HEIF or MP4
    content_type: str
    extension: str
    width: int
    height: int
    size: int
    sha256: str
    data: bytes = field(repr=False, compare=False)
    image: Image.Image = field(repr=False, compare=False)
    video: VideoInfo | None = None
